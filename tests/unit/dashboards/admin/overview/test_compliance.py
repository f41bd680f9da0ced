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

"""The compliance findings, their page and their CSV and JSON exports.

The API mocked at the plugin's own ``backup_dashboard.api.overview`` list
calls, on the estate of ``testkit.overview_data``: in demo, "tmp" has a
volume and no schedule, "db" is past the RPO of "nightly", which drills
and had a good drill 3 days ago; in alt, '=HYPERLINK("x")' has no schedule
and the only drill failed.
"""
import csv
import io
import json
import re
from unittest import mock

from django.contrib import messages
from django.urls import reverse
from horizon import exceptions
from openstack_dashboard.test import helpers as horizon_helpers

from backup_dashboard.api import overview as overview_api
from backup_dashboard.dashboards.admin.overview import compliance
from backup_dashboard.dashboards.admin.overview import coverage
from backup_dashboard import guardrails
from backup_dashboard import holds
from testkit import overview_data as data
from tests.unit.dashboards.admin.overview import test_views

PAGE = reverse('horizon:admin:backups_overview:compliance')
CSV = reverse('horizon:admin:backups_overview:compliance_csv')
JSON = reverse('horizon:admin:backups_overview:compliance_json')
GENERATED = '2026-11-22T12:00:00+00:00'


def held(metadata=None, reason='Dispute 42', by='auditor',
         at='2026-11-21T09:30:00Z'):
    return holds.placed(metadata or {}, reason, by, at)


class ComplianceTestCase(test_views.OverviewTestCase):
    def report(self):
        parts, errors = overview_api.collect(mock.sentinel.request)
        return compliance.build(coverage.build(parts, errors), parts)

    def found(self, category):
        return {f.subject_name: f for f in self.report().findings
                if f.category == category}

    def category(self, code):
        return next(c for c in self.report().categories if c.code == code)

    def hold_some(self):
        """b2 (web, demo) and b5 (app, alt) held; b1 released."""
        backups = self.parts['backups']
        backups[1] = data.backup('b2', 'v-web', data.DEMO,
                                 '2026-11-21T02:04:00.000000',
                                 name='web before upgrade', metadata=held(
                                     {'backup_dashboard:automated': 'true',
                                      'secret_token': 'hunter2'}))
        backups[4] = data.backup('b5', 'v-app', data.ALT,
                                 '2026-11-22T02:04:00.000000',
                                 metadata=held(reason='=HYPERLINK("evil")',
                                               by='@admin'))
        backups[0] = data.backup('b1', 'v-web', data.DEMO,
                                 '2026-11-22T02:04:00.000000',
                                 metadata=holds.released(
                                     held(), 'settled', 'auditor',
                                     '2026-11-22T08:00:00Z'))


class UnprotectedTests(ComplianceTestCase):
    def test_instances_with_volumes_and_no_schedule(self):
        found = self.found(compliance.UNPROTECTED)
        # cache's only volume is opted out; web and db are under nightly.
        self.assertEqual({'tmp', '=HYPERLINK("x")'}, set(found))
        self.assertEqual((data.DEMO, 'test_tenant', 's-tmp', 1),
                         (found['tmp'].project_id, found['tmp'].project_name,
                          found['tmp'].subject_id,
                          found['tmp'].facts['volumes']))
        self.assertEqual(2, self.category(compliance.UNPROTECTED).count)

    def test_an_instance_without_volumes_is_no_finding(self):
        self.parts['servers'].append(data.server('s-img', 'img', data.DEMO))
        self.assertNotIn('img', self.found(compliance.UNPROTECTED))

    def test_without_the_schedules_nothing_is_called_unprotected(self):
        # Every instance would look unprotected: the category is unknown.
        self.parts['triggers'] = exceptions.ServiceCatalogException('x')
        self.assertEqual({}, self.found(compliance.UNPROTECTED))
        category = self.category(compliance.UNPROTECTED)
        self.assertEqual((None, 'unknown'), (category.count, category.state))

    def test_without_the_volumes_it_is_partial(self):
        self.parts['volumes'] = exceptions.ServiceCatalogException('x')
        category = self.category(compliance.UNPROTECTED)
        self.assertEqual(('partial', ('volumes',)),
                         (category.state, category.missing))


