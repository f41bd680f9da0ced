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

"""Restore drills over Mistral and Cinder, both mocked at the api layer."""
from unittest import mock

from horizon import exceptions

from backup_dashboard.api import drills
from backup_dashboard.api import mistral
from backup_dashboard.api import schedules
from backup_dashboard.api import storage
from backup_dashboard import drill_schedule
from backup_dashboard import drills as domain
from testkit import data
from testkit import helpers

UNLIMITED = {'volumes': None, 'gigabytes': None}


class DrillApiTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        schedule = data.nightly()
        schedule.id = 'trig-1'
        schedule.previous_ids = ['trig-0']
        self.schedule = schedule
        patchers = [
            mock.patch.object(schedules, 'schedule_show',
                              return_value=schedule),
            mock.patch.multiple(mistral, execution_list=mock.DEFAULT,
                                execution_create=mock.DEFAULT,
                                task_list=mock.DEFAULT),
            mock.patch.multiple(storage, project_backups=mock.DEFAULT,
                                volume_room=mock.DEFAULT),
        ]
        self.show = patchers[0].start()
        self.m = patchers[1].start()
        self.m.update(patchers[2].start())
        for patcher in patchers:
            self.addCleanup(patcher.stop)
        self.m['execution_list'].return_value = []
        self.m['task_list'].return_value = []
        self.m['volume_room'].return_value = UNLIMITED
        self.m['project_backups'].return_value = [
            data.backup('b3', 'v1', size=8),                # newest first
            data.backup('b2', 'v2', size=3, status='creating'),
            data.backup('b1', 'v1', size=5),
            data.backup('h1', 'v3', size=2, schedule=None),
            data.backup('o1', 'v4', size=2, schedule='other'),
            data.backup('b0', 'v2', size=4),
        ]

    def _listed(self, workflow):
        return [c for c in self.m['execution_list'].call_args_list
                if c.kwargs.get('workflow_name') == workflow]

    def test_candidates_are_the_schedules_available_backups_newest_size(self):
        self.assertEqual({'v1': 8, 'v2': 4},
                         drills.candidates(self.request, self.schedule))

    def test_run_now_starts_the_drill_workflow_for_the_schedule(self):
        self.m['execution_create'].return_value = 'started'
        self.assertEqual('started', drills.drill_run_now(self.request,
                                                         'nightly'))
        self.show.assert_called_once_with(self.request, 'nightly')
        args = self.m['execution_create'].call_args.args
        self.assertEqual(domain.DRILL_WORKFLOW, args[1])
        self.assertEqual({'schedule': 'nightly', 'volumes': ['v1', 'v2'],
                          'turn': 0, 'concurrency': domain.CONCURRENCY,
                          'timeout': self.schedule.timeout, 'keep': 0,
                          'report_to': ['ops@example.com']}, args[2])
        self.assertEqual({'type': domain.STARTED_BY, 'id': 'trig-1',
                          'user': self.request.user.id},
                         args[3]['triggered_by'])
        # Drills of every trigger id the schedule had, server-side.
        listed = self._listed(domain.DRILL_WORKFLOW)
        self.assertEqual({'has:trig-1', 'has:trig-0'},
                         {c.kwargs['description'] for c in listed})

    def test_a_sample_takes_the_turn_after_the_previous_drill(self):
        self.m['project_backups'].return_value = [
            data.backup('b-%s' % v, v) for v in ('v1', 'v2', 'v3', 'v4')]

        def listed(request, **filters):
            if filters.get('workflow_name') == domain.DRILL_WORKFLOW and \
                    filters['description'] == 'has:trig-1':
                # a cron-started drill: its turn is in its output
                return [data.drill('trig-1', output={'status': 'ok',
                                                     'turn': 2917})]
            return []
        self.m['execution_list'].side_effect = listed
        plan = drills.drill_plan(self.request, 'nightly', sample=3)
        self.assertEqual(2918, plan.turn)
        self.assertEqual(['v3', 'v4', 'v1'], plan.chosen)    # 2918 * 3 % 4
        self.assertEqual((2, 2), plan.needed)

    def _refused(self, error_class, words):
        with self.assertRaises(error_class) as raised:
            drills.drill_run_now(self.request, 'nightly')
        for word in words:
            self.assertIn(word, str(raised.exception))
        self.m['execution_create'].assert_not_called()

    def test_refused_while_a_backup_run_is_going(self):
        def listed(request, **filters):
            if filters.get('workflow_name') == domain.DRILL_WORKFLOW:
                return []
            return [data.execution('trig-1', state='RUNNING')]
        self.m['execution_list'].side_effect = listed
        self._refused(schedules.ScheduleBusy,
                      ['backup run', '2026-11-21 01:00 UTC',
                       'no drill was started'])

    def test_refused_while_another_drill_is_going(self):
        def listed(request, **filters):
            if filters.get('workflow_name') == domain.DRILL_WORKFLOW:
                return [data.drill('trig-1', ['v1'], state='RUNNING')]
            return []
        self.m['execution_list'].side_effect = listed
        self._refused(schedules.ScheduleBusy, ['already in progress'])

    def test_a_drill_keeping_its_volumes_restores_nothing_and_lets_be(self):
        def listed(request, **filters):
            if filters.get('workflow_name') == domain.DRILL_WORKFLOW:
                return [data.drill('trig-1', ['v1'], state='RUNNING')]
            return []
        self.m['execution_list'].side_effect = listed
        # Its release task has begun: every restore of it is done.
        self.m['task_list'].return_value = [mock.Mock(id='task-1')]
        self.m['execution_create'].return_value = 'started'
        self.assertEqual('started', drills.drill_run_now(self.request,
                                                         'nightly'))
        self.m['task_list'].assert_called_with(
            self.request, 'drill-1', name=domain.RELEASE_TASK,
            fields=['id'])

    def test_refused_before_anything_is_made_when_the_quota_is_short(self):
        self.m['volume_room'].return_value = {'volumes': 1,
                                              'gigabytes': 100}
        self._refused(drills.DrillRefused, ['2 volumes at once',
                                            '1 more volume'])

    def test_refused_when_the_schedule_has_no_backup_yet(self):
        self.m['project_backups'].return_value = []
        self._refused(drills.DrillRefused, ['no available backup yet'])

    def test_another_projects_schedule_is_not_found(self):
        self.show.side_effect = exceptions.NotFound('not found')
        with self.assertRaises(exceptions.NotFound):
            drills.drill_run_now(self.request, 'theirs')
        self.m['project_backups'].assert_not_called()
        self.m['execution_create'].assert_not_called()

    def test_drill_page_reads_outputs_newest_first(self):
        self.m['execution_list'].return_value = [data.drill('trig-1')]
        self.schedule.drill = drill_schedule.Settings(
            frequency='weekly', id='trig-d', previous_ids=['trig-d0'])
        drills.drill_page(self.request, self.schedule, limit=7)
        # Run Drill Now carries the schedule's ids, a cron fire its own.
        self.assertEqual(
            {'has:trig-1', 'has:trig-0', 'has:trig-d', 'has:trig-d0'},
            {c.kwargs['description']
             for c in self.m['execution_list'].call_args_list})
        for call in self.m['execution_list'].call_args_list:
            self.assertEqual(7, call.kwargs['limit'])
            self.assertTrue(call.kwargs['include_output'])
            self.assertEqual(domain.DRILL_WORKFLOW,
                             call.kwargs['workflow_name'])
