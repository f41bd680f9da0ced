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

"""The "Configure backups" modal form, with the api layer mocked."""
import re
from unittest import mock

from django.urls import reverse
from horizon import exceptions
from horizon import forms
from novaclient import exceptions as nova_exceptions

from backup_dashboard import api
from backup_dashboard.api import mistral as mistral_api
from testkit import helpers
from tests.unit.dashboards.project.instances import data

INSTANCE = 'srv-1'
URL = reverse('horizon:project:backup_schedules:instance_configure',
              args=[INSTANCE])
INDEX = reverse('horizon:project:instances:index')

MOCKS = {api.compute: ['server_get', 'server_add_tag', 'server_delete_tag'],
         api.schedules: ['schedule_list'],
         api.storage: ['volume_get', 'volume_set_skip']}


class ConfigureTestBase(helpers.TestCase):
    def setUp(self):
        super().setUp()
        schedules = self.schedules.list()   # nightly, weekly db
        for s, t in zip(schedules, self.triggers.list()):
            s.id, s.next_execution_time = t.id, '2026-11-23 01:00:00'

    def _mock(self, server=None, volumes=()):
        self.server = server or data.server(
            INSTANCE, tags=['backup:nightly', 'team:web'],
            volume_ids=[v.id for v in volumes])
        self.mock_server_get.return_value = self.server
        self.mock_schedule_list.return_value = self.schedules.list()
        by_id = {v.id: v for v in volumes}
        self.mock_volume_get.side_effect = lambda request, vid: by_id[vid]

    def _post(self, schedules=(), skip=()):
        return self.client.post(URL, {'schedules': list(schedules),
                                      'skip_volumes': list(skip)})