class RpoBreachTests(ComplianceTestCase):
    def test_a_schedule_with_an_instance_past_its_rpo(self):
        found = self.found(compliance.RPO_BREACH)
        self.assertEqual(['nightly'], list(found))
        nightly = found['nightly']
        self.assertEqual(('schedule', 'trig-nightly'),
                         (nightly.subject_type, nightly.subject_id))
        self.assertEqual(['db'], [i['name'] for i in
                                  nightly.facts['instances']])
        # db's newest available backup; its newer one is in error.
        self.assertEqual('2026-11-20T02:04:00+00:00', nightly.at.isoformat())
        self.assertEqual(25 * 3600, nightly.facts['rpo'].total_seconds())

    def test_the_same_breach_coverage_judges(self):
        # Coverage decides; a fresh backup of db ends the finding.
        self.parts['backups'][3].status = 'available'
        self.assertEqual({}, self.found(compliance.RPO_BREACH))
        self.assertEqual(0, self.category(compliance.RPO_BREACH).count)

    def test_an_instance_under_two_schedules_counts_for_both(self):
        self.parts['servers'][1] = data.server(
            's-db', 'db', data.DEMO, ['backup:nightly', 'backup:late'],
            ['v-db'])
        self.assertEqual({'nightly', 'late'},
                         set(self.found(compliance.RPO_BREACH)))

    def test_without_the_backups_it_is_unknown(self):
        self.parts['backups'] = exceptions.ServiceCatalogException('x')
        self.assertEqual({}, self.found(compliance.RPO_BREACH))
        self.assertEqual('unknown',
                         self.category(compliance.RPO_BREACH).state)

    def test_without_the_runs_it_is_partial(self):
        self.parts['runs'] = overview_api.mistral.ServiceUnavailable('down')
        self.assertEqual('partial',
                         self.category(compliance.RPO_BREACH).state)


class DrillTests(ComplianceTestCase):
    def test_a_project_that_drills_without_a_good_drill(self):
        # alt: its only drill failed; demo: a good drill 3 days ago.
        found = self.found(compliance.DRILLS)
        self.assertEqual(['云规则'], list(found))
        alt = found['云规则']
        self.assertEqual(('project', data.ALT, None, 'failed', []), (
            alt.subject_type, alt.subject_id, alt.at,
            alt.facts['last_outcome'], alt.facts['drill_schedules']))

    def test_a_good_drill_older_than_30_days_is_a_finding(self):
        self.parts['drills'][1].created_at = '2026-10-20 12:00:00'
        demo = self.found(compliance.DRILLS)['test_tenant']
        self.assertEqual(['nightly'], demo.facts['drill_schedules'])
        self.assertEqual('2026-10-20T12:00:00+00:00', demo.at.isoformat())
        # 29 days: still good.
        self.parts['drills'][1].created_at = '2026-10-24 12:00:00'
        self.assertNotIn('test_tenant', self.found(compliance.DRILLS))

    def test_drills_on_and_none_run_is_a_finding(self):
        self.parts['drills'] = [d for d in self.parts['drills']
                                if d.project_id != data.DEMO]
        demo = self.found(compliance.DRILLS)['test_tenant']
        self.assertEqual((None, None), (demo.at, demo.facts['last_drill']))

    def test_a_project_that_never_drills_is_no_finding(self):
        self.parts['drills'] = [d for d in self.parts['drills']
                                if d.project_id != data.ALT]
        self.assertNotIn('云规则', self.found(compliance.DRILLS))
        self.assertEqual(0, self.category(compliance.DRILLS).count)

    def test_without_the_drills_it_is_unknown(self):
        self.parts['drills'] = exceptions.RecoverableError('down')
        self.assertEqual({}, self.found(compliance.DRILLS))
        self.assertEqual('unknown', self.category(compliance.DRILLS).state)


