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

"""Extra test data for the Instances integration (real client classes)."""
from cinderclient.v3 import volume_backups
from cinderclient.v3 import volumes as cinder_volumes
from novaclient.v2 import servers as nova_servers
from openstack_dashboard.api import cinder as cinder_api
from openstack_dashboard.api import nova as nova_api

from testkit import data

PROJECT = data.PROJECT


def server(server_id='srv-1', name='web', tags=(), volume_ids=(),
           metadata=None, status='ACTIVE', task_state=None, with_tags=True):
    info = {
        'id': server_id, 'name': name, 'status': status,
        'tenant_id': PROJECT, 'user_id': 'u1',
        'metadata': metadata or {},
        'OS-EXT-STS:task_state': task_state,
        'os-extended-volumes:volumes_attached': [{'id': v}
                                                 for v in volume_ids],
    }
    if with_tags:
        info['tags'] = list(tags)
    return nova_api.Server(
        nova_servers.Server(nova_servers.ServerManager(None), info), None)


def volume(volume_id, name=None, size=1, skip=False):
    return cinder_api.Volume(cinder_volumes.Volume(
        cinder_volumes.VolumeManager(None),
        {'id': volume_id, 'name': name or volume_id, 'size': size,
         'status': 'in-use',
         'metadata': {'backup_dashboard:skip': 'true'} if skip else {}}))


def backup(backup_id, volume_id, incremental=False, status='available',
           created_at='2026-11-21T01:00:05.000000', size=1, name=None,
           schedule=None, metadata=None):
    """schedule: the schedule that made it (Cinder metadata), else by hand.

    metadata: more of its metadata (a legal hold's, say).
    """
    metadata = dict({} if schedule is None else {
        'backup_dashboard:schedule': schedule,
        'backup_dashboard:automated': 'true'}, **(metadata or {}))
    return cinder_api.VolumeBackup(volume_backups.VolumeBackup(
        volume_backups.VolumeBackupManager(None),
        {'id': backup_id, 'volume_id': volume_id, 'name': name or backup_id,
         'is_incremental': incremental, 'status': status, 'size': size,
         'created_at': created_at, 'metadata': metadata}))
