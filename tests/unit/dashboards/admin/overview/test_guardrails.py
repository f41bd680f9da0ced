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

"""The templates and bounds page and its forms, ``api.governance`` mocked.

The governance variables are ``self.variables`` of the overview's test case
(``self.save``: the mocked ``save_variables``), the projects and schedule
triggers its Keystone and Mistral listings.
"""
from django.urls import reverse
from openstack_dashboard.test import helpers as horizon_helpers

from backup_dashboard.dashboards.admin.overview import guardrail_tables
from backup_dashboard import guardrails
from backup_dashboard import schedule as domain
from testkit import data as testkit_data
from testkit import helpers
from testkit import overview_data as data
from tests.unit.dashboards.admin.overview import test_locks
from tests.unit.dashboards.admin.overview import test_views

PAGE = reverse('horizon:admin:backups_overview:guardrails')
TEMPLATE = reverse('horizon:admin:backups_overview:template')
DEFAULT = reverse('horizon:admin:backups_overview:default_bounds')
DAILY = guardrails.Template('Daily, keep 14', '0 2 * * *', None, 'rotation',
                            2, 6)
FORM = {'name': 'Hourly <b>48</b>', 'pattern': '0 * * * *', 'zone': '',
        'mode': 'full', 'max_full': '48', 'max_incremental': '0'}


def bounds_url(project_id):
    return reverse('horizon:admin:backups_overview:project_bounds',
                   args=[project_id])


class GuardrailsTestCase(test_views.OverviewTestCase):
    def setUp(self):
        super().setUp()
        self.variables = {'retention_lock': {'default': {'count': 2}},
                          guardrails.TEMPLATES_KEY: [DAILY.as_entry()]}

    def saved(self):
        self.save.assert_called_once()
        return self.save.call_args[0][1]


class PageTests(GuardrailsTestCase):
    def test_templates_bounds_and_drift_in_one_page(self):
        # nightly follows the template; late says it does, with 3 fulls
        self.parts['triggers'] += [
            testkit_data.trigger(domain.Schedule(
                name=name, pattern='0 2 * * *', max_full=full,
                template=DAILY.name), project_id=data.DEMO)
            for name, full in (('follows', 2), ('drifts', 3))]
        self.variables[guardrails.BOUNDS_KEY] = {
            'default': {'min_interval_minutes': 60},
            'projects': {data.ALT: {'max_full': 5}}}
        res = self.client.get(PAGE)
        self.assertTemplateUsed(res,
                                'backup_dashboard/overview/guardrails.html')
        [row] = res.context['templates_table'].data
        self.assertEqual((DAILY, 'Every project'), (row.template,
                                                    row.visible))
        rows = {r.id: r for r in res.context['bounds_table'].data}
        self.assertEqual((None, 60), (rows[data.DEMO].own,
                                      rows[data.DEMO].effective
                                      .min_interval_minutes))
        self.assertEqual(5, rows[data.ALT].own.max_full)
        [drift] = res.context['drift_table'].data
        self.assertEqual(('drifts', DAILY.name,
                          ['full backups kept: 3 (template: 2)']),
                         (drift.name, drift.template, drift.differences))
        self.assertContains(res, 'at most one run every 60 minutes')
        self.assertContains(res, TEMPLATE)
        self.assertContains(res, bounds_url(data.ALT) + '?clear=1')
        self.assertNotContains(res, bounds_url(data.DEMO) + '?clear=1')
        self.assertContains(self.client.get(test_views.INDEX), PAGE)

    def test_unreadable_variables_are_a_message_and_nothing_to_change(self):
        self.variables = test_locks.DOWN
        res = self.client.get(PAGE)
        self.assertEqual(200, res.status_code)
        self.assertIn('The schedule templates and bounds cannot be read '
                      'right now (Mistral is down); nothing was changed.',
                      test_locks.said(res))
        self.assertNotContains(res, TEMPLATE)
        self.assertNotContains(res, DEFAULT)
        self.assertNotContains(res, bounds_url(data.DEMO))


