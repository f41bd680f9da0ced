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

"""The runs of a schedule over Mistral (api/runs.py), with Mistral mocked."""
import datetime
import json

from horizon import exceptions
from mistralclient.api.v2 import executions as mistral_executions

from backup_dashboard.api import runs as runs_api
from backup_dashboard import executions
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers


class RunApiTests(helpers.MistralAPITestCase):
    def test_runs_of_an_edited_schedule_span_its_trigger_ids(self):
        # Runs before the edit carry the old trigger id, later ones the new.
        schedule = data.nightly()
        schedule.id = 'trig-2'
        schedule.previous_ids = ['trig-1']
        runs = [data.execution('trig-2', exec_id='n%d' % i,
                               created_at='2026-11-22 0%d:00:00' % i)
                for i in range(3)] + [
            data.execution('trig-1', exec_id='o%d' % i,
                           created_at='2026-11-21 0%d:00:00' % i)
            for i in range(3)] + [
            data.execution('trig-other', exec_id='x',
                           created_at='2026-11-22 09:00:00')]
        self._runs_by_trigger(runs)
        page = runs_api.execution_list(self.request, schedule, limit=4)
        self.assertEqual(['n2', 'n1', 'n0', 'o2'], [r.id for r in page])
        calls = self.m['execution_list'].call_args_list
        self.assertEqual(['has:trig-2', 'has:trig-1'],
                         sorted((c[1]['description'] for c in calls),
                                reverse=True))
        # Each call asks for a whole page after the same marker.
        self.assertTrue(all(c[1]['limit'] == 4 for c in calls))

    def test_run_page_over_several_trigger_ids_pages_both_ways(self):
        schedule = data.nightly()
        schedule.id = 'trig-2'
        schedule.previous_ids = ['trig-1']
        runs = [data.execution('trig-2', exec_id='n',
                               created_at='2026-11-22 01:00:00'),
                data.execution('trig-1', exec_id='o1',
                               created_at='2026-11-21 02:00:00'),
                data.execution('trig-1', exec_id='o0',
                               created_at='2026-11-21 01:00:00')]
        self._runs_by_trigger(runs)
        page, more = runs_api.run_page(self.request, schedule=schedule,
                                       limit=2)
        self.assertEqual((['n', 'o1'], True), ([r.id for r in page], more))
        # Backwards (Mistral answers oldest first): still shown newest first.
        self._runs_by_trigger(list(reversed(runs)))
        page, more = runs_api.run_page(self.request, schedule=schedule,
                                       limit=2, marker='x', reverse=True)
        self.assertEqual((['o1', 'o0'], True), ([r.id for r in page], more))
        for call in self.m['execution_list'].call_args_list[-2:]:
            self.assertEqual(('x', 'asc,asc', 3), (
                call[1]['marker'], call[1]['sort_dirs'], call[1]['limit']))

    def test_one_trigger_id_is_one_call(self):
        schedule = data.nightly()
        schedule.id = 'trig-1'
        runs_api.run_page(self.request, schedule=schedule, state='ERROR')
        self.m['execution_list'].assert_called_once()
        kwargs = self.m['execution_list'].call_args[1]
        self.assertEqual(('has:trig-1', 'ERROR', 21, True), (
            kwargs['description'], kwargs['state'], kwargs['limit'],
            kwargs['include_output']))

    def test_run_history_fetches_only_what_a_summary_reads(self):
        # Mistral answers a list with `fields` with those and the id alone.
        self.m['execution_list'].return_value = [
            mistral_executions.Execution(None, {
                'id': 'ex-1', 'created_at': '2026-11-21 01:00:00',
                'state': 'ERROR', 'output': json.dumps({
                    'schedule': 'nightly', 'status': 'partial',
                    'counts': {'ok': 3, 'failed': 1}, 'volumes': []})})]
        schedule = data.nightly()
        schedule.id = 'trig-1'
        since = datetime.datetime(2026, 11, 1)
        runs = runs_api.run_history(self.request, since, schedule=schedule)
        kwargs = self.m['execution_list'].call_args[1]
        self.assertEqual((['created_at', 'output', 'state'], 'has:trig-1',
                          'gte:2026-11-01 00:00:00'), (
            sorted(kwargs['fields']), kwargs['description'],
            kwargs['created_at']))
        summary = executions.Summary(runs[0])
        self.assertEqual(('partial', 3, 1, 'nightly', True), (
            summary.outcome, summary.counts['ok'], summary.counts['failed'],
            summary.schedule, summary.known))

    def test_execution_list_filters_server_side(self):
        schedule = data.nightly()
        schedule.id = 'trig-1'
        runs_api.execution_list(self.request, schedule, marker='m', limit=5,
                                state='ERROR')
        self.m['execution_list'].assert_called_once_with(
            self.request, workflow_name=domain.SCHEDULE_WORKFLOW,
            description='has:trig-1', sort_keys='created_at,id',
            sort_dirs='desc,desc', limit=5, marker='m', state='ERROR')

    def test_execution_delete_refuses_running_and_foreign(self):
        self.m['execution_get'].return_value = data.execution(
            't', state='RUNNING')
        with self.assertRaises(exceptions.Conflict):
            runs_api.execution_delete(self.request, 'ex-1')
        foreign = data.execution('t')
        foreign.workflow_name = 'std.echo'
        self.m['execution_get'].return_value = foreign
        with self.assertRaises(exceptions.NotFound):
            runs_api.execution_delete(self.request, 'ex-1')
        self.m['execution_delete'].assert_not_called()
        self.m['execution_get'].return_value = data.execution('t')
        runs_api.execution_delete(self.request, 'ex-1')
        self.m['execution_delete'].assert_called_once_with(self.request,
                                                           'ex-1')
