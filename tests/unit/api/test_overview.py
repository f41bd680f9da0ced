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
                    workbook_problems=mock.DEFAULT,
                    governance=mock.DEFAULT) as others:
            for m in others.values():
                m.return_value = []
            others['servers'].side_effect = RuntimeError('nova down')
            parts, errors = overview.collect(self.request)
        # One call for the schedules, one for their drill triggers.
        self.assertEqual(
            [mock.call(self.request, all_projects=True,
                       workflow_name=w) for w in (
                'backup_dashboard_schedule', 'backup_dashboard_drill')],
            sorted(triggers.call_args_list,
                   key=lambda c: c.kwargs['workflow_name'] != (
                       'backup_dashboard_schedule')))
        # The runs and the drills, each of every project, with results.
        self.assertEqual(2, runs.call_count)
        for call in runs.call_args_list:
            self.assertTrue(call.kwargs['all_projects'])
            self.assertTrue(call.kwargs['include_output'])
        self.assertIsNone(parts['servers'])
        self.assertEqual([], parts['triggers'])
        self.assertEqual(['Instances (Nova) could not be listed: An '
                          'unexpected error occurred.'], errors)