class TemplateTests(GuardrailsTestCase):
    def test_publish_keeps_everything_else_and_escapes_the_name(self):
        res = self.client.post(TEMPLATE, dict(FORM, projects=[data.ALT]))
        self.assertRedirectsNoFollow(res, PAGE)
        new = self.saved()
        self.assertEqual({'count': 2}, new['retention_lock']['default'])
        self.assertEqual([DAILY, guardrails.Template(
            'Hourly <b>48</b>', '0 * * * *', None, 'full', 48, 0,
            (data.ALT,))], guardrails.templates(new))
        self.variables = new
        res = self.client.get(PAGE)
        self.assertContains(res, 'Hourly &lt;b&gt;48&lt;/b&gt;')
        # visible to the project chosen, by its name
        self.assertEqual(['Every project', '云规则'], [
            r.visible for r in res.context['templates_table'].data])
        self.assertNotContains(res, '<b>48</b>')

    def test_refused_as_typed_with_the_reason(self):
        for changes, field in (({'name': '{{ x }}'}, 'name'),
                               ({'pattern': '*/0 * * * *'}, 'pattern'),
                               # more often than any schedule may run
                               ({'pattern': '*/5 * * * *'}, 'pattern'),
                               ({'zone': 'Mars/Base'}, 'zone'),
                               ({'name': DAILY.name}, 'name')):
            with self.subTest(changes=changes):
                res = self.client.post(TEMPLATE, dict(FORM, **changes),
                                       **helpers.AJAX)
                self.assertTemplateUsed(
                    res, 'backup_dashboard/overview/_template.html')
                self.assertIn(field, res.context['form'].errors)
        self.save.assert_not_called()

    def test_delete_removes_that_template_only(self):
        other = guardrails.Template('Other', '0 3 * * *')
        self.variables[guardrails.TEMPLATES_KEY].append(other.as_entry())
        res = self.client.post(PAGE, {
            'action': 'templates__delete__%s' %
            guardrail_tables.template_id(DAILY)})
        self.assertRedirectsNoFollow(res, PAGE)
        self.assertEqual([other], guardrails.templates(self.saved()))

    def test_a_failed_write_is_a_message_not_a_500(self):
        self.save.side_effect = test_locks.DOWN
        res = self.client.post(TEMPLATE, FORM)
        self.assertEqual(['The change was not saved: Mistral is down.'],
                         res.context['form'].non_field_errors())


class BoundsTests(GuardrailsTestCase):
    def post(self, url, shown='', **values):
        return self.client.post(url, dict(values, shown=shown))

    def test_set_and_clear_a_projects_bounds(self):
        res = self.post(bounds_url(data.DEMO), min_interval_minutes='60',
                        max_full='10')
        self.assertRedirectsNoFollow(res, PAGE)
        new = self.saved()
        self.assertEqual(guardrails.Bounds(60, None, 10, None,
                                           guardrails.PROJECT),
                         guardrails.bounds_for(new, data.DEMO))
        self.assertEqual([DAILY], guardrails.templates(new))
        self.variables, self.save.call_count = new, 0
        form = self.client.get(bounds_url(data.DEMO) + '?clear=1',
                               **helpers.AJAX).context['form']
        self.assertEqual({'shown': '60::10:'}, form.initial)
        res = self.post(bounds_url(data.DEMO), shown='60::10:')
        self.assertRedirectsNoFollow(res, PAGE)
        self.assertIsNone(guardrails.bounds_for(self.save.call_args[0][1],
                                                data.DEMO))

    def test_a_deleted_projects_own_bounds_are_listed_and_cleared(self):
        self.variables[guardrails.BOUNDS_KEY] = {
            'projects': {'gone': {'max_full': 5}}}
        res = self.client.get(PAGE)
        [gone] = [r for r in res.context['bounds_table'].data
                  if not r.listed]
        self.assertEqual(('gone', 5), (gone.id, gone.own.max_full))
        self.assertContains(res, 'gone (no such project)')
        self.assertContains(res, bounds_url('gone') + '?clear=1')
        self.assertNotContains(res, 'href="%s"' % bounds_url('gone'))
        res = self.post(bounds_url('gone'), shown='::5:')
        self.assertRedirectsNoFollow(res, PAGE)
        new = self.saved()
        self.assertEqual({}, guardrails.project_bounds(new))
        self.assertEqual([DAILY], guardrails.templates(new))
        # An id with no setting of its own is no project at all.
        res = self.client.get(bounds_url('nope'))
        self.assertRedirectsNoFollow(res, PAGE)

    def test_refused_with_limits_or_when_changed_meanwhile(self):
        res = self.post(DEFAULT, min_full='5', max_full='4')
        self.assertEqual(['The least number of full backups is above the '
                          'most.'], res.context['form'].errors['min_full'])
        self.variables[guardrails.BOUNDS_KEY] = {'default': {'max_full': 9}}
        res = self.post(DEFAULT, max_full='4')
        self.assertIn('The bounds of the cloud default were changed '
                      'meanwhile', res.context['form'].non_field_errors()[0])
        self.save.assert_not_called()


class MemberTests(GuardrailsTestCase):
    def test_a_project_member_can_neither_see_nor_change_them(self):
        horizon_helpers.TestCase.setActiveUser(
            self, id=self.user.id, token=self.token,
            username=self.user.name, tenant_id=self.tenant.id,
            service_catalog=self.service_catalog,
            roles=[self.roles.member._info],
            authorized_tenants=self.tenants.list())
        for url in (PAGE, TEMPLATE, DEFAULT, bounds_url(data.DEMO)):
            with self.subTest(url=url):
                res = self.client.get(url)
                self.assertNotEqual(200, res.status_code)
                self.assertLess(res.status_code, 500)
                res = self.client.post(url, dict(FORM, max_full='1'))
                self.assertIn(res.status_code, (302, 401, 403))
                if res.status_code == 302:
                    self.assertNotIn(PAGE, res['Location'])
        self.read.assert_not_called()
        self.save.assert_not_called()
