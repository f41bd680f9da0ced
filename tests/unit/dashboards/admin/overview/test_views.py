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

"""The Backups Overview, with the plugin's overview list calls mocked.

Admin > Data Protection > Backups Overview, with the API mocked at the plugin's
own ``backup_dashboard.api.overview`` list calls.
"""
import csv
import io
from unittest import mock

from django.contrib import messages
from django.test import override_settings
from django.urls import reverse
from horizon import exceptions
from openstack_dashboard.test import helpers as horizon_helpers

from backup_dashboard import api
from backup_dashboard.api import overview as overview_api
from backup_dashboard.clock import cron as clock
from testkit import helpers
from testkit import overview_data as data

INDEX = reverse('horizon:admin:backups_overview:index')
CSV = reverse('horizon:admin:backups_overview:csv')
SCHEDULES_CSV = reverse('horizon:admin:backups_overview:schedules_csv')


def project_url(project_id):
    return reverse('horizon:admin:backups_overview:project',
                   args=[project_id])


class OverviewTestCase(helpers.TestCase,
                       horizon_helpers.BaseAdminViewTests):
    """Our catalog (with Mistral) and an admin user."""

    def setUp(self):
        super().setUp()
        self.parts = data.estate(self)
        self.calls = {}
        for name in overview_api.PARTS:
            patcher = mock.patch.object(overview_api, name,
                                        side_effect=self._part(name))
            self.calls[name] = patcher.start()
            self.addCleanup(patcher.stop)
        patcher = mock.patch.object(clock, 'now', return_value=data.NOW)
        patcher.start()
        self.addCleanup(patcher.stop)
        # The retention locks (governance variables in Mistral): none set.
        self.variables = {}
        patcher = mock.patch.object(api.governance, 'variables',
                                    side_effect=self._variables)
        self.read = patcher.start()
        self.addCleanup(patcher.stop)
        patcher = mock.patch.object(api.governance, 'save_variables')
        self.save = patcher.start()
        self.addCleanup(patcher.stop)

    def _variables(self, request):
        if isinstance(self.variables, Exception):
            raise self.variables
        return self.variables

    def _part(self, name):
        def call(*args, **kwargs):
            value = self.parts[name]
            if isinstance(value, Exception):
                raise value
            return value
        return call


