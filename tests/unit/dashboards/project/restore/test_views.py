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

"""The Restore panel, its form, the progress page and the delete.

The Restore panel: choosing, the history picture, every refusal of the restore
form, the progress page and the protected delete.
"""
import types

from django.test.utils import override_settings
from django.urls import reverse
from horizon import exceptions

from backup_dashboard import api
from backup_dashboard import holds
from backup_dashboard import points
from testkit import helpers
from tests.unit.dashboards.project.instances import data as idata
from tests.unit.dashboards.project.restore import data

INDEX = reverse('horizon:project:backup_restore:index')
NOT_FOUND = exceptions.NotFound('not found')

PAGE_MOCKS = {
    api.storage: ['backup_get_own', 'volume_get_own', 'backup_history_page',
                  'project_volumes', 'project_backups', 'volume_types',
                  'availability_zones', 'volume_room', 'backup_delete',
                  'consistent_groups'],
    api.compute: ['server_get_own', 'project_servers'],
    api.restores: ['restore_list', 'restore_start', 'restore_get',
                   'restore_tasks'],
}


def progress_url(execution_id):
    return reverse('horizon:project:backup_restore:progress',
                   args=[execution_id])


def delete_url(backup_id):
    return reverse('horizon:project:backup_restore:delete_backup',
                   args=[backup_id])


class _Base(helpers.TestCase):
    def setUp(self):
        super().setUp()
        self.web = idata.server('srv-1', 'web', volume_ids=['vol-1'])
        self.db = idata.server('srv-2', 'db', volume_ids=['vol-db'],
                               status='ERROR')

    def _history_page(self, volume=None, backups=None, volumes=None):
        """Mocks for the history step of vol-1 (attached to web)."""
        self.source = volume or data.volume('vol-1', 'data', size=2,
                                            status='in-use',
                                            server_id='srv-1')
        self.mock_volume_get_own.return_value = self.source
        # Cinder lists them newest first.
        self.mock_backup_history_page.return_value = list(reversed(
            backups or data.history()))
        self.mock_project_volumes.return_value = volumes or [
            self.source,
            data.volume('vol-spare', 'spare', size=5),
            data.volume('vol-tiny', 'tiny', size=1),
            data.volume('vol-busy', 'busy', size=5, status='in-use',
                        server_id='srv-2')]
        self.mock_project_servers.return_value = [self.web, self.db]
        self.mock_volume_types.return_value = [
            types.SimpleNamespace(name='lvm'),
            types.SimpleNamespace(name='fast')]
        self.mock_availability_zones.return_value = ['nova', 'zone-b']
        self.mock_volume_room.return_value = {'volumes': 10,
                                              'gigabytes': 100}


