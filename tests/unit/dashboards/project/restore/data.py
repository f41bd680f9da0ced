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

"""Test data for the Restore panel (real client resource classes)."""
import json

from cinderclient.v3 import volume_backups
from cinderclient.v3 import volumes as cinder_volumes
from mistralclient.api.v2 import executions
from mistralclient.api.v2 import tasks
from openstack_dashboard.api import cinder as cinder_api

from backup_dashboard import schedule as domain
from testkit import data

PROJECT = data.PROJECT


def volume(volume_id, name=None, size=1, status='available',
           server_id=None, project=None, **extra):
    info = {'id': volume_id, 'name': name or volume_id, 'size': size,
            'status': status, 'metadata': {}, 'volume_type': 'lvm',
            'availability_zone': 'nova',
            'attachments': [{'server_id': server_id, 'device': '/dev/vdb'}]
            if server_id else []}
    if project:
        info['os-vol-tenant-attr:tenant_id'] = project
    info.update(extra)
    return cinder_api.Volume(cinder_volumes.Volume(
        cinder_volumes.VolumeManager(None), info))


def backup(backup_id, volume_id='vol-1', incremental=False,
           status='available', created_at='2026-11-21T01:00:05.000000',
           size=1, name=None, schedule=None, project=None, **extra):
    info = {'id': backup_id, 'volume_id': volume_id,
            'name': name or backup_id, 'is_incremental': incremental,
            'status': status, 'size': size, 'created_at': created_at,
            'has_dependent_backups': False, 'fail_reason': None,
            'metadata': {'backup_dashboard:schedule': schedule,
                         'backup_dashboard:automated': 'true'}
            if schedule else {}}
    if project:
        info['os-backup-project-attr:project_id'] = project
    info.update(extra)
    return cinder_api.VolumeBackup(volume_backups.VolumeBackup(
        volume_backups.VolumeBackupManager(None), info))


def history():
    """Two chains of vol-1's backups, and a failed full.

    Two chains of vol-1: an old full with two incrementals, a failed full, and
    a newer full (by schedule nightly) with one incremental that is still being
    created.
    """
    return [
        backup('b-full-1', created_at='2026-11-18T01:00:00', size=1),
        backup('b-inc-1a', incremental=True, created_at='2026-11-19T01:00:00'),
        backup('b-inc-1b', incremental=True, created_at='2026-11-20T01:00:00'),
        backup('b-full-bad', status='error',
               created_at='2026-11-20T12:00:00', fail_reason='disk full'),
        backup('b-full-2', created_at='2026-11-21T01:00:00', size=2,
               schedule='nightly'),
        backup('b-inc-2a', incremental=True, status='creating',
               created_at='2026-11-22T01:00:00', size=2,
               schedule='nightly'),
    ]


def made(kinds, volume_id='vol-1'):
    """Backups of one volume, one a day, newest first as Cinder lists them.

    `kinds` oldest first: F a full, X a failed full, i an incremental. Ids say
    the day and the kind: 'b-003-i'.
    """
    out = []
    for day, kind in enumerate(kinds):
        out.append(backup(
            'b-%03d-%s' % (day, kind), volume_id, incremental=kind == 'i',
            status='error' if kind == 'X' else 'available',
            created_at='2026-%02d-%02dT01:00:00' % (1 + day // 28,
                                                    1 + day % 28)))
    return out[::-1]


def execution(state='RUNNING', exec_id='ex-r1', workflow=None,
              project=PROJECT, inputs=None, output=None, state_info=None):
    inputs = dict({'backup_id': 'b-full-2', 'target': 'new',
                   'volume_id': None, 'name': 'restored', 'size': 2,
                   'server_id': 'srv-1', 'device': '/dev/vdc'},
                  **(inputs or {}))
    return executions.Execution(executions.ExecutionManager(None), {
        'id': exec_id, 'workflow_name': workflow or domain.RESTORE_WORKFLOW,
        'state': state, 'state_info': state_info, 'project_id': project,
        'created_at': '2026-11-22 08:00:00',
        'updated_at': '2026-11-22 08:00:30',
        'description': '{}', 'input': json.dumps(inputs),
        'output': json.dumps(output or {}), 'params': '{}'})


def task(name, state='SUCCESS', published=None):
    return tasks.Task(tasks.TaskManager(None), {
        'id': 'task-' + name, 'name': name, 'state': state,
        'published': json.dumps(published or {})})


def point_backup(backup_id, volume_id, run, device, boot=False,
                 server='srv-1', server_name='web', volumes=2,
                 created_at='2026-11-21T01:00:05.000000',
                 schedule='nightly', **extra):
    """A backup a run (of `schedule`) made as part of an instance's point.

    With the metadata workbooks/volume_backup.yaml writes.
    """
    made = backup(backup_id, volume_id, created_at=created_at,
                  schedule=schedule, **extra)
    made._apiresource.metadata.update({
        'backup_dashboard:point_server': server,
        'backup_dashboard:point_server_name': server_name,
        'backup_dashboard:point_flavor': 'm1.small',
        'backup_dashboard:point_device': device,
        'backup_dashboard:point_boot': 'true' if boot else 'false',
        'backup_dashboard:point_volumes': str(volumes),
        'backup_dashboard:point_run': run})
    return made