class IndexTests(OverviewTestCase):
    def test_projects_show_coverage_and_breaches(self):
        res = self.client.get(INDEX)
        self.assertTemplateUsed(res, 'backup_dashboard/overview/index.html')
        projects = {p.name: p for p in
                    res.context['projects_table'].data}
        demo = projects['test_tenant']
        self.assertEqual((4, 3, 1), (demo.instances, demo.assigned,
                                     demo.unprotected))
        self.assertEqual(75, demo.coverage)
        self.assertEqual(1, demo.breaches)            # db: 2 days old
        self.assertEqual(4, demo.backups)
        alt = projects['云规则']
        self.assertEqual((1, 0, 1), (alt.instances, alt.assigned,
                                     alt.unprotected))
        self.assertEqual(2, alt.failed_runs)
        self.assertEqual(3, alt.backup_gb)
        self.assertContains(res, project_url(data.DEMO))

    def test_schedules_show_owner_last_run_and_health(self):
        res = self.client.get(INDEX)
        rows = {s.name: s for s in res.context['schedules_table'].data}
        self.assertEqual('ok', rows['nightly'].health.code)
        self.assertEqual('test_user', rows['nightly'].owner_name)
        self.assertEqual(2, rows['nightly'].instances)
        self.assertEqual('ok', rows['nightly'].last_outcome)
        self.assertEqual(['broken', 'missed'],
                         rows['weekly db'].health.codes)
        self.assertIn('user_two', rows['weekly db'].health.problems[0]
                      .detail)
        self.assertEqual(['missed'], rows['late'].health.codes)
        self.assertEqual(['failing'], rows['=cmd'].health.codes)
        # Unhealthy first, each with what to do, in the page.
        self.assertEqual('ok', res.context['schedules_table'].data[-1]
                         .health.code)
        self.assertContains(res, 'data-health="broken"')
        self.assertContains(res, 'Re-own it')
        self.assertContains(res, 'Check that Mistral')

    def test_a_fire_not_due_for_dst_is_not_the_last_run(self):
        # The DST guard ended a later fire of 'nightly' at once: nothing was
        # backed up then, so the last run is still the real one.
        self.parts['runs'].append(data.run('trig-nightly', 22, data.DEMO,
                                           status='not_due', hour=3))
        res = self.client.get(INDEX)
        rows = {s.name: s for s in res.context['schedules_table'].data}
        self.assertEqual('ok', rows['nightly'].last_outcome)
        self.assertEqual(2, rows['nightly'].last_run_at.hour)

    @override_settings(TIME_ZONE='Asia/Tokyo')
    def test_every_time_shown_carries_the_viewers_zone(self):
        res = self.client.get(INDEX)
        rows = {s.name: s for s in res.context['schedules_table'].data}
        self.assertEqual(rows['nightly'].next_run.isoformat(),
                         '2026-11-23T02:00:00+00:00')
        # Next run and last run (02:00:03 UTC) in JST, ISO 8601 behind.
        self.assertContains(res, '<time datetime="2026-11-23T02:00:00+00:00"'
                                 ' title="2026-11-23 02:00 UTC">2026-11-23 '
                                 '11:00 JST</time>')
        self.assertContains(res, 'ok (<time datetime="2026-11-22T02:00:03'
                                 '+00:00" title="2026-11-22 02:00 UTC">'
                                 '2026-11-22 11:00 JST</time>)')
        self.assertContains(res, 'Runs since <time datetime="2026-11-14T12:'
                                 '00:00+00:00" title="2026-11-14 12:00 UTC">'
                                 '2026-11-14 21:00 JST</time>.')
        self.assertNotContains(res, 'UTC.')

    def test_last_run_words_fit_what_was_due(self):
        self.parts['triggers'] += [
            # created minutes ago: its first run is tonight
            data.trigger('fresh', data.DEMO, created='2026-11-22 11:50:00'),
            # no run since the 8 days of runs read began, though due daily
            data.trigger('stalled', data.DEMO),
            # monthly: nothing was due in those 8 days
            data.trigger('monthly', data.DEMO, pattern='0 3 1 * *',
                         created='2026-10-01 10:00:00',
                         next_time='2026-12-01 03:00:00')]
        res = self.client.get(INDEX)
        table = res.context['schedules_table']
        cells = {r.datum.name: r.cells for r in table.get_rows()}
        fresh = {s.name: s for s in table.data}['fresh']
        self.assertEqual('new', fresh.health.code)
        self.assertEqual('Not run yet', str(cells['fresh']['last_run'].data))
        self.assertIn('First run 2026-11-23 02:00 UTC',
                      str(cells['fresh']['health'].data))
        self.assertIn('No run since <time datetime="2026-11-14T12:00:00'
                      '+00:00"', str(cells['stalled']['last_run'].data))
        self.assertIn('data-health="missed"',
                      str(cells['stalled']['health'].data))
        self.assertIn('No run was due since',
                      str(cells['monthly']['last_run'].data))
        self.assertIn('data-health="ok"',
                      str(cells['monthly']['health'].data))
        self.assertNotContains(res, 'No run in 8 days')

    def test_without_the_runs_the_last_run_is_unknown(self):
        self.parts['runs'] = overview_api.mistral.ServiceUnavailable('down')
        res = self.client.get(INDEX)
        self.assertContains(res, 'Unknown (runs not listed)')
        self.assertNotContains(res, 'No run since')

    def test_user_controlled_names_are_escaped(self):
        self.parts['triggers'][1] = data.trigger(
            'weekly db', data.DEMO, pattern='30 3 * * 0',
            owner=('2', '<script>alert(1)</script>'))
        self.parts['users'] = []     # owner deleted: broken, names shown
        res = self.client.get(INDEX)
        self.assertNotContains(res, '<script>alert(1)')
        self.assertContains(res, '&lt;script&gt;alert(1)&lt;/script&gt;')

    def test_backend_calls_do_not_grow_with_instances(self):
        self.client.get(INDEX)
        before = {n: c.call_count for n, c in self.calls.items()}
        self.assertEqual({n: 1 for n in overview_api.PARTS}, before)
        self.parts['servers'] = [
            data.server('s%d' % i, 'vm%d' % i, data.DEMO,
                        ['backup:nightly'], ['vol%d' % i])
            for i in range(300)]
        self.client.get(INDEX)
        after = {n: c.call_count - before[n]
                 for n, c in self.calls.items()}
        self.assertEqual({n: 1 for n in overview_api.PARTS}, after)

    def test_a_failing_service_is_a_message_not_a_500(self):
        self.parts['backups'] = exceptions.ServiceCatalogException('volume')
        self.parts['runs'] = overview_api.mistral.ServiceUnavailable('down')
        res = self.client.get(INDEX)
        self.assertEqual(200, res.status_code)
        text = res.content.decode()
        self.assertIn('Backups (Cinder) could not be listed', text)
        self.assertIn('Runs (Mistral) could not be listed', text)
        projects = {p.name: p for p in res.context['projects_table'].data}
        self.assertEqual(4, projects['test_tenant'].instances)
        # In plain words: no exception of the page's own appended.
        self.assertEqual(
            ['Backups (Cinder) could not be listed; backup ages unknown: '
             'Invalid service catalog: volume',
             'Runs (Mistral) could not be listed; run health unknown: '
             'down'],
            sorted(str(m) for m in messages.get_messages(res.wsgi_request)))

    def test_server_side_filter_covers_every_page(self):
        res = self.client.post(INDEX, {
            'schedules__filter__q_field': 'health',
            'schedules__filter__q': 'broken'})
        self.assertEqual(['weekly db'],
                         [s.name for s in res.context['schedules_table']
                          .data])

    def test_pages_follow_the_marker(self):
        self.parts['triggers'] = [data.trigger('s%02d' % i, data.DEMO)
                                  for i in range(25)]
        self.parts['runs'] = []
        with self.settings(API_RESULT_PAGE_SIZE=10):
            first = self.client.get(INDEX).context['schedules_table']
            self.assertEqual(10, len(first.data))
            self.assertTrue(first._meta.has_more_data)
            last_id = first.data[-1].id
            second = self.client.get(
                INDEX + '?schedules_marker=%s' % last_id
            ).context['schedules_table']
            self.assertTrue(second._meta.has_prev_data)
            self.assertEqual(10, len(second.data))
            self.assertNotIn(last_id, [s.id for s in second.data])

    def test_not_for_project_members(self):
        # Horizon's TestCase, not BaseAdminViewTests (which adds admin).
        horizon_helpers.TestCase.setActiveUser(
            self, id=self.user.id, token=self.token,
            username=self.user.name, tenant_id=self.tenant.id,
            service_catalog=self.service_catalog,
            roles=[self.roles.member._info],
            authorized_tenants=self.tenants.list())
        res = self.client.get(INDEX)
        self.assertNotEqual(200, res.status_code)
        self.assertEqual(0, self.calls['servers'].call_count)


