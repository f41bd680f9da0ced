"""Re-own, the overview's list calls and a project's backup quota."""
import json
from unittest import mock

from horizon import exceptions

from backup_dashboard.api import identity
from backup_dashboard.api import mistral
from backup_dashboard.api import overview
from tests import data
from tests import helpers


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
        overview.schedule_reown(self.request, self.project, 'nightly')
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
        overview.schedule_reown(self.request, self.project, 'nightly')
        kwargs = self.m['cron_trigger_create'].call_args[1]
        self.assertEqual([old.id],
                         kwargs['workflow_input']['previous_ids'])

    def test_someone_else_is_refused_and_nothing_changes(self):
        self.m['cron_trigger_get'].return_value = owned_trigger('another')
        with self.assertRaises(exceptions.NotAuthorized):
            overview.schedule_reown(self.request, self.project, 'nightly')
        self.m['cron_trigger_delete'].assert_not_called()

    def test_an_admin_may_and_another_project_may_not(self):
        self.request.user.roles = [{'name': 'admin'}]
        old = owned_trigger('another')
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].return_value = old
        overview.schedule_reown(self.request, self.project, 'nightly')
        self.m['cron_trigger_create'].assert_called_once()
        with self.assertRaises(exceptions.NotAuthorized):
            overview.schedule_reown(self.request, 'other-project', 'nightly')

    def test_a_failed_recreation_puts_the_old_trigger_back(self):
        old = owned_trigger(self.request.user.id)
        self.m['cron_trigger_get'].return_value = old
        self.m['cron_trigger_create'].side_effect = [
            exceptions.BadRequest('trust refused'), old]
        with self.assertRaises(overview.ReownRolledBack) as error:
            overview.schedule_reown(self.request, self.project, 'nightly')
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
            overview.schedule_reown(self.request, self.project, 'nightly')
        self.m['cron_trigger_delete'].assert_not_called()


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
                    workbook_problems=mock.DEFAULT) as others:
            for m in others.values():
                m.return_value = []
            others['servers'].side_effect = RuntimeError('nova down')
            parts, errors = overview.collect(self.request)
        triggers.assert_called_once_with(
            self.request, all_projects=True,
            workflow_name='backup_dashboard_schedule')
        self.assertTrue(runs.call_args[1]['all_projects'])
        self.assertTrue(runs.call_args[1]['include_output'])
        self.assertIsNone(parts['servers'])
        self.assertEqual([], parts['triggers'])
        self.assertEqual(['Instances (Nova) could not be listed: nova down'],
                         errors)

    def test_backup_quota_reads_cinder_usage(self):
        quota = mock.Mock(backups={'in_use': 3, 'limit': 10},
                          backup_gigabytes={'in_use': 7, 'limit': -1})
        with mock.patch.object(overview.cinder, 'cinderclient') as client:
            client.return_value.quotas.get.return_value = quota
            self.assertEqual({'backups': (3, 10), 'gigabytes': (7, -1)},
                             overview.backup_quota(self.request, 'p1'))
        client.return_value.quotas.get.assert_called_once_with(
            'p1', usage=True)
