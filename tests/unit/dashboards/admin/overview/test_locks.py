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

"""The retention locks page and its forms, with ``api.governance`` mocked.

The governance variables are ``self.variables`` of the overview's test
case (read by the mocked ``api.governance.variables``; ``self.save`` is
the mocked ``save_variables``), the projects its Keystone listing.
"""
from django.contrib import messages
from django.urls import reverse
from horizon import exceptions
from openstack_dashboard.test import helpers as horizon_helpers

from backup_dashboard import api
from backup_dashboard.dashboards.admin.overview import lock_forms
from backup_dashboard import governance
from testkit import helpers
from testkit import overview_data as data
from tests.unit.dashboards.admin.overview import test_views

LOCKS = reverse('horizon:admin:backups_overview:locks')
DEFAULT = reverse('horizon:admin:backups_overview:default_lock')
DOWN = api.errors.ServiceUnavailable('Mistral is down.')


def lock_url(project_id):
    return reverse('horizon:admin:backups_overview:project_lock',
                   args=[project_id])


def stored(default=None, **projects):
    """Governance variables: the default and projects' (count, days)."""
    locks = {'projects': {pid: {'count': c, 'days': d}
                          for pid, (c, d) in projects.items()}}
    if default:
        locks['default'] = {'count': default[0], 'days': default[1]}
    return {governance.LOCK_KEY: locks, 'other': {'kept': True}}


def said(res):
    return [str(m) for m in messages.get_messages(res.wsgi_request)]


class LocksTestCase(test_views.OverviewTestCase):
    def post(self, url, count='', days='', shown='', confirm=False, **extra):
        form = {'count': count, 'days': days, 'shown': shown}
        if confirm:
            form['confirm'] = 'on'
        return self.client.post(url, form, **extra)

    def saved(self):
        """The variables written, once."""
        self.save.assert_called_once()
        return self.save.call_args[0][1]