class ProjectTests(OverviewTestCase):
    def test_drill_down_lists_instances_with_rpo(self):
        with mock.patch.object(api.storage, 'backup_quota',
                               return_value={'backups': (4, 10),
                                             'gigabytes': (4, 1000)}) as q:
            res = self.client.get(project_url(data.DEMO))
        q.assert_called_once_with(mock.ANY, data.DEMO)
        rows = {i.name: i for i in res.context['instances_table'].data}
        self.assertEqual('ok', rows['web'].state)
        self.assertEqual('breach', rows['db'].state)
        self.assertEqual('unprotected', rows['tmp'].state)
        self.assertEqual('novolume', rows['cache'].state)
        self.assertNotIn('=HYPERLINK("x")', rows)
        self.assertEqual({'nightly', 'weekly db', 'late'},
                         {s.name for s in
                          res.context['schedules_table'].data})
        self.assertContains(res, '4 of 10 backups')
        self.assertContains(res, 'RPO breached')

    def _states(self):
        with mock.patch.object(api.storage, 'backup_quota',
                               return_value=None):
            res = self.client.get(project_url(data.DEMO))
        return res, {i.name: i for i in res.context['instances_table'].data}

    def test_a_volume_attached_today_waits_for_its_first_backup(self):
        # web's data volume was attached this morning, after the last run.
        self.parts['servers'][0] = data.server(
            's-web', 'web', data.DEMO, ['backup:nightly'],
            ['v-web', 'v-webdata'])
        self.parts['volumes'].append(data.volume(
            'v-webdata', data.DEMO, server_id='s-web',
            attached='2026-11-22T09:00:00.000000'))
        res, rows = self._states()
        self.assertEqual('pending', rows['web'].state)
        self.assertEqual('2026-11-23T02:00:00+00:00',
                         rows['web'].first_backup.isoformat())
        self.assertContains(res, 'First backup at <time datetime="'
                                 '2026-11-23T02:00:00+00:00"')
        self.assertEqual('breach', rows['db'].state)   # 2 days old

    def test_an_instance_created_or_tagged_after_the_last_run_waits(self):
        # Nova keeps no tag time: the runs' targets say "old" was not
        # tagged yet at the last run; "new" was created this morning.
        self.parts['runs'] = [
            data.run('trig-nightly', d, data.DEMO,
                     volume_ids=['v-web', 'v-db']) for d in (20, 21, 22)]
        self.parts['servers'] += [
            data.server('s-old', 'old', data.DEMO, ['backup:nightly'],
                        ['v-old']),
            data.server('s-new', 'new', data.DEMO, ['backup:nightly'],
                        ['v-new'], created='2026-11-22T08:00:00Z')]
        self.parts['volumes'] += [data.volume('v-old', data.DEMO),
                                  data.volume('v-new', data.DEMO)]
        res, rows = self._states()
        self.assertEqual(('pending', 'pending'),
                         (rows['old'].state, rows['new'].state))
        self.assertContains(res, 'data-state="pending">First backup at',
                            count=2)
        # Had a run found "old" and made no backup of it: a breach.
        self.parts['runs'][-1] = data.run(
            'trig-nightly', 22, data.DEMO,
            volume_ids=['v-web', 'v-db', 'v-old'])
        res, rows = self._states()
        self.assertEqual('breach', rows['old'].state)

    def test_unknown_project_goes_back_to_the_index(self):
        with mock.patch.object(api.storage, 'backup_quota',
                               side_effect=RuntimeError('no such project')):
            res = self.client.get(project_url('nope'))
        self.assertRedirectsNoFollow(res, INDEX)


