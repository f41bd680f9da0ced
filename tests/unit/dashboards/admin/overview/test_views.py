"""Admin > Data Protection > Backups Overview, with the API mocked at the
plugin's own ``backup_dashboard.api.overview`` list calls."""
import csv
import io
from unittest import mock

from django.urls import reverse
from horizon import exceptions
from openstack_dashboard.test import helpers as horizon_helpers

from backup_dashboard.api import overview as overview_api
from tests import helpers
from tests.unit.dashboards.admin.overview import data

INDEX = reverse('horizon:admin:backups_overview:index')
CSV = reverse('horizon:admin:backups_overview:csv')


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
        patcher = mock.patch.object(overview_api, 'utcnow',
                                    return_value=data.NOW)
        patcher.start()
        self.addCleanup(patcher.stop)

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
        with mock.patch.object(overview_api, 'backup_quota',
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

    def test_unknown_project_goes_back_to_the_index(self):
        with mock.patch.object(overview_api, 'backup_quota',
                               side_effect=RuntimeError('no such project')):
            res = self.client.get(project_url('nope'))
        self.assertRedirectsNoFollow(res, INDEX)


class CsvTests(OverviewTestCase):
    def test_report_per_project_with_quota_and_no_formulas(self):
        self.parts['projects'][1].name = '=SUM(A1)'
        with mock.patch.object(overview_api, 'backup_quota',
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


class ReownTests(OverviewTestCase):
    def test_reown_recreates_the_broken_schedule_in_the_admins_project(self):
        with mock.patch.object(overview_api, 'schedule_reown') as reown:
            res = self.client.post(INDEX, {
                'action': 'schedules__reown__trig-weekly db'})
        reown.assert_called_once_with(mock.ANY, data.DEMO, 'weekly db')
        self.assertEqual(302, res.status_code)

    def test_reown_is_not_offered_for_healthy_schedules(self):
        with mock.patch.object(overview_api, 'schedule_reown') as reown:
            self.client.post(INDEX, {
                'action': 'schedules__reown__trig-nightly'})
        reown.assert_not_called()
