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

"""The Trove-style schedule API over Mistral, with Mistral mocked."""
import json
from unittest import mock

from horizon import exceptions
import pytest

from backup_dashboard.api import identity
from backup_dashboard.api import mistral
from backup_dashboard.api import runs as runs_api
from backup_dashboard.api import schedules
from backup_dashboard import drills
from backup_dashboard import errors
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers


class ScheduleApiTests(helpers.MistralAPITestCase):
    def test_list_keeps_only_schedules_sorted(self):
        self.m['cron_trigger_list'].return_value = [
            data.trigger(domain.Schedule(name='zeta', pattern='0 1 * * *')),
            data.foreign_trigger(),
            data.trigger(domain.Schedule(name='Alpha', pattern='0 1 * * *')),
        ]
        names = [s.name for s in schedules.schedule_list(self.request)]
        self.assertEqual(['Alpha', 'zeta'], names)
        self.m['cron_trigger_list'].assert_called_once_with(
            self.request, workflow_name=domain.SCHEDULE_WORKFLOW)

    def test_show_refuses_foreign_workflows_and_projects(self):
        self.m['cron_trigger_get'].return_value = data.foreign_trigger()
        with self.assertRaises(exceptions.NotFound):
            schedules.schedule_show(self.request, 'other-cron')
        self.m['cron_trigger_get'].return_value = data.trigger(
            data.nightly(), project_id='another-project')
        with self.assertRaises(exceptions.NotFound):
            schedules.schedule_show(self.request, 'nightly')

    def test_create_sends_exactly_the_trigger(self):
        self.m['cron_trigger_get'].side_effect = exceptions.NotFound('no')
        self.m['cron_trigger_create'].return_value = data.trigger(
            data.nightly())
        created = schedules.schedule_create(self.request, data.nightly())
        kwargs = self.m['cron_trigger_create'].call_args[1]
        # anchored: a Paris schedule fires at both UTC times, plan in params
        # (worked out again on the day it is saved)
        expected = domain.validate_timing(data.nightly()).to_trigger()
        self.assertEqual('0 0,1 * * *', expected['pattern'])
        # ... plus who saved it: Mistral's API never says whose trust it is.
        expected['workflow_params']['backup_dashboard_owner'] = {
            'id': self.request.user.id,
            'name': self.request.user.username}
        self.assertEqual(expected, kwargs)
        self.assertEqual('nightly', created.name)

    def test_create_refuses_duplicates_and_bad_input(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())
        with self.assertRaises(exceptions.Conflict):
            schedules.schedule_create(self.request, data.nightly())
        bad = domain.Schedule(name='x', pattern='* * * * *')
        with self.assertRaises(errors.InputError):
            schedules.schedule_create(self.request, bad)
        self.m['cron_trigger_create'].assert_not_called()

    def test_update_is_delete_then_create(self):
        old = data.trigger(data.nightly())
        self.m['cron_trigger_get'].return_value = old
        new = data.nightly()
        new.max_full = 5
        self.m['cron_trigger_create'].return_value = data.trigger(new)
        saved = schedules.schedule_update(self.request, 'nightly', new)
        self.assertEqual(5, saved.max_full)
        self.m['cron_trigger_delete'].assert_called_once_with(
            self.request, 'nightly')
        self.assertEqual(5, self.m['cron_trigger_create'].call_args[1][
            'workflow_input']['max_full'])

    def test_failed_edit_puts_the_old_schedule_back(self):
        old = data.trigger(data.nightly())
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].side_effect = [
            exceptions.BadRequest('The specified pattern is not valid'),
            old]
        new = data.nightly()
        new.local_pattern = '0 3 * * *'
        with self.assertRaises(schedules.EditRolledBack) as error:
            schedules.schedule_update(self.request, 'nightly', new)
        self.assertIn('put back unchanged', str(error.exception))
        restored = self.m['cron_trigger_create'].call_args_list[1][1]
        # Put back as it was, plus its old id: the runs made under that id
        # stay among the schedule's runs although the trigger's id changes.
        self.assertEqual({
            'name': 'nightly', 'workflow_identifier': old.workflow_name,
            'workflow_input': dict(json.loads(old.workflow_input),
                                   previous_ids=['trig-nightly']),
            'workflow_params': json.loads(old.workflow_params),
            'pattern': old.pattern}, restored)

    def test_failed_edit_restores_exactly_on_an_older_workflow(self):
        # A deployed workflow without the previous_ids input refuses it:
        # the schedule is put back exactly as it was rather than lost.
        old = data.trigger(data.nightly())
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].side_effect = [
            exceptions.BadRequest('Invalid input'),
            exceptions.BadRequest('Invalid input [unexpected_inputs='
                                  '[previous_ids]]'), old]
        with self.assertRaises(schedules.EditRolledBack):
            schedules.schedule_update(self.request, 'nightly',
                                      data.nightly())
        last = self.m['cron_trigger_create'].call_args_list[2][1]
        self.assertEqual(json.loads(old.workflow_input),
                         last['workflow_input'])

    def test_edit_keeps_the_earlier_trigger_ids_that_have_runs(self):
        before = data.nightly()
        before.previous_ids = ['trig-0', 'trig-gone']
        self.m['cron_trigger_get'].return_value = data.trigger(before)
        self._runs_by_trigger([data.execution('trig-nightly', exec_id='a'),
                               data.execution('trig-0', exec_id='b')])
        self.m['cron_trigger_create'].return_value = data.trigger(
            data.nightly(), trigger_id='trig-new')
        edited = data.nightly()
        edited.max_full = 3
        schedules.schedule_update(self.request, 'nightly', edited)
        sent = self.m['cron_trigger_create'].call_args[1]['workflow_input']
        # Newest first; an id whose runs are all deleted is dropped.
        self.assertEqual(['trig-nightly', 'trig-0'], sent['previous_ids'])
        self.assertEqual(3, sent['max_full'])

    def test_edit_keeps_at_most_max_previous_ids(self):
        before = data.nightly()
        before.previous_ids = ['old-%d' % i for i in range(15)]
        self.m['cron_trigger_get'].return_value = data.trigger(before)
        self._runs_by_trigger([data.execution(i, exec_id=i)
                               for i in before.trigger_ids])
        self.m['cron_trigger_create'].return_value = data.trigger(
            data.nightly(), trigger_id='trig-new')
        schedules.schedule_update(self.request, 'nightly', data.nightly())
        sent = self.m['cron_trigger_create'].call_args[1]['workflow_input']
        self.assertEqual(before.trigger_ids[:runs_api.MAX_PREVIOUS_IDS],
                         sent['previous_ids'])

    def test_rename_and_running_runs_refuse_the_edit(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())
        renamed = data.nightly()
        renamed.name = 'other'
        with self.assertRaises(errors.InputError):
            schedules.schedule_update(self.request, 'nightly', renamed)
        self.m['execution_list'].return_value = [
            data.execution('trig-nightly', state='RUNNING')]
        with self.assertRaises(schedules.ScheduleBusy):
            schedules.schedule_update(self.request, 'nightly',
                                      data.nightly())
        with self.assertRaises(schedules.ScheduleBusy):
            schedules.schedule_delete(self.request, 'nightly')
        self.m['cron_trigger_delete'].assert_not_called()

    def test_delete(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())
        schedules.schedule_delete(self.request, 'nightly')
        self.m['cron_trigger_delete'].assert_called_once_with(
            self.request, 'nightly')

    def test_run_now_carries_the_trigger_id_and_a_manual_marker(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())
        schedules.schedule_run_now(self.request, 'nightly')
        args, kwargs = self.m['execution_create'].call_args
        _, workflow, workflow_input, description = args
        self.assertEqual(domain.SCHEDULE_WORKFLOW, workflow)
        self.assertEqual(data.nightly().workflow_input(), workflow_input)
        self.assertEqual({'type': 'backup_dashboard', 'id': 'trig-nightly',
                          'user': self.request.user.id},
                         description['triggered_by'])
        self.assertEqual({}, kwargs)

    def test_run_now_is_refused_while_a_run_is_in_progress(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())
        self.m['execution_list'].return_value = [
            data.execution('trig-nightly', exec_id='done'),
            data.execution('trig-nightly', exec_id='going', state='RUNNING',
                           created_at='2026-11-21 01:00:03')]
        with self.assertRaises(schedules.ScheduleBusy) as refused:
            schedules.schedule_run_now(self.request, 'nightly')
        self.assertIn('already in progress (started 2026-11-21 01:00 UTC)',
                      str(refused.exception))
        self.assertIn('no new run was started', str(refused.exception))
        self.m['execution_create'].assert_not_called()
        # Asked among the runs of every trigger id the schedule has had.
        self.assertEqual('has:trig-nightly',
                         self.m['execution_list'].call_args[1]['description'])
        # Once it has finished, Run now starts one.
        self.m['execution_list'].return_value = [
            data.execution('trig-nightly', exec_id='done')]
        schedules.schedule_run_now(self.request, 'nightly')
        self.m['execution_create'].assert_called_once()

    def test_run_now_is_refused_while_a_drill_is_in_progress(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())

        def listed(request, **filters):
            if filters['workflow_name'] == drills.DRILL_WORKFLOW:
                return [data.drill('trig-nightly', state='RUNNING')]
            return []
        self.m['execution_list'].side_effect = listed
        with self.assertRaises(schedules.ScheduleBusy) as refused:
            schedules.schedule_run_now(self.request, 'nightly')
        self.assertIn('restore drill of schedule "nightly" is in progress '
                      '(started 2026-11-22 09:00 UTC)', str(refused.exception))
        self.m['execution_create'].assert_not_called()
        # Once it only keeps its restored volumes, it restores nothing more.
        self.m['task_list'].return_value = [mock.Mock(id='release-1')]
        schedules.schedule_run_now(self.request, 'nightly')
        self.m['execution_create'].assert_called_once()

    def test_show_and_list_read_the_time_zone_plan_back(self):
        stored = data.trigger(data.nightly())
        self.m['cron_trigger_get'].return_value = stored
        self.m['cron_trigger_list'].return_value = [stored]
        plan = data.nightly().plan
        self.assertEqual(plan, schedules.schedule_show(self.request,
                                                       'nightly').plan)
        self.assertEqual(plan, schedules.schedule_list(self.request)[0].plan)
        self.assertEqual('Europe/Paris', plan['zone'])