class HeldTests(ComplianceTestCase):
    def test_every_held_backup_with_its_hold(self):
        self.hold_some()
        found = {f.subject_id: f for f in self.report().findings
                 if f.category == compliance.HELD}
        # b1's hold was released: only its log remains.
        self.assertEqual({'b2', 'b5'}, set(found))
        b2 = found['b2']
        self.assertEqual(
            (data.DEMO, 'test_tenant', 'web before upgrade', 'v-web',
             'web-disk', 'Dispute 42', 'auditor'),
            (b2.project_id, b2.project_name, b2.subject_name,
             b2.facts['volume_id'], b2.facts['volume'], b2.facts['reason'],
             b2.facts['by']))
        self.assertEqual('2026-11-21T09:30:00+00:00', b2.at.isoformat())
        b5 = found['b5']
        self.assertEqual(('云规则', 'b5'), (b5.project_name, b5.subject_name))
        self.assertEqual(2, self.category(compliance.HELD).count)

    def test_a_backup_without_its_project_takes_its_volumes(self):
        self.hold_some()
        delattr(self.parts['backups'][1], 'os-backup-project-attr:project_id')
        found = {f.subject_id: f for f in self.report().findings}
        self.assertEqual(data.DEMO, found['b2'].project_id)

    def test_without_the_backups_it_is_unknown(self):
        self.hold_some()
        self.parts['backups'] = exceptions.ServiceCatalogException('x')
        self.assertEqual('unknown', self.category(compliance.HELD).state)
        self.assertEqual({}, self.found(compliance.HELD))


