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

"""Backup Runs lists restore drills too: the kind filter, a drill's row.

The view and the table with the api layer mocked; ``api.runs`` with
Mistral's client calls mocked.
"""
import json
import re
from unittest import mock

from django.urls import reverse
from horizon import exceptions

from backup_dashboard import api
from backup_dashboard.api import mistral as mistral_api
from backup_dashboard import drill_schedule
from backup_dashboard import drills
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers

INDEX = reverse('horizon:project:backup_runs:index')
BOTH = 'in:%s,%s' % (domain.SCHEDULE_WORKFLOW, drills.DRILL_WORKFLOW)

# What the drill workflow publishes (workbooks/drill.yaml).
PARTLY = {'status': 'partial', 'chosen': ['v1', 'v2', 'v3', 'v4'],
          'volumes': [
              {'volume': 'v1', 'result': 'passed', 'rto_seconds': 42,
               'backup': {'id': 'b1'}, 'cleaned': True},
              {'volume': 'v2', 'result': 'passed', 'rto_seconds': 125,
               'backup': {'id': 'b2'}, 'cleaned': True},
              {'volume': 'v3', 'result': 'failed', 'reason': 'error',
               'cleaned': True},
              {'volume': 'v4', 'result': 'skipped',
               'reason': 'no available backup'}]}


def drill_of(name, **kwargs):
    drill = data.drill('trig-1', **kwargs)
    drill.input = json.dumps({'schedule': name, 'volumes': []})
    return drill


def row_cells(page, row_id):
    """The texts of the cells of the table row of `row_id`."""
    row = re.search(r'<tr[^>]*id="runs__row__%s".*?</tr>' % re.escape(row_id),
                    page, re.S).group(0)
    return [re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', ' ', cell)).strip()
            for cell in re.findall(r'<td[^>]*>(.*?)</td>', row, re.S)]


class KindFilterTests(helpers.TestCase):
    @helpers.create_mocks({api.runs: ['run_page', 'run_history']})
    def test_each_kind_asks_its_executions(self):
        self.mock_run_page.return_value = ([], False)
        self.mock_run_history.return_value = []
        for value, kind in (('', 'all'), ('backup', 'backup'),
                            ('drill', 'drill'), ('bogus', 'all')):
            with self.subTest(kind=value):
                res = self.client.get(INDEX, {'kind': value})
                self.assertEqual(kind,
                                 self.mock_run_page.call_args[1]['kind'])
        # The chart stays one of backup runs: no kind is passed on.
        self.assertNotIn('kind', self.mock_run_history.call_args[1])
        # An unknown kind is All, and its pill says so.
        self.assertContains(res, '<li class="active"><a href="?">All</a>',
                            count=2)

    @helpers.create_mocks({api.schedules: ['schedule_show'],
                           api.runs: ['run_page', 'run_history']})
    def test_the_kind_is_kept_across_pages_and_by_the_other_pills(self):
        schedule = data.nightly()
        schedule.id = 'trig-1'
        self.mock_schedule_show.return_value = schedule
        self.mock_run_page.return_value = (
            [data.drill('trig-1', exec_id='dr-9', output=PARTLY)], True)
        self.mock_run_history.return_value = []
        res = self.client.get(INDEX, {'schedule': 'nightly', 'kind': 'drill',
                                      'state': 'success', 'marker': 'ex-5'})
        kwargs = self.mock_run_page.call_args[1]
        self.assertEqual((schedule, 'ex-5', 'SUCCESS', 'drill'), (
            kwargs['schedule'], kwargs['marker'], kwargs['state'],
            kwargs['kind']))
        self.assertContains(res, 'marker=dr-9&amp;state=success&amp;'
                                 'schedule=nightly&amp;kind=drill')
        # Each pill changes its filter and keeps the others.
        self.assertContains(res, '<a href="?state=SUCCESS&amp;'
                                 'schedule=nightly">All</a>')
        self.assertContains(res, '<a href="?schedule=nightly&amp;'
                                 'kind=drill">All</a>')
        self.assertContains(res, '<a href="?state=ERROR&amp;'
                                 'schedule=nightly&amp;kind=drill">Error</a>')
        self.assertContains(res, '<li class="active"><a href="?state=SUCCESS'
                                 '&amp;schedule=nightly&amp;kind=drill">'
                                 'Drills</a>')
        self.assertContains(res, 'restore tests of a schedule')


