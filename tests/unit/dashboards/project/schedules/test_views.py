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

"""Backup Schedules panel views, with the api layer mocked."""
import json
from unittest import mock

from django.test.utils import override_settings
from django.urls import reverse
from horizon import exceptions

from backup_dashboard import api
from backup_dashboard.api import mistral as mistral_api
from backup_dashboard.api import schedules as schedules_api
from backup_dashboard.clock import plans
from backup_dashboard import health
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers

INDEX = reverse('horizon:project:backup_schedules:index')
CREATE = reverse('horizon:project:backup_schedules:create')
PREVIEW = reverse('horizon:project:backup_schedules:preview')


def berlin_trigger(anchored=True):
    """'nightly', daily at 02:30 Europe/Berlin, as Mistral stores it.

    'nightly', daily at 02:30 Europe/Berlin, as Mistral stores it when saved
    now (union pattern and DST plan) or before DST support.
    """
    if not anchored:
        return data.trigger(domain.Schedule(
            name='nightly', pattern='30 1 * * *', timezone='Europe/Berlin',
            local_pattern='30 2 * * *'))
    return data.trigger(data.zoned('nightly', '30 2 * * *', 'Europe/Berlin'))


def update_url(name):
    return reverse('horizon:project:backup_schedules:update', args=[name])


def detail_url(name):
    return reverse('horizon:project:backup_schedules:detail', args=[name])


FORM = {
    'name': 'nightly', 'description': 'Nightly', 'kind': 'daily',
    'timezone': 'UTC',
    'minute': '0', 'hour': '2', 'weekday': '1', 'day': '1', 'cron': '',
    'mode': 'rotation', 'max_full': '2', 'max_incremental': '6',
    'keep_days': '', 'in_use': 'snapshot', 'report_to': 'ops@example.com',
}
LIMITS = {'max_backups': 100, 'used_backups': 0, 'max_gigabytes': 1000,
          'used_gigabytes': 0}


class NoBackups(helpers.TestCase):
    """The project's backups, which the index and the detail read.

    The project's backups, which the index and the detail read for what Delete
    says: none unless a test sets ``mock_project_backups``.
    """

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(api.storage, 'project_backups',
                                    return_value=[])
        self.mock_project_backups = patcher.start()
        self.addCleanup(patcher.stop)