class CsvTests(OverviewTestCase):
    def test_report_per_project_with_quota_and_no_formulas(self):
        self.parts['projects'][1].name = '=SUM(A1)'
        with mock.patch.object(api.storage, 'backup_quota',
                               return_value={'backups': (4, -1),
                                             'gigabytes': (4, 1000)}):
            res = self.client.get(CSV)
        self.assertEqual('text/csv; charset=utf-8', res['Content-Type'])
        self.assertIn('attachment;', res['Content-Disposition'])
        rows = list(csv.DictReader(io.StringIO(res.content.decode())))
        by_id = {r['project_id']: r for r in rows}
        self.assertEqual('75', by_id[data.DEMO]['coverage_percent'])
        self.assertEqual('1', by_id[data.DEMO]['rpo_breaches'])
        self.assertEqual('unlimited', by_id[data.DEMO]['backups_quota'])
        self.assertEqual('2', by_id[data.ALT]['failed_runs_8_days'])
        self.assertEqual("'=SUM(A1)", by_id[data.ALT]['project'])
        self.assertEqual({'2026-11-22T12:00:00+00:00'},
                         {r['generated_at'] for r in rows})
        self.assertIn('filename="backups-overview-20261122T1200Z.csv"',
                      res['Content-Disposition'])

    def test_reports_without_their_list_go_back_with_a_message(self):
        self.parts['projects'] = exceptions.ServiceCatalogException('x')
        self.parts['triggers'] = overview_api.mistral.ServiceUnavailable('x')
        for url, words in ((CSV, 'Unable to list the projects'),
                           (SCHEDULES_CSV, 'Unable to list the schedules')):
            res = self.client.get(url)
            self.assertRedirectsNoFollow(res, INDEX)
            self.assertIn('%s for the report.' % words, [
                str(m) for m in messages.get_messages(res.wsgi_request)])

    def test_schedules_with_their_runs_in_iso_8601(self):
        res = self.client.get(SCHEDULES_CSV)
        self.assertEqual('text/csv; charset=utf-8', res['Content-Type'])
        rows = {r['schedule']: r for r in
                csv.DictReader(io.StringIO(res.content.decode()))}
        self.assertEqual({'nightly', 'weekly db', 'late', "'=cmd"},
                         set(rows))
        nightly = rows['nightly']
        self.assertEqual('2026-11-23T02:00:00+00:00', nightly['next_run'])
        self.assertEqual('2026-11-22T02:00:03+00:00', nightly['last_run'])
        self.assertEqual(('ok', 'ok', '2'), (
            nightly['health'], nightly['last_outcome'],
            nightly['instances']))
        self.assertEqual(('0 2 * * *', 'UTC', '25.0'), (
            nightly['cron'], nightly['timezone'], nightly['rpo_hours']))
        self.assertEqual('broken missed', rows['weekly db']['health'])
        self.assertEqual('2026-11-22T12:00:00+00:00',
                         nightly['generated_at'])
        self.assertIn('filename="backup-schedules-20261122T1200Z.csv"',
                      res['Content-Disposition'])

    def test_schedules_of_one_project(self):
        res = self.client.get(SCHEDULES_CSV, {'project_id': data.ALT})
        rows = list(csv.DictReader(io.StringIO(res.content.decode())))
        self.assertEqual(["'=cmd"], [r['schedule'] for r in rows])
        self.assertEqual('2026-11-23T02:00:00+00:00', rows[0]['next_run'])
        # The project page links to its own.
        with mock.patch.object(api.storage, 'backup_quota',
                               return_value=None):
            page = self.client.get(project_url(data.ALT))
        self.assertContains(page, SCHEDULES_CSV + '?project_id=' + data.ALT)


