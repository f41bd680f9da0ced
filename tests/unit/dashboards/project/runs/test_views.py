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

"""Backup Runs: the project-wide list, one schedule's runs, a run's detail."""
import datetime
import re
from unittest import mock

from django.urls import reverse
from horizon import exceptions

from backup_dashboard import api
from backup_dashboard.api import mistral as mistral_api
from backup_dashboard.clock import plans
from backup_dashboard.dashboards.project.runs import chart
from backup_dashboard.dashboards.project.runs import views
from backup_dashboard import executions
from testkit import data
from testkit import helpers

INDEX = reverse('horizon:project:backup_runs:index')

RESULT = {
    'schedule': 'nightly', 'status': 'partial',
    'counts': {'ok': 1, 'failed': 1, 'skipped': 0, 'created': 1,
               'deleted': 2},
    'volumes': [
        {'server': 's1', 'server_name': 'web<1>', 'volume': 'v1',
         'volume_name': 'root', 'status': 'ok', 'backup': 'b1',
         'kind': 'incremental', 'size': 10, 'seconds': 42,
         'deleted': ['b0', 'b00'], 'delete_errors': [], 'error': None,
         'reason': None},
        {'server': 's1', 'server_name': 'web<1>', 'volume': 'v2',
         'volume_name': 'data', 'status': 'failed', 'backup': None,
         'kind': None, 'size': None, 'seconds': None, 'deleted': [],
         'delete_errors': [],
         'error': 'BackupLimitExceeded: Maximum number of backups allowed '
                  '(10) exceeded (HTTP 413)', 'reason': None},
    ],
}


# What dst_guard leaves when a fire is not due (workbooks/schedule.yaml):
# the workflow's vars as they start, with status not_due.
NOT_DUE = {'schedule': 'nightly', 'status': plans.NOT_DUE, 'volumes': [],
           'counts': {}, 'report': None, 'meta_errors': [], 'error': None}


def detail(execution_id):
    return reverse('horizon:project:backup_runs:detail', args=[execution_id])


