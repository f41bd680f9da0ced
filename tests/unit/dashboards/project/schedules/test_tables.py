"""Schedule health in the Backup Schedules table and detail, and Re-own."""
import datetime
import json
from unittest import mock

from django.urls import reverse
from keystoneclient.v3 import role_assignments

from backup_dashboard import api
from backup_dashboard.api import identity
from backup_dashboard.api import overview as overview_api
from tests import data
from tests import helpers

INDEX = reverse('horizon:project:backup_schedules:index')
UTC = datetime.timezone.utc


def hours_ago(hours):
    return (datetime.datetime.now(UTC) - datetime.timedelta(hours=hours)
            ).strftime('%Y-%m-%d %H:%M:%S')


class HealthColumnTests(helpers.TestCase):
    def _triggers(self):
        # The index pages through Mistral's trigger list itself.
        return [data.trigger(s, created_at=hours_ago(24 * 30),
                             next_execution_time=None)
                for s in self.schedules.list()]

    def _index(self, runs):
        with mock.patch.object(api.mistral, 'cron_trigger_list',
                               return_value=self._triggers()), \
                mock.patch.object(api.compute, 'servers_with_any_tag',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'workflow_problems',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'execution_list',
                                  return_value=runs) as listed:
            res = self.client.get(INDEX)
        self.assertEqual(1, listed.call_count)   # whatever the schedules
        return res, {s.name: s for s in res.context['table'].data}

    def test_missed_fires_show_in_the_table_with_reown_offered(self):
        # Daily '0 1 * * *' ran only long ago: the last fires were missed.
        res, rows = self._index([data.execution(
            'trig-nightly', created_at=hours_ago(24 * 6))])
        self.assertEqual('missed', rows['nightly'].health.code)
        self.assertContains(res, 'data-health="missed"')
        self.assertContains(res, 'schedules__reown__nightly')

    def test_a_schedule_firing_on_time_is_healthy_and_not_reowned(self):
        runs = [data.execution('trig-weekly-db', exec_id='w%d' % i,
                               created_at=t)
                for i, t in enumerate(_fires('30 3 * * 0', 3))]
        res, rows = self._index(runs)
        self.assertEqual('ok', rows['weekly db'].health.code)
        self.assertNotContains(res, 'schedules__reown__weekly db')

    def test_unknown_runs_are_not_called_missed(self):
        with mock.patch.object(api.mistral, 'cron_trigger_list',
                               return_value=self.triggers.list()), \
                mock.patch.object(api.compute, 'servers_with_any_tag',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'workflow_problems',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'execution_list',
                                  side_effect=api.mistral.ServiceUnavailable(
                                      'down')):
            res = self.client.get(INDEX)
        for row in res.context['table'].data:
            self.assertNotIn('missed', row.health.codes)

    def test_reown_calls_the_api_for_the_users_project(self):
        with mock.patch.object(overview_api, 'schedule_reown') as reown, \
                mock.patch.object(api.mistral, 'cron_trigger_list',
                                  return_value=self._triggers()), \
                mock.patch.object(api.compute, 'servers_with_any_tag',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'workflow_problems',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'execution_list',
                                  return_value=[]):
            self.client.post(INDEX, {'action': 'schedules__reown__nightly'})
        reown.assert_called_once_with(helpers.IsHttpRequest(),
                                      self.tenant.id, 'nightly')


def _fires(pattern, count):
    from backup_dashboard import health
    now = datetime.datetime.now(UTC)
    fires = health.expected_fires(pattern, now - datetime.timedelta(days=30),
                                  now)[-count:]
    return [(f + datetime.timedelta(seconds=2)).strftime('%Y-%m-%d %H:%M:%S')
            for f in fires]


class DetailHealthTests(helpers.TestCase):
    def test_detail_says_broken_when_the_owner_left_the_project(self):
        schedule = data.nightly()
        schedule.id, schedule.created_at = 'trig-nightly', hours_ago(24 * 30)
        schedule.project_id = self.tenant.id
        trigger = data.trigger(schedule, workflow_params=json.dumps({
            identity.OWNER_KEY: {'id': 'u-gone', 'name': 'bob'}}))
        runs = [data.execution('trig-nightly', exec_id='r%d' % i,
                               created_at=t)
                for i, t in enumerate(_fires(schedule.pattern, 3))]
        others = [role_assignments.RoleAssignment(None, {
            'user': {'id': 'u-other'}, 'role': {'name': 'member'},
            'scope': {'project': {'id': self.tenant.id}}})]
        with mock.patch.object(api.schedules, 'schedule_show',
                               return_value=schedule), \
                mock.patch.object(api.compute, 'servers_with_any_tag',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'cron_trigger_get',
                                  return_value=trigger), \
                mock.patch.object(api.schedules, 'run_page',
                                  return_value=(runs, False)), \
                mock.patch.object(api.mistral, 'workflow_problems',
                                  return_value=[]), \
                mock.patch.object(overview_api.keystone,
                                  'role_assignments_list',
                                  return_value=others) as listed:
            res = self.client.get(reverse(
                'horizon:project:backup_schedules:detail', args=['nightly']))
        listed.assert_called_once_with(
            helpers.IsHttpRequest(), project=self.tenant.id, effective=True,
            include_names=True)
        self.assertContains(res, 'data-health="broken"')
        self.assertContains(res, 'bob, whose trust the schedule runs with, '
                                 'is no longer a member')
        self.assertContains(res, 'What to do:')
        self.assertNotContains(res, 'could not be checked in Keystone')