class PageTests(LocksTestCase):
    def test_the_overview_links_to_the_locks_page(self):
        self.assertContains(self.client.get(test_views.INDEX), LOCKS)

    def test_every_project_with_the_lock_that_applies_and_whose(self):
        self.variables = stored(default=(10, None), **{data.DEMO: (3, 30)})
        res = self.client.get(LOCKS)
        self.assertTemplateUsed(res, 'backup_dashboard/overview/locks.html')
        rows = {r.id: r for r in res.context['locks_table'].data}
        self.assertEqual({data.DEMO, data.ALT}, set(rows))
        demo, alt = rows[data.DEMO], rows[data.ALT]
        self.assertEqual(('own', 3, 30), (demo.source, demo.effective.count,
                                          demo.effective.days))
        self.assertEqual(('default', 10, None),
                         (alt.source, alt.effective.count,
                          alt.effective.days))
        self.assertContains(res, 'Cloud default: <strong>at least 10 full '
                                 'backups (the cloud default)</strong>')
        self.assertContains(res, 'data-source="own"')
        self.assertContains(res, DEFAULT)
        self.assertContains(res, lock_url(data.ALT))
        # Only a project with its own lock can have it removed.
        self.assertContains(res, lock_url(data.DEMO) + '?remove=1')
        self.assertNotContains(res, lock_url(data.ALT) + '?remove=1')

    def test_no_lock_anywhere(self):
        res = self.client.get(LOCKS)
        self.assertEqual({'none'}, {r.source for r in
                                    res.context['locks_table'].data})
        self.assertContains(res, 'Cloud default: <strong>no lock</strong>')

    def test_filter_by_project_name_and_by_lock(self):
        self.variables = stored(default=(10, None), **{data.DEMO: (3, 30)})
        res = self.client.post(LOCKS, {'locks__filter__q_field': 'name',
                                       'locks__filter__q': '云'})
        self.assertEqual([data.ALT], [r.id for r in
                                      res.context['locks_table'].data])
        res = self.client.post(LOCKS, {'locks__filter__q_field': 'source',
                                       'locks__filter__q': 'own'})
        self.assertEqual([data.DEMO], [r.id for r in
                                       res.context['locks_table'].data])

    def test_unreadable_locks_are_a_message_and_nothing_to_change(self):
        self.variables = DOWN
        res = self.client.get(LOCKS)
        self.assertEqual(200, res.status_code)
        self.assertEqual(['The retention locks cannot be read right now '
                          '(Mistral is down); nothing was changed.'],
                         said(res))
        self.assertEqual({'unknown'}, {r.source for r in
                                       res.context['locks_table'].data})
        self.assertNotContains(res, DEFAULT)
        self.assertNotContains(res, lock_url(data.DEMO))
        self.assertContains(res, 'nothing can be changed until they can')

    def test_projects_not_listed_is_a_message_and_the_default_shows(self):
        self.variables = stored(default=(10, 7))
        self.parts['projects'] = exceptions.ServiceCatalogException('x')
        res = self.client.get(LOCKS)
        self.assertEqual(200, res.status_code)
        self.assertEqual([], res.context['locks_table'].data)
        self.assertIn('The projects could not be listed (Invalid service '
                      'catalog: x).', said(res))
        self.assertContains(res, 'at least 10 full backups')

    def test_a_deleted_projects_own_lock_is_listed_to_be_removed(self):
        # The listing lacks 'gone': its own lock stays in the variables.
        self.variables = stored(**{data.DEMO: (3, 30), 'gone': (5, None)})
        res = self.client.get(LOCKS)
        rows = res.context['locks_table'].data
        self.assertEqual(['gone'], [r.id for r in rows if not r.listed])
        self.assertEqual('gone', rows[-1].id)       # after the projects
        self.assertContains(res, 'gone (no such project)')
        self.assertContains(res, lock_url('gone') + '?remove=1')
        # Nothing to set on it, and no page of it to link to.
        self.assertNotContains(res, 'href="%s"' % lock_url('gone'))
        self.assertNotContains(res, reverse(
            'horizon:admin:backups_overview:project', args=['gone']))

    def test_no_project_is_called_deleted_when_none_are_listed(self):
        self.variables = stored(**{data.DEMO: (3, 30)})
        self.parts['projects'] = exceptions.ServiceCatalogException('x')
        res = self.client.get(LOCKS)
        self.assertEqual([], res.context['locks_table'].data)
        self.assertNotContains(res, 'no such project')