class ChooseTests(_Base):
    @helpers.create_mocks(PAGE_MOCKS)
    def test_instances_volumes_deleted_volumes_and_recent_restores(self):
        self.mock_project_servers.return_value = [self.web]
        self.mock_project_volumes.return_value = [
            data.volume('vol-1', 'data<1>', status='in-use')]
        self.mock_project_backups.return_value = [
            data.backup('b2', 'vol-1', created_at='2026-11-21T01:00:00'),
            data.backup('b1', 'vol-1', created_at='2026-11-20T01:00:00',
                        name='monday'),
            data.backup('b0', 'vol-gone', created_at='2026-11-01T01:00:00')]
        self.mock_restore_list.return_value = [
            data.execution('SUCCESS'),
            data.execution('SUCCESS', exec_id='ex-r2',
                           inputs={'backup_id': 'b1'})]
        res = self.client.get(INDEX)
        self.assertEqual('choose', res.context['page'].step)
        self.assertTemplateUsed(res, 'backup_dashboard/restore/index.html')
        choose = res.context['choose']
        self.assertEqual([('web', 1, 2)], [
            (r['name'], r['volumes'], r['backups'])
            for r in choose['servers']])
        self.assertEqual(['vol-gone'], [r['id'] for r in choose['deleted']])
        self.assertContains(res, 'data&lt;1&gt;')      # escaped
        self.assertContains(res, '?server_id=srv-1')
        self.assertContains(res, '?volume_id=vol-gone')
        self.assertContains(res, progress_url('ex-r1'))
        # A restore's backup by name, by id once the backup is gone.
        self.assertEqual(['b-full-2', 'monday'],
                         [r['backup'] for r in choose['restores']])
        self.assertIsNone(res.context['form'])

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_failing_backend_is_a_message_not_a_500(self):
        self.mock_project_servers.side_effect = RuntimeError('nova down')
        self.mock_project_volumes.return_value = []
        self.mock_project_backups.return_value = []
        self.mock_restore_list.side_effect = \
            api.mistral.ServiceUnavailable('Mistral is down')
        res = self.client.get(INDEX)
        self.assertEqual(200, res.status_code)
        self.assertMessageCount(res, error=2)

    @helpers.create_mocks(PAGE_MOCKS)
    def test_instance_step_lists_only_its_volumes(self):
        self.mock_server_get_own.return_value = self.web
        self.mock_project_volumes.return_value = [
            data.volume('vol-1', 'data'), data.volume('vol-x', 'other')]
        self.mock_project_backups.return_value = [data.backup('b1', 'vol-1')]
        res = self.client.get(INDEX, {'server_id': 'srv-1'})
        self.assertEqual('server', res.context['page'].step)
        self.assertEqual(['vol-1'], [r['id'] for r in
                                     res.context['server_volumes']])
        self.assertContains(res, '?server_id=srv-1&amp;volume_id=vol-1')
        self.mock_server_get_own.assert_called_once_with(
            helpers.IsHttpRequest(), 'srv-1')

    def _points(self):
        """Two runs' points of web.

        The newest lost its data volume's backup (incomplete), the older is
        whole.
        """
        return [
            data.point_backup('p2-boot', 'vol-boot', 'run-2', '/dev/vda',
                              boot=True, incremental=True,
                              created_at='2026-11-22T01:00:05'),
            data.point_backup('p2-data', 'vol-1', 'run-2', '/dev/vdb',
                              status='error',
                              created_at='2026-11-22T01:00:09'),
            data.point_backup('p1-data', 'vol-1', 'run-1', '/dev/vdb',
                              created_at='2026-11-21T01:00:09'),
            data.point_backup('p1-boot', 'vol-boot', 'run-1', '/dev/vda',
                              boot=True, created_at='2026-11-21T01:00:05'),
            data.backup('by-hand', 'vol-1',
                        created_at='2026-11-23T01:00:00')]

    @helpers.create_mocks(PAGE_MOCKS)
    def test_instance_step_lists_its_restore_points_newest_first(self):
        self.mock_server_get_own.return_value = idata.server(
            'srv-1', 'web', volume_ids=['vol-boot', 'vol-1'])
        self.mock_project_volumes.return_value = [
            data.volume('vol-1', 'data'), data.volume('vol-boot', 'boot')]
        self.mock_project_backups.return_value = self._points()
        res = self.client.get(INDEX, {'server_id': 'srv-1'})
        rows = res.context['instance_points']
        self.assertEqual(['run-2', 'run-1'], [r['run'] for r in rows])
        self.assertEqual([False, True], [r['complete'] for r in rows])
        self.assertEqual(1, rows[0]['missing'])
        self.assertEqual(
            [('/dev/vda', True, 'boot', 'incremental 1 after its full'),
             ('/dev/vdb', False, 'data', 'full')],
            [(m['device'], m['boot'], m['volume'], m['position'])
             for m in rows[0]['members']])
        self.assertEqual(['full', 'full'],
                         [m['position'] for m in rows[1]['members']])
        self.assertContains(res, 'incomplete: 1 volume missing')
        self.assertContains(res, 'per volume (not taken together)')
        self.mock_consistent_groups.assert_not_called()
        self.assertContains(res, '2026-11-22 01:00 UTC')
        # a restorable backup links to its history, the failed one not
        self.assertContains(res, '?server_id=srv-1&amp;backup_id=p1-data')
        self.assertNotContains(res, 'backup_id=p2-data')
        self.assertNotContains(res, 'data-backup-id="by-hand"')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_point_says_how_many_backups_are_held(self):
        self.mock_server_get_own.return_value = idata.server(
            'srv-1', 'web', volume_ids=['vol-boot', 'vol-1'])
        self.mock_project_volumes.return_value = [
            data.volume('vol-1', 'data'), data.volume('vol-boot', 'boot')]
        made = self._points()
        for backup in made[:2]:
            backup._apiresource.metadata.update(holds.placed(
                {}, 'audit', 'legal', '2026-12-01T00:00:00Z'))
        self.mock_project_backups.return_value = made
        res = self.client.get(INDEX, {'server_id': 'srv-1'})
        rows = res.context['instance_points']
        self.assertEqual([2, 0], [r['held'] for r in rows])
        # run-2's other backup failed: nothing left to hold there
        self.assertEqual([False, True], [r['holdable'] for r in rows])
        held = {m['backup_id'] for r in rows for m in r['members']
                if m['hold']}
        self.assertEqual({b.id for b in made[:2]}, held)
        self.assertContains(res, 'on hold')
        self.assertContains(res, reverse(
            'horizon:project:backup_restore:point_release',
            args=['srv-1', rows[0]['run']]))

    @helpers.create_mocks(PAGE_MOCKS)
    def test_each_restore_point_says_which_schedule_took_it(self):
        # Issue 22: a daily and a monthly schedule back the instance up.
        self.mock_server_get_own.return_value = idata.server(
            'srv-1', 'web', volume_ids=['vol-1'])
        self.mock_project_volumes.return_value = [data.volume('vol-1')]
        made = [
            data.point_backup('m1', 'vol-1', 'run-m', '/dev/vdb', volumes=1,
                              schedule='monthly',
                              created_at='2026-11-22T01:00:05'),
            data.point_backup('d1', 'vol-1', 'run-d', '/dev/vdb', volumes=1,
                              schedule='daily',
                              created_at='2026-11-21T01:00:05')]
        self.mock_project_backups.return_value = made
        res = self.client.get(INDEX, {'server_id': 'srv-1'})
        rows = res.context['instance_points']
        self.assertEqual([('run-m', 'monthly'), ('run-d', 'daily')],
                         [(r['run'], r['schedule']) for r in rows])
        self.assertContains(res, 'schedule monthly</div>')
        self.assertContains(res, 'schedule daily</div>')
        # and the volume's history says it of each backup
        self._history_page(backups=list(reversed(made)))
        res = self.client.get(INDEX, {'volume_id': 'vol-1'})
        self.assertContains(res, 'schedule monthly</span>')
        self.assertContains(res, 'schedule daily</span>')

    def _group_point(self, group):
        made = [data.point_backup('g-' + device[-1], volume, 'run-g', device,
                                  boot=boot, created_at='2026-11-24T01:00:05')
                for volume, device, boot in (('vol-boot', '/dev/vda', True),
                                             ('vol-1', '/dev/vdb', False))]
        for backup in made:
            backup._apiresource.metadata.update({
                'backup_dashboard:point_consistency': 'group',
                'backup_dashboard:point_group': group,
                'backup_dashboard:point_spread': '0.0'})
        return made

    @override_settings(
        BACKUP_DASHBOARD_CONSISTENT_GROUP_TYPES=['consistent-snapshots'])
    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_group_snapshot_point_of_a_declared_type(self):
        self.mock_server_get_own.return_value = idata.server(
            'srv-1', 'web', volume_ids=['vol-boot', 'vol-1'])
        self.mock_project_volumes.return_value = [
            data.volume('vol-1', 'data'), data.volume('vol-boot', 'boot')]
        self.mock_project_backups.return_value = (
            self._group_point('grp-1') + self._points())
        self.mock_consistent_groups.return_value = {'grp-1'}
        res = self.client.get(INDEX, {'server_id': 'srv-1'})
        self.mock_consistent_groups.assert_called_once_with(
            helpers.IsHttpRequest(), ['consistent-snapshots'])
        rows = res.context['instance_points']
        self.assertEqual(['group-consistent', None, None],
                         [r['consistency'] for r in rows])
        self.assertContains(res, 'group-consistent (one group snapshot)')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_group_snapshot_point_is_no_more_than_crash_consistent(self):
        # its group's type not declared, or Cinder cannot say: a message,
        # and the weaker label
        self.mock_server_get_own.return_value = idata.server(
            'srv-1', 'web', volume_ids=['vol-boot', 'vol-1'])
        self.mock_project_volumes.return_value = [data.volume('vol-1')]
        self.mock_project_backups.return_value = self._group_point('grp-1')
        self.mock_consistent_groups.side_effect = \
            self.exceptions.cinder
        res = self.client.get(INDEX, {'server_id': 'srv-1'})
        self.assertEqual(['crash-consistent'],
                         [r['consistency'] for r in
                          res.context['instance_points']])
        self.assertContains(res, 'crash-consistent (one group snapshot)')
        self.assertMessageCount(res, error=1)
        self.assertContains(
            res, 'Unable to tell which volume groups are consistent.')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_deleted_instance_is_shown_by_its_points(self):
        self.mock_server_get_own.side_effect = NOT_FOUND
        self.mock_project_volumes.return_value = [data.volume('vol-1')]
        self.mock_project_backups.return_value = self._points()
        res = self.client.get(INDEX, {'server_id': 'srv-1'})
        page = res.context['page']
        self.assertEqual(('server', 'srv-1', 'web'),
                         (page.step, page.instance_id, page.instance_name))
        self.assertContains(res, 'The instance web no longer exists.')
        self.assertEqual([], res.context['server_volumes'])
        members = res.context['instance_points'][1]['members']
        self.assertEqual([('vol-boot', True), ('vol-1', False)],
                         [(m['volume'], m['volume_gone']) for m in members])
        self.assertMessageCount(res, error=0)

    @helpers.create_mocks(PAGE_MOCKS)
    def test_recent_restores_include_whole_instance_restores(self):
        self.mock_project_servers.return_value = []
        self.mock_project_volumes.return_value = []
        self.mock_project_backups.return_value = []
        self.mock_restore_list.return_value = [
            data.execution('RUNNING', exec_id='ex-p1',
                           workflow=points.RESTORE_WORKFLOW,
                           inputs={'members': [{}, {}, {}],
                                   'target': 'new_server'}),
            data.execution('SUCCESS')]
        res = self.client.get(INDEX)
        self.assertContains(res, '3 volumes of a restore point')
        self.assertContains(res, 'new server')
        self.assertContains(res, reverse(
            'horizon:project:backup_restore:point_progress',
            args=['ex-p1']))
        self.assertContains(res, progress_url('ex-r1'))

    @helpers.create_mocks(PAGE_MOCKS)
    def test_choose_lists_deleted_instances_that_have_points(self):
        self.mock_project_servers.return_value = [self.web]
        self.mock_project_volumes.return_value = []
        self.mock_project_backups.return_value = self._points() + [
            data.point_backup('q1', 'vol-q', 'run-9', '/dev/vda',
                              server='srv-gone', server_name='old<db>')]
        self.mock_restore_list.return_value = []
        res = self.client.get(INDEX)
        self.assertEqual(
            [('srv-gone', 'old<db>', 1)],
            [(r['id'], r['name'], r['points'])
             for r in res.context['choose']['gone_servers']])
        self.assertContains(res, 'old&lt;db&gt;')
        self.assertContains(res, '?server_id=srv-gone')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_foreign_or_unknown_instance_is_not_found(self):
        self.mock_server_get_own.side_effect = NOT_FOUND
        self.mock_project_servers.return_value = []
        self.mock_project_volumes.return_value = []
        self.mock_project_backups.return_value = []
        self.mock_restore_list.return_value = []
        res = self.client.get(INDEX, {'server_id': 'srv-other'})
        self.assertEqual('choose', res.context['page'].step)
        self.assertMessageCount(res, error=1)
        self.assertNotContains(res, 'srv-other"')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_foreign_or_unknown_volume_is_not_found(self):
        # Another project's volume: volume_get_own says NotFound and
        # Cinder lists none of its backups for this project.
        self.mock_volume_get_own.side_effect = NOT_FOUND
        self.mock_backup_history_page.return_value = []
        self.mock_project_servers.return_value = []
        self.mock_project_volumes.return_value = []
        self.mock_project_backups.return_value = []
        self.mock_restore_list.return_value = []
        res = self.client.get(INDEX, {'volume_id': 'vol-other'})
        self.assertEqual('choose', res.context['page'].step)
        self.assertMessageCount(res, error=1)
        self.assertIsNone(res.context['form'])

    @helpers.create_mocks(PAGE_MOCKS)
    def test_foreign_backup_id_is_not_found(self):
        self.mock_backup_get_own.side_effect = NOT_FOUND
        self.mock_project_servers.return_value = []
        self.mock_project_volumes.return_value = []
        self.mock_project_backups.return_value = []
        self.mock_restore_list.return_value = []
        res = self.client.get(INDEX, {'backup_id': 'b-other'})
        self.assertEqual('choose', res.context['page'].step)
        self.assertMessageCount(res, error=1)
        self.mock_backup_history_page.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_post_without_a_volume_starts_nothing(self):
        self.mock_project_servers.return_value = []
        self.mock_project_volumes.return_value = []
        self.mock_project_backups.return_value = []
        self.mock_restore_list.return_value = []
        res = self.client.post(INDEX, {'backup_id': 'b1', 'target': 'new'})
        self.assertRedirectsNoFollow(res, INDEX)
        self.mock_restore_start.assert_not_called()


