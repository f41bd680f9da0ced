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

"""The Run Drill Now form and the Drills tab, the api layer mocked."""
import dataclasses
from unittest import mock

from django.urls import reverse
from horizon import exceptions

from backup_dashboard import api
from backup_dashboard.api import drills as drills_api
from backup_dashboard.api import schedules as schedules_api
from backup_dashboard import drill_schedule
from testkit import data
from testkit import helpers

DRILL = reverse('horizon:project:backup_schedules:drill', args=['nightly'])
DETAIL = reverse('horizon:project:backup_schedules:detail',
                 args=['nightly'])
DRILLS_TAB = DETAIL + '?tab=schedule_details__drills'


def plan(problem=None, candidates=None, room=None, keep=0):
    schedule = data.nightly()
    candidates = {'v1': 8, 'v2': 4} if candidates is None else candidates
    return drills_api.Plan(schedule, candidates, sorted(candidates), 0,
                           room or {'volumes': 5, 'gigabytes': None},
                           problem, keep)


class DrillFormTests(helpers.TestCase):
    @helpers.create_mocks({api.drills: ['drill_plan']})
    def test_the_form_says_what_a_drill_restores_and_needs(self):
        self.mock_drill_plan.return_value = plan()
        for extra in ({}, helpers.AJAX):
            res = self.client.get(DRILL, **extra)
            self.assertEqual(200, res.status_code)
            self.assertContains(res, 'available backups of 2 volumes')
            self.assertContains(res, 'up to 2 throwaway volumes exist at '
                                'once, 12 GB in all')
            self.assertContains(res, 'allows 5 more volumes')
            self.assertContains(res, 'no limit on gigabytes')
        self.assertTemplateUsed(res, 'backup_dashboard/schedules/_drill.html')

    @helpers.create_mocks({api.drills: ['drill_plan']})
    def test_a_drill_that_cannot_run_says_why_before_submit(self):
        self.mock_drill_plan.return_value = plan(
            problem='the quota <b>is</b> short')
        res = self.client.get(DRILL)
        self.assertContains(res, 'the quota &lt;b&gt;is&lt;/b&gt; short')

    @helpers.create_mocks({api.drills: ['drill_plan', 'drill_run_now']})
    def test_start_goes_to_the_drills_tab(self):
        self.mock_drill_plan.return_value = plan()
        res = self.client.post(DRILL, {'sample': '1', 'keep': '0'})
        self.assertRedirectsNoFollow(res, DRILLS_TAB)
        self.mock_drill_run_now.assert_called_once_with(
            helpers.IsHttpRequest(), 'nightly', 1, 0)

    @helpers.create_mocks({api.drills: ['drill_plan', 'drill_run_now']})
    def test_the_keep_shown_is_the_schedules_and_is_sent_as_typed(self):
        self.mock_drill_plan.return_value = plan(keep=6)
        res = self.client.get(DRILL)
        self.assertEqual('6', res.context['form'].fields['keep'].initial)
        self.client.post(DRILL, {'sample': '', 'keep': '12'})
        self.mock_drill_run_now.assert_called_once_with(
            helpers.IsHttpRequest(), 'nightly', None, 12)

    @helpers.create_mocks({api.drills: ['drill_plan', 'drill_run_now']})
    def test_a_bad_keep_is_refused_with_the_limit_and_kept(self):
        self.mock_drill_plan.return_value = plan()
        for typed in ('73', '1.5', '-1'):
            res = self.client.post(DRILL, {'sample': '', 'keep': typed})
            self.assertContains(res, 'whole number from 0 to 72')
            self.assertContains(res, 'value="%s"' % typed)
        self.mock_drill_run_now.assert_not_called()

    @helpers.create_mocks({api.drills: ['drill_plan', 'drill_run_now']})
    def test_every_volume_when_the_sample_is_empty(self):
        self.mock_drill_plan.return_value = plan()
        self.client.post(DRILL, {'sample': ''})
        self.mock_drill_run_now.assert_called_once_with(
            helpers.IsHttpRequest(), 'nightly', None, 0)

    @helpers.create_mocks({api.drills: ['drill_plan', 'drill_run_now']})
    def test_a_bad_sample_is_refused_with_the_limit_and_kept(self):
        self.mock_drill_plan.return_value = plan()
        for extra in ({}, helpers.AJAX):
            res = self.client.post(DRILL, {'sample': '250'}, **extra)
            self.assertEqual(200, res.status_code)
            self.assertContains(res, 'from 1 to 100')
            self.assertContains(res, 'value="250"')
        self.mock_drill_run_now.assert_not_called()

    @helpers.create_mocks({api.drills: ['drill_plan', 'drill_run_now']})
    def test_a_refusal_is_shown_in_the_form(self):
        self.mock_drill_plan.return_value = plan()
        self.mock_drill_run_now.side_effect = schedules_api.ScheduleBusy(
            'A backup run of schedule "nightly" is in progress')
        res = self.client.post(DRILL, {'sample': '2'})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'No drill was started:')
        self.assertContains(res, 'A backup run of schedule &quot;nightly'
                            '&quot; is in progress')
        self.assertContains(res, 'value="2"')

    @helpers.create_mocks({api.drills: ['drill_plan']})
    def test_an_unknown_schedule_goes_back_with_a_message(self):
        self.mock_drill_plan.side_effect = exceptions.NotFound(
            'No schedule "nightly" in this project.')
        res = self.client.get(DRILL)
        self.assertRedirectsNoFollow(
            res, reverse('horizon:project:backup_schedules:index'))