class IndexTests(NoBackups):
    @helpers.create_mocks({api.compute: ['servers_with_any_tag'],
                           api.mistral: ['cron_trigger_list',
                                         'execution_list',
                                         'workflow_problems']})
    def test_index_lists_schedules_with_counts_and_last_run(self):
        self.mock_workflow_problems.return_value = []
        schedules = self.triggers.list()
        self.mock_cron_trigger_list.return_value = schedules
        self.mock_servers_with_any_tag.return_value = [
            data.server('s1', 'web', tags=['backup:nightly', 'other']),
            data.server('s2', 'db', tags=['backup:nightly']),
        ]
        self.mock_execution_list.return_value = [
            data.execution(schedules[0].id, state='ERROR', exec_id='new'),
            data.execution(schedules[0].id, state='SUCCESS', exec_id='old'),
        ]
        res = self.client.get(INDEX)
        self.assertTemplateUsed(res, 'backup_dashboard/schedules/index.html')
        rows = {s.name: s for s in res.context['table'].data}
        self.assertEqual(2, rows['nightly'].instance_count)
        self.assertEqual(0, rows['weekly db'].instance_count)
        self.assertEqual('ERROR', rows['nightly'].last_run.state)
        self.assertIsNone(rows['weekly db'].last_run)
        self.assertContains(res, 'Daily at 02:00 (Europe/Paris)')
        # The user's own pattern, not the UTC one Mistral holds.
        self.assertContains(res, '0 2 * * *')
        self.assertNotContains(res, '0 0,1 * * *')
        self.assertContains(res, 'No run yet')
        self.mock_servers_with_any_tag.assert_called_once_with(
            helpers.IsHttpRequest(), ['backup:nightly', 'backup:weekly db'])
        self.mock_execution_list.assert_called_once()
        # mistralclient joins `fields` itself: a string would be split.
        fields = self.mock_execution_list.call_args[1]['fields']
        self.assertIn('description', fields)
        self.assertIsInstance(fields, list)
        # One page, sorted and filtered by Mistral.
        self.mock_cron_trigger_list.assert_called_once_with(
            helpers.IsHttpRequest(), workflow_name=domain.SCHEDULE_WORKFLOW,
            sort_keys='name', sort_dirs='asc', limit=21)

    @helpers.create_mocks({api.compute: ['servers_with_any_tag'],
                           api.mistral: ['cron_trigger_list',
                                         'execution_list',
                                         'workflow_problems']})
    def test_index_pages_by_name_in_mistral(self):
        self.mock_workflow_problems.return_value = []
        self.mock_servers_with_any_tag.return_value = []
        self.mock_execution_list.return_value = []
        triggers = [data.trigger(domain.Schedule(
            name='s%02d' % i, pattern='0 1 * * *')) for i in range(21)]
        self.mock_cron_trigger_list.return_value = triggers
        res = self.client.get(INDEX)
        table = res.context['table']
        self.assertEqual(20, len(table.data))
        self.assertTrue(table.has_more_data())
        self.assertFalse(table.has_prev_data())
        self.assertContains(res, 'marker=s19')
        # The next page: after the last name shown, asked of Mistral.
        self.mock_cron_trigger_list.return_value = triggers[20:]
        res = self.client.get(INDEX + '?marker=s19')
        self.assertEqual(['s20'],
                         [s.name for s in res.context['table'].data])
        self.assertTrue(res.context['table'].has_prev_data())
        self.assertFalse(res.context['table'].has_more_data())
        self.assertEqual('gt:s19',
                         self.mock_cron_trigger_list.call_args[1]['name'])
        # Back: the page before the first name shown, in name order.
        self.mock_cron_trigger_list.return_value = triggers[19::-1]
        res = self.client.get(INDEX + '?prev_marker=s20')
        self.assertEqual(['s%02d' % i for i in range(20)],
                         [s.name for s in res.context['table'].data])
        kwargs = self.mock_cron_trigger_list.call_args[1]
        self.assertEqual(('lt:s20', 'desc'),
                         (kwargs['name'], kwargs['sort_dirs']))

    @helpers.create_mocks({api.mistral: ['cron_trigger_list']})
    def test_mistral_unreachable_is_a_message_not_a_500(self):
        self.mock_cron_trigger_list.side_effect = \
            mistral_api.ServiceUnavailable(mistral_api.UNREACHABLE)
        res = self.client.get(INDEX)
        self.assertEqual(200, res.status_code)
        self.assertEqual([], list(res.context['table'].data))
        self.assertMessageCount(res, error=1)

    @helpers.create_mocks({api.compute: ['servers_with_any_tag'],
                           api.mistral: ['cron_trigger_list',
                                         'execution_list',
                                         'workflow_problems']})
    def test_nova_failure_still_lists_schedules(self):
        self.mock_workflow_problems.return_value = []
        self.mock_cron_trigger_list.return_value = self.triggers.list()
        self.mock_servers_with_any_tag.side_effect = self.exceptions.nova
        self.mock_execution_list.return_value = []
        res = self.client.get(INDEX)
        self.assertEqual(2, len(res.context['table'].data))
        self.assertEqual('?', res.context['table'].data[0].instance_count)

    @helpers.create_mocks({api.compute: ['servers_with_any_tag'],
                           api.mistral: ['cron_trigger_list',
                                         'execution_list',
                                         'workflow_problems']})
    def test_missing_workflows_are_said_plainly(self):
        self.mock_cron_trigger_list.return_value = []
        self.mock_servers_with_any_tag.return_value = []
        self.mock_execution_list.return_value = []
        self.mock_workflow_problems.return_value = [
            {'name': 'backup_dashboard_schedule', 'state': 'missing'},
            {'name': 'backup_dashboard_restore', 'state': 'outdated'}]
        res = self.client.get(INDEX)
        self.assertContains(res, 'The workflow backup_dashboard_schedule is '
                                 'missing.')
        self.assertContains(res, 'backup_dashboard_restore is outdated')
        self.assertContains(res, 'backup-dashboard-sync-workbooks')

    @mock.patch.object(mistral_api, 'mistralclient')
    def test_schedule_names_are_escaped(self, client):
        evil = domain.Schedule(name='x', pattern='0 1 * * *',
                               description='<script>alert(1)</script>')
        # A trigger created outside the plugin may carry any name.
        trigger = data.trigger(evil, name='<img src=x onerror=alert(1)>')
        client.return_value.cron_triggers.list.return_value = [trigger]
        client.return_value.executions.list.return_value = []
        client.return_value.workflows.list.return_value = []
        with mock.patch.object(api.compute, 'servers_with_any_tag',
                               return_value=[]):
            res = self.client.get(INDEX)
        self.assertNotContains(res, '<img src=x')
        self.assertContains(res, '&lt;img src=x onerror=alert(1)&gt;')