class HistoryTests(_Base):
    @helpers.create_mocks(PAGE_MOCKS)
    def test_chains_points_and_initial_values(self):
        self._history_page()
        res = self.client.get(INDEX, {'volume_id': 'vol-1'})
        page = res.context['page']
        self.assertEqual('history', page.step)
        # Newest chain first; the failed full alone; incrementals under
        # the full they hang off.
        self.assertEqual(
            [['b-full-2', 'b-inc-2a'], ['b-full-bad'],
             ['b-full-1', 'b-inc-1a', 'b-inc-1b']],
            [[p.id for p in c.points] for c in page.chains])
        # The newest restorable point is preselected.
        self.assertEqual('b-full-2', page.selected)
        form = res.context['form']
        self.assertEqual(['b-full-1', 'b-inc-1a', 'b-inc-1b', 'b-full-2'],
                         sorted([c[0] for c in
                                 form.fields['backup_id'].choices],
                                key=['b-full-1', 'b-inc-1a', 'b-inc-1b',
                                     'b-full-2'].index))
        self.assertEqual({'backup_id': 'b-full-2', 'target': 'new',
                          'name': 'data-restored', 'size': 2,
                          'volume_type': 'lvm', 'availability_zone': 'nova',
                          'server_id': 'srv-1'}, form.initial)
        # Not restorable: shown, with the reason, and not selectable.
        self.assertContains(res, 'id="backup-b-inc-2a" value="b-inc-2a" '
                                 'data-size="2"\n                 '
                                 ' disabled')
        self.assertContains(res, 'still being created')
        self.assertContains(res, 'disk full')
        self.assertContains(res, 'schedule nightly')
        self.assertContains(res, 'by hand')
        # Existing targets: in use or too small are disabled with why.
        options = form.fields['volume_id'].widget.option_attrs
        self.assertEqual('disabled', options['vol-busy'].get('disabled'))
        self.assertNotIn('disabled', options['vol-spare'])
        self.assertContains(res, 'busy (5 GB, in-use) - not available: '
                                 'detach it first')
        # A schedule's backup is protected from deletion by hand.
        self.assertContains(res, 'backup-restore-protected')
        self.assertContains(res, delete_url('b-full-1'))
        self.assertNotContains(res, delete_url('b-full-2'))
        # A history shorter than a page has no pager.
        self.assertNotContains(res, 'id="restore_pager"')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_held_backup_shows_its_lock_and_no_delete(self):
        backups = data.history()
        held = next(b for b in backups if b.id == 'b-full-1')
        held._apiresource.metadata.update(holds.placed(
            {}, 'dispute <42>', 'legal', '2026-12-01T00:00:00Z'))
        self._history_page(backups=backups)
        res = self.client.get(INDEX, {'volume_id': 'vol-1'})
        self.assertContains(res, 'Legal hold: dispute &lt;42&gt; (legal, '
                                 '2026-12-01T00:00:00Z)')
        self.assertContains(res, reverse(
            'horizon:project:backup_restore:backup_release',
            args=['b-full-1']))
        self.assertContains(res, reverse(
            'horizon:project:backup_restore:backup_hold',
            args=['b-inc-1a']))
        self.assertNotContains(res, delete_url('b-full-1'))
        self.assertContains(res, 'held: cannot be deleted')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_entry_from_a_backup_selects_it_and_finds_its_volume(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-inc-1a',
                                                            'vol-1')
        res = self.client.get(INDEX, {'backup_id': 'b-inc-1a'})
        self.assertEqual('b-inc-1a', res.context['form'].initial[
            'backup_id'])
        self.assertContains(res, 'id="backup-b-inc-1a" value="b-inc-1a" '
                                 'data-size="1"\n                 checked')
        self.mock_backup_history_page.assert_called_once_with(
            helpers.IsHttpRequest(), 'vol-1', 21, None)

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_deleted_volume_is_restored_from_its_backups(self):
        self._history_page()
        self.mock_volume_get_own.side_effect = NOT_FOUND
        res = self.client.get(INDEX, {'volume_id': 'vol-1'})
        self.assertEqual('history', res.context['page'].step)
        self.assertContains(res, 'deleted; its backups remain')
        self.assertEqual('', res.context['form'].initial['server_id'])

    @helpers.create_mocks(PAGE_MOCKS)
    def test_nothing_restorable_says_so(self):
        self._history_page(backups=[data.backup('b1', status='creating')])
        res = self.client.get(INDEX, {'volume_id': 'vol-1'})
        self.assertContains(res, 'id="restore_nothing"')
        self.assertNotContains(res, 'id="restore_submit"')


