#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""The admin overview's list calls."""
from unittest import mock

from backup_dashboard.api import mistral
from backup_dashboard.api import overview
from testkit import helpers


class ListCallTests(helpers.APITestCase):
    def test_collect_lists_all_projects_once_each(self):
        with mock.patch.object(mistral, 'cron_trigger_list',
                               return_value=[]) as triggers, \
                mock.patch.object(mistral, 'execution_list',
                                  return_value=[]) as runs, \
                mock.patch.multiple(
                    overview, projects=mock.DEFAULT, users=mock.DEFAULT,
                    assignments=mock.DEFAULT, servers=mock.DEFAULT,
                    volumes=mock.DEFAULT, backups=mock.DEFAULT,
                    workbook_problems=mock.DEFAULT) as others:
            for m in others.values():
                m.return_value = []
            others['servers'].side_effect = RuntimeError('nova down')
            parts, errors = overview.collect(self.request)
        triggers.assert_called_once_with(
            self.request, all_projects=True,
            workflow_name='backup_dashboard_schedule')
        self.assertTrue(runs.call_args[1]['all_projects'])
        self.assertTrue(runs.call_args[1]['include_output'])
        self.assertIsNone(parts['servers'])
        self.assertEqual([], parts['triggers'])
        self.assertEqual(['Instances (Nova) could not be listed: nova down'],
                         errors)
