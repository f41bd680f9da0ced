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

"""A schedule's drill trigger, made, replaced and deleted with it.

Mistral mocked by a small in-memory store of triggers, so that what is
left after a failure can be read as Mistral would hold it.
"""
from unittest import mock

from horizon import exceptions

from backup_dashboard.api import mistral
from backup_dashboard.api import schedules
from backup_dashboard import drill_schedule
from backup_dashboard import drills
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers
from tests.unit.test_drill_schedule import stored

WEEKLY = drill_schedule.Settings(frequency='weekly', weekday=0, hour=4,
                                 sample=2)


class Triggers(object):
    """Mistral's cron triggers of one project, by name."""

    def __init__(self):
        self.by_name = {}
        self.fail_workflow = None
        self.made = 0

    def get(self, request, name):
        if name not in self.by_name:
            raise exceptions.NotFound('Cron trigger not found')
        return self.by_name[name]

    def create(self, request, **kwargs):
        # Refuses the next trigger of that workflow, once.
        if kwargs['workflow_identifier'] == self.fail_workflow:
            self.fail_workflow = None
            raise exceptions.BadRequest('Mistral said no')
        self.made += 1
        trigger = stored(kwargs, trigger_id='trig-%d' % self.made)
        self.by_name[trigger.name] = trigger
        return trigger

    def delete(self, request, name):
        self.get(request, name)
        del self.by_name[name]


class DrillTriggerTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        self.t = Triggers()
        patcher = mock.patch.multiple(
            mistral, cron_trigger_get=self.t.get,
            cron_trigger_create=self.t.create,
            cron_trigger_delete=self.t.delete,
            execution_list=mock.Mock(return_value=[]))
        patcher.start()
        self.addCleanup(patcher.stop)

    def _create(self, drill=WEEKLY):
        schedule = data.nightly()
        schedule.drill = drill
        return schedules.schedule_create(self.request, schedule)

    def _drill(self):
        return self.t.by_name.get('nightly (drill)')

    def test_create_makes_both_triggers_and_show_reads_them(self):
        created = self._create()
        self.assertEqual(drills.DRILL_WORKFLOW, self._drill().workflow_name)
        self.assertTrue(created.drill.on)
        shown = schedules.schedule_show(self.request, 'nightly')
        self.assertEqual(('weekly', 0, 4, 2, 'Europe/Paris'), (
            shown.drill.frequency, shown.drill.weekday, shown.drill.hour,
            shown.drill.sample, shown.drill.timezone))
        # Its drills run with the creator's trust, recorded as a schedule's.
        self.assertIn('backup_dashboard_owner',
                      domain.as_dict(self._drill().workflow_params))

    def test_no_drill_trigger_while_drills_are_off(self):
        self._create(drill_schedule.Settings())
        self.assertEqual(['nightly'], list(self.t.by_name))
        self.assertFalse(schedules.schedule_show(self.request,
                                                 'nightly').drill.on)

    def test_a_drill_trigger_mistral_refuses_creates_no_schedule(self):
        self.t.fail_workflow = drills.DRILL_WORKFLOW
        with self.assertRaises(schedules.EditRolledBack) as raised:
            self._create()
        self.assertIn('was not created', str(raised.exception))
        self.assertEqual({}, self.t.by_name)

    def _edit(self, drill):
        schedule = data.nightly()
        schedule.drill = drill
        return schedules.schedule_update(self.request, 'nightly', schedule)

    def test_an_edit_replaces_or_removes_the_drill_trigger(self):
        self._create()
        first = self._drill().id
        self._edit(drill_schedule.Settings(frequency='monthly', day=3))
        shown = schedules.schedule_show(self.request, 'nightly').drill
        self.assertEqual('monthly', shown.frequency)
        # The drills the first trigger fired stay the schedule's.
        self.assertEqual([shown.id, first], shown.trigger_ids)
        self._edit(drill_schedule.Settings())
        self.assertIsNone(self._drill())
        self.assertIn('nightly', self.t.by_name)

    def test_a_failed_edit_puts_both_triggers_back(self):
        self._create()
        before = self._drill().pattern
        self.t.fail_workflow = drills.DRILL_WORKFLOW
        with self.assertRaises(schedules.EditRolledBack):
            self._edit(drill_schedule.Settings(frequency='monthly', day=3))
        shown = schedules.schedule_show(self.request, 'nightly')
        self.assertEqual(('weekly', before), (shown.drill.frequency,
                                              shown.drill.pattern))
        self.assertEqual('0 0,1 * * *', shown.pattern)

    def test_delete_removes_both(self):
        self._create()
        schedules.schedule_delete(self.request, 'nightly')
        self.assertEqual({}, self.t.by_name)

    def test_no_edit_or_delete_while_a_drill_is_going(self):
        self._create()
        trigger_id = self.t.by_name['nightly'].id

        def listed(request, **filters):
            if filters['workflow_name'] == drills.DRILL_WORKFLOW:
                return [data.drill(trigger_id, state='RUNNING')]
            return []
        mistral.execution_list.side_effect = listed
        for attempt in (lambda: self._edit(drill_schedule.Settings()),
                        lambda: schedules.schedule_delete(self.request,
                                                          'nightly')):
            with self.assertRaises(schedules.ScheduleBusy) as raised:
                attempt()
            self.assertIn('throwaway volume', str(raised.exception))
        self.assertEqual({'nightly', 'nightly (drill)'}, set(self.t.by_name))