class PagingTests(_Base):
    """A long history, a page at a time (a page: 20, Horizon's default)."""

    def _long_history(self, kinds='Fiiiiii' * 7):
        """vol-1 with one backup a day (a full every 7th by default).

        The list call answers as Cinder does: newest first, after the marker.
        """
        self._history_page()
        newest = data.made(kinds)
        ids = [b.id for b in newest]

        def cinder(request, volume_id, limit, marker=None):
            start = ids.index(marker) + 1 if marker else 0
            return newest[start:start + limit]
        self.mock_backup_history_page.return_value = None
        self.mock_backup_history_page.side_effect = cinder
        self.backups = {b.id: b for b in newest}
        return newest

    def _shown(self, res):
        return [[p.id for p in c.points] for c in res.context['page'].chains]

    @staticmethod
    def _chains(*fulls):
        """The whole weekly chains of the fulls of these days."""
        return [['b-%03d-F' % f] + ['b-%03d-i' % d for d in
                                    range(f + 1, f + 7)] for f in fulls]

    @helpers.create_mocks(PAGE_MOCKS)
    def test_the_newest_page_ends_between_chains_and_links_older(self):
        self._long_history()                # days 0-48, fulls on 0, 7, ...
        res = self.client.get(INDEX, {'volume_id': 'vol-1'})
        page = res.context['page']
        # 21 read; the page ends at the oldest full among the newest 20.
        self.mock_backup_history_page.assert_called_once_with(
            helpers.IsHttpRequest(), 'vol-1', 21, None)
        # Days 48 to 29 read: the page ends at the full of day 35.
        self.assertEqual(self._chains(42, 35), self._shown(res))
        self.assertTrue(all(c.full for c in page.chains))
        self.assertEqual('b-048-i', page.selected)      # the newest
        older = '%s?volume_id=vol-1&older=b-035-F' % INDEX
        self.assertEqual(older, page.older_url)
        self.assertIsNone(page.newest_url)
        self.assertContains(res, 'id="restore_older"')
        self.assertContains(res, 'older=b-035-F')
        self.assertNotContains(res, 'id="restore_newest"')
        self.assertNotContains(res, 'b-034-i')
        # The form offers this page's points only.
        self.assertEqual(14, len(res.context['form'].fields[
            'backup_id'].choices))

    @helpers.create_mocks(PAGE_MOCKS)
    def test_the_oldest_backup_is_reached_and_restored(self):
        self._long_history()
        self.mock_backup_get_own.return_value = self.backups['b-035-F']
        res = self.client.get(INDEX, {'volume_id': 'vol-1',
                                      'older': 'b-035-F'})
        page = res.context['page']
        # The marker was read back through the scoped API, then Cinder
        # paged from it.
        self.mock_backup_get_own.assert_called_once_with(
            helpers.IsHttpRequest(), 'b-035-F')
        self.mock_backup_history_page.assert_called_once_with(
            helpers.IsHttpRequest(), 'vol-1', 21, 'b-035-F')
        self.assertEqual(self._chains(28, 21), self._shown(res))
        self.assertIn('older=b-021-F', res.context['page'].older_url)
        self.assertEqual('%s?volume_id=vol-1' % INDEX, page.newest_url)
        self.assertContains(res, 'id="restore_newest"')
        # The last page.
        self.mock_backup_get_own.return_value = self.backups['b-014-F']
        res = self.client.get(INDEX, {'volume_id': 'vol-1',
                                      'older': 'b-014-F'})
        self.assertEqual(self._chains(7, 0), self._shown(res))
        self.assertIsNone(res.context['page'].older_url)
        self.assertNotContains(res, 'id="restore_older"')
        # Restored from that page: the form posts back to its own URL.
        self.mock_backup_get_own.side_effect = [
            self.backups['b-014-F'], self.backups['b-000-F']]
        self.mock_restore_start.return_value = data.execution()
        res = self.client.post(
            '%s?volume_id=vol-1&older=b-014-F' % INDEX,
            {'backup_id': 'b-000-F', 'target': 'new', 'name': 'old',
             'size': '2', 'server_id': '', 'device': ''})
        self.assertRedirectsNoFollow(res, progress_url('ex-r1'))
        self.assertEqual('b-000-F',
                         self.mock_restore_start.call_args[0][1])

    @helpers.create_mocks(PAGE_MOCKS)
    def test_entry_from_an_old_backup_shows_the_page_it_starts(self):
        self._long_history()
        self.mock_backup_get_own.return_value = self.backups['b-010-i']
        res = self.client.get(INDEX, {'backup_id': 'b-010-i'})
        page = res.context['page']
        # Not on the newest page: one more list call, from that backup.
        self.assertEqual(
            [((helpers.IsHttpRequest(), 'vol-1', 21, None),),
             ((helpers.IsHttpRequest(), 'vol-1', 20, 'b-010-i'),)],
            self.mock_backup_history_page.call_args_list)
        # That backup on top, its chain down to its full, older ones.
        self.assertEqual([['b-007-F', 'b-008-i', 'b-009-i', 'b-010-i']] +
                         self._chains(0), self._shown(res))
        self.assertEqual('b-010-i', page.selected)
        self.assertEqual(3, page.chains[0].points[3].index)
        self.assertContains(res, 'id="backup-b-010-i" value="b-010-i" '
                                 'data-size="1"\n                 checked')
        self.assertEqual('%s?volume_id=vol-1' % INDEX, page.newest_url)

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_chain_longer_than_half_a_page_continues_labelled(self):
        self._long_history('F' + 'i' * 30)
        res = self.client.get(INDEX, {'volume_id': 'vol-1'})
        chain = res.context['page'].chains[0]
        self.assertEqual((None, True, 20), (chain.full, chain.continued,
                                            len(chain.points)))
        self.assertContains(res, 'full backup is on an older page')
        self.assertNotContains(res, 'incremental 1<')
        self.assertContains(res, 'older=b-011-i')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_foreign_marker_is_not_found_and_never_paged_from(self):
        self._long_history()
        # Another project's backup (backup_get_own refuses it) ...
        self.mock_backup_get_own.side_effect = NOT_FOUND
        res = self.client.get(INDEX, {'volume_id': 'vol-1',
                                      'older': 'b-other'})
        self.assertMessageCount(res, error=1)
        self.assertEqual('b-048-i', res.context['page'].selected)
        # ... or a backup of another of the project's volumes.
        self.mock_backup_get_own.side_effect = None
        self.mock_backup_get_own.return_value = data.backup('b-x', 'vol-2')
        res = self.client.get(INDEX, {'volume_id': 'vol-1',
                                      'older': 'b-x'})
        self.assertMessageCount(res, error=1)
        self.assertContains(res, 'Backup b-x was not found')
        # Both times, the newest page, from no marker.
        self.assertEqual(
            [((helpers.IsHttpRequest(), 'vol-1', 21, None),)] * 2,
            self.mock_backup_history_page.call_args_list)