class DrillTests(OverviewTestCase):
    """The last good drill per project and schedule, and what is wrong."""

    def test_projects_and_schedules_show_their_last_good_drill(self):
        res = self.client.get(INDEX)
        projects = {p.id: p for p in res.context['projects_table'].data}
        demo = projects[data.DEMO].drills
        self.assertEqual('d-good', demo.last_good.id)
        self.assertEqual((60, 90, None), (demo.rto_median, demo.rto_worst,
                                          demo.problem))
        self.assertEqual('failing', projects[data.ALT].drills.problem)
        schedules = {s.name: s for s in res.context['schedules_table'].data}
        self.assertEqual('d-good', schedules['nightly'].drills.last_good.id)
        self.assertEqual('off', schedules['weekly db'].drills.problem)
        self.assertContains(res, '3d 0h ago<br><small')
        self.assertContains(res, 'RTO 1m 00s median, 1m 30s worst')
        self.assertContains(res, 'data-problem="failing"')
        self.assertContains(res, 'Drills are off')

    def test_a_good_drill_older_than_30_days_is_stale(self):
        for drill, day in zip(self.parts['drills'], ('09-30', '10-01')):
            drill.created_at = '2026-%s 09:00:00' % day
        res = self.client.get(INDEX)
        schedules = {s.name: s for s in res.context['schedules_table'].data}
        self.assertEqual('stale', schedules['nightly'].drills.problem)

    def test_a_cron_fired_drill_counts_for_its_schedule(self):
        # Fired by the drill trigger: it carries that trigger's id.
        self.parts['drills'] = [data.data.drill(
            'drill-nightly', exec_id='d-cron', created_at='2026-11-21 '
            '04:00:00', output={'status': 'ok', 'volumes': []})]
        res = self.client.get(INDEX)
        schedules = {s.name: s for s in res.context['schedules_table'].data}
        self.assertEqual('d-cron', schedules['nightly'].drills.last_good.id)
        self.assertIsNone(schedules['nightly'].drills.problem)

    def test_drill_triggers_not_listed_flag_no_schedule_as_off(self):
        self.parts['drill_triggers'] = exceptions.RecoverableError('down')
        res = self.client.get(INDEX)
        schedules = {s.name: s for s in res.context['schedules_table'].data}
        self.assertEqual('stale', schedules['weekly db'].drills.problem)

    def test_drills_not_listed_say_so_and_the_rest_shows(self):
        self.parts['drills'] = exceptions.RecoverableError('down')
        res = self.client.get(INDEX)
        self.assertContains(res, 'Restore drills (Mistral) could not be '
                            'listed')
        self.assertContains(res, 'Unknown (drills not listed)')
        self.assertContains(res, 'nightly')

    def test_the_csv_reports_carry_the_drills(self):
        with mock.patch.object(api.storage, 'backup_quota',
                               return_value=None):
            projects = self.client.get(CSV)
        by_id = {r['project_id']: r for r in csv.DictReader(
            io.StringIO(projects.content.decode()))}
        self.assertEqual(
            ('2026-11-19T12:00:00+00:00', '60', '90', ''),
            tuple(by_id[data.DEMO][k] for k in (
                'last_good_drill', 'drill_rto_median_s',
                'drill_rto_worst_s', 'drill_problem')))
        self.assertEqual('failing', by_id[data.ALT]['drill_problem'])
        schedules = {r['schedule']: r for r in csv.DictReader(io.StringIO(
            self.client.get(SCHEDULES_CSV).content.decode()))}
        self.assertEqual('off', schedules['weekly db']['drill_problem'])
        self.assertEqual('90', schedules['nightly']['drill_rto_worst_s'])


class ReownTests(OverviewTestCase):
    def test_reown_recreates_the_broken_schedule_in_the_admins_project(self):
        with mock.patch.object(api.schedules, 'schedule_reown') as reown:
            res = self.client.post(INDEX, {
                'action': 'schedules__reown__trig-weekly db'})
        reown.assert_called_once_with(mock.ANY, data.DEMO, 'weekly db')
        self.assertEqual(302, res.status_code)

    def test_reown_is_not_offered_for_healthy_schedules(self):
        with mock.patch.object(api.schedules, 'schedule_reown') as reown:
            self.client.post(INDEX, {
                'action': 'schedules__reown__trig-nightly'})
        reown.assert_not_called()