class ProjectLockTests(LocksTestCase):
    def test_the_form_shows_the_current_values(self):
        self.variables = stored(default=(10, None), **{data.DEMO: (3, 30)})
        res = self.client.get(lock_url(data.DEMO), **helpers.AJAX)
        self.assertTemplateUsed(res, 'backup_dashboard/overview/_lock.html')
        form = res.context['form']
        self.assertEqual(({'count': 3, 'days': 30, 'shown': '3:30'}),
                         {k: form.initial[k] for k in ('count', 'days',
                                                       'shown')})
        self.assertContains(res, 'at least 3 full backups and every backup '
                                 'for at least 30 days (its own lock)')
        self.assertContains(res, 'at least 10 full backups (the cloud '
                                 'default)')
        # "Remove Own Lock" opens it empty, with the same stamp.
        form = self.client.get(lock_url(data.DEMO) + '?remove=1'
                               ).context['form']
        self.assertEqual({'shown': '3:30'}, form.initial)

    def test_raising_is_saved_and_every_other_key_kept(self):
        self.variables = stored(default=(10, None), **{data.ALT: (2, None)})
        res = self.post(lock_url(data.DEMO), count='12', days='40')
        self.assertRedirectsNoFollow(res, LOCKS)
        self.assertEqual(stored(default=(10, None),
                                **{data.ALT: (2, None), data.DEMO: (12, 40)}),
                         self.saved())
        self.assertIn('Retention lock of project test_tenant saved: now at '
                      'least 12 full backups and every backup for at least '
                      '40 days (its own lock) (was at least 10 full backups '
                      '(the cloud default)).', said(res))

    def test_the_variables_are_read_again_right_before_writing(self):
        self.client.get(lock_url(data.DEMO))
        # Another admin set ALT's lock meanwhile: it is kept.
        self.variables = stored(**{data.ALT: (4, None)})
        reads = self.read.call_count
        self.post(lock_url(data.DEMO), count='5')
        self.assertEqual(reads + 1, self.read.call_count)
        self.assertEqual(stored(**{data.ALT: (4, None), data.DEMO: (5, None)}),
                         self.saved())

    def test_input_is_stored_as_typed_or_refused_with_its_limit(self):
        for count, days, field, limit in (
                ('07', '', 'count', 1000), ('1001', '', 'count', 1000),
                ('0', '', 'count', 1000), ('2.5', '', 'count', 1000),
                ('', '36501', 'days', 36500), ('', 'ten', 'days', 36500)):
            with self.subTest(count=count, days=days):
                res = self.post(lock_url(data.DEMO), count=count, days=days)
                self.assertEqual(200, res.status_code)
                self.assertEqual(
                    ['Enter a whole number from 1 to %d, or leave it '
                     'empty.' % limit],
                    res.context['form'].errors[field])
        self.save.assert_not_called()

    def test_lowering_asks_for_the_tick_with_both_values(self):
        self.variables = stored(**{data.DEMO: (10, 30)})
        res = self.post(lock_url(data.DEMO), count='5', days='30',
                        shown='10:30')
        self.assertEqual(200, res.status_code)
        self.assertEqual(
            ['This lowers or removes the retention lock of project '
             'test_tenant: now at least 10 full backups and every backup for '
             'at least 30 days (its own lock), after this change at least 5 '
             'full backups and every backup for at least 30 days (its own '
             'lock). Tick the box to confirm.'],
            res.context['form'].errors['confirm'])
        self.save.assert_not_called()
        res = self.post(lock_url(data.DEMO), count='5', days='30',
                        shown='10:30', confirm=True)
        self.assertRedirectsNoFollow(res, LOCKS)
        self.assertEqual(stored(**{data.DEMO: (5, 30)}), self.saved())

    def test_dropping_one_limit_is_lowering(self):
        self.variables = stored(**{data.DEMO: (10, 30)})
        res = self.post(lock_url(data.DEMO), count='20', shown='10:30')
        self.assertIn('confirm', res.context['form'].errors)
        self.save.assert_not_called()

    def test_an_own_lock_below_the_default_is_lowering(self):
        self.variables = stored(default=(10, None))
        res = self.post(lock_url(data.DEMO), count='3')
        self.assertIn('now at least 10 full backups (the cloud default), '
                      'after this change at least 3 full backups (its own '
                      'lock)', res.context['form'].errors['confirm'][0])
        self.save.assert_not_called()

    def test_removing_needs_the_tick_and_the_default_applies_again(self):
        self.variables = stored(default=(10, None), **{data.DEMO: (20, None)})
        res = self.post(lock_url(data.DEMO), shown='20:')
        self.assertIn('confirm', res.context['form'].errors)
        self.save.assert_not_called()
        res = self.post(lock_url(data.DEMO), shown='20:', confirm=True)
        self.assertRedirectsNoFollow(res, LOCKS)
        self.assertEqual(stored(default=(10, None)), self.saved())
        self.assertIn('Retention lock of project test_tenant saved: now at '
                      'least 10 full backups (the cloud default) (was at '
                      'least 20 full backups (its own lock)).', said(res))

    def test_a_lock_changed_meanwhile_is_not_overwritten(self):
        self.variables = stored(**{data.DEMO: (20, None)})
        res = self.post(lock_url(data.DEMO), count='5', shown='10:',
                        confirm=True)
        self.assertEqual(200, res.status_code)
        self.save.assert_not_called()
        self.assertIn('The retention lock of project test_tenant was changed '
                      'meanwhile: it is now at least 20 full backups (its own '
                      'lock). Check the values and send them again.',
                      res.context['form'].non_field_errors())
        # Shown again with what is stored now, and the tick to give again.
        self.assertContains(res, 'value="20:"')
        self.assertNotIn('confirm', res.context['form'].data)

    def test_unreadable_locks_are_never_overwritten(self):
        self.variables = DOWN
        res = self.post(lock_url(data.DEMO), count='5', **helpers.AJAX)
        self.assertEqual(200, res.status_code)
        self.save.assert_not_called()
        self.assertIn('The retention locks cannot be read right now (Mistral '
                      'is down); nothing was changed.',
                      res.context['form'].non_field_errors())
        self.assertContains(res, 'Unknown: the locks could not be read.')
        # And no form is offered to begin with.
        res = self.client.get(lock_url(data.DEMO))
        self.assertRedirectsNoFollow(res, LOCKS)
        self.assertIn('The retention locks cannot be read right now (Mistral '
                      'is down); nothing was changed.', said(res))

    def test_a_failed_write_is_a_message_not_a_500(self):
        # The plugin's own words as they are; a bug's text not at all.
        for error, words in (
                (DOWN, 'Mistral is down.'),
                (exceptions.NotAuthorized('Not allowed.'), 'Not allowed.'),
                (RuntimeError('boom'), 'An unexpected error occurred.')):
            with self.subTest(error=error):
                self.save.side_effect = error
                res = self.post(lock_url(data.DEMO), count='5')
                self.assertEqual(200, res.status_code)
                self.assertEqual(
                    ['The retention lock was not saved: %s' % words],
                    res.context['form'].non_field_errors())

    def test_a_deleted_projects_own_lock_can_be_removed(self):
        self.variables = stored(**{data.DEMO: (3, 30), 'gone': (5, None)})
        form = self.client.get(lock_url('gone') + '?remove=1',
                               **helpers.AJAX).context['form']
        self.assertEqual({'shown': '5:'}, form.initial)
        res = self.post(lock_url('gone'), shown='5:', confirm=True)
        self.assertRedirectsNoFollow(res, LOCKS)
        self.assertEqual(stored(**{data.DEMO: (3, 30)}), self.saved())
        self.assertIn('Retention lock of project gone saved: now no lock '
                      '(was at least 5 full backups (its own lock)).',
                      said(res))

    def test_an_unknown_project_goes_back_to_the_page(self):
        for method in (self.client.get, self.client.post):
            res = method(lock_url('nope'))
            self.assertRedirectsNoFollow(res, LOCKS)
            self.assertIn('Project "nope" was not found.', said(res))
        self.save.assert_not_called()

    def test_the_project_name_is_text_not_a_template(self):
        self.parts['projects'][0].name = '{{ request.user }}<b>x</b>'
        res = self.client.get(lock_url(self.parts['projects'][0].id))
        self.assertContains(res, '{{ request.user }}&lt;b&gt;x&lt;/b&gt;')
        self.assertNotContains(res, '<b>x</b>')