class IndexTests(helpers.TestCase):
    @helpers.create_mocks({api.runs: ['run_page', 'run_history']})
    def test_lists_runs_with_counts_and_chart(self):
        today = datetime.datetime.now(datetime.timezone.utc)
        created = today.strftime('%Y-%m-%d %H:%M:%S')
        runs = [data.execution('t', exec_id='ex-%d' % i, output=RESULT,
                               created_at=created) for i in range(3)]
        self.mock_run_page.return_value = (runs, True)
        self.mock_run_history.return_value = runs + [
            data.execution('t', exec_id='ok', created_at=created,
                           output=dict(RESULT, status='ok'))]
        res = self.client.get(INDEX)
        self.assertEqual(3, len(res.context['table'].data))
        self.assertContains(res, 'marker=ex-2')        # next page
        self.assertContains(res, 'class="run-partial"')
        # each row's outcome in words
        self.assertContains(res, 'backup-run-outcome" data-outcome="partial">'
                                 'Partly failed</span>', count=3)
        self.assertEqual({'ok': 1, 'partial': 3, 'failed': 0, 'other': 0},
                         res.context['chart']['totals'])
        kwargs = self.mock_run_page.call_args[1]
        self.assertEqual((None, None, False, None), (
            kwargs['schedule'], kwargs['marker'], kwargs['reverse'],
            kwargs['state']))

    @helpers.create_mocks({api.schedules: ['schedule_show'],
                           api.runs: ['run_page', 'run_history']})
    def test_one_schedule_filtered_by_state_keeps_filters_across_pages(self):
        schedule = data.nightly()
        schedule.id = 'trig-1'
        self.mock_schedule_show.return_value = schedule
        self.mock_run_page.return_value = (
            [data.execution('trig-1', exec_id='ex-9', state='ERROR')], True)
        self.mock_run_history.return_value = []
        res = self.client.get(INDEX, {'schedule': 'nightly',
                                      'state': 'error', 'marker': 'ex-5'})
        kwargs = self.mock_run_page.call_args[1]
        self.assertEqual((schedule, 'ex-5', 'ERROR'), (
            kwargs['schedule'], kwargs['marker'], kwargs['state']))
        self.assertContains(res, 'marker=ex-9&amp;state=error&amp;'
                                 'schedule=nightly')
        self.assertContains(res, 'prev_marker=ex-9')
        # The chart too is of this schedule's runs only.
        self.assertEqual(schedule,
                         self.mock_run_history.call_args[1]['schedule'])

    @helpers.create_mocks({api.runs: ['run_page', 'run_history']})
    def test_the_state_filter_says_its_states_in_words(self):
        self.mock_run_page.return_value = ([], False)
        self.mock_run_history.return_value = []
        with mock.patch.dict(views.STATE_LABELS, RUNNING='<i>Läuft</i>'):
            res = self.client.get(INDEX)
        self.assertContains(res, '<a href="?state=RUNNING">&lt;i&gt;Läuft'
                                 '&lt;/i&gt;</a>')
        self.assertContains(res, '<a href="?state=ERROR">Error</a>')

    @helpers.create_mocks({api.runs: ['run_page', 'run_history']})
    def test_mistral_unreachable(self):
        error = mistral_api.ServiceUnavailable(mistral_api.UNREACHABLE)
        self.mock_run_page.side_effect = error
        self.mock_run_history.side_effect = error
        res = self.client.get(INDEX)
        self.assertEqual(200, res.status_code)
        self.assertIsNone(res.context['chart'])
        self.assertEqual([], list(res.context['table'].data))

    @helpers.create_mocks(
        {api.runs: ['run_page', 'run_history', 'execution_delete']})
    def test_delete_several_runs(self):
        self.mock_run_page.return_value = ([
            data.execution('t', exec_id='ex-1'),
            data.execution('t', exec_id='ex-2')], False)
        self.mock_run_history.return_value = []
        res = self.client.post(INDEX, {'action': 'runs__delete',
                                       'object_ids': ['ex-1', 'ex-2']})
        self.assertRedirectsNoFollow(res, INDEX)
        self.assertEqual(2, self.mock_execution_delete.call_count)

    @helpers.create_mocks(
        {api.runs: ['run_page', 'run_history', 'execution_delete']})
    def test_deleting_a_running_run_says_why(self):
        self.mock_run_page.return_value = ([
            data.execution('t', exec_id='ex-1')], False)
        self.mock_run_history.return_value = []
        self.mock_execution_delete.side_effect = exceptions.Conflict(
            'Run ex-1 is still running and cannot be deleted.')
        res = self.client.post(INDEX, {'action': 'runs__delete__ex-1'})
        texts = [str(m) for m in res.wsgi_request._messages]
        self.assertTrue(any('still running' in t for t in texts), texts)

    @helpers.create_mocks({api.schedules: ['schedule_show'],
                           api.runs: ['run_page', 'run_history']})
    def test_schedule_deleted_meanwhile(self):
        self.mock_schedule_show.side_effect = exceptions.NotFound(
            'Schedule "gone" was not found.')
        res = self.client.get(INDEX, {'schedule': 'gone'})
        self.assertEqual(200, res.status_code)
        self.mock_run_page.assert_not_called()
        self.assertIsNone(res.context['chart'])
        self.assertContains(res, 'Schedule &quot;gone&quot; was not found.')

    @helpers.create_mocks({api.runs: ['run_page', 'run_history']})
    def test_list_without_chart_when_only_the_history_fails(self):
        self.mock_run_page.return_value = ([data.execution(
            't', output=RESULT)], False)
        self.mock_run_history.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        res = self.client.get(INDEX)
        self.assertEqual(1, len(res.context['table'].data))
        self.assertIsNone(res.context['chart'])
        self.assertContains(res, 'cannot be reached')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_row_of_a_run_deleted_meanwhile_goes_away(self):
        # Horizon's row update removes a row answered with 404.
        self.mock_execution_get.side_effect = exceptions.NotFound('gone')
        res = self.client.get(INDEX, {'action': 'row_update', 'table': 'runs',
                                      'obj_id': 'ex-1'},
                              HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertEqual(404, res.status_code)

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_running_rows_update_themselves(self):
        self.mock_execution_get.return_value = data.execution(
            't', state='RUNNING')
        res = self.client.get(INDEX, {'action': 'row_update', 'table': 'runs',
                                      'obj_id': 'ex-1'},
                              HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertContains(res, 'data-update-url')
        self.assertContains(res, 'RUNNING')

    @helpers.create_mocks({api.runs: ['run_page', 'run_history']})
    def test_fires_not_due_are_hidden_and_paging_goes_on_after_them(self):
        today = datetime.datetime.now(datetime.timezone.utc)
        created = today.strftime('%Y-%m-%d %H:%M:%S')
        runs = [data.execution('t', exec_id='ex-1', output=RESULT,
                               created_at=created),
                data.execution('t', exec_id='ex-2', output=NOT_DUE,
                               created_at=created)]
        self.mock_run_page.return_value = (runs, True)
        self.mock_run_history.return_value = runs
        res = self.client.get(INDEX + '?marker=ex-0')
        table = res.context['table']
        self.assertEqual(['ex-1'], [r.id for r in table.data])
        # Next page: after the last row Mistral gave, hidden or not.
        self.assertContains(res, 'marker=ex-2')
        self.assertContains(res, 'prev_marker=ex-1')
        self.assertContains(res, '1 execution on this page is hidden')
        self.assertNotContains(res, 'not_due')
        # The chart counts backups only: no "other" for the hidden fire.
        self.assertEqual({'ok': 0, 'partial': 1, 'failed': 0, 'other': 0},
                         res.context['chart']['totals'])

    @helpers.create_mocks({api.runs: ['run_page', 'run_history']})
    def test_a_page_of_fires_not_due_only_still_leads_on(self):
        self.mock_run_page.return_value = ([
            data.execution('t', exec_id='nd-1', output=NOT_DUE),
            data.execution('t', exec_id='nd-2', output=NOT_DUE)], True)
        self.mock_run_history.return_value = []
        res = self.client.get(INDEX + '?prev_marker=ex-9')
        self.assertEqual([], list(res.context['table'].data))
        self.assertContains(res, 'marker=nd-2')
        self.assertContains(res, 'prev_marker=nd-1')
        self.assertContains(res, '2 executions on this page are hidden')


class DetailTests(helpers.TestCase):
    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_per_volume_result(self):
        self.mock_execution_get.return_value = data.execution(
            't', output=RESULT, state_info='Failed to run task [backup]')
        res = self.client.get(detail('ex-1'))
        self.assertContains(res, 'web&lt;1&gt;')
        # Cinder's quota refusal in the user's words, in the volume's row
        # and above the table; Cinder's own text nowhere
        self.assertContains(res, 'Your project may keep at most 10 backups',
                            count=2)
        self.assertNotContains(res, 'Maximum number of backups')
        self.assertContains(res, 'b0, b00')
        self.assertContains(res, '/project/backups/b1/')
        self.assertContains(res, '/project/instances/s1/')
        self.assertContains(res, "own words (for experts)")
        self.assertContains(res, '1 backed up, 1 failed')
        self.assertContains(res, 'data-outcome="partial">Partly failed</dd>')
        # each volume's result in words
        found = re.findall(r'<td[^>]*>\s*(Backed up|Failed|ok|failed)\s*</td>',
                           res.content.decode())
        self.assertEqual(['Backed up', 'Failed'], found)
        # The backup made links to the restore flow; the failed volume not.
        self.assertContains(res, '/project/backup_restore/?backup_id=b1')
        self.assertContains(res, 'backup_restore/?backup_id=', count=1)
        self.assertContains(res, 'class="text-danger backup-run-why">'
                                 'Your project may keep at most 10 backups')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_a_fire_not_due_says_it_is_no_backup(self):
        self.mock_execution_get.return_value = data.execution(
            't', output=NOT_DUE, updated_at='2026-11-21 01:00:00')
        res = self.client.get(detail('ex-1'))
        self.assertContains(res, 'data-outcome="not_due">Not due (DST)</dd>')
        self.assertContains(res, 'Nothing was backed up')
        self.assertNotContains(res, 'published no per-volume result')
        self.assertNotContains(res, 'backed up, 0 failed')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_failed_run_says_why_though_mistral_says_nothing(self):
        # The workflow fails a run that backed up nothing with a bare
        # `fail`: Mistral's state_info is None, the volumes say why.
        overlap = {'schedule': 'nightly', 'status': 'failed',
                   'counts': {'ok': 0, 'failed': 2, 'skipped': 2,
                              'created': 0, 'deleted': 0},
                   'volumes': [dict(RESULT['volumes'][0], status='skipped',
                                    backup=None, kind=None, deleted=[],
                                    reason='volume status is error')] * 2,
                   'error': None}
        self.mock_execution_get.return_value = data.execution(
            't', state='ERROR', output=overlap, state_info=None)
        res = self.client.get(detail('ex-1'))
        self.assertContains(res, 'backup-run-why">volume status is error'
                                 '</dd>')
        self.assertNotContains(res, 'backup_restore/?backup_id=')
        self.assertNotContains(res, 'recorded no reason')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_failed_without_output_or_reason(self):
        self.mock_execution_get.return_value = data.execution(
            't', state='ERROR', output=None, state_info=None)
        res = self.client.get(detail('ex-1'))
        self.assertContains(res, 'published no per-volume result')
        self.assertContains(res, 'Mistral recorded no reason')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_output_holding_anything_still_renders(self):
        # Values a broken or foreign workflow could publish: no link may be
        # built from them and nothing may break the page.
        output = {
            'schedule': 'a/b', 'status': 'ok', 'counts': {'ok': 'two'},
            'volumes': [
                {'server': 'x/y', 'server_name': {'n': 1}, 'volume': 5,
                 'backup': {'id': 1}, 'status': 'ok', 'deleted': 'b9',
                 'delete_errors': 'refused', 'size': 0, 'seconds': 0},
                'garbage', None, {}, {}]}
        self.mock_execution_get.return_value = data.execution(
            't', output=output)
        res = self.client.get(detail('ex-1'))
        self.assertEqual(200, res.status_code)
        self.assertEqual(3, len(res.context['table'].data))
        self.assertNotContains(res, 'backup_schedules/a')
        self.assertNotContains(res, '/project/instances/x')
        self.assertNotContains(res, 'backup_restore/?backup_id=')
        self.assertContains(res, 'b9')
        self.assertContains(res, 'refused')
        self.assertContains(res, '0 backed up')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_mistral_unreachable(self):
        self.mock_execution_get.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        res = self.client.get(detail('ex-1'))
        self.assertRedirectsNoFollow(res, INDEX)
        texts = [str(m) for m in res.wsgi_request._messages]
        self.assertTrue(any('cannot be reached' in t for t in texts), texts)

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_malformed_or_missing_output_still_renders(self):
        for output in (None, 'not json', {'counts': 'nonsense'},
                       {'volumes': 'x'}):
            with self.subTest(output=output):
                run = data.execution('t', state='ERROR',
                                     state_info='Failed before publishing')
                run.output = output
                self.mock_execution_get.return_value = run
                res = self.client.get(detail('ex-1'))
                self.assertEqual(200, res.status_code)
                self.assertContains(res, 'published no per-volume result')
                self.assertContains(res, 'Failed before publishing')

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_deleted_meanwhile(self):
        self.mock_execution_get.side_effect = exceptions.NotFound(
            'Run ex-1 was not found: it may have been deleted.')
        res = self.client.get(detail('ex-1'))
        self.assertRedirectsNoFollow(res, INDEX)
        texts = [str(m) for m in res.wsgi_request._messages]
        self.assertTrue(any('may have been deleted' in t for t in texts),
                        texts)


def test_a_fire_not_due_is_no_run():
    found = executions.Summary(data.execution('t', output=NOT_DUE))
    assert found.not_due and found.outcome == plans.NOT_DUE
    assert not found.known and found.why() is None
    # Only the guard's SUCCESS says so; no other state or status does.
    assert not executions.Summary(data.execution(
        't', state='ERROR', output=NOT_DUE)).not_due
    assert not executions.Summary(data.execution('t', output=RESULT)).not_due
    today = datetime.date(2026, 11, 21)
    days = chart.per_day([found, executions.Summary(data.execution(
        't', output=RESULT))], 1, today)
    assert days == [(today, {'partial': 1})]


def test_summary_outcomes():
    def run(state, output):
        return data.execution('t', state=state, output=output)
    assert executions.Summary(run('RUNNING', None)).outcome == 'running'
    assert executions.Summary(run('SUCCESS', {'status': 'ok', 'counts': {}})
                              ).outcome == 'ok'
    assert executions.Summary(run('ERROR', None)).outcome == 'failed'
    assert executions.Summary(run('SUCCESS', None)).outcome == 'unknown'


def test_chart_scales_and_stacks():
    day = datetime.date(2026, 11, 1)
    geometry = chart.stacked_bars([(day, {'ok': 2, 'failed': 2}),
                                   (day, {})])
    first = geometry['bars'][0]['rects']
    assert [r['outcome'] for r in first] == ['ok', 'failed']
    assert sum(r['height'] for r in first) == chart.HEIGHT
    assert geometry['bars'][1]['rects'] == []


class ApiTests(helpers.APITestCase):
    def test_run_page_asks_one_more_and_pages_backwards(self):
        runs = [data.execution('t', exec_id='e%d' % i) for i in range(3)]
        with mock.patch.object(mistral_api, 'execution_list',
                               return_value=runs) as listing:
            page, more = api.runs.run_page(self.request, limit=2,
                                           marker='m', reverse=True)
        self.assertTrue(more)
        self.assertEqual(['e1', 'e0'], [r.id for r in page])
        kwargs = listing.call_args[1]
        self.assertEqual((3, 'asc,asc', 'm', True), (
            kwargs['limit'], kwargs['sort_dirs'], kwargs['marker'],
            kwargs['include_output']))
        self.assertNotIn('description', kwargs)

    def test_get_says_a_missing_run_may_have_been_deleted(self):
        with mock.patch.object(mistral_api, 'execution_get',
                               side_effect=exceptions.NotFound(
                                   'Execution not found [id=ex-1]')):
            with self.assertRaises(exceptions.NotFound) as error:
                api.runs.execution_get(self.request, 'ex-1')
        self.assertEqual('Run ex-1 was not found: it may have been deleted.',
                         str(error.exception))

    def test_history_of_one_schedule_spans_its_trigger_ids(self):
        schedule = data.nightly()
        schedule.id = 'trig-2'
        schedule.previous_ids = ['trig-1']
        since = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
        with mock.patch.object(mistral_api, 'execution_list',
                               return_value=[]) as listing:
            api.runs.run_history(self.request, since)
            self.assertNotIn('description', listing.call_args[1])
            listing.reset_mock()
            api.runs.run_history(self.request, since, schedule=schedule)
        self.assertEqual(
            ['has:trig-1', 'has:trig-2'],
            sorted(c[1]['description'] for c in listing.call_args_list))
        self.assertTrue(all(c[1]['created_at'] == 'gte:2026-11-01 00:00:00'
                            for c in listing.call_args_list))

    def test_cancel_only_running(self):
        with mock.patch.object(mistral_api, 'execution_get',
                               return_value=data.execution('t')), \
                mock.patch.object(mistral_api, 'execution_update') as update:
            with self.assertRaises(exceptions.Conflict):
                api.runs.execution_cancel(self.request, 'ex-1')
            update.assert_not_called()
        with mock.patch.object(mistral_api, 'execution_get',
                               return_value=data.execution(
                                   't', state='RUNNING')), \
                mock.patch.object(mistral_api, 'execution_update') as update:
            api.runs.execution_cancel(self.request, 'ex-1')
        update.assert_called_once_with(self.request, 'ex-1', 'CANCELLED')