class PageTests(ComplianceTestCase):
    def test_counts_at_the_top_and_every_finding(self):
        self.hold_some()
        res = self.client.get(PAGE)
        self.assertTemplateUsed(res, 'backup_dashboard/overview/'
                                     'compliance.html')
        rows = res.context['findings_table'].data
        self.assertEqual(
            ['unprotected', 'unprotected', 'rpo_breach', 'drills', 'held',
             'held'], [f.category for f in rows])
        for code, count in (('unprotected', 2), ('rpo_breach', 1),
                            ('drills', 1), ('held', 2)):
            self.assertContains(res, 'data-category="%s" data-state='
                                '"complete">' % code)
            self.assertEqual(count, res.context['report'].count(code))
        self.assertContains(res, 'Backups on legal hold:')
        self.assertContains(res, 'Volume web-disk, held by auditor: '
                                 'Dispute 42')
        self.assertContains(res, 'db (newest backup 2d 9h old)')
        self.assertContains(res, 'Held since <time datetime="2026-11-21T'
                                 '09:30:00+00:00"')
        self.assertContains(res, CSV)
        self.assertContains(res, JSON)
        self.assertNotContains(res, 'hunter2')
        self.assertNotContains(res, 'backups-compliance-partial')

    def test_the_overview_links_to_it(self):
        self.assertContains(self.client.get(test_views.INDEX), PAGE)

    def test_user_controlled_text_is_escaped(self):
        self.hold_some()
        self.parts['backups'][4] = data.backup(
            'b5', 'v-app', data.ALT, '2026-11-22T02:04:00.000000',
            metadata=held(reason='<script>alert(1)</script>'))
        res = self.client.get(PAGE)
        self.assertNotContains(res, '<script>alert(1)')
        self.assertContains(res, '&lt;script&gt;alert(1)&lt;/script&gt;')

    def test_filters_by_category_and_project(self):
        self.hold_some()
        res = self.client.post(PAGE, {'findings__filter__q_field': 'category',
                                      'findings__filter__q': 'held'})
        self.assertEqual(['b2', 'b5'], sorted(
            f.subject_id for f in res.context['findings_table'].data))
        res = self.client.post(PAGE, {'findings__filter__q_field': 'project',
                                      'findings__filter__q': '云规则'})
        self.assertEqual(
            {'unprotected', 'drills', 'held'},
            {f.category for f in res.context['findings_table'].data})
        self.assertEqual({data.ALT}, {
            f.project_id for f in res.context['findings_table'].data})

    def test_downloads_hold_what_the_filter_shows(self):
        self.hold_some()
        res = self.client.post(PAGE, {'findings__filter__q_field': 'category',
                                      'findings__filter__q': 'held'})
        shown = sorted(f.subject_id
                       for f in res.context['findings_table'].data)
        page = res.content.decode()
        for export in (CSV, JSON):
            link = re.search(r'href="(%s\?[^"]*)"' % re.escape(export),
                             page).group(1).replace('&amp;', '&')
            self.assertIn('filter_field=category', link)
            body = self.client.get(link).content.decode()
            if export == CSV:
                got = sorted(r['subject_id'] for r in
                             csv.DictReader(io.StringIO(body)))
            else:
                got = sorted(f['subject_id']
                             for f in json.loads(body)['findings'])
            self.assertEqual(['b2', 'b5'], shown)
            self.assertEqual(shown, got)

    def test_a_failing_service_is_a_message_and_marks_what_it_misses(self):
        self.parts['servers'] = exceptions.ServiceCatalogException('compute')
        self.parts['runs'] = overview_api.mistral.ServiceUnavailable('down')
        res = self.client.get(PAGE)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'Instances (Nova) could not be listed')
        self.assertNotContains(res, 'weakref')      # plain words only
        self.assertContains(res, 'Runs (Mistral) could not be listed')
        self.assertContains(res, 'data-category="unprotected" '
                                 'data-state="unknown"')
        self.assertContains(res, 'data-category="drills" '
                                 'data-state="complete"')
        self.assertContains(res, 'not checked')
        self.assertContains(res, 'backups-compliance-partial')
        self.assertEqual(['drills'], [
            f.category for f in res.context['findings_table'].data])

    def test_not_for_project_members(self):
        horizon_helpers.TestCase.setActiveUser(
            self, id=self.user.id, token=self.token,
            username=self.user.name, tenant_id=self.tenant.id,
            service_catalog=self.service_catalog,
            roles=[self.roles.member._info],
            authorized_tenants=self.tenants.list())
        for url in (PAGE, CSV, JSON):
            self.assertNotEqual(200, self.client.get(url).status_code)
        self.assertEqual(0, self.calls['backups'].call_count)