class DefaultLockTests(LocksTestCase):
    def test_setting_the_default_keeps_the_projects_locks(self):
        self.variables = stored(**{data.DEMO: (3, None)})
        res = self.post(DEFAULT, days='14')
        self.assertRedirectsNoFollow(res, LOCKS)
        self.assertEqual(stored(default=(None, 14), **{data.DEMO: (3, None)}),
                         self.saved())

    def test_lowering_and_clearing_the_default_need_the_tick(self):
        self.variables = stored(default=(10, 14))
        for count, days in (('9', '14'), ('10', ''), ('', '')):
            with self.subTest(count=count, days=days):
                res = self.post(DEFAULT, count=count, days=days,
                                shown='10:14')
                self.assertIn('of the cloud default: now at least 10 full '
                              'backups and every backup for at least 14 '
                              'days (the cloud default)',
                              res.context['form'].errors['confirm'][0])
        self.save.assert_not_called()
        res = self.post(DEFAULT, shown='10:14', confirm=True)
        self.assertRedirectsNoFollow(res, LOCKS)
        self.assertEqual(stored(), self.saved())
        self.assertIn('Retention lock of the cloud default saved: now no '
                      'lock (was at least 10 full backups and every backup '
                      'for at least 14 days (the cloud default)).', said(res))

    def test_the_modal_answers_ajax_with_its_partial(self):
        res = self.client.get(DEFAULT, **helpers.AJAX)
        self.assertTemplateUsed(res, 'backup_dashboard/overview/_lock.html')
        self.assertTemplateNotUsed(res, 'backup_dashboard/overview/lock.html')