class GetTests(ConfigureTestBase):
    @helpers.create_mocks(MOCKS)
    def test_form_lists_schedules_with_summary_and_volumes(self):
        self._mock(volumes=[data.volume('vol-a', 'boot', 10),
                            data.volume('vol-b', 'data', 5, skip=True)])
        res = self.client.get(URL)
        self.assertTemplateUsed(res, 'backup_dashboard/instances/'
                                'configure.html')
        form = res.context['form']
        self.assertEqual(['nightly'], form.fields['schedules'].initial)
        self.assertEqual(['vol-b'], form.fields['skip_volumes'].initial)
        self.assertContains(res, 'Daily at 02:00 (Europe/Paris)')
        self.assertContains(res, 'keeps 2 full x 6 incremental')
        self.assertContains(
            res, 'next run %s' %
            self.schedules.first().next_run.strftime('%Y-%m-%d %H:%M UTC'))
        self.assertContains(res, 'boot (10 GB)')
        # Create a schedule and come back here.
        self.assertContains(res, '/create/?next=%2Fproject%2F')
        self.mock_server_add_tag.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_an_instance_with_two_schedules_shows_both_ticked(self):
        # Issue 22: several schedules per instance.
        self._mock(server=data.server(
            INSTANCE, tags=['backup:nightly', 'backup:weekly db']))
        res = self.client.get(URL)
        form = res.context['form']
        self.assertEqual(['nightly', 'weekly db'],
                         form.fields['schedules'].initial)
        self.assertIsInstance(form.fields['schedules'].widget,
                              forms.CheckboxSelectMultiple)
        boxes = re.findall(r'<input[^>]*name="schedules"[^>]*>',
                           res.content.decode())
        self.assertEqual(2, len(boxes))
        self.assertTrue(all(' checked' in box for box in boxes))

    @helpers.create_mocks(MOCKS)
    def test_deleted_instance_redirects_with_a_message(self):
        self.mock_server_get.side_effect = nova_exceptions.NotFound(404)
        self.mock_schedule_list.return_value = []
        res = self.client.get(URL)
        self.assertRedirectsNoFollow(res, INDEX)

    @helpers.create_mocks(MOCKS)
    def test_modal_template_for_ajax(self):
        self._mock()
        res = self.client.get(URL, HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertTemplateUsed(res, 'backup_dashboard/instances/'
                                '_configure.html')
        self.assertContains(res, 'csrfmiddlewaretoken')
        self.assertContains(res, 'id="configure_backups_form"')
        self.assertContains(res, 'Instance <strong>web</strong> (Active)')
        self.assertNotContains(res, 'Nova changes instance tags only while '
                               'it is')

    @helpers.create_mocks(MOCKS)
    def test_nova_down_is_a_message_not_a_500(self):
        self.mock_server_get.side_effect = ConnectionError('refused')
        self.mock_schedule_list.return_value = []
        res = self.client.get(URL)
        self.assertRedirectsNoFollow(res, INDEX)
        res = self.client.post(URL, {'schedules': ['nightly']})
        self.assertRedirectsNoFollow(res, INDEX)
        self.mock_server_add_tag.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_mistral_unreachable_shows_form_with_schedules_locked(self):
        self._mock()
        self.mock_schedule_list.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        res = self.client.get(URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'cannot be reached')
        self.assertTrue(res.context['form'].fields['schedules'].disabled)
        self.assertEqual('1', res.context['form']['schedules_locked'].value())

    @helpers.create_mocks(MOCKS)
    def test_names_are_escaped(self):
        self._mock(server=data.server(INSTANCE, tags=[
            'backup:<script>x</script>'], volume_ids=['v<b>']),
            volumes=[data.volume('v<b>', '<img src=x onerror=alert(1)>')])
        res = self.client.get(URL)
        self.assertNotContains(res, '<script>x</script>')
        self.assertNotContains(res, '<img src=x')
        self.assertContains(res, '&lt;img src=x onerror=alert(1)&gt;')


class PostTests(ConfigureTestBase):
    @helpers.create_mocks(MOCKS)
    def test_add_and_remove_tags_keeping_unrelated_ones(self):
        self._mock()
        res = self._post(schedules=['weekly db'])
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX)
        self.mock_server_add_tag.assert_called_once_with(
            helpers.IsHttpRequest(), INSTANCE, 'backup:weekly db')
        self.mock_server_delete_tag.assert_called_once_with(
            helpers.IsHttpRequest(), INSTANCE, 'backup:nightly')
        # 'team:web' is never touched: tags change one by one.
        for call in (self.mock_server_add_tag.call_args_list +
                     self.mock_server_delete_tag.call_args_list):
            self.assertNotEqual('team:web', call[0][2])
        self.mock_volume_set_skip.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_a_second_schedule_is_added_the_first_kept(self):
        self._mock()
        res = self._post(schedules=['nightly', 'weekly db'])
        self.assertNoFormErrors(res)
        self.mock_server_add_tag.assert_called_once_with(
            helpers.IsHttpRequest(), INSTANCE, 'backup:weekly db')
        self.mock_server_delete_tag.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_nothing_changed_makes_no_call(self):
        self._mock()
        res = self._post(schedules=['nightly'])
        self.assertNoFormErrors(res)
        self.mock_server_add_tag.assert_not_called()
        self.mock_server_delete_tag.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_volume_opt_out_and_back_in(self):
        self._mock(volumes=[data.volume('vol-a', 'boot'),
                            data.volume('vol-b', 'data', skip=True)])
        res = self._post(schedules=['nightly'], skip=['vol-a'])
        self.assertNoFormErrors(res)
        self.mock_volume_set_skip.assert_has_calls([
            mock.call(helpers.IsHttpRequest(), 'vol-a', True),
            mock.call(helpers.IsHttpRequest(), 'vol-b', False)])
        self.assertEqual(2, self.mock_volume_set_skip.call_count)
        self.mock_server_add_tag.assert_not_called()

    def _assert_refused(self, res, text):
        self.assertEqual(200, res.status_code)
        self.assertContains(res, text)
        self.assertContains(res, 'Nothing was changed')
        self.mock_server_add_tag.assert_not_called()
        self.mock_server_delete_tag.assert_not_called()
        self.mock_volume_set_skip.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_refused_in_a_state_nova_does_not_allow(self):
        self._mock(server=data.server(INSTANCE, status='SHELVED_OFFLOADED'))
        res = self.client.get(URL)
        self.assertContains(res, 'This instance is Shelved Offloaded: Nova '
                            'changes instance tags only while')
        res = self._post(schedules=['nightly'])
        self._assert_refused(res, 'only while the instance is Active, '
                             'Paused, Suspended or Shut Off; this one is '
                             'Shelved Offloaded')

    @helpers.create_mocks(MOCKS)
    def test_state_does_not_matter_for_volumes_only(self):
        self._mock(server=data.server(INSTANCE, status='BUILD',
                                      volume_ids=['vol-a']),
                   volumes=[data.volume('vol-a')])
        res = self._post(skip=['vol-a'])
        self.assertNoFormErrors(res)
        self.mock_volume_set_skip.assert_called_once()

    @helpers.create_mocks(MOCKS)
    def test_a_volume_not_offered_is_refused_not_left_out(self):
        # Detached meanwhile, or another project's id: said, never ignored.
        self._mock(volumes=[data.volume('vol-a')])
        res = self._post(schedules=['nightly'], skip=['vol-a', 'vol-gone'])
        self._assert_refused(res, 'Volume &quot;vol-gone&quot; is not '
                             'attached to this instance (any more), or '
                             'cannot be read now: untick it. Nothing was '
                             'changed.')
        # Only the instance's own volume was read.
        self.assertEqual({'vol-a'}, {c[0][1] for c in
                                     self.mock_volume_get.call_args_list})

    @helpers.create_mocks(MOCKS)
    def test_refused_over_fifty_tags(self):
        tags = ['t%d' % i for i in range(50)]
        self._mock(server=data.server(INSTANCE, tags=tags))
        res = self._post(schedules=['nightly'])
        self._assert_refused(res, 'at most 50 tags on an instance. This '
                             'one has 50, and this change would make 51')

    @helpers.create_mocks(MOCKS)
    def test_fifty_tags_is_fine_when_one_is_swapped(self):
        tags = ['t%d' % i for i in range(49)] + ['backup:nightly']
        self._mock(server=data.server(INSTANCE, tags=tags))
        res = self._post(schedules=['weekly db'])
        self.assertNoFormErrors(res)

    @helpers.create_mocks(MOCKS)
    def test_refused_when_instance_deleted_meanwhile(self):
        self._mock()
        self.mock_server_get.side_effect = nova_exceptions.NotFound(404)
        res = self._post(schedules=['weekly db'])
        self._assert_refused(res, 'no longer exists (it was deleted '
                             'meanwhile)')

    @helpers.create_mocks(MOCKS)
    def test_refused_when_schedule_deleted_meanwhile(self):
        self._mock()
        self.mock_schedule_list.return_value = self.schedules.list()[:1]
        res = self._post(schedules=['nightly', 'weekly db'])
        self._assert_refused(res, 'Schedule &quot;weekly db&quot; no longer '
                             'exists (it was deleted meanwhile)')

    @helpers.create_mocks(MOCKS)
    def test_refused_when_mistral_unreachable(self):
        self._mock()
        self.mock_schedule_list.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        # Mistral went away between showing the form and saving it.
        res = self._post(schedules=['weekly db'])
        self._assert_refused(res, 'cannot be reached')

    @helpers.create_mocks(MOCKS)
    def test_form_shown_locked_keeps_schedules(self):
        self._mock()
        self.mock_schedule_list.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        # Disabled checkboxes are not posted: the lock marker is.
        res = self.client.post(URL, {'schedules_locked': '1'})
        self.assertNoFormErrors(res)
        self.mock_server_delete_tag.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_volumes_still_change_when_mistral_unreachable(self):
        self._mock(volumes=[data.volume('vol-a')])
        self.mock_schedule_list.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        res = self.client.post(URL, {'schedules_locked': '1',
                                     'skip_volumes': ['vol-a']})
        self.assertNoFormErrors(res)
        self.mock_volume_set_skip.assert_called_once()
        self.mock_server_add_tag.assert_not_called()
        self.mock_server_delete_tag.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_failure_midway_undoes_what_was_done(self):
        self._mock(volumes=[data.volume('vol-a')])
        self.mock_volume_set_skip.side_effect = [
            exceptions.Conflict('volume busy'), None]
        res = self._post(schedules=['weekly db'], skip=['vol-a'])
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'Nothing was changed')
        self.assertContains(res, 'failed step: volume vol-a opted out')
        # Tags were changed first, then put back.
        self.mock_server_add_tag.assert_has_calls([
            mock.call(helpers.IsHttpRequest(), INSTANCE,
                      'backup:weekly db'),
            mock.call(helpers.IsHttpRequest(), INSTANCE,
                      'backup:nightly')])
        self.mock_server_delete_tag.assert_has_calls([
            mock.call(helpers.IsHttpRequest(), INSTANCE,
                      'backup:nightly'),
            mock.call(helpers.IsHttpRequest(), INSTANCE,
                      'backup:weekly db')])

    @helpers.create_mocks(MOCKS)
    def test_nova_conflict_is_explained(self):
        self._mock()
        # Nova's own words (nova.api.openstack.common), in plain words here.
        self.mock_server_add_tag.side_effect = nova_exceptions.Conflict(
            409, "Cannot 'update tag' instance %s while it is in vm_state "
                 "shelved_offloaded" % INSTANCE)
        res = self._post(schedules=['nightly', 'weekly db'])
        self.assertContains(res, 'Nova does not allow this while the '
                            'instance is shelved offloaded')
        self.assertNotContains(res, 'vm_state')
        self.assertContains(res, 'Nothing was changed')
        self.mock_server_add_tag.side_effect = nova_exceptions.Conflict(
            409, 'Something Nova has not said before')
        res = self._post(schedules=['nightly', 'weekly db'])
        self.assertContains(res, 'Nova refused the change: the instance '
                            'may have changed state meanwhile.')
        self.assertNotContains(res, 'Something Nova')

    @helpers.create_mocks(MOCKS)
    def test_instance_deleted_during_the_change(self):
        self._mock()
        self.mock_server_add_tag.side_effect = nova_exceptions.NotFound(404)
        self.mock_server_delete_tag.side_effect = nova_exceptions.NotFound(
            404)
        res = self._post(schedules=['weekly db'])
        # The first step (add weekly db) fails: nothing done, nothing stuck.
        self.assertContains(res, 'no longer exists (deleted meanwhile)')
        self.assertContains(res, 'Nothing was changed')

    @helpers.create_mocks(MOCKS)
    def test_undo_failure_says_what_is_left_applied(self):
        self._mock(volumes=[data.volume('vol-a')])
        self.mock_volume_set_skip.side_effect = exceptions.Conflict('busy')
        self.mock_server_add_tag.side_effect = [
            None, nova_exceptions.Conflict(409, 'instance is resizing')]
        res = self._post(schedules=['weekly db'], skip=['vol-a'])
        self.assertContains(res, 'Partly applied, and could not be undone')
        self.assertContains(res, 'removed from schedule &quot;nightly&quot;')
        self.assertNotContains(res, 'Nothing was changed')

    @helpers.create_mocks(MOCKS)
    def test_orphan_tag_is_listed_and_can_be_removed(self):
        self._mock(server=data.server(INSTANCE, tags=['backup:gone']))
        res = self.client.get(URL)
        self.assertContains(res, 'gone (no such schedule')
        res = self._post(schedules=[])
        self.assertNoFormErrors(res)
        self.mock_server_delete_tag.assert_called_once_with(
            helpers.IsHttpRequest(), INSTANCE, 'backup:gone')


class NoMistralTests(helpers.TestCase):
    with_mistral = False

    def test_configure_page_needs_mistral(self):
        res = self.client.get(URL)
        self.assertNotEqual(200, res.status_code)
