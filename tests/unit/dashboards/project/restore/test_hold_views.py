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

"""Placing and releasing legal holds on a backup and on a restore point."""
from django.test.utils import override_settings
from django.urls import reverse
from horizon import exceptions

from backup_dashboard import api
from backup_dashboard import holds
from testkit import helpers
from tests.unit.dashboards.project.restore import data

INDEX = reverse('horizon:project:backup_restore:index')
NOT_FOUND = exceptions.NotFound('gone')


def hold_url(backup_id, action='hold'):
    return reverse('horizon:project:backup_restore:backup_' + action,
                   args=[backup_id])


def point_url(server, run, action='hold'):
    return reverse('horizon:project:backup_restore:point_' + action,
                   args=[server, run])


def held(backup, reason='dispute 42', by='legal', at='2026-12-01T00:00:00Z'):
    backup._apiresource.metadata.update(holds.placed(
        backup._apiresource.metadata, reason, by, at))
    return backup


class _Base(helpers.TestCase):
    def assertRefused(self, res, phrase):
        """The form was refused with one error that says `phrase`."""
        errors = [str(e) for found in res.context['form'].errors.values()
                  for e in found]
        self.assertEqual(1, len(errors), errors)
        self.assertIn(phrase, errors[0])


class BackupHoldTests(_Base):
    MOCKS = {api.storage: ['backup_get_own', 'backup_set_metadata',
                           'backup_delete']}

    @helpers.create_mocks(MOCKS)
    def test_a_hold_keeps_every_other_key_and_logs_who_when_why(self):
        self.mock_backup_get_own.return_value = data.backup(
            'b1', 'vol-1', schedule='nightly')
        res = self.client.get(hold_url('b1'))
        self.assertContains(res, 'id="backup_hold_form"')
        self.assertContains(res, 'What a legal hold does')
        res = self.client.post(hold_url('b1'),
                               {'reason': ' Case 42: keep <b>it</b> '})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, '%s?volume_id=vol-1' % INDEX)
        (_req, backup_id, metadata), _kw = \
            self.mock_backup_set_metadata.call_args
        self.assertEqual('b1', backup_id)
        self.assertEqual('nightly', metadata['backup_dashboard:schedule'])
        # exactly as typed, spaces included
        self.assertEqual(' Case 42: keep <b>it</b> ',
                         metadata[holds.HOLD_KEY])
        self.assertEqual('test_user', metadata[holds.BY_KEY])
        [entry] = holds.log_of(metadata)
        self.assertEqual(('placed', 'test_user'), (entry.action, entry.by))

    @helpers.create_mocks(MOCKS)
    def test_a_missing_or_too_long_reason_is_refused_with_the_limit(self):
        self.mock_backup_get_own.return_value = data.backup('b1')
        res = self.client.post(hold_url('b1'), {'reason': '   '})
        self.assertRefused(res, 'Say why')
        res = self.client.post(hold_url('b1'), {'reason': 'x' * 161})
        self.assertRefused(res, 'at most 160 are kept')
        res = self.client.post(hold_url('b1'), {'reason': 'a\nb'})
        self.assertRefused(res, 'one line')
        self.mock_backup_set_metadata.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_the_reason_is_escaped_on_the_page(self):
        self.mock_backup_get_own.return_value = held(
            data.backup('b1'), reason='<script>x</script>')
        res = self.client.get(hold_url('b1', 'release'))
        self.assertContains(res, '&lt;script&gt;x&lt;/script&gt;')
        self.assertNotContains(res, '<script>x</script>')

    @helpers.create_mocks(MOCKS)
    def test_release_removes_the_hold_and_keeps_the_log(self):
        self.mock_backup_get_own.return_value = held(data.backup('b1'))
        res = self.client.post(hold_url('b1', 'release'),
                               {'reason': 'case closed'})
        self.assertNoFormErrors(res)
        (_req, _id, metadata), _kw = self.mock_backup_set_metadata.call_args
        self.assertIsNone(holds.hold_of(metadata))
        self.assertEqual(['placed', 'released'],
                         [e.action for e in holds.log_of(metadata)])
        self.assertEqual('case closed', holds.log_of(metadata)[1].reason)

    @helpers.create_mocks(MOCKS)
    def test_a_held_backup_cannot_be_deleted_here(self):
        self.mock_backup_get_own.return_value = held(data.backup('b1'))
        delete = reverse('horizon:project:backup_restore:delete_backup',
                         args=['b1'])
        res = self.client.get(delete)
        self.assertContains(res, 'On legal hold since')
        self.assertNotContains(res, 'id="delete_backup_form"')
        self.client.post(delete)
        self.mock_backup_delete.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_holding_twice_or_an_unavailable_backup_is_refused(self):
        self.mock_backup_get_own.return_value = held(data.backup('b1'))
        res = self.client.post(hold_url('b1'), {'reason': 'again'})
        self.assertRefused(res, 'already on hold')
        self.mock_backup_get_own.return_value = data.backup(
            'b2', status='creating')
        res = self.client.post(hold_url('b2'), {'reason': 'why'})
        self.assertRefused(res, 'only an available backup')
        self.mock_backup_get_own.return_value = data.backup('b3')
        res = self.client.post(hold_url('b3', 'release'), {'reason': 'x'})
        self.assertRefused(res, 'not on hold')
        self.mock_backup_set_metadata.assert_not_called()

    @helpers.create_mocks(MOCKS)
    @override_settings(BACKUP_DASHBOARD_HOLD_ROLE='legal',
                       BACKUP_DASHBOARD_HOLD_RELEASE_ROLE='legal_admin')
    def test_the_roles_of_the_settings_are_required(self):
        self._setup_user(roles=[{'name': 'member'}, {'name': 'legal'}])
        self.mock_backup_get_own.return_value = data.backup('b1')
        res = self.client.post(hold_url('b1'), {'reason': 'case'})
        self.assertNoFormErrors(res)
        self.mock_backup_get_own.return_value = held(data.backup('b2'))
        res = self.client.post(hold_url('b2', 'release'), {'reason': 'x'})
        self.assertRefused(res, 'role "legal_admin"')
        self._setup_user(roles=[{'name': 'member'}])
        self.mock_backup_get_own.return_value = data.backup('b3')
        res = self.client.post(hold_url('b3'), {'reason': 'case'})
        self.assertRefused(res, 'role "legal"')
        self.assertEqual(1, self.mock_backup_set_metadata.call_count)

    @helpers.create_mocks(MOCKS)
    def test_another_projects_backup_is_not_found(self):
        self.mock_backup_get_own.side_effect = NOT_FOUND
        res = self.client.post(hold_url('b-other'), {'reason': 'x'})
        self.assertRedirectsNoFollow(res, INDEX)
        self.mock_backup_set_metadata.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_a_failing_cinder_is_a_message(self):
        self.mock_backup_get_own.return_value = data.backup('b1')
        self.mock_backup_set_metadata.side_effect = NOT_FOUND
        res = self.client.post(hold_url('b1'), {'reason': 'case'})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'Not held: b1 (')