class ExportTests(ComplianceTestCase):
    def csv_rows(self, **params):
        res = self.client.get(CSV, params)
        self.assertEqual('text/csv; charset=utf-8', res['Content-Type'])
        self.assertIn('attachment; filename="backup-compliance-20261122T1200Z'
                      '.csv"', res['Content-Disposition'])
        return list(csv.DictReader(io.StringIO(res.content.decode())))

    def json_body(self, **params):
        res = self.client.get(JSON, params)
        self.assertEqual('application/json; charset=utf-8',
                         res['Content-Type'])
        self.assertIn('attachment; filename="backup-compliance-20261122T1200Z'
                      '.json"', res['Content-Disposition'])
        return json.loads(res.content.decode())

    def test_csv_has_every_finding_and_its_generation_time(self):
        self.hold_some()
        rows = self.csv_rows()
        self.assertEqual(6, len(rows))
        self.assertEqual({GENERATED}, {r['generated_at'] for r in rows})
        self.assertEqual({'complete'}, {r['data'] for r in rows})
        by_subject = {r['subject_id']: r for r in rows}
        b2 = by_subject['b2']
        self.assertEqual(
            ('held', 'test_tenant', data.DEMO, 'backup', 'web before upgrade',
             '2026-11-21T09:30:00+00:00', 'web-disk', 'v-web', 'Dispute 42',
             'auditor', 'available'),
            tuple(b2[k] for k in (
                'category', 'project', 'project_id', 'subject_type',
                'subject', 'at', 'volume', 'volume_id', 'hold_reason',
                'hold_by', 'backup_status')))
        nightly = by_subject['trig-nightly']
        self.assertEqual(('rpo_breach', 'db', '25.0',
                          '2026-11-20T02:04:00+00:00'),
                         (nightly['category'], nightly['instances'],
                          nightly['rpo_hours'], nightly['at']))
        self.assertEqual('1', by_subject['s-tmp']['attached_volumes'])
        self.assertEqual('failed', by_subject[data.ALT]['last_drill_outcome'])

    def test_csv_cells_never_start_a_formula(self):
        self.hold_some()
        self.parts['projects'][1].name = '-2+3'
        rows = self.csv_rows()
        b5 = next(r for r in rows if r['subject_id'] == 'b5')
        self.assertEqual(("'=HYPERLINK(\"evil\")", "'@admin", "'-2+3"),
                         (b5['hold_reason'], b5['hold_by'], b5['project']))
        self.assertEqual("'=HYPERLINK(\"x\")", next(
            r['subject'] for r in rows if r['subject_id'] == 's-app'))
        for row in rows:
            for value in row.values():
                self.assertFalse(value.startswith(('=', '+', '-', '@')),
                                 value)

    def test_csv_of_one_category_or_project(self):
        self.hold_some()
        self.assertEqual(['b2', 'b5'], sorted(
            r['subject_id'] for r in self.csv_rows(category='held')))
        self.assertEqual({data.ALT}, {
            r['project_id'] for r in self.csv_rows(project_id=data.ALT)})

    def test_exports_narrowed_by_the_pages_filter(self):
        self.hold_some()
        rows = self.csv_rows(filter_field='project', filter=' 云规则 ')
        self.assertTrue(rows)
        self.assertEqual({data.ALT}, {r['project_id'] for r in rows})
        body = self.json_body(filter_field='category', filter='held')
        self.assertEqual(['b2', 'b5'], sorted(
            f['subject_id'] for f in body['findings']))
        self.assertEqual({'held': 2}, {
            c['category']: c['count'] for c in body['categories']
            if c['count']})
        # a field the page does not filter by, or no text: every finding
        self.assertEqual(6, len(self.csv_rows(filter_field='owner',
                                              filter='x')))
        self.assertEqual(6, len(self.csv_rows(filter_field='category',
                                              filter=' ')))

    def test_csv_says_what_could_not_be_checked(self):
        self.parts['backups'] = exceptions.ServiceCatalogException('volume')
        rows = self.csv_rows()
        unknown = {r['category']: r for r in rows if r['data'] == 'unknown'}
        self.assertEqual({'rpo_breach', 'held'}, set(unknown))
        self.assertEqual(('', GENERATED), (unknown['held']['subject_id'],
                                           unknown['held']['generated_at']))
        self.assertEqual({'complete'}, {
            r['data'] for r in rows if r['category'] == 'unprotected'})

    def test_json_has_counts_findings_and_generation_time(self):
        self.hold_some()
        body = self.json_body()
        self.assertEqual(GENERATED, body['generated_at'])
        self.assertFalse(body['partial'])
        self.assertEqual(
            [('unprotected', 2, 'complete'), ('rpo_breach', 1, 'complete'),
             ('drills', 1, 'complete'), ('held', 2, 'complete'),
             ('outside_bounds', 0, 'complete')],
            [(c['category'], c['count'], c['data'])
             for c in body['categories']])
        findings = {f['subject_id']: f for f in body['findings']}
        b5 = findings['b5']
        # JSON is no spreadsheet: the values as they are.
        self.assertEqual(('=HYPERLINK("evil")', '@admin', '云规则', 'held'),
                         (b5['reason'], b5['by'], b5['project'],
                          b5['category']))
        nightly = findings['trig-nightly']
        self.assertEqual(25.0, nightly['rpo_hours'])
        self.assertEqual([{'id': 's-db', 'name': 'db',
                           'newest_backup': '2026-11-20T02:04:00+00:00',
                           'age_hours': 57.93}], nightly['instances'])
        self.assertEqual('2026-11-20T02:04:00+00:00', nightly['at'])
        self.assertIsNone(findings[data.ALT]['at'])

    def test_exports_carry_no_other_metadata(self):
        self.hold_some()
        for url in (CSV, JSON):
            text = self.client.get(url).content.decode()
            self.assertNotIn('hunter2', text)
            self.assertNotIn('secret_token', text)
            self.assertNotIn('hold_log', text)

    def test_json_marks_partial_data(self):
        self.parts['volumes'] = exceptions.ServiceCatalogException('volume')
        self.parts['drills'] = exceptions.RecoverableError('down')
        body = self.json_body()
        self.assertTrue(body['partial'])
        states = {c['category']: (c['count'], c['data'], c['missing'])
                  for c in body['categories']}
        self.assertEqual((None, 'unknown', ['drills']), states['drills'])
        self.assertEqual('partial', states['held'][1])
        self.assertIn('volumes', states['held'][2])

    def test_nothing_checked_goes_back_with_a_message(self):
        for name in ('servers', 'backups', 'drills', 'triggers'):
            self.parts[name] = exceptions.ServiceCatalogException(name)
        res = self.client.get(JSON)
        self.assertRedirectsNoFollow(res, PAGE)
        self.assertEqual(
            ['Nothing could be checked for the compliance report: the '
             'services it reads did not answer.'],
            [str(m) for m in messages.get_messages(res.wsgi_request)])


