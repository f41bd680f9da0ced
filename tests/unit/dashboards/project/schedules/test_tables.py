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

"""Schedule health in the Backup Schedules table and detail.

Re-own and Re-anchor.
"""
import datetime
import json
import re
from unittest import mock

from django.urls import reverse
from keystoneclient.v3 import role_assignments

from backup_dashboard import api
from backup_dashboard.api import identity
from backup_dashboard.api import maintenance
from backup_dashboard.clock import plans
from backup_dashboard.dashboards.project.schedules import tabs
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers

INDEX = reverse('horizon:project:backup_schedules:index')
UTC = datetime.timezone.utc


def hours_ago(hours):
    return (datetime.datetime.now(UTC) - datetime.timedelta(hours=hours)
            ).strftime('%Y-%m-%d %H:%M:%S')


index_backends = helpers.index_backends


class HealthColumnTests(helpers.TestCase):
    def _triggers(self):
        # The index pages through Mistral's trigger list itself.
        return [data.trigger(s, created_at=hours_ago(24 * 30),
                             next_execution_time=None)
                for s in self.schedules.list()]

    def _index(self, runs):
        with index_backends(self._triggers(), runs) as listed:
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

    def test_run_now_says_what_it_does(self):
        res, _rows = self._index([])
        button = re.search(r'<button[^>]*"schedules__run_now__nightly"[^>]*>',
                           res.content.decode()).group(0)
        self.assertIn('Starts a run now', button)
        self.assertNotIn('cannot be undone', button)

    def test_unknown_runs_are_not_called_missed(self):
        # (Triggers whose next fire is not overdue: that alone is "missed".)
        down = api.mistral.ServiceUnavailable('down')
        with index_backends(self._triggers(), side_effect=down):
            res = self.client.get(INDEX)
        for row in res.context['table'].data:
            self.assertNotIn('missed', row.health.codes)

    def test_reown_calls_the_api_for_the_users_project(self):
        with mock.patch.object(api.schedules, 'schedule_reown') as reown, \
                index_backends(self._triggers()):
            self.client.post(INDEX, {'action': 'schedules__reown__nightly'})
        reown.assert_called_once_with(helpers.IsHttpRequest(),
                                      self.tenant.id, 'nightly')