@pytest.mark.parametrize('env, params', [(None, {}), ('smtp', {
    'env': 'smtp'
})])
def test_env_is_passed_only_when_configured(settings, env, params):
    settings.BACKUP_DASHBOARD_MISTRAL_ENV = env
    request = mock.Mock()
    request.user.tenant_id = data.PROJECT
    with mock.patch.object(mistral, 'cron_trigger_get',
                           return_value=data.trigger(data.nightly())), \
            mock.patch.object(mistral, 'execution_list', return_value=[]), \
            mock.patch.object(mistral, 'execution_create') as create:
        schedules.schedule_run_now(request, 'nightly')
    assert create.call_args[1] == params


def owned_trigger(owner_id, name='owner'):
    return data.trigger(data.nightly(), workflow_params=json.dumps({
        'env': 'smtp', identity.OWNER_KEY: {'id': owner_id, 'name': name}}))


class ReownTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.multiple(
            mistral, cron_trigger_get=mock.DEFAULT,
            cron_trigger_create=mock.DEFAULT,
            cron_trigger_delete=mock.DEFAULT, execution_list=mock.DEFAULT)
        self.m = patcher.start()
        self.addCleanup(patcher.stop)
        self.m['execution_list'].return_value = []
        self.project = self.request.user.tenant_id

    def test_the_owner_recreates_it_with_name_input_and_env_kept(self):
        old = owned_trigger(self.request.user.id)
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].return_value = old
        schedules.schedule_reown(self.request, self.project, 'nightly')
        self.m['cron_trigger_delete'].assert_called_once_with(
            self.request, 'nightly')
        kwargs = self.m['cron_trigger_create'].call_args[1]
        self.assertEqual('nightly', kwargs['name'])
        self.assertEqual(old.pattern, kwargs['pattern'])
        self.assertEqual(json.loads(old.workflow_input),
                         kwargs['workflow_input'])
        self.assertEqual('smtp', kwargs['workflow_params']['env'])
        self.assertEqual(self.request.user.id, kwargs['workflow_params'][
            identity.OWNER_KEY]['id'])

    def test_the_old_trigger_id_stays_among_the_schedules_ids(self):
        old = owned_trigger(self.request.user.id)
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].return_value = old
        self.m['execution_list'].return_value = [
            data.execution(old.id, state='SUCCESS')]
        schedules.schedule_reown(self.request, self.project, 'nightly')
        kwargs = self.m['cron_trigger_create'].call_args[1]
        self.assertEqual([old.id],
                         kwargs['workflow_input']['previous_ids'])

    def test_someone_else_is_refused_and_nothing_changes(self):
        self.m['cron_trigger_get'].return_value = owned_trigger('another')
        with self.assertRaises(exceptions.NotAuthorized):
            schedules.schedule_reown(self.request, self.project, 'nightly')
        self.m['cron_trigger_delete'].assert_not_called()

    def test_an_admin_may_and_another_project_may_not(self):
        self.request.user.roles = [{'name': 'admin'}]
        old = owned_trigger('another')
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].return_value = old
        schedules.schedule_reown(self.request, self.project, 'nightly')
        self.m['cron_trigger_create'].assert_called_once()
        with self.assertRaises(exceptions.NotAuthorized):
            schedules.schedule_reown(self.request, 'other-project', 'nightly')

    def test_a_failed_recreation_puts_the_old_trigger_back(self):
        old = owned_trigger(self.request.user.id)
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].side_effect = [
            exceptions.BadRequest('trust refused'), old]
        with self.assertRaises(schedules.ReownRolledBack) as error:
            schedules.schedule_reown(self.request, self.project, 'nightly')
        self.assertIn('put back unchanged', str(error.exception))
        restored = self.m['cron_trigger_create'].call_args_list[1][1]
        self.assertEqual('nightly', restored['name'])
        self.assertEqual('owner', restored['workflow_params'][
            identity.OWNER_KEY]['name'])

    def test_refused_while_a_run_is_in_progress(self):
        self.m['cron_trigger_get'].return_value = owned_trigger(
            self.request.user.id)
        self.m['execution_list'].return_value = [
            data.execution('trig-nightly', state='RUNNING')]
        with self.assertRaises(exceptions.Conflict):
            schedules.schedule_reown(self.request, self.project, 'nightly')
        self.m['cron_trigger_delete'].assert_not_called()
