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

"""LocalFileDriver: Cinder volumes as sparse files, attached as loop devices.

Configure a backend with::

    volume_driver = minicloud_cinder.driver.LocalFileDriver
    minicloud_volume_dir = /path/to/volumes
    volume_backend_name = local

Everything above the driver (API, scheduler, statuses, backups, quotas) is
unmodified Cinder.  Connections are ``driver_volume_type: local`` (os-brick's
LocalConnector) with ``device_path`` a loop device over the file.
"""

from oslo_config import cfg
from oslo_log import log as logging

from cinder import exception
from cinder import interface
from cinder.objects import fields
from cinder.volume import driver
from cinder.volume import volume_utils

from minicloud_cinder.store import FileStore

LOG = logging.getLogger(__name__)

local_file_opts = [
    cfg.StrOpt('minicloud_volume_dir', default='$state_path/minicloud-volumes',
               help='Folder holding the volume and snapshot files.'),
    cfg.IntOpt('minicloud_capacity_gb', default=1000,
               help='Capacity reported to the scheduler.'),
    cfg.StrOpt('minicloud_use_loop', default='auto',
               choices=['auto', 'yes', 'no'],
               help='Hand out loop devices (auto: when losetup works).'),
]

cfg.CONF.register_opts(local_file_opts, group='backend_defaults')


def connector_key(connector):
    connector = connector or {}
    return "%s|%s" % (connector.get('host'), connector.get('initiator'))


@interface.volumedriver
class LocalFileDriver(driver.VolumeDriver):
    """Sparse files on the local file system, loop devices for I/O."""

    VERSION = '1.0.0'
    CI_WIKI_NAME = 'minicloud'
    SUPPORTS_ACTIVE_ACTIVE = False

    def __init__(self, *args, **kwargs):
        super(LocalFileDriver, self).__init__(*args, **kwargs)
        self.configuration.append_config_values(local_file_opts)
        self.backend_name = (
            self.configuration.safe_get('volume_backend_name') or 'local')
        self.store = FileStore(
            self.configuration.safe_get('minicloud_volume_dir'),
            use_loop=self.configuration.safe_get('minicloud_use_loop'))

    @staticmethod
    def get_driver_options():
        return local_file_opts

    def do_setup(self, context):
        self.store.setup()

    def check_for_setup_error(self):
        if not self.store.loop_available():
            LOG.warning('losetup is not permitted here: plain files are '
                        'handed out instead of loop devices.')

    # volumes and snapshots
    def create_volume(self, volume):
        self.store.create(volume.name, volume.size)

    def delete_volume(self, volume):
        self.store.delete(volume.name)

    def create_snapshot(self, snapshot):
        self.store.copy(snapshot.volume_name, snapshot.name)

    def delete_snapshot(self, snapshot):
        self.store.delete(snapshot.name)

    def create_volume_from_snapshot(self, volume, snapshot):
        self.store.copy(snapshot.name, volume.name, volume.size)

    def create_cloned_volume(self, volume, src_vref):
        self.store.copy(src_vref.name, volume.name, volume.size)

    def revert_to_snapshot(self, context, volume, snapshot):
        self.store.copy(snapshot.name, volume.name, volume.size)

    def extend_volume(self, volume, new_size):
        self.store.extend(volume.name, new_size)

    # Generic volume groups. A group whose type enables consistent group
    # snapshots is this driver's; any other is left to Cinder's generic
    # code (NotImplementedError), which snapshots its volumes one by one.
    def create_group(self, context, group):
        if not volume_utils.is_group_a_cg_snapshot_type(group):
            raise NotImplementedError()
        return {'status': fields.GroupStatus.AVAILABLE}

    def delete_group(self, context, group, volumes):
        if not volume_utils.is_group_a_cg_snapshot_type(group):
            raise NotImplementedError()
        for volume in volumes:
            self.store.delete(volume.name)
        return ({'status': fields.GroupStatus.DELETED},
                [{'id': v.id, 'status': 'deleted'} for v in volumes])

    def update_group(self, context, group, add_volumes=None,
                     remove_volumes=None):
        if not volume_utils.is_group_a_cg_snapshot_type(group):
            raise NotImplementedError()
        return None, None, None

    def create_group_snapshot(self, context, group_snapshot, snapshots):
        """All of the group's volumes in one step, under the store's lock.

        Nothing in the minicloud writes to a volume meanwhile (its Nova
        driver runs no guest), so the copies are of one moment: the
        stand-in for a backend with consistent group snapshots.
        """
        if not volume_utils.is_group_a_cg_snapshot_type(group_snapshot):
            raise NotImplementedError()
        self.store.copy_many(
            [(s.volume_name, s.name) for s in snapshots])
        return ({'status': fields.GroupSnapshotStatus.AVAILABLE},
                [{'id': s.id, 'status': fields.SnapshotStatus.AVAILABLE}
                 for s in snapshots])

    def delete_group_snapshot(self, context, group_snapshot, snapshots):
        if not volume_utils.is_group_a_cg_snapshot_type(group_snapshot):
            raise NotImplementedError()
        for snapshot in snapshots:
            self.store.delete(snapshot.name)
        return ({'status': fields.GroupSnapshotStatus.DELETED},
                [{'id': s.id, 'status': fields.SnapshotStatus.DELETED}
                 for s in snapshots])

    # exports and connections
    def create_export(self, context, volume, connector):
        pass

    def ensure_export(self, context, volume):
        pass

    def remove_export(self, context, volume):
        pass

    def create_export_snapshot(self, context, snapshot, connector):
        pass

    def remove_export_snapshot(self, context, snapshot):
        pass

    def _connection(self, name, connector):
        if not self.store.exists(name):
            raise exception.VolumeBackendAPIException(
                data='%s has no file' % name)
        dev = self.store.attach(name, connector_key(connector))
        return {'driver_volume_type': 'local',
                'data': {'device_path': dev}}

    def initialize_connection(self, volume, connector, **kwargs):
        return self._connection(volume.name, connector)

    def terminate_connection(self, volume, connector, **kwargs):
        # connector None (force detach): end every connection of the volume
        key = connector_key(connector) if connector else None
        self.store.detach(volume.name, key)

    def initialize_connection_snapshot(self, snapshot, connector, **kwargs):
        return self._connection(snapshot.name, connector)

    def terminate_connection_snapshot(self, snapshot, connector, **kwargs):
        key = connector_key(connector) if connector else None
        self.store.detach(snapshot.name, key)

    # stats
    def _update_volume_stats(self):
        total = self.configuration.safe_get('minicloud_capacity_gb')
        apparent_gb, _ = self.store.usage()
        self._stats = {
            'volume_backend_name': self.backend_name,
            'vendor_name': 'minicloud',
            'driver_version': self.VERSION,
            'storage_protocol': 'local',
            'total_capacity_gb': total,
            'free_capacity_gb': max(0, round(total - apparent_gb, 2)),
            'provisioned_capacity_gb': round(apparent_gb, 2),
            'reserved_percentage': 0,
            'thin_provisioning_support': True,
            'thick_provisioning_support': False,
            'max_over_subscription_ratio': 1.0,
            'multiattach': False,
            'consistent_group_snapshot_enabled': True,
        }