def _fires(pattern, count):
    now = datetime.datetime.now(UTC)
    fires = domain.Schedule(name='x', pattern=pattern).runs_between(
        now - datetime.timedelta(days=30), now)[-count:]
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
                mock.patch.object(api.storage, 'project_backups',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'cron_trigger_get',
                                  return_value=trigger), \
                mock.patch.object(api.runs, 'run_page',
                                  return_value=(runs, False)), \
                mock.patch.object(api.mistral, 'workflow_problems',
                                  return_value=[]), \
                mock.patch.object(api.health.keystone,
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


def _berlin(previous_ids=(), anchored=True):
    """'nightly' entered as daily 02:30 Europe/Berlin, saved 30 days ago.

    Anchored (union pattern "30 0,1 * * *" and its DST plan) or as before DST
    support (the plain UTC pattern of the day, no plan).
    """
    if not anchored:
        return data.trigger(domain.Schedule(
            name='nightly', pattern='30 1 * * *', timezone='Europe/Berlin',
            local_pattern='30 2 * * *', previous_ids=list(previous_ids)),
            created_at=hours_ago(24 * 30), next_execution_time=None)
    return data.trigger(data.zoned(
        'nightly', '30 2 * * *', 'Europe/Berlin',
        previous_ids=list(previous_ids)),
        created_at=hours_ago(24 * 30), next_execution_time=None)


def _utc_text(instant):
    return instant.strftime('%Y-%m-%d %H:%M:%S')


def _fires_of(trigger, days=4):
    """(due, not due) fires of an anchored trigger in the last `days`."""
    now = datetime.datetime.now(UTC)
    start = now - datetime.timedelta(days=days)
    plan = plans.plan_of(domain.as_dict(trigger.workflow_params))
    fires = plans.runs(trigger.pattern, None, start, now)
    return ([f for f in fires if plans.due(plan, f)],
            [f for f in fires if not plans.due(plan, f)])


class DstIndexTests(helpers.TestCase):
    def _index(self, triggers, runs):
        with index_backends(triggers, runs):
            res = self.client.get(INDEX)
        return res, {s.name: s for s in res.context['table'].data}

    def test_last_run_spans_earlier_trigger_ids_and_skips_fires_not_due(self):
        trigger = _berlin(previous_ids=['trig-old'])
        due, not_due = _fires_of(trigger)
        # Listed without output, newest first: a fire not due (told by its
        # time from the plan), then a run made before the last edit.
        runs = [data.execution(trigger.id, exec_id='not-due',
                               created_at=_utc_text(not_due[-1])),
                data.execution('trig-old', exec_id='before-edit',
                               state='ERROR',
                               created_at=_utc_text(due[0]))]
        res, rows = self._index([trigger], runs)
        self.assertEqual('before-edit', rows['nightly'].last_run.id)
        self.assertContains(res, 'ERROR (')

    def test_health_of_an_anchored_schedule_ignores_fires_not_due(self):
        trigger = _berlin()
        due, not_due = _fires_of(trigger)
        # The last two due runs failed; the fire after them was not due.
        # Judged on its real runs, it is failing, and not missed at 00:30.
        runs = [data.execution(trigger.id, exec_id='d%d' % i, state='ERROR',
                               created_at=_utc_text(f))
                for i, f in enumerate(due[-3:-1])]
        runs += [data.execution(trigger.id, exec_id='n%d' % i,
                                created_at=_utc_text(f))
                 for i, f in enumerate(not_due) if due[-3] < f < due[-1]]
        runs.sort(key=lambda r: r.created_at, reverse=True)
        self.assertTrue(runs[0].id.startswith('n'))     # the newest
        res, rows = self._index([trigger], runs)
        health = rows['nightly'].health
        self.assertIn('failing', health.codes)
        self.assertNotIn('unanchored', health.codes)
        self.assertEqual('d1', rows['nightly'].last_run.id)

    def test_a_schedule_saved_before_dst_support_is_offered_re_anchoring(self):
        stale = _berlin(anchored=False)
        res, rows = self._index([stale], [])
        self.assertIn('unanchored', rows['nightly'].health.codes)
        self.assertContains(res, 'Time zone plan outdated')
        self.assertContains(res, 'schedules__reanchor__nightly')
        res, rows = self._index([_berlin()], [])
        self.assertNotIn('unanchored', rows['nightly'].health.codes)
        self.assertNotContains(res, 'schedules__reanchor__nightly')

    def test_re_anchor_saves_it_again_through_the_api(self):
        with mock.patch.object(maintenance, 'reanchor') as reanchor, \
                index_backends([_berlin(anchored=False)]):
            res = self.client.post(INDEX,
                                   {'action': 'schedules__reanchor__nightly'})
        self.assertRedirectsNoFollow(res, INDEX)
        reanchor.assert_called_once_with(helpers.IsHttpRequest(), 'nightly')


class LastRunBeyondTheWindowTests(helpers.TestCase):
    """A schedule without a run among the project's newest runs.

    A schedule without a run among a full window of the project's newest runs:
    its own newest runs, in one small call.
    """

    def test_newest_run_asked_of_that_schedule_only_with_few_fields(self):
        busy = domain.Schedule(name='busy', pattern='0 * * * *')
        quiet = domain.Schedule(name='quiet', pattern='0 3 * * *')
        triggers = [data.trigger(s, created_at=hours_ago(24 * 30),
                                 next_execution_time=None)
                    for s in (busy, quiet)]
        window = [data.execution(triggers[0].id, exec_id='busy-%d' % h,
                                 created_at=hours_ago(h)) for h in (1, 2)]
        older = data.execution(triggers[1].id, exec_id='quiet-old',
                               created_at=hours_ago(30))
        calls = []

        def listed(request, **kwargs):
            calls.append(kwargs)
            return [older] if 'description' in kwargs else window
        with index_backends(triggers, side_effect=listed), \
                mock.patch('backup_dashboard.dashboards.project.schedules.'
                           'views.RECENT_RUNS', 2):
            res = self.client.get(INDEX)
        rows = {s.name: s for s in res.context['table'].data}
        self.assertEqual('busy-1', rows['busy'].last_run.id)
        self.assertEqual('quiet-old', rows['quiet'].last_run.id)
        self.assertEqual(2, len(calls))
        own = calls[1]
        self.assertEqual('has:%s' % triggers[1].id, own['description'])
        self.assertEqual(3, own['limit'])
        self.assertNotIn('input', own['fields'])
        self.assertLessEqual({'id', 'created_at', 'state', 'description'},
                             set(own['fields']))

    def _views(self, triggers, window, older_runs, times=2):
        """The index viewed `times` times; the calls of each view."""
        views = []
        for _ in range(times):
            calls = []

            def listed(request, **kwargs):
                calls.append(kwargs)
                return list(older_runs) if 'description' in kwargs \
                    else window
            with index_backends(triggers, side_effect=listed), \
                    mock.patch('backup_dashboard.dashboards.project.'
                               'schedules.views.RECENT_RUNS', 2):
                res = self.client.get(INDEX)
            views.append((res, calls))
        return views

    def _busy_and_quiet(self):
        triggers = [data.trigger(domain.Schedule(name=name, pattern=pattern),
                                 created_at=hours_ago(24 * 30),
                                 next_execution_time=None)
                    for name, pattern in (('busy', '0 * * * *'),
                                          ('quiet', '0 3 * * *'))]
        window = [data.execution(triggers[0].id, exec_id='busy-%d' % h,
                                 created_at=hours_ago(h)) for h in (1, 2)]
        return triggers, window

    def test_a_finished_older_run_is_asked_for_once_then_kept(self):
        triggers, window = self._busy_and_quiet()
        older = data.execution(triggers[1].id, exec_id='quiet-old',
                               state='ERROR', created_at=hours_ago(30))
        (first, first_calls), (again, again_calls) = self._views(
            triggers, window, [older])
        self.assertEqual(2, len(first_calls))
        self.assertEqual(1, len(again_calls))        # the recent runs only
        rows = {s.name: s for s in again.context['table'].data}
        self.assertEqual('quiet-old', rows['quiet'].last_run.id)
        self.assertContains(again, 'ERROR (')

    def test_no_run_at_all_is_kept_too(self):
        triggers, window = self._busy_and_quiet()
        (_res, first_calls), (again, again_calls) = self._views(
            triggers, window, [])
        self.assertEqual((2, 1), (len(first_calls), len(again_calls)))
        rows = {s.name: s for s in again.context['table'].data}
        self.assertIsNone(rows['quiet'].last_run)

    def test_a_run_still_going_is_asked_for_again(self):
        triggers, window = self._busy_and_quiet()
        going = data.execution(triggers[1].id, exec_id='quiet-long',
                               state='RUNNING', created_at=hours_ago(30))
        views = self._views(triggers, window, [going])
        self.assertEqual([2, 2], [len(calls) for _res, calls in views])

    def test_what_one_project_kept_is_not_read_in_another(self):
        triggers, window = self._busy_and_quiet()
        older = data.execution(triggers[1].id, exec_id='quiet-old',
                               created_at=hours_ago(30))
        self._views(triggers, window, [older], times=1)
        self._setup_user(tenant_id='other-project')
        (_res, calls), = self._views(triggers, window, [], times=1)
        self.assertEqual(2, len(calls))


class RunNowTests(helpers.TestCase):
    """Run Now says it started and links to the run it started."""

    def _run_now(self, name='nightly', follow=False, **run_now):
        # (A name made outside the plugin, as Mistral's CLI allows.)
        odd = domain.Schedule(name='<b>x', pattern='0 4 * * *')
        triggers = [data.trigger(s, created_at=hours_ago(24 * 30),
                                 next_execution_time=None)
                    for s in self.schedules.list() + [odd]]
        run_now = run_now or {'return_value': data.execution(
            'trig-nightly', exec_id='ex-new', state='RUNNING',
            kind='backup_dashboard')}
        with index_backends(triggers), \
                mock.patch.object(api.schedules, 'schedule_run_now',
                                  **run_now) as started:
            res = self.client.post(
                INDEX, {'action': 'schedules__run_now__%s' % name},
                follow=follow)
        started.assert_called_once_with(helpers.IsHttpRequest(), name)
        return res

    @staticmethod
    def _messages(res, tag):
        return [m.message for m in res.wsgi_request._messages
                if tag in m.tags]

    def test_the_message_links_to_the_new_runs_detail(self):
        res = self._run_now()
        self.assertRedirectsNoFollow(res, INDEX)
        success, = self._messages(res, 'success')   # Horizon's is not shown
        url = reverse('horizon:project:backup_runs:detail', args=['ex-new'])
        self.assertIn('Started a run of schedule "nightly".', success)
        self.assertIn('<a href="%s" class="backup-run-started">View the '
                      'run</a>' % url, success)
        # Shown as a link on the page the action returns to.
        res = self._run_now(follow=True)
        self.assertContains(res, '<a href="%s" class="backup-run-started">'
                                 % url)

    def test_names_and_ids_are_escaped_not_pasted(self):
        res = self._run_now(name='<b>x', return_value=data.execution(
            'trig-x', exec_id='ex"<i>', kind='backup_dashboard'))
        success, = self._messages(res, 'success')
        self.assertIn('"&lt;b&gt;x"', success)
        self.assertNotIn('<b>', success)
        self.assertIn('href="/project/backup_runs/ex%22%3Ci%3E/"', success)

    def test_an_id_no_url_can_hold_links_to_the_schedules_runs(self):
        res = self._run_now(return_value=data.execution(
            'trig-nightly', exec_id='a/b', kind='backup_dashboard'))
        success, = self._messages(res, 'success')
        self.assertIn('href="/project/backup_runs/?schedule=nightly"',
                      success)
        self.assertIn("View the schedule&#x27;s runs", success)

    def test_a_refused_run_says_why_and_claims_no_start(self):
        res = self._run_now(side_effect=api.schedules.ScheduleBusy(
            'A run of schedule "nightly" is already in progress'))
        self.assertEqual([], self._messages(res, 'success'))
        errors = self._messages(res, 'error')
        self.assertTrue(any('already in progress' in e for e in errors),
                        errors)


class RunsTabColumnsTests(helpers.TestCase):
    def test_one_schedules_runs_leave_out_the_kind_and_schedule(self):
        request = self.factory.get('/')
        shown = list(tabs.ScheduleRunsTable(request, data=[]).columns)
        self.assertNotIn('kind', shown)
        self.assertNotIn('schedule', shown)
        self.assertIn('backed_up', shown)