class RestoreFormTests(_Base):
    def _post(self, **values):
        form = {'backup_id': 'b-full-2', 'target': 'new', 'name': 'back',
                'size': '2', 'volume_type': 'fast',
                'availability_zone': 'zone-b', 'server_id': '',
                'device': ''}
        form.update(values)
        return self.client.post('%s?volume_id=vol-1' % INDEX, form)

    def _started(self):
        self.mock_restore_start.return_value = data.execution()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_new_volume_with_attach_starts_the_workflow(self):
        self._history_page()
        self._started()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        self.mock_server_get_own.return_value = self.web
        res = self._post(server_id='srv-1', device='/dev/vdc', size='3')
        self.assertRedirectsNoFollow(res, progress_url('ex-r1'))
        self.mock_restore_start.assert_called_once_with(
            helpers.IsHttpRequest(), 'b-full-2', 'new', volume_id='',
            name='back', volume_type='fast', availability_zone='zone-b',
            size=3, server_id='srv-1', device='/dev/vdc')
        # The ids were read back through the scoped API, not trusted.
        self.mock_backup_get_own.assert_called_once_with(
            helpers.IsHttpRequest(), 'b-full-2')
        self.mock_server_get_own.assert_called_once_with(
            helpers.IsHttpRequest(), 'srv-1')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_empty_size_or_name_is_refused_never_made_up(self):
        # Both are filled in before the form is shown (the larger of
        # backup and volume; the volume's name), never after it is sent.
        self._history_page()
        self._started()
        self.mock_backup_get_own.return_value = data.backup('b-inc-1a',
                                                            size=1)
        res = self._post(backup_id='b-inc-1a', size='')
        self.assertFormErrors(res, 1)
        self.assertContains(res, 'Enter the size of the new volume in GB: '
                                 'from 1 (the size of the backup)')
        res = self._post(backup_id='b-inc-1a', name='   ')
        self.assertFormErrors(res, 1)
        self.assertContains(res, 'Enter a name for the new volume (at most '
                                 '255 characters).')
        self.mock_restore_start.assert_not_called()
        res = self.client.get('%s?volume_id=vol-1' % INDEX)
        self.assertEqual({'name': 'data-restored', 'size': 2}, {
            k: res.context['form'].initial[k] for k in ('name', 'size')})

    @helpers.create_mocks(PAGE_MOCKS)
    def test_new_volume_smaller_than_the_backup_is_refused(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        res = self._post(size='1')
        self.assertFormErrors(res, 1)
        self.assertContains(res, 'at least as big as the backup: 2 GB')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_out_of_range_is_refused_saying_the_limit_and_kept(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        for size in ('0', '-1', '1', '2147483648'):
            res = self._post(size=size)
            self.assertFormErrors(res, 1)
            self.assertContains(res, 'The new volume must be at least as '
                                     'big as the backup: 2 GB (and at most '
                                     '2147483647 GB).')
            self.assertContains(res, 'name="size" value="%s"' % size)
        res = self._post(name='n' * 300)
        self.assertContains(res, 'This is 300 characters long; at most 255 '
                                 'fit here.')
        self.assertContains(res, 'value="%s"' % ('n' * 300))
        res = self._post(device='/dev/vdc')
        self.assertContains(res, 'Choose the instance to attach to, or '
                                 'leave the device name empty.')
        res = self._post(server_id='srv-1', device=' /dev/vdc')
        self.assertContains(res, 'A device name looks like /dev/vdb')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_the_new_volume_fields_do_not_hold_up_an_existing_target(self):
        # Hidden with the existing target chosen: not checked, not sent.
        self._history_page()
        self._started()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        spare = data.volume('vol-spare', 'spare', size=5)
        self.mock_volume_get_own.side_effect = [self.source, spare]
        res = self._post(target='existing', volume_id='vol-spare',
                         confirm_overwrite='vol-spare', name='n' * 300,
                         size='0')
        self.assertNoFormErrors(res)
        kwargs = self.mock_restore_start.call_args[1]
        self.assertEqual((None, None), (kwargs['name'], kwargs['size']))

    @helpers.create_mocks(PAGE_MOCKS)
    def test_quota_refusals(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        self.mock_volume_room.return_value = {'volumes': 5, 'gigabytes': 2}
        res = self._post(size='3')
        self.assertContains(res, 'has 2 GB left; the new volume needs 3 GB')
        self.mock_volume_room.return_value = {'volumes': 0,
                                              'gigabytes': None}
        res = self._post(size='3')
        self.assertContains(res, 'volume quota is used up')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_backup_no_longer_available_is_refused(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup(
            'b-full-2', status='deleting')
        res = self._post()
        self.assertContains(res, 'This backup is deleting now')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_point_not_in_the_history_is_refused(self):
        self._history_page()
        res = self._post(backup_id='b-inc-2a')     # creating: no choice
        self.assertFormErrors(res, 1)
        self.mock_backup_get_own.assert_not_called()
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_existing_volume_in_use_is_refused_with_the_reason(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        self.mock_volume_get_own.side_effect = [
            self.source, data.volume('vol-busy', 'busy', size=5,
                                     status='in-use')]
        res = self._post(target='existing', volume_id='vol-busy',
                         confirm_overwrite='vol-busy')
        self.assertContains(res, 'Volume busy is in use (attached to an '
                                 'instance); detach it first')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_existing_volume_too_small_is_refused(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        self.mock_volume_get_own.side_effect = [
            self.source, data.volume('vol-tiny', 'tiny', size=1)]
        res = self._post(target='existing', volume_id='vol-tiny',
                         confirm_overwrite='vol-tiny')
        self.assertContains(res, 'Volume tiny (1 GB) is too small for the '
                                 'backup (2 GB)')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_existing_volume_needs_a_confirmation_naming_it(self):
        self._history_page()
        self._started()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        spare = data.volume('vol-spare', 'spare', size=5,
                            created_at='2026-11-02T10:30:00.000000')
        self.mock_volume_get_own.side_effect = [self.source, spare,
                                                self.source, spare,
                                                self.source, spare]
        res = self._post(target='existing', volume_id='vol-spare')
        self.assertContains(res, 'Restoring into volume spare (5 GB, '
                                 'created 2026-11-02 10:30 UTC, id '
                                 'vol-spare) replaces everything on it')
        self.assertContains(res, 'name="confirm_overwrite" '
                                 'id="id_confirm_overwrite"\n'
                                 '                   value="vol-spare"')
        self.assertContains(res, 'Overwrite all data on volume spare (5 GB)')
        # A confirmation given for another volume does not count.
        res = self._post(target='existing', volume_id='vol-spare',
                         confirm_overwrite='vol-tiny')
        self.assertContains(res, 'replaces everything on it')
        self.mock_restore_start.assert_not_called()
        res = self._post(target='existing', volume_id='vol-spare',
                         confirm_overwrite='vol-spare')
        self.assertRedirectsNoFollow(res, progress_url('ex-r1'))
        args = self.mock_restore_start.call_args
        self.assertEqual(('b-full-2', 'existing', 'vol-spare'),
                         (args[0][1], args[0][2], args[1]['volume_id']))

    @helpers.create_mocks(PAGE_MOCKS)
    def test_existing_target_needs_a_volume(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        res = self._post(target='existing', volume_id='')
        self.assertContains(res, 'Choose the volume to restore into.')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_foreign_existing_volume_is_not_found(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        volumes = self.mock_project_volumes.return_value
        volumes.append(data.volume('vol-alien', size=9))
        self.mock_volume_get_own.side_effect = [
            self.source, api.errors.not_found('volume', 'vol-alien')]
        res = self._post(target='existing', volume_id='vol-alien',
                         confirm_overwrite='vol-alien')
        self.assertContains(res, 'Volume vol-alien was not found: it may '
                                 'have been deleted.')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_attach_refusals(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        self.mock_server_get_own.return_value = self.db    # ERROR
        res = self._post(server_id='srv-2')
        self.assertContains(res, 'Instance db is ERROR; a volume can be '
                                 'attached when')
        self.mock_server_get_own.return_value = self.web
        res = self._post(server_id='srv-1', device='vdb; rm')
        self.assertContains(res, 'A device name looks like /dev/vdb')
        self.mock_server_get_own.side_effect = api.errors.not_found(
            'instance', 'srv-1')
        res = self._post(server_id='srv-1')
        self.assertContains(res, 'Instance srv-1 was not found')
        self.mock_server_get_own.side_effect = RuntimeError('nova down')
        res = self._post(server_id='srv-1')
        self.assertContains(res, 'This instance cannot be read: An '
                                 'unexpected error occurred.')
        self.assertNotContains(res, 'nova down')
        self.mock_restore_start.assert_not_called()

    @helpers.create_mocks(PAGE_MOCKS)
    def test_a_failed_start_keeps_every_value(self):
        self._history_page()
        self.mock_backup_get_own.return_value = data.backup('b-full-2',
                                                            size=2)
        self.mock_restore_start.side_effect = \
            api.mistral.ServiceUnavailable('Mistral is down')
        res = self._post(name='keep-me')
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'The restore could not be started: '
                                 'Mistral is down')
        self.assertContains(res, 'value="keep-me"')

    @helpers.create_mocks(PAGE_MOCKS)
    def test_the_post_is_csrf_protected(self):
        from django.test import Client
        client = Client(enforce_csrf_checks=True)
        client.cookies = self.client.cookies
        res = client.post('%s?volume_id=vol-1' % INDEX, {'target': 'new'})
        self.assertEqual(403, res.status_code)
        self.mock_restore_start.assert_not_called()


class ProgressTests(helpers.TestCase):
    MOCKS = {api.restores: ['restore_get', 'restore_tasks'],
             api.storage: ['backup_get_own', 'volume_get_own'],
             api.compute: ['server_get_own']}

    def _mocks(self, execution, tasks, volume=None):
        self.mock_restore_get.return_value = execution
        self.mock_restore_tasks.return_value = tasks
        self.mock_backup_get_own.return_value = data.backup(
            'b-full-2', name='nightly-1', size=2)
        self.mock_volume_get_own.return_value = volume
        self.mock_server_get_own.return_value = idata.server('srv-1', 'web')

    @helpers.create_mocks(MOCKS)
    def test_running_restore_shows_its_phase_and_refreshes(self):
        self._mocks(data.execution('RUNNING'), [
            data.task('get_backup'),
            data.task('create_volume', published={'volume': 'vol-new'}),
            data.task('wait_volume', 'RUNNING')],
            volume=data.volume('vol-new', 'restored', size=2,
                               status='restoring-backup'))
        res = self.client.get(progress_url('ex-r1'))
        self.assertEqual('restoring', res.context['current'])
        self.assertEqual(['done', 'current', 'pending', 'pending',
                          'pending'], [s.state for s in
                                       res.context['steps']])
        self.assertContains(res, 'data-running="true"')
        self.assertContains(res, 'Cinder says: restoring-backup')
        self.assertContains(res, 'Restoring backup “nightly-1” to a new '
                                 'volume, then attaching it to instance '
                                 '“web”.')
        self.mock_volume_get_own.assert_called_once_with(
            helpers.IsHttpRequest(), 'vol-new')

    @helpers.create_mocks(MOCKS)
    def test_the_refresh_gets_only_the_fragment(self):
        self._mocks(data.execution('RUNNING'), [data.task('get_backup',
                                                          'RUNNING')])
        res = self.client.get(progress_url('ex-r1'),
                              HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertTemplateUsed(res, 'backup_dashboard/restore/'
                                     '_progress.html')
        self.assertTemplateNotUsed(res, 'base.html')
        self.assertEqual('checking', res.context['current'])

    @helpers.create_mocks(MOCKS)
    def test_done_with_attach_in_words(self):
        self._mocks(data.execution('SUCCESS', output={
            'volume': 'vol-new', 'status': 'in-use', 'attached': True,
            'server': 'srv-1', 'error': None}), [],
            volume=data.volume('vol-new', 'restored', size=2,
                               status='in-use', server_id='srv-1'))
        res = self.client.get(progress_url('ex-r1'))
        self.assertContains(res, 'Done: backup “nightly-1” was restored to '
                                 'the new volume “restored”. It is attached '
                                 'to instance “web” as /dev/vdb.')
        self.assertContains(res, 'data-running="false"')
        self.assertTrue(all(s.state == 'done' for s in res.context['steps']))

    @helpers.create_mocks(MOCKS)
    def test_failure_in_words_at_the_step_it_failed(self):
        self._mocks(
            data.execution(
                'ERROR', inputs={'target': 'existing', 'volume_id': 'vol-t',
                                 'server_id': None},
                output={'volume': 'vol-t', 'status': None, 'attached': False,
                        'error': 'volume vol-t is in-use; only an available '
                                 '(detached) volume can be restored into'}),
            [data.task('get_backup'), data.task('check_target')],
            volume=data.volume('vol-t', 'target', status='in-use'))
        res = self.client.get(progress_url('ex-r1'))
        self.assertEqual(['failed', 'pending', 'pending', 'pending'],
                         [s.state for s in res.context['steps']])
        self.assertContains(res, 'The restore failed: volume vol-t is '
                                 'in-use; only an available (detached) '
                                 'volume can be restored into.')

    @helpers.create_mocks(MOCKS)
    def test_other_workflows_and_projects_are_not_found(self):
        self.mock_restore_get.side_effect = exceptions.NotFound('no')
        res = self.client.get(progress_url('ex-schedule-run'))
        self.assertRedirectsNoFollow(res, INDEX)
        self.mock_restore_tasks.assert_not_called()


class DeleteBackupTests(helpers.TestCase):
    MOCKS = {api.storage: ['backup_get_own', 'backup_delete']}

    @helpers.create_mocks(MOCKS)
    def test_hand_made_backup_asks_then_deletes(self):
        self.mock_backup_get_own.return_value = data.backup('b1', 'vol-1')
        res = self.client.get(delete_url('b1'))
        self.assertContains(res, 'id="delete_backup_form"')
        self.assertContains(res, 'cannot be undone')
        res = self.client.post(delete_url('b1'))
        self.assertRedirectsNoFollow(res, '%s?volume_id=vol-1' % INDEX)
        self.mock_backup_delete.assert_called_once_with(
            helpers.IsHttpRequest(), 'b1')

    @helpers.create_mocks(MOCKS)
    def test_schedule_backup_is_protected_without_the_role(self):
        self.mock_backup_get_own.return_value = data.backup(
            'b1', 'vol-1', schedule='nightly')
        self._setup_user(roles=[{'name': 'member'}])
        res = self.client.get(delete_url('b1'))
        self.assertContains(res, 'only users with the role')
        self.assertNotContains(res, 'id="delete_backup_form"')
        res = self.client.post(delete_url('b1'))
        self.assertRedirectsNoFollow(res, '%s?volume_id=vol-1' % INDEX)
        self.mock_backup_delete.assert_not_called()

    @helpers.create_mocks(MOCKS)
    @override_settings(
        BACKUP_DASHBOARD_PROTECTED_BACKUP_DELETE_ROLE='Backup_Admin')
    def test_the_operator_role_may_delete_a_schedule_backup(self):
        self.mock_backup_get_own.return_value = data.backup(
            'b1', 'vol-1', schedule='nightly')
        self._setup_user(roles=[{'name': 'member'},
                                {'name': 'backup_admin'}])
        self.client.post(delete_url('b1'))
        self.mock_backup_delete.assert_called_once_with(
            helpers.IsHttpRequest(), 'b1')

    @helpers.create_mocks(MOCKS)
    @override_settings(BACKUP_DASHBOARD_PROTECTED_BACKUP_DELETE_ROLE=None)
    def test_no_role_configured_protects_them_from_everyone(self):
        self.mock_backup_get_own.return_value = data.backup(
            'b1', 'vol-1', schedule='nightly')
        self._setup_user(roles=[{'name': 'admin'}])
        self.client.post(delete_url('b1'))
        self.mock_backup_delete.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_a_backup_with_incrementals_is_refused(self):
        self.mock_backup_get_own.return_value = data.backup(
            'b1', 'vol-1', has_dependent_backups=True)
        res = self.client.get(delete_url('b1'))
        self.assertContains(res, 'Incremental backups depend on it')
        self.assertNotContains(res, 'id="delete_backup_form"')
        res = self.client.post(delete_url('b1'))
        self.assertRedirectsNoFollow(res, '%s?volume_id=vol-1' % INDEX)
        self.mock_backup_delete.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_foreign_backup_is_not_found(self):
        self.mock_backup_get_own.side_effect = NOT_FOUND
        res = self.client.post(delete_url('b-other'))
        self.assertRedirectsNoFollow(res, INDEX)
        self.mock_backup_delete.assert_not_called()
