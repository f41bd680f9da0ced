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

"""The Cinder calls of the Restore panel, with Cinder's client mocked."""
from unittest import mock

from cinderclient import exceptions as cinder_exceptions
from cinderclient.v3 import group_types as gt
from cinderclient.v3 import groups as gr
from horizon import exceptions
from openstack_dashboard.api import cinder
import pytest

from backup_dashboard.api import storage
from testkit import helpers
from tests.unit.dashboards.project.restore import data


class StorageTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(cinder, 'cinderclient')
        self.client = patcher.start().return_value
        self.cinderclient = cinder.cinderclient
        self.addCleanup(patcher.stop)

    def test_backups_are_read_at_the_metadata_microversion(self):
        raw = data.backup('b1', schedule='nightly')._apiresource
        self.client.backups.get.return_value = raw
        backup = storage.backup_get_own(self.request, 'b1')
        self.cinderclient.assert_called_with(self.request, '3.43')
        assert storage.backup_schedule(backup) == 'nightly'

    def test_another_projects_backup_or_volume_is_not_found(self):
        # What an admin's token sees: every project's objects; in the same
        # plain words as one Cinder does not find.
        self.client.backups.get.return_value = data.backup(
            'b1', project='other')._apiresource
        with pytest.raises(exceptions.NotFound,
                           match='^Backup b1 was not found: it may have '
                                 'been deleted.$'):
            storage.backup_get_own(self.request, 'b1')
        self.client.backups.get.side_effect = cinder_exceptions.NotFound(
            404, 'Backup b2 could not be found.')
        with pytest.raises(exceptions.NotFound,
                           match='^Backup b2 was not found'):
            storage.backup_get_own(self.request, 'b2')
        self.client.volumes.get.return_value = data.volume(
            'v1', project='other')._apiresource
        with pytest.raises(exceptions.NotFound,
                           match='^Volume v1 was not found'):
            storage.volume_get_own(self.request, 'v1')
        self.client.volumes.get.return_value = data.volume(
            'v1', project=self.request.user.tenant_id)._apiresource
        assert storage.volume_get_own(self.request, 'v1').id == 'v1'

    def test_history_pages_one_volume_newest_first_with_cinder(self):
        self.client.backups.list.return_value = [
            data.backup('b1')._apiresource]
        assert [b.id for b in storage.backup_history_page(
            self.request, 'v1', 21, marker='b9')] == ['b1']
        self.client.backups.list.assert_called_once_with(
            search_opts={'volume_id': 'v1'}, marker='b9', limit=21,
            sort='created_at:desc')
        self.cinderclient.assert_called_with(self.request, '3.43')

    def test_an_instances_recent_backups_say_which_schedule_made_them(self):
        # (below 3.43 Cinder leaves the metadata out: every backup would
        # read as made by hand)
        self.client.backups.list.return_value = [
            data.backup('b1', schedule='nightly')._apiresource]
        (backup,) = storage.volume_backups(self.request, 'v1', limit=5)
        self.cinderclient.assert_called_with(self.request, '3.43')
        self.client.backups.list.assert_called_once_with(
            search_opts={'volume_id': 'v1'}, marker=None, limit=5,
            sort='created_at:desc')
        assert storage.backup_schedule(backup) == 'nightly'

    def test_schedule_of_a_backup(self):
        assert storage.backup_schedule(data.backup('b')) is None
        assert storage.backup_schedule(data.backup(
            'b', metadata={'backup_dashboard:schedule': 'x'})) is None
        assert storage.backup_schedule(data.backup(
            'b', schedule='nightly')) == 'nightly'

    def test_zones_that_are_up(self):
        zone = mock.Mock(zoneName='nova', zoneState={'available': True})
        down = mock.Mock(zoneName='old', zoneState={'available': False})
        self.client.availability_zones.list.return_value = [zone, down]
        assert storage.availability_zones(self.request) == ['nova']

    @mock.patch.object(cinder, 'tenant_absolute_limits')
    def test_room_left_in_the_volume_quota(self, limits):
        limits.return_value = {'maxTotalVolumes': 10, 'totalVolumesUsed': 4,
                               'maxTotalVolumeGigabytes': float('inf'),
                               'totalGigabytesUsed': 50}
        assert storage.volume_room(self.request) == {'volumes': 6,
                                                     'gigabytes': None}

    @mock.patch.object(cinder, 'group_list')
    @mock.patch.object(cinder, 'group_type_list')
    def test_consistent_groups_are_those_of_declared_types(self, types,
                                                           groups):
        types.return_value = [
            cinder.GroupType(gt.GroupType(None, {'id': i, 'name': n}))
            for i, n in (('t-1', 'consistent-snapshots'), ('t-2', 'generic'),
                         ('t-3', 'fast'))]
        groups.return_value = [
            cinder.Group(gr.Group(None, {'id': i, 'group_type': t}))
            for i, t in (('g-1', 't-1'), ('g-2', 't-2'), ('g-3', 't-3'))]
        # by name or by id
        assert storage.consistent_groups(
            self.request, ['consistent-snapshots', 't-3']) == {'g-1', 'g-3'}
        types.reset_mock()
        assert storage.consistent_groups(self.request, ()) == set()
        types.assert_not_called()


class QuotaTests(helpers.APITestCase):
    def test_backup_quota_reads_cinder_usage(self):
        quota = mock.Mock(backups={'in_use': 3, 'limit': 10},
                          backup_gigabytes={'in_use': 7, 'limit': -1})
        with mock.patch.object(storage.cinder, 'cinderclient') as client:
            client.return_value.quotas.get.return_value = quota
            self.assertEqual({'backups': (3, 10), 'gigabytes': (7, -1)},
                             storage.backup_quota(self.request, 'p1'))
        client.return_value.quotas.get.assert_called_once_with(
            'p1', usage=True)