class DrillRowTests(helpers.TestCase):
    def _index(self, *runs):
        with mock.patch.object(api.runs, 'run_page',
                               return_value=(list(runs), False)), \
                mock.patch.object(api.runs, 'run_history',
                                  return_value=[]):
            return self.client.get(INDEX)

    def test_a_drill_row_says_its_outcome_and_links_to_the_drills_tab(self):
        name = 'db & <web> #1'
        res = self._index(drill_of(name, exec_id='dr-1', output=PARTLY),
                          data.execution('t', exec_id='ex-1'))
        page = res.content.decode()
        cells = row_cells(page, 'dr-1')
        # Started, Schedule, Kind, Started by, State, Outcome, Duration,
        # Backed up, Failed, Skipped, Created, Deleted, actions.
        self.assertEqual(
            ['db &amp; &lt;web&gt; #1', 'Restore drill', 'Run now',
             'SUCCESS', 'Partly failed 2 restored, slowest in 2m 05s',
             '1m 40s', '-', '1', '1', '-', '-'], cells[2:13])
        self.assertIn('data-outcome="partial"', page)
        tab = reverse('horizon:project:backup_schedules:detail',
                      args=[name]) + '?tab=schedule_details__drills'
        self.assertIn('/project/backup_schedules/db%20&amp;%20%3Cweb%3E%20'
                      '%231/?tab=schedule_details__drills', page)
        self.assertIn(tab.replace('&', '&amp;'), page)
        self.assertEqual('Backup run', row_cells(page, 'ex-1')[3])
        self.assertNotIn('/project/backup_runs/dr-1/', page)
        self.assertIn('/project/backup_runs/ex-1/', page)

    def test_a_drill_row_has_neither_cancel_nor_delete(self):
        res = self._index(
            data.drill('trig-1', exec_id='dr-1', state='RUNNING'),
            data.drill('trig-1', exec_id='dr-2', output=PARTLY),
            data.execution('t', exec_id='ex-1', state='RUNNING'),
            data.execution('t', exec_id='ex-2'))
        page = res.content.decode()
        for action in ('cancel', 'delete'):
            for row in ('dr-1', 'dr-2'):
                self.assertNotIn('runs__%s__%s' % (action, row), page)
        self.assertIn('runs__cancel__ex-1', page)
        self.assertIn('runs__delete__ex-2', page)
        # No checkbox for the table's Delete either.
        self.assertNotIn('value="dr-2"', page)
        self.assertIn('value="ex-2"', page)
        self.assertIn('View Drills', page)

    def test_deleting_a_drill_by_post_is_refused(self):
        with mock.patch.object(api.runs, 'run_page', return_value=(
                [data.drill('trig-1', exec_id='dr-1', output=PARTLY)],
                False)), \
                mock.patch.object(api.runs, 'run_history', return_value=[]), \
                mock.patch.object(api.runs, 'execution_delete') as delete:
            self.client.post(INDEX, {'action': 'runs__delete',
                                     'object_ids': ['dr-1']})
        delete.assert_not_called()

    def test_drill_fires_not_due_are_hidden(self):
        res = self._index(
            data.drill('trig-1', exec_id='dr-1', output={'status': 'not_due'}),
            data.drill('trig-1', exec_id='dr-2', output=PARTLY))
        self.assertEqual(['dr-2'], [r.id for r in res.context['table'].data])
        self.assertContains(res, '1 execution on this page is hidden')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_a_running_drill_row_updates_itself(self):
        self.mock_execution_get.return_value = data.drill(
            'trig-1', exec_id='dr-1', state='RUNNING')
        res = self.client.get(INDEX, {'action': 'row_update', 'table': 'runs',
                                      'obj_id': 'dr-1'},
                              HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertContains(res, 'data-update-url')
        self.assertContains(res, 'Restore drill')
        self.assertContains(res, 'data-outcome="running"')
        self.assertNotContains(res, 'runs__cancel__dr-1')
        self.assertEqual(api.runs.KINDS['all'],
                         self.mock_execution_get.call_args[1]['workflows'])


class ApiTests(helpers.APITestCase):
    def _page(self, **kwargs):
        with mock.patch.object(mistral_api, 'execution_list',
                               return_value=[]) as listing:
            api.runs.run_page(self.request, **kwargs)
        return listing.call_args_list

    def test_each_kind_is_one_call_of_its_workflows(self):
        for kind, workflow in ((None, domain.SCHEDULE_WORKFLOW),
                               ('backup', domain.SCHEDULE_WORKFLOW),
                               ('drill', drills.DRILL_WORKFLOW),
                               ('all', BOTH)):
            with self.subTest(kind=kind):
                calls = self._page(**({'kind': kind} if kind else {}))
                self.assertEqual([workflow],
                                 [c[1]['workflow_name'] for c in calls])
                self.assertNotIn('description', calls[0][1])

    def test_a_schedules_drills_are_found_by_its_drill_trigger_ids_too(self):
        schedule = data.nightly()
        schedule.id, schedule.previous_ids = 'trig-2', ['trig-1']
        schedule.drill = drill_schedule.Settings(
            frequency='weekly', weekday=0, hour=4, id='drill-2',
            previous_ids=['drill-1'])
        for kind, ids, workflow in (
                ('backup', ['trig-1', 'trig-2'], domain.SCHEDULE_WORKFLOW),
                ('drill', ['drill-1', 'drill-2', 'trig-1', 'trig-2'],
                 drills.DRILL_WORKFLOW),
                ('all', ['drill-1', 'drill-2', 'trig-1', 'trig-2'], BOTH)):
            with self.subTest(kind=kind):
                calls = self._page(schedule=schedule, kind=kind)
                self.assertEqual(['has:%s' % i for i in ids], sorted(
                    c[1]['description'] for c in calls))
                self.assertEqual({workflow},
                                 {c[1]['workflow_name'] for c in calls})

    def test_get_refuses_other_workflows(self):
        other = data.execution('t', exec_id='ex-1')
        other.workflow_name = 'someone_elses_workflow'
        drill = data.drill('t', exec_id='dr-1')
        with mock.patch.object(mistral_api, 'execution_get',
                               return_value=other):
            for workflows in (api.runs.KINDS['backup'],
                              api.runs.KINDS['all']):
                with self.assertRaises(exceptions.NotFound):
                    api.runs.execution_get(self.request, 'ex-1',
                                           workflows=workflows)
        with mock.patch.object(mistral_api, 'execution_get',
                               return_value=drill):
            self.assertIs(drill, api.runs.execution_get(
                self.request, 'dr-1', workflows=api.runs.KINDS['all']))
            # A run, by default: a drill is not one.
            with self.assertRaises(exceptions.NotFound):
                api.runs.execution_get(self.request, 'dr-1')

    def test_a_drill_cannot_be_cancelled_or_deleted(self):
        for state in ('RUNNING', 'SUCCESS'):
            with mock.patch.object(mistral_api, 'execution_get',
                                   return_value=data.drill(
                                       't', state=state)), \
                    mock.patch.object(mistral_api,
                                      'execution_update') as update, \
                    mock.patch.object(mistral_api,
                                      'execution_delete') as delete:
                with self.assertRaises(exceptions.NotFound):
                    api.runs.execution_cancel(self.request, 'drill-1')
                with self.assertRaises(exceptions.NotFound):
                    api.runs.execution_delete(self.request, 'drill-1')
            update.assert_not_called()
            delete.assert_not_called()