class MemberTests(LocksTestCase):
    def test_a_project_member_can_neither_see_nor_set_a_lock(self):
        # Horizon's TestCase, not BaseAdminViewTests (which adds admin).
        horizon_helpers.TestCase.setActiveUser(
            self, id=self.user.id, token=self.token,
            username=self.user.name, tenant_id=self.tenant.id,
            service_catalog=self.service_catalog,
            roles=[self.roles.member._info],
            authorized_tenants=self.tenants.list())
        for url in (LOCKS, DEFAULT, lock_url(data.DEMO)):
            with self.subTest(url=url):
                res = self.client.get(url)
                self.assertNotEqual(200, res.status_code)
                self.assertLess(res.status_code, 500)
                res = self.post(url, count='1', confirm=True)
                self.assertIn(res.status_code, (302, 401, 403))
                if res.status_code == 302:
                    self.assertNotIn(LOCKS, res['Location'])
        self.read.assert_not_called()
        self.save.assert_not_called()


class LoweringTests(helpers.TestCase):
    """``lock_forms``' judgement of a change, on variables alone."""

    def test_what_needs_the_tick(self):
        pid = data.DEMO
        cases = (
            (stored(), stored(**{pid: (1, None)}), pid, False),
            (stored(**{pid: (5, None)}), stored(**{pid: (5, 1)}), pid, False),
            (stored(**{pid: (5, 9)}), stored(**{pid: (6, 8)}), pid, True),
            (stored(**{pid: (5, None)}), stored(), pid, True),
            # removing it raises what applies: still a removal
            (stored((9, None), **{pid: (5, None)}), stored((9, None)), pid,
             True),
            (stored((9, None)), stored((9, None), **{pid: (8, 99)}), pid,
             True),
            (stored((9, None)), stored((9, None), **{pid: (9, 1)}), pid,
             False),
            (stored((9, None)), stored((9, 1)), None, False),
            (stored((9, None)), stored((8, 1)), None, True),
            (stored((9, None)), stored(), None, True),
            # the default lowered under a project's own lock: for the default
            (stored((9, None), **{pid: (20, None)}),
             stored((1, None), **{pid: (20, None)}), None, True),
            (stored((9, None), **{pid: (20, None)}),
             stored((1, None), **{pid: (20, None)}), pid, False),
        )
        for before, after, project_id, expected in cases:
            with self.subTest(before=before, after=after,
                              project_id=project_id):
                self.assertEqual(expected, lock_forms.lowering(
                    before, after, project_id))

    def test_stamp_and_words(self):
        self.assertEqual('', lock_forms.stamp(None))
        self.assertEqual('5:', lock_forms.stamp(governance.Lock(5, None)))
        self.assertEqual(':7', lock_forms.stamp(governance.Lock(None, 7)))
        self.assertEqual('no lock', lock_forms.describe(None))
        self.assertEqual('every backup for at least 7 days (its own lock)',
                         lock_forms.describe(governance.Lock(
                             None, 7, governance.PROJECT)))