class DrillsTabTests(helpers.TestCase):
    def _tab(self, found, volumes=(), drill=None):
        schedule = data.nightly()
        schedule.id = 'trig-1'
        schedule.drill = drill
        with helpers.detail_backends(schedule), \
                mock.patch.object(api.drills, 'drill_page',
                                  return_value=found) as page, \
                mock.patch.object(api.storage, 'project_volumes',
                                  return_value=list(volumes)):
            res = self.client.get(DRILLS_TAB, **helpers.AJAX)
        page.assert_called_once_with(helpers.IsHttpRequest(), schedule)
        return res

    def test_each_drill_with_its_volumes_and_restore_times(self):
        res = self._tab([
            data.drill('trig-1', ['v1', 'v2'], output={
                'status': 'partial', 'volumes': [
                    {'volume': 'v1', 'result': 'passed', 'cleaned': True,
                     'backup': {'id': 'b-1', 'is_incremental': True},
                     'restore_started': '2026-11-22T09:00:05.000000',
                     'restore_done': '2026-11-22T09:00:47.000000',
                     'rto_seconds': 42},
                    {'volume': 'v2', 'result': 'failed', 'cleaned': False,
                     'reason': 'Cinder could not read the <b>data</b>',
                     'cleanup_error': 'still deleting'}]}),
            data.drill('trig-1', ['v1'], state='RUNNING', exec_id='d-2'),
        ], volumes=[data.volume('v1', name='db <data>')])
        self.assertContains(res, 'data-outcome="partial"')
        self.assertContains(res, 'data-outcome="running"')
        self.assertContains(res, 'db &lt;data&gt;: passed, restored in 42s '
                            'from an incremental backup b-1')
        self.assertContains(res, 'v2: failed, Cinder could not read the '
                            '&lt;b&gt;data&lt;/b&gt;')
        self.assertContains(res, 'The throwaway volume is left: still '
                            'deleting')
        self.assertContains(res, '1m 40s')      # the whole drill
        self.assertContains(res, 'Run Drill Now')

    def test_no_drill_yet_says_what_a_drill_is(self):
        res = self._tab([])
        self.assertContains(res, 'No drill yet.')
        self.assertContains(res, 'Scheduled drills: Off.')

    def test_scheduled_drills_and_the_next_one_are_said(self):
        weekly = drill_schedule.Settings(
            frequency='weekly', weekday=0, hour=4).validate('Europe/Paris')
        res = self._tab([], drill=weekly)
        self.assertContains(res, 'Scheduled drills: Weekly on Sunday at '
                            '04:00 (Europe/Paris), every volume.')
        upcoming = weekly.next_drills(1)[0]
        self.assertContains(res, 'datetime="%s"' % upcoming.isoformat())
        with helpers.detail_backends(dataclasses.replace(
                data.nightly(), drill=weekly)):
            overview = self.client.get(DETAIL)
        self.assertContains(overview, 'Weekly on Sunday at 04:00 '
                            '(Europe/Paris), every volume; next')

    def test_a_failing_listing_is_a_message_not_a_500(self):
        schedule = data.nightly()
        with helpers.detail_backends(schedule), \
                mock.patch.object(api.drills, 'drill_page',
                                  side_effect=exceptions.RecoverableError(
                                      'Mistral is down')):
            res = self.client.get(DRILLS_TAB, **helpers.AJAX)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'No drill yet.')