class PointHoldTests(_Base):
    MOCKS = {api.storage: ['project_backups', 'backup_set_metadata']}

    def _point(self):
        return [
            data.point_backup('b-data', 'vol-1', 'run-1', '/dev/vdb'),
            held(data.point_backup('b-boot', 'vol-boot', 'run-1',
                                   '/dev/vda', boot=True)),
            data.point_backup('b-older', 'vol-1', 'run-0', '/dev/vdb')]

    @helpers.create_mocks(MOCKS)
    def test_holding_a_point_holds_its_members_not_yet_held(self):
        self.mock_project_backups.return_value = self._point()
        res = self.client.get(point_url('srv-1', 'run-1'))
        self.assertContains(res, 'b-data')
        self.assertContains(res, 'already on hold')
        self.assertNotContains(res, 'b-older')
        res = self.client.post(point_url('srv-1', 'run-1'),
                               {'reason': 'audit'})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, '%s?server_id=srv-1' % INDEX)
        self.assertEqual(['b-data'], [
            c.args[1] for c in self.mock_backup_set_metadata.call_args_list])

    @helpers.create_mocks(MOCKS)
    def test_releasing_a_point_releases_its_held_members(self):
        self.mock_project_backups.return_value = self._point()
        self.client.post(point_url('srv-1', 'run-1', 'release'),
                         {'reason': 'done'})
        [call] = self.mock_backup_set_metadata.call_args_list
        self.assertEqual('b-boot', call.args[1])
        self.assertIsNone(holds.hold_of(call.args[2]))

    @helpers.create_mocks(MOCKS)
    def test_an_unknown_point_is_not_found(self):
        self.mock_project_backups.return_value = self._point()
        res = self.client.post(point_url('srv-other', 'run-1'),
                               {'reason': 'x'})
        self.assertRedirectsNoFollow(res, '%s?server_id=srv-other' % INDEX)
        self.mock_backup_set_metadata.assert_not_called()