class PanelAccessTests(helpers.TestCase):
    with_mistral = False

    def test_panel_needs_mistral_in_the_catalog(self):
        res = self.client.get(INDEX)
        self.assertNotEqual(200, res.status_code)


class CreateTests(helpers.TestCase):
    def _forecast_mocks(self, servers=(), volumes=(), limits=None):
        self.mock_servers_with_any_tag.return_value = list(servers)
        self.mock_volume_list.return_value = list(volumes)
        self.mock_backup_limits.return_value = limits or dict(LIMITS)

    def test_get_renders_the_form_with_the_preview(self):
        res = self.client.get(CREATE)
        self.assertTemplateUsed(res, 'backup_dashboard/schedules/form.html')
        self.assertContains(res, 'data-preview-url="%s"' % PREVIEW)
        # The zone is a field of the schedule, the viewer's chosen at first.
        self.assertContains(res, '<option value="UTC" selected>UTC</option>',
                            html=True)
        # the admins' templates, none of them chosen
        self.assertContains(res, '<option value="" selected>None: my own '
                                 'values</option>', html=True)

    def test_modal_renders_when_opened_as_a_popup(self):
        res = self.client.get(CREATE, HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertTemplateUsed(res, 'backup_dashboard/schedules/_form.html')
        self.assertContains(res, 'data-preview-url')

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_create_stores_the_preset_in_its_zone(self):
        self._forecast_mocks()
        self.mock_schedule_create.side_effect = lambda req, s: s
        res = self.client.post(CREATE, dict(FORM, timezone='Europe/Paris'))
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX)
        saved = self.mock_schedule_create.call_args[0][1]
        self.assertEqual('0 0,1 * * *', saved.pattern)
        self.assertEqual('0 2 * * *', saved.local_pattern)
        self.assertEqual('Europe/Paris', saved.timezone)
        self.assertEqual(['ops@example.com'], saved.report_to)

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_per_instance_points_are_stored_and_unknown_ones_refused(self):
        self._forecast_mocks()
        self.mock_schedule_create.side_effect = lambda req, s: s
        res = self.client.post(CREATE, dict(FORM, points='instance'))
        self.assertNoFormErrors(res)
        saved = self.mock_schedule_create.call_args[0][1]
        self.assertEqual('instance', saved.points)
        res = self.client.post(CREATE, dict(FORM, points='group'))
        self.assertFormErrors(res, 1)
        self.assertEqual(1, self.mock_schedule_create.call_count)

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_a_raw_cron_pattern_is_read_in_the_chosen_zone(self):
        self._forecast_mocks()
        self.mock_schedule_create.side_effect = lambda req, s: s
        res = self.client.post(CREATE, dict(
            FORM, kind='cron', cron='15 3 * * 1-5',
            timezone='America/St_Johns'))
        self.assertNoFormErrors(res)
        saved = self.mock_schedule_create.call_args[0][1]
        self.assertEqual('15 3 * * 1-5', saved.local_pattern)
        self.assertEqual('America/St_Johns', saved.timezone)
        # 03:15 there is 05:45 or 06:45 UTC, on the same weekdays.
        self.assertEqual('45 5,6 * * 1-5', saved.pattern)
        self.assertEqual('America/St_Johns', saved.plan['zone'])

    def _post_invalid(self, **changes):
        with mock.patch.object(api.schedules, 'schedule_create') as create:
            res = self.client.post(CREATE, dict(FORM, **changes))
        create.assert_not_called()
        self.assertEqual(200, res.status_code)
        return res

    def test_bad_input_is_a_form_error_and_stores_nothing(self):
        cases = [
            ({'name': 'a/b'}, '&quot;/&quot; or &quot;,&quot;'),
            ({'name': 'x' * 54}, 'at most 53'),
            ({'kind': 'cron', 'cron': '*/0 * * * *'}, 'not a cron pattern'),
            ({'kind': 'cron', 'cron': '0 0 * * * *'}, 'exactly five'),
            ({'kind': 'cron', 'cron': '@reboot'}, 'not supported'),
            ({'kind': 'cron', 'cron': '*/5 * * * *'}, 'shortest interval'),
            ({'max_full': '0'}, 'greater than or equal to 1'),
            ({'max_incremental': '101'}, 'less than or equal to 100'),
            ({'report_to': 'a@b.c\nBcc: x@y.z'}, 'is not an e-mail'),
            ({'hour': '24'}, 'less than or equal to 23'),
            ({'name': '<script>alert(1)</script>'}, 'cannot contain'),
            ({'name': '<b>x'}, 'Use letters'),
            ({'name': '<% $.x %>'}, 'Use letters'),
        ]
        for changes, message in cases:
            with self.subTest(changes=changes):
                res = self._post_invalid(**changes)
                self.assertContains(res, message)
                self.assertNotContains(res, '<script>alert(1)</script>')

    @helpers.create_mocks({api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_duplicate_name_is_refused_with_the_reason(self):
        self._forecast_mocks()
        with mock.patch.object(mistral_api, 'cron_trigger_get',
                               return_value=self.triggers.first()), \
                mock.patch.object(mistral_api,
                                  'cron_trigger_create') as create:
            res = self.client.post(CREATE, FORM)
        create.assert_not_called()
        # A form error: the form comes back with everything typed.
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'already exists in this project')

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_quota_warning_needs_confirmation(self):
        servers = [data.server('s%d' % i, 'vm%d' % i, tags=['backup:nightly'],
                               volume_ids=['v%d' % i]) for i in range(3)]
        volumes = [data.volume('v%d' % i, size=10) for i in range(3)]
        self._forecast_mocks(servers, volumes, dict(LIMITS, max_backups=10))
        self.mock_schedule_create.side_effect = lambda req, s: s
        res = self.client.post(CREATE, FORM)
        self.assertContains(res, 'keep about 45 backups')
        self.assertContains(res, 'Tick the box below')
        self.mock_schedule_create.assert_not_called()
        res = self.client.post(CREATE, dict(FORM, accept_quota='on'))
        self.assertNoFormErrors(res)
        self.mock_schedule_create.assert_called_once()

    @helpers.create_mocks({api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_what_can_never_fit_is_refused(self):
        servers = [data.server('s1', 'vm', tags=['backup:nightly'],
                               volume_ids=['v1', 'v2'])]
        volumes = [data.volume('v1', 600), data.volume('v2', 600)]
        self._forecast_mocks(servers, volumes,
                             dict(LIMITS, max_gigabytes=1000))
        res = self._post_invalid(accept_quota='on')
        self.assertContains(res, 'This can never fit')

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_mistral_failure_on_save_is_a_message(self):
        self._forecast_mocks()
        self.mock_schedule_create.side_effect = \
            mistral_api.ServiceUnavailable(mistral_api.UNREACHABLE)
        res = self.client.post(CREATE, FORM)
        self.assertEqual(302, res.status_code)
        self.assertMessageCount(error=1)

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_create_returns_to_a_local_next_url_only(self):
        self._forecast_mocks()
        self.mock_schedule_create.side_effect = lambda req, s: s
        res = self.client.post(CREATE + '?next=/project/instances/', FORM)
        self.assertRedirectsNoFollow(res, '/project/instances/')
        res = self.client.post(CREATE + '?next=//evil.example.com/', FORM)
        self.assertRedirectsNoFollow(res, INDEX)


class UpdateTests(helpers.TestCase):
    @helpers.create_mocks({api.schedules: ['schedule_show']})
    def test_get_shows_the_preset_as_entered(self):
        self.mock_schedule_show.return_value = data.nightly()
        res = self.client.get(update_url('nightly'))
        form = res.context['form']
        self.assertEqual('daily', form.initial['kind'])
        self.assertEqual(2, form.initial['hour'])
        self.assertEqual('ops@example.com', form.initial['report_to'])

    @helpers.create_mocks({api.schedules: ['schedule_show',
                                           'schedule_update'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits',
                                         'project_backups']})
    def test_post_updates_and_keeps_the_name(self):
        self.mock_schedule_show.return_value = data.nightly()
        self.mock_servers_with_any_tag.return_value = []
        self.mock_volume_list.return_value = []
        self.mock_project_backups.return_value = []
        self.mock_backup_limits.return_value = LIMITS
        self.mock_schedule_update.side_effect = lambda req, name, s: s
        res = self.client.post(update_url('nightly'),
                               dict(FORM, name='renamed', max_full='5'))
        self.assertNoFormErrors(res)
        name, saved = self.mock_schedule_update.call_args[0][1:]
        self.assertEqual(('nightly', 'nightly', 5),
                         (name, saved.name, saved.max_full))

    @helpers.create_mocks({api.schedules: ['schedule_show']})
    def test_missing_schedule_redirects_with_a_message(self):
        self.mock_schedule_show.side_effect = exceptions.NotFound('gone')
        res = self.client.get(update_url('gone'))
        self.assertRedirectsNoFollow(res, INDEX)


class DeleteAndRunTests(NoBackups):
    def _index_mocks(self):
        self.mock_workflow_problems.return_value = []
        self.mock_cron_trigger_list.return_value = self.triggers.list()
        self.mock_servers_with_any_tag.return_value = []
        self.mock_execution_list.return_value = []

    @helpers.create_mocks({api.schedules: ['schedule_delete',
                                           'schedule_run_now'],
                           api.compute: ['servers_with_any_tag'],
                           api.mistral: ['cron_trigger_list',
                                         'execution_list',
                                         'workflow_problems']})
    def test_delete_several(self):
        self._index_mocks()
        res = self.client.post(INDEX, {
            'action': 'schedules__delete',
            'object_ids': ['nightly', 'weekly db']})
        self.assertRedirectsNoFollow(res, INDEX)
        self.assertEqual(2, self.mock_schedule_delete.call_count)

    @helpers.create_mocks({api.schedules: ['schedule_delete'],
                           api.compute: ['servers_with_any_tag'],
                           api.mistral: ['cron_trigger_list',
                                         'execution_list',
                                         'workflow_problems']})
    def test_delete_refused_while_running_says_why(self):
        self._index_mocks()
        self.mock_schedule_delete.side_effect = schedules_api.ScheduleBusy(
            'A run of schedule "nightly" is in progress')
        res = self.client.post(INDEX, {'action': 'schedules__delete__nightly'})
        self.assertRedirectsNoFollow(res, INDEX)
        texts = [str(m) for m in res.wsgi_request._messages]
        self.assertTrue(any('in progress' in t for t in texts), texts)

    @helpers.create_mocks({api.schedules: ['schedule_run_now'],
                           api.compute: ['servers_with_any_tag'],
                           api.mistral: ['cron_trigger_list',
                                         'execution_list',
                                         'workflow_problems']})
    def test_run_now(self):
        self._index_mocks()
        res = self.client.post(INDEX,
                               {'action': 'schedules__run_now__nightly'})
        self.assertRedirectsNoFollow(res, INDEX)
        self.mock_schedule_run_now.assert_called_once_with(
            helpers.IsHttpRequest(), 'nightly')


class DetailTests(NoBackups):
    @helpers.create_mocks({api.schedules: ['schedule_show'],
                           api.compute: ['servers_with_any_tag'],
                           api.health: ['schedule_health']})
    def test_overview(self):
        schedule = data.nightly()
        self.mock_schedule_show.return_value = schedule
        self.mock_schedule_health.return_value = (health.Health([]), None)
        self.mock_servers_with_any_tag.return_value = [
            data.server('s1', 'web-<b>1</b>', tags=['backup:nightly'])]
        res = self.client.get(detail_url('nightly'))
        self.assertContains(res, 'Daily at 02:00 (Europe/Paris)')
        self.assertContains(res, 'backup:nightly')
        self.assertContains(res, 'web-&lt;b&gt;1&lt;/b&gt;')
        self.assertContains(res, 'Next runs')

    def _runs_tab(self, runs):
        """The detail's Runs tab of 'nightly' (trigger trig-1) with `runs`.

        For a test decorated with these services' mocks.
        """
        schedule = data.nightly()
        schedule.id = 'trig-1'
        self.mock_schedule_show.return_value = schedule
        self.mock_schedule_health.return_value = (health.Health([]), None)
        self.mock_servers_with_any_tag.return_value = []
        self.mock_run_page.return_value = (runs, False)
        res = self.client.get(detail_url('nightly') +
                              '?tab=schedule_details__runs')
        return res, schedule

    @helpers.create_mocks({api.schedules: ['schedule_show'],
                           api.runs: ['run_page'],
                           api.compute: ['servers_with_any_tag'],
                           api.health: ['schedule_health']})
    def test_runs_tab(self):
        res, schedule = self._runs_tab([
            data.execution('trig-1', output={'status': 'partial', 'counts': {
                'ok': 2, 'failed': 1, 'skipped': 1, 'created': 2,
                'deleted': 1}}),
            data.execution('trig-1', state='ERROR', exec_id='ex-2',
                           kind='backup_dashboard',
                           state_info='Failed to run task [x]'),
        ])
        self.assertContains(res, 'partial')
        self.assertContains(res, 'Run now')
        self.assertContains(res, '2m 05s')
        self.assertContains(res, '/project/backup_runs/?schedule=nightly')
        self.mock_run_page.assert_called_once_with(helpers.IsHttpRequest(),
                                                   schedule=schedule)

    def _overview(self, trigger):
        with helpers.detail_backends(schedules_api.from_trigger(trigger)):
            return self.client.get(detail_url('nightly'))

    @override_settings(TIME_ZONE='Europe/Berlin')
    def test_next_runs_of_a_zoned_schedule_are_its_real_runs(self):
        trigger = berlin_trigger()
        schedule = domain.Schedule.from_trigger(trigger)
        res = self._overview(trigger)
        runs = schedule.next_runs(5)
        for run in runs:
            self.assertContains(res, run.strftime('%a %Y-%m-%d %H:%M UTC'))
        # Not the trigger's fires that its guard will end as not due.
        skipped = [f for f in plans.runs(trigger.pattern, None, runs[0],
                                         runs[-1])
                   if not schedule.is_due(f)]
        self.assertTrue(skipped)
        for fire in skipped:
            self.assertNotContains(res, fire.strftime('%a %Y-%m-%d %H:%M'))
        # The user's own pattern is the schedule's; Mistral's is secondary.
        self.assertContains(res, '<code>30 2 * * *</code>')
        self.assertContains(res, 'cron trigger firing on <code>30 0,1 * * *'
                                 '</code> (UTC)')
        # The next change, as it will really go: the local time is kept.
        self.assertContains(res, 'and this schedule keeps its local time')
        self.assertContains(res, 'text-info backup-dst-note')
        self.assertNotContains(res, 'schedules__reanchor__nightly')

    @override_settings(TIME_ZONE='Europe/Berlin')
    def test_a_schedule_saved_without_its_plan_says_to_save_it_again(self):
        res = self._overview(berlin_trigger(anchored=False))
        self.assertContains(res, 'saved without a plan for Europe/Berlin')
        self.assertContains(res, 'save it again (unchanged)')
        self.assertContains(res, 'text-warning backup-dst-note')
        self.assertContains(res, 'schedules__reanchor__nightly')

    @helpers.create_mocks({api.schedules: ['schedule_show'],
                           api.runs: ['run_page'],
                           api.compute: ['servers_with_any_tag'],
                           api.health: ['schedule_health']})
    def test_runs_tab_hides_fires_not_due(self):
        res, _schedule = self._runs_tab([
            data.execution('trig-1', exec_id='due', output={
                'status': 'ok', 'counts': {'ok': 1}}),
            data.execution('trig-1', exec_id='not-due', output={
                'status': plans.NOT_DUE, 'counts': {}}),
        ])
        table = res.context['runs_table']
        self.assertEqual(['due'], [r.id for r in table.data])

    @helpers.create_mocks({api.schedules: ['schedule_show']})
    def test_unknown_schedule(self):
        self.mock_schedule_show.side_effect = exceptions.NotFound('nope')
        res = self.client.get(detail_url('nope'))
        self.assertRedirectsNoFollow(res, INDEX)


class PreviewTests(helpers.TestCase):
    @override_settings(TIME_ZONE='Europe/Paris')
    def test_preview_of_a_preset_in_the_viewers_zone(self):
        res = self.client.get(PREVIEW, {'kind': 'daily', 'minute': '0',
                                        'hour': '2'})
        body = json.loads(res.content)
        self.assertTrue(body['ok'])
        self.assertEqual(5, len(body['runs']))
        self.assertIn('02:00 CE', body['runs'][0]['own'])
        self.assertIsNone(body['viewer_zone'])
        self.assertEqual('Daily at 02:00 (Europe/Paris)', body['words'])
        self.assertIn('changes its clocks', body['dst_note'])
        self.assertEqual('0 0,1 * * *', body['trigger_pattern'])

    @override_settings(TIME_ZONE='Europe/Berlin')
    def test_preview_of_another_zone_shows_it_and_the_viewers(self):
        res = self.client.get(PREVIEW, {
            'kind': 'cron', 'cron': '30 2 * * *',
            'timezone': 'America/St_Johns'})
        body = json.loads(res.content)
        self.assertEqual('America/St_Johns', body['zone'])
        self.assertEqual('Europe/Berlin', body['viewer_zone'])
        first = body['runs'][0]
        self.assertIn('02:30 N', first['own'])          # NST or NDT
        self.assertTrue(first['viewer'].endswith(('CET', 'CEST')))
        self.assertTrue(first['utc'].endswith('UTC'))

    @override_settings(TIME_ZONE='Europe/Berlin')
    def test_preview_shows_the_runs_as_saved_across_the_clock_change(self):
        res = self.client.get(PREVIEW, {'kind': 'daily', 'minute': '30',
                                        'hour': '2'})
        body = json.loads(res.content)
        saved = domain.Schedule.from_trigger(berlin_trigger()).next_runs(5)
        self.assertEqual([run.strftime('%a %Y-%m-%d %H:%M UTC')
                          for run in saved],
                         [run['utc'] for run in body['runs']])
        self.assertIn('this schedule keeps its local time', body['dst_note'])

    def test_preview_of_an_hourly_schedule_has_no_clock_change_note(self):
        res = self.client.get(PREVIEW, {'kind': 'hourly', 'minute': '15',
                                        'timezone': 'Europe/Berlin'})
        body = json.loads(res.content)
        self.assertTrue(body['ok'])
        self.assertIsNone(body['dst_note'])

    def test_preview_of_a_bad_pattern_or_zone_says_why(self):
        res = self.client.get(PREVIEW, {'kind': 'cron', 'cron': '61 * * * *'})
        body = json.loads(res.content)
        self.assertFalse(body['ok'])
        self.assertIn('not a cron pattern', body['error'])
        res = self.client.get(PREVIEW, {'kind': 'daily', 'minute': '0',
                                        'hour': '2', 'timezone': 'Mars/X'})
        self.assertIn('Unknown time zone', json.loads(res.content)['error'])

    @override_settings(BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES=1)
    def test_operator_may_allow_every_minute(self):
        res = self.client.get(PREVIEW, {'kind': 'cron', 'cron': '* * * * *'})
        self.assertTrue(json.loads(res.content)['ok'])


class RetentionLockTests(helpers.TestCase):
    """An admin's retention lock refuses schedules below it and is shown."""

    def _lock(self, default=None, own=None):
        projects = {self.tenant.id: own} if own else {}
        self.governance.return_value = {'retention_lock': {
            'default': default, 'projects': projects}}

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_a_schedule_below_the_lock_is_refused_naming_it(self):
        self.mock_servers_with_any_tag.return_value = []
        self.mock_volume_list.return_value = []
        self.mock_backup_limits.return_value = dict(LIMITS)
        self.mock_schedule_create.side_effect = lambda req, s: s
        self._lock(default={'count': 1}, own={'count': 3, 'days': 30})
        res = self.client.post(CREATE, dict(FORM, max_full='2',
                                            keep_days='7'))
        [error] = res.context['form'].non_field_errors()
        self.assertIn('retention lock of this project (set by an '
                      'administrator for it)', error)
        self.assertIn('keep at least 3 full backups and to keep backups '
                      'for at least 30 days', error)
        self.mock_schedule_create.assert_not_called()
        # at the lock: saved as typed
        res = self.client.post(CREATE, dict(FORM, max_full='3',
                                            keep_days='30'))
        self.assertNoFormErrors(res)
        saved = self.mock_schedule_create.call_args[0][1]
        self.assertEqual((3, 30), (saved.max_full, saved.keep_days))

    @helpers.create_mocks({api.schedules: ['schedule_create'],
                           api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits']})
    def test_the_cloud_default_applies_without_an_own_lock(self):
        self.mock_servers_with_any_tag.return_value = []
        self.mock_volume_list.return_value = []
        self.mock_backup_limits.return_value = dict(LIMITS)
        self._lock(default={'count': 4})
        res = self.client.post(CREATE, FORM)
        [error] = res.context['form'].non_field_errors()
        self.assertIn('(the cloud default)', error)
        self.mock_schedule_create.assert_not_called()

    def test_the_index_shows_the_lock_or_that_it_is_unknown(self):
        self._lock(own={'days': 14})
        with helpers.index_backends([]):
            res = self.client.get(INDEX)
        self.assertContains(res, 'Retention lock of this project, set by an '
                                 'administrator: every schedule keeps every '
                                 'backup for at least 14 days')
        self.governance.side_effect = api.errors.ServiceUnavailable('down')
        with helpers.index_backends([]):
            res = self.client.get(INDEX)
        self.assertContains(res, 'runs delete no backups')