class OutsideBoundsTests(ComplianceTestCase):
    """Schedules outside their project's bounds, as the admins set them."""

    def setUp(self):
        super().setUp()
        # every schedule keeps 2 full backups; demo's are daily or weekly
        self.variables = {guardrails.BOUNDS_KEY: {
            'default': {'min_interval_minutes': 2 * 1440},
            'projects': {data.DEMO: {'min_full': 2, 'max_full': 5}}}}

    def test_a_projects_own_bounds_replace_the_default(self):
        found = self.found('outside_bounds')
        self.assertEqual(['=cmd'], sorted(found))
        self.assertEqual(
            ["runs every 1440 minutes; the cloud's default bounds allow at "
             "most one run every 2880 minutes"], found['=cmd'].facts['bounds'])
        self.variables[guardrails.BOUNDS_KEY]['projects'][data.DEMO] = {
            'min_full': 3}
        self.assertEqual(['=cmd', 'late', 'nightly', 'weekly db'],
                         sorted(self.found('outside_bounds')))

    def test_unreadable_bounds_are_not_checked(self):
        self.variables = exceptions.RecoverableError('down')
        category = self.category('outside_bounds')
        self.assertEqual((None, 'unknown'), (category.count, category.state))
        self.assertEqual({}, self.found('outside_bounds'))

    def test_counted_at_the_top_and_in_the_exports(self):
        res = self.client.get(PAGE)
        self.assertContains(res, 'data-category="outside_bounds" '
                                 'data-state="complete">')
        self.assertEqual(1, res.context['report'].count('outside_bounds'))
        self.assertContains(res, "Schedules outside their project&#x27;s "
                                 "bounds:")
        self.assertContains(res, 'runs every 1440 minutes')
        rows = [r for r in ExportTests.csv_rows(self) if
                r['category'] == 'outside_bounds']
        self.assertEqual([('=cmd', 'schedule')],
                         [(r['subject'][1:], r['subject_type'])
                          for r in rows])
        self.assertIn('at most one run every 2880 minutes', rows[0]['bounds'])
        body = ExportTests.json_body(self, category='outside_bounds')
        self.assertEqual([{'category': 'outside_bounds', 'count': 1,
                           'data': 'complete', 'missing': []}],
                         body['categories'])
        self.assertEqual(rows[0]['bounds'],
                         '; '.join(body['findings'][0]['bounds']))
