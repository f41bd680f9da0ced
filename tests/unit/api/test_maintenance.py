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

"""api.maintenance: re-anchoring a schedule whose time zone plan is off."""
import json
from unittest import mock

from backup_dashboard.api import maintenance
from backup_dashboard.api import mistral
from backup_dashboard.clock import plans
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers


def legacy(name):
    """A Berlin schedule saved without a plan: it fires on one UTC time."""
    return domain.Schedule(name=name, pattern='30 1 * * *',
                           timezone='Europe/Berlin',
                           local_pattern='30 2 * * *')


def anchored(name):
    schedule = domain.validate_timing(legacy(name))
    return data.trigger(schedule, pattern=schedule.pattern,
                        workflow_params=json.dumps(
                            schedule.to_trigger()['workflow_params']))


class MaintenanceApiTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.multiple(
            mistral, cron_trigger_list=mock.DEFAULT,
            cron_trigger_get=mock.DEFAULT, cron_trigger_create=mock.DEFAULT,
            cron_trigger_delete=mock.DEFAULT, execution_list=mock.DEFAULT)
        self.m = patcher.start()
        self.addCleanup(patcher.stop)
        self.m['execution_list'].return_value = []

    def test_a_schedule_saved_without_a_plan_says_so(self):
        stored = domain.Schedule.from_trigger(data.trigger(legacy('old')))
        self.assertIn('saved without a plan for Europe/Berlin',
                      stored.anchor_problem())
        self.assertIn('save it again', stored.anchor_problem())
        fresh = domain.Schedule.from_trigger(anchored('new'))
        self.assertIsNone(fresh.anchor_problem())

    def test_reanchor_saves_it_again_with_its_plan_as_the_user(self):
        self.m['cron_trigger_get'].return_value = data.trigger(
            legacy('nightly'))
        self.m['cron_trigger_create'].side_effect = \
            lambda request, **kw: data.trigger(
                legacy('nightly'), pattern=kw['pattern'],
                workflow_params=json.dumps(kw['workflow_params']))
        schedule = maintenance.reanchor(self.request, 'nightly')
        self.m['cron_trigger_delete'].assert_called_once_with(self.request,
                                                              'nightly')
        sent = self.m['cron_trigger_create'].call_args[1]
        self.assertEqual('30 0,1 * * *', sent['pattern'])
        plan = sent['workflow_params'][plans.PLAN_PARAM]
        self.assertEqual(('Europe/Berlin', '30 2 * * *'),
                         (plan['zone'], plan['local_pattern']))
        self.assertEqual(self.request.user.id, sent['workflow_params'][
            'backup_dashboard_owner']['id'])
        self.assertEqual(legacy('nightly').workflow_input(),
                         sent['workflow_input'])
        self.assertEqual('nightly', schedule.name)
        self.assertIsNone(schedule.anchor_problem())

    def test_reanchor_of_an_anchored_schedule_keeps_its_pattern(self):
        self.m['cron_trigger_get'].return_value = anchored('nightly')
        self.m['cron_trigger_create'].return_value = anchored('nightly')
        maintenance.reanchor(self.request, 'nightly')
        self.assertEqual('30 0,1 * * *', self.m['cron_trigger_create']
                         .call_args[1]['pattern'])
