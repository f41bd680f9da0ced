"""The Trove-style schedule API over Mistral, with Mistral mocked."""
import json
from unittest import mock

from horizon import exceptions
import pytest

from backup_dashboard.api import mistral
from backup_dashboard.api import schedules
from backup_dashboard import schedule as domain
from tests import data
from tests import helpers


class ScheduleApiTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.multiple(
            mistral, cron_trigger_list=mock.DEFAULT,
            cron_trigger_get=mock.DEFAULT, cron_trigger_create=mock.DEFAULT,
            cron_trigger_delete=mock.DEFAULT, execution_list=mock.DEFAULT,
            execution_get=mock.DEFAULT, execution_create=mock.DEFAULT,
            execution_delete=mock.DEFAULT)
        self.m = patcher.start()
        self.addCleanup(patcher.stop)
        self.m['execution_list'].return_value = []

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
        expected = data.nightly().to_trigger()
        # ... plus who saved it: Mistral's API never says whose trust it is.
        expected['workflow_params'] = {'backup_dashboard_owner': {
            'id': self.request.user.id,
            'name': self.request.user.username}}
        self.assertEqual(expected, kwargs)
        self.assertEqual('nightly', created.name)

    def test_create_refuses_duplicates_and_bad_input(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())
        with self.assertRaises(exceptions.Conflict):
            schedules.schedule_create(self.request, data.nightly())
        bad = domain.Schedule(name='x', pattern='* * * * *')
        with self.assertRaises(domain.ScheduleError):
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
        new.pattern = '0 3 * * *'
        with self.assertRaises(schedules.EditRolledBack) as error:
            schedules.schedule_update(self.request, 'nightly', new)
        self.assertIn('put back unchanged', str(error.exception))
        restored = self.m['cron_trigger_create'].call_args_list[1][1]
        self.assertEqual({
            'name': 'nightly', 'workflow_identifier': old.workflow_name,
            'workflow_input': json.loads(old.workflow_input),
            'workflow_params': None, 'pattern': old.pattern}, restored)

    def test_rename_and_running_runs_refuse_the_edit(self):
        self.m['cron_trigger_get'].return_value = data.trigger(data.nightly())
        renamed = data.nightly()
        renamed.name = 'other'
        with self.assertRaises(domain.ScheduleError):
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

    def test_execution_list_filters_server_side(self):
        schedule = data.nightly()
        schedule.id = 'trig-1'
        schedules.execution_list(self.request, schedule, marker='m', limit=5,
                                 state='ERROR')
        self.m['execution_list'].assert_called_once_with(
            self.request, workflow_name=domain.SCHEDULE_WORKFLOW,
            description='has:trig-1', sort_keys='created_at,id',
            sort_dirs='desc,desc', limit=5, marker='m', state='ERROR')

    def test_execution_delete_refuses_running_and_foreign(self):
        self.m['execution_get'].return_value = data.execution(
            't', state='RUNNING')
        with self.assertRaises(exceptions.Conflict):
            schedules.execution_delete(self.request, 'ex-1')
        foreign = data.execution('t')
        foreign.workflow_name = 'std.echo'
        self.m['execution_get'].return_value = foreign
        with self.assertRaises(exceptions.NotFound):
            schedules.execution_delete(self.request, 'ex-1')
        self.m['execution_delete'].assert_not_called()
        self.m['execution_get'].return_value = data.execution('t')
        schedules.execution_delete(self.request, 'ex-1')
        self.m['execution_delete'].assert_called_once_with(self.request,
                                                           'ex-1')


@pytest.mark.parametrize('env, params', [(None, {}), ('smtp', {'env': 'smtp'})])
def test_env_is_passed_only_when_configured(settings, env, params):
    settings.BACKUP_DASHBOARD_MISTRAL_ENV = env
    request = mock.Mock()
    request.user.tenant_id = data.PROJECT
    with mock.patch.object(mistral, 'cron_trigger_get',
                           return_value=data.trigger(data.nightly())), \
            mock.patch.object(mistral, 'execution_create') as create:
        schedules.schedule_run_now(request, 'nightly')
    assert create.call_args[1] == params
