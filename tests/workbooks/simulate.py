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

"""Run the bundled workflows in Mistral's real engine on a fake Cinder/Nova.

Runs under a Python with ``mistral`` installed (see check.py).  Mistral's own
engine test harness (sqlite in memory, local executor, fake RPC) executes the
definitions exactly as written; only the OpenStack actions are replaced by an
in-memory cloud that follows the Cinder rules the workflows depend on
(incremental parent = newest available backup, a parent cannot be deleted while
a child exists, in-use needs force or a snapshot, 404 text, ...).

    python tests/workbooks/simulate.py < scenario.json > result.json

scenario: {"workbooks": [paths], "cloud": {...}, "runs": [{"workflow": name,
"input": {...}, "env": {...}|null, "advance_days": n}]}; result: one entry per
run with state, state_info, output, the cloud afterwards, the calls made and
the number of task executions.
"""

import json
import os
import sys
import unittest
import uuid
import warnings

warnings.filterwarnings('ignore')

CLOUD = None
CALLS = []


class CloudError(Exception):
    pass


def _err(cls, method, msg, code):
    raise CloudError('%s.%s failed: %s (HTTP %d) (Request-ID: req-%s)'
                     % (cls, method, msg, code, uuid.uuid4()))


class FakeCloud(object):
    def __init__(self, spec):
        self.clock = spec.get('clock', 0)
        self.volumes = {
            v['id']: dict(
                {
                    'status': 'available',
                    'size': 1,
                    'metadata': {},
                    'name': v['id']
                }, **v) for v in spec.get('volumes', [])
        }
        self.servers = {
            s['id']: dict(
                {
                    'tags': [],
                    'metadata': {},
                    'volumes': [],
                    'name': s['id'],
                    # Nova's '' for a server booted from a volume
                    'image': {'id': 'img-1'},
                    'flavor': {'original_name': 'm1.small'}
                }, **s) for s in spec.get('servers', [])
        }
        self.backups = {}
        # snapshots there before the runs ({id, volume_id, name, status,
        # metadata, created_at})
        self.snapshots = {sn['id']: dict(sn) for sn in
                          spec.get('snapshots', [])}
        # tests/workbooks/fake_groups.py
        self.failing_groups = set(spec.get('failing_groups', []))
        self.group_snapshots = {g['id']: dict(g) for g in
                                spec.get('group_snapshots', [])}
        self.fail_volumes = set(spec.get('fail_backup_volumes', []))
        self.error_volumes = set(spec.get('error_backup_volumes', []))
        self.stuck_volumes = set(spec.get('stuck_backup_volumes', []))
        self.max_backups = spec.get('max_backups')
        # the volume quota (cinder.limits_get); -1: unlimited
        self.max_volumes = spec.get('max_volumes', -1)
        self.max_volume_gb = spec.get('max_volume_gb', -1)
        # backups whose data cannot be read back: a restore ends
        # error_restoring
        self.unreadable_backups = set(spec.get('unreadable_backups', []))
        # backups of bootable volumes whose restore loses the image
        # metadata (the volume comes back not bootable)
        self.unbootable_restores = set(spec.get('unbootable_restores', []))
        # Nova (fake_nova.py): {flavor: fault message}, a new instance of
        # that flavor goes ERROR; volumes restored from these backups do not
        # attach
        self.server_faults = spec.get('server_faults', {})
        self.unattachable_backups = set(spec.get('unattachable_backups', []))
        # Two schedules at one volume (tests/unit/test_workbook_overlap.py):
        # {volume: n}, its new backups stay 'creating' for n reads of them,
        # the volume 'backing-up' meanwhile (unless made from a snapshot,
        # which is 'backing-up' instead), as in Cinder
        self.slow_volumes = dict(spec.get('slow_backup_volumes', {}))
        # volumes whose reads are a moment old: 'backing-up' reads as the
        # status before (two runs read the volume before either asked for
        # its backup)
        self.racing_reads = set(spec.get('racing_reads', []))
        # Cinder's own parent rule (cinder/backup/api.py): the newest backup
        # of the volume whatever its status (from a snapshot: the newest
        # older than the snapshot); an incremental onto one not available
        # is refused
        self.strict_parent = bool(spec.get('strict_parent'))
        self.emails = []
        for b in spec.get('backups', []):
            self.backups[b['id']] = b

    def attachments(self, volume_id):
        """Cinder's attachments of a volume: a server's volumes in order.

        From /dev/vda for a server booted from a volume, else from
        /dev/vdb (the image's disk is vda), as libvirt names them.
        """
        return [{'server_id': server['id'],
                 'device': fake_nova.device_of(server, volume_id)}
                for server in self.servers.values()
                if volume_id in server['volumes']]

    def now(self):
        # The fake clock runs from 400 days ago; runs may advance it
        # ("advance_days").
        import datetime
        self.clock += 1
        base = datetime.datetime.utcnow() - datetime.timedelta(days=400)
        return (base + datetime.timedelta(seconds=self.clock)
                ).strftime('%Y-%m-%dT%H:%M:%S.%f')

    def parent_for(self, volume_id):
        cands = [b for b in self.backups.values()
                 if b['volume_id'] == volume_id and b['status'] == 'available']
        return max(cands, key=lambda b: b['created_at']) if cands else None

    def strict_parent_for(self, volume_id, before=None):
        def data_at(b):
            return b.get('data_timestamp') or b['created_at']
        cands = [b for b in self.backups.values()
                 if b['volume_id'] == volume_id and
                 (before is None or data_at(b) < before)]
        return max(cands, key=data_at) if cands else None

    def settle(self, b):
        """A slow backup: one read nearer 'available'."""
        if b.get('reads_left') is None:
            return
        b['reads_left'] -= 1
        if b['reads_left'] > 0:
            return
        b.pop('reads_left')
        b['status'] = 'available'
        if b.get('snapshot_id') in self.snapshots:
            self.snapshots[b['snapshot_id']]['status'] = 'available'
        else:
            v = self.volumes[b['volume_id']]
            v['status'] = v.pop('previous_status', 'available')

    def public_backup(self, b):
        d = dict(b)
        d['has_dependent_backups'] = any(c.get('parent_id') == b['id'] and
                                         c['status'] == 'available'
                                         for c in self.backups.values())
        d.pop('parent_id', None)
        d.pop('reads_left', None)
        return d


def _rec(_action, **kw):
    CALLS.append({'action': _action, 'input': kw})


from mistral_lib import actions as ml_actions  # noqa: E402

try:    # run as a script (or imported by fires.py) from tests/workbooks
    import fake_groups  # noqa: E402
    import fake_nova  # noqa: E402
    import schema_once  # noqa: E402
except ImportError:  # pragma: no cover - imported as a package module
    from tests.workbooks import fake_groups  # noqa: E402
    from tests.workbooks import fake_nova  # noqa: E402
    from tests.workbooks import schema_once  # noqa: E402

schema_once.install()


class ServersList(ml_actions.Action):

    def __init__(self, detailed=True, search_opts=None, marker=None,
                 limit=None, sort_keys=None, sort_dirs=None):
        self.search_opts = search_opts or {}
        self.limit = limit

    def run(self, context):
        _rec('nova.servers_list', search_opts=self.search_opts,
             limit=self.limit)
        tags = [
            t for t in (self.search_opts.get('tags') or '').split(',') if t
        ]
        out = []
        for s in CLOUD.servers.values():
            if all(t in s['tags'] for t in tags):
                out.append({
                    'id': s['id'],
                    'name': s['name'],
                    'status': 'ACTIVE',
                    'metadata': dict(s['metadata']),
                    'tags': list(s['tags']),
                    'image': s['image'],
                    'flavor': dict(s['flavor']),
                    'os-extended-volumes:volumes_attached': [{
                        'id': v,
                        'delete_on_termination': False
                    } for v in s['volumes']]
                })
        return out


class ServersSetMeta(ml_actions.Action):
    def __init__(self, server, metadata):
        self.server, self.metadata = server, metadata

    def run(self, context):
        _rec('nova.servers_set_meta', server=self.server,
             metadata=self.metadata)
        if self.server not in CLOUD.servers:
            _err('NovaAction', 'servers.set_meta',
                 'Instance %s could not be found.' % self.server, 404)
        CLOUD.servers[self.server]['metadata'].update(self.metadata)
        return {'metadata': dict(CLOUD.servers[self.server]['metadata'])}


class VolumesGet(ml_actions.Action):
    def __init__(self, volume_id):
        self.volume_id = volume_id

    def run(self, context):
        _rec('cinder.volumes_get', volume_id=self.volume_id)
        v = CLOUD.volumes.get(self.volume_id)
        if v is None:
            _err('CinderAction', 'volumes.get',
                 'Volume %s could not be found.' % self.volume_id, 404)
        v = dict(v, metadata=dict(v['metadata']),
                 attachments=CLOUD.attachments(self.volume_id))
        if self.volume_id in CLOUD.racing_reads and 'previous_status' in v:
            v['status'] = v.pop('previous_status')
        return v


class VolumesDelete(ml_actions.Action):
    def __init__(self, volume, cascade=False):
        self.volume = volume

    def run(self, context):
        _rec('cinder.volumes_delete', volume=self.volume)
        v = CLOUD.volumes.get(self.volume)
        if v is None:
            _err('CinderAction', 'volumes.delete',
                 'Volume %s could not be found.' % self.volume, 404)
        if v['status'] not in ('available', 'error', 'error_restoring'):
            _err('CinderAction', 'volumes.delete',
                 'Invalid volume: Volume status must be available or error '
                 'or error_restoring, but current status is: %s' %
                 v['status'], 400)
        del CLOUD.volumes[self.volume]


class VolumesSetMetadata(ml_actions.Action):
    def __init__(self, volume, metadata):
        self.volume, self.metadata = volume, metadata

    def run(self, context):
        _rec('cinder.volumes_set_metadata', volume=self.volume,
             metadata=self.metadata)
        v = CLOUD.volumes.get(self.volume)
        if v is None:
            _err('CinderAction', 'volumes.set_metadata',
                 'Volume %s could not be found.' % self.volume, 404)
        v['metadata'].update(self.metadata)
        return {'metadata': dict(v['metadata'])}


class VolumesList(ml_actions.Action):

    def __init__(self, detailed=True, search_opts=None, marker=None,
                 limit=None, sort=None):
        self.search_opts = search_opts or {}

    def run(self, context):
        _rec('cinder.volumes_list', search_opts=self.search_opts)
        vols = list(CLOUD.volumes.values())
        if self.search_opts.get('project_id'):
            vols = [
                v for v in vols
                if v.get('project_id') == self.search_opts['project_id']
            ]
        return [{'id': v['id'], 'name': v['name']} for v in vols]


class VolumesCreate(ml_actions.Action):
    def __init__(self, size, backup_id=None, name=None, volume_type=None,
                 availability_zone=None, description=None, metadata=None,
                 **kw):
        self.size, self.backup_id, self.name = size, backup_id, name
        self.volume_type, self.az = volume_type, availability_zone
        self.metadata = metadata or {}

    def run(self, context):
        _rec('cinder.volumes_create', size=self.size, backup_id=self.backup_id,
             name=self.name, volume_type=self.volume_type,
             availability_zone=self.az)
        b = CLOUD.backups.get(self.backup_id)
        if b is None:
            _err('CinderAction', 'volumes.create',
                 'Backup %s could not be found.' % self.backup_id, 404)
        if self.size < b['size']:
            _err('CinderAction', 'volumes.create',
                 'Invalid input received: Volume size must not be smaller '
                 'than the backup', 400)
        vid = 'vol-%s' % uuid.uuid4().hex[:8]
        # As Cinder's chunked drivers: the source volume's own metadata, when
        # it had some, replaces what the create asked for; a bootable
        # source's image metadata comes back and makes the volume bootable.
        source = CLOUD.volumes.get(b['volume_id']) or {}
        bootable = (b.get('metadata') or {}).get(
            'backup_dashboard:bootable_image') == 'true' and \
            self.backup_id not in CLOUD.unbootable_restores
        CLOUD.volumes[vid] = {
            'id': vid,
            'name': self.name,
            'status': 'error_restoring'
            if self.backup_id in CLOUD.unreadable_backups else 'available',
            'size': self.size,
            'bootable': 'true' if bootable else 'false',
            'metadata': dict(source.get('metadata') or self.metadata),
            'created_at': CLOUD.now(),
            'updated_at': CLOUD.now(),
            'volume_type': self.volume_type,
            'availability_zone': self.az,
            'restored_from': self.backup_id
        }
        return {'id': vid, 'status': 'creating', 'size': self.size}


class RestoresRestore(ml_actions.Action):
    def __init__(self, backup_id, volume_id=None, name=None):
        self.backup_id, self.volume_id = backup_id, volume_id

    def run(self, context):
        _rec('cinder.restores_restore', backup_id=self.backup_id,
             volume_id=self.volume_id)
        v = CLOUD.volumes[self.volume_id]
        b = CLOUD.backups[self.backup_id]
        if v['size'] < b['size']:
            _err('CinderAction', 'restores.restore',
                 'Invalid volume: volume size %d is too small to restore '
                 'backup of size %d.' % (v['size'], b['size']), 400)
        v['restored_from'] = self.backup_id
        return {'backup_id': self.backup_id, 'volume_id': self.volume_id}


class SnapshotsCreate(ml_actions.Action):

    def __init__(self, volume_id, force=None, name=None, description=None,
                 metadata=None):
        self.volume_id = volume_id
        self.force = force
        self.name = name
        self.metadata = metadata

    def run(self, context):
        _rec('cinder.volume_snapshots_create', volume_id=self.volume_id,
             force=self.force, name=self.name)
        sid = 'snap-%s' % uuid.uuid4().hex[:8]
        CLOUD.snapshots[sid] = {
            'id': sid,
            'volume_id': self.volume_id,
            # as Cinder: 'creating' when first read, then available
            'status': 'creating',
            'name': self.name,
            'metadata': self.metadata or {},
            'created_at': CLOUD.now()
        }
        return {'id': sid, 'status': 'creating', 'volume_id': self.volume_id}


def _read_snapshot(snapshot):
    """What a read answers; a 'creating' snapshot is available after.

    A backup of it refused as 'creating' counts as a read (Cinder read it).
    """
    answer = dict(snapshot)
    if snapshot['status'] == 'creating':
        snapshot['status'] = 'available'
    return answer


class SnapshotsGet(ml_actions.Action):
    def __init__(self, snapshot_id):
        self.snapshot_id = snapshot_id

    def run(self, context):
        _rec('cinder.volume_snapshots_get', snapshot_id=self.snapshot_id)
        s = CLOUD.snapshots.get(self.snapshot_id)
        if s is None:
            _err('CinderAction', 'volume_snapshots.get',
                 'Snapshot %s could not be found.' % self.snapshot_id, 404)
        return _read_snapshot(s)


class SnapshotsList(ml_actions.Action):
    def __init__(self, search_opts=None, detailed=True, **kwargs):
        self.search_opts = search_opts or {}

    def run(self, context):
        _rec('cinder.volume_snapshots_list', search_opts=self.search_opts)
        vid = self.search_opts.get('volume_id')
        name = self.search_opts.get('name')
        return [
            _read_snapshot(s) for s in CLOUD.snapshots.values()
            if vid in (None, s['volume_id']) and
            name in (None, s.get('name'))
        ]


class SnapshotsDelete(ml_actions.Action):
    def __init__(self, snapshot, force=False):
        self.snapshot = snapshot

    def run(self, context):
        _rec('cinder.volume_snapshots_delete', snapshot=self.snapshot)
        if self.snapshot not in CLOUD.snapshots:
            _err('CinderAction', 'volume_snapshots.delete',
                 'Snapshot %s could not be found.' % self.snapshot, 404)
        if CLOUD.snapshots[self.snapshot].get('group_snapshot_id'):
            _err('CinderAction', 'volume_snapshots.delete',
                 'Invalid snapshot: Snapshot status must be available or '
                 'error and must not be part of a group.', 400)
        if any(
                b.get('snapshot_id') == self.snapshot and
                b['status'] == 'creating' for b in CLOUD.backups.values()):
            _err('CinderAction', 'volume_snapshots.delete',
                 'Invalid snapshot: Snapshot status must be available or '
                 'error and must not be part of a group.', 400)
        del CLOUD.snapshots[self.snapshot]
        return None


class BackupsCreate(ml_actions.Action):

    def __init__(self, volume_id, container=None, name=None, description=None,
                 incremental=False, force=False, snapshot_id=None,
                 metadata=None, availability_zone=None):
        self.__dict__.update(volume_id=volume_id, name=name,
                             description=description, incremental=incremental,
                             force=force, snapshot_id=snapshot_id,
                             metadata=metadata)

    def run(self, context):
        _rec('cinder.backups_create', volume_id=self.volume_id,
             incremental=self.incremental, force=self.force,
             snapshot_id=self.snapshot_id, name=self.name,
             metadata=self.metadata)
        v = CLOUD.volumes.get(self.volume_id)
        if v is None:
            _err('CinderAction', 'backups.create',
                 'Volume %s could not be found.' % self.volume_id, 404)
        if self.volume_id in CLOUD.fail_volumes:
            _err('CinderAction', 'backups.create',
                 'Invalid volume: simulated failure for %s.' % self.volume_id,
                 400)
        snap = CLOUD.snapshots.get(self.snapshot_id)
        if snap is not None and snap['status'] != 'available':
            status = _read_snapshot(snap)['status']
            _err('CinderAction', 'backups.create',
                 'Invalid snapshot: Snapshot to be backed up must be '
                 'available, but the current status is "%s".' % status, 400)
        if v['status'] == 'in-use' and not self.force and not self.snapshot_id:
            _err('CinderAction', 'backups.create',
                 'Invalid volume: Backing up an in-use volume must use the '
                 'force flag.', 400)
        if v['status'] not in ('available', 'in-use'):
            _err('CinderAction', 'backups.create',
                 'Invalid volume: Volume to be backed up must be available '
                 'or in-use, but the current status is "%s".' % v['status'],
                 400)
        if (CLOUD.max_backups is not None and
                len(CLOUD.backups) >= CLOUD.max_backups):
            _err('CinderAction', 'backups.create',
                 'BackupLimitExceeded: Maximum number of backups allowed '
                 '(%d) exceeded' % CLOUD.max_backups, 413)
        parent = CLOUD.parent_for(self.volume_id) if self.incremental else None
        if self.incremental and CLOUD.strict_parent:
            snap = CLOUD.snapshots.get(self.snapshot_id) or {}
            parent = CLOUD.strict_parent_for(self.volume_id,
                                             snap.get('created_at'))
            if parent is not None and parent['status'] != 'available':
                _err('CinderAction', 'backups.create',
                     'Invalid backup: The parent backup must be available '
                     'for incremental backup.', 400)
        if self.incremental and parent is None:
            _err('CinderAction', 'backups.create',
                 'Invalid backup: No backups available to do an incremental '
                 'backup.', 400)
        bid = 'bk-%s' % uuid.uuid4().hex[:8]
        status = ('error' if self.volume_id in CLOUD.error_volumes
                  else 'available')
        if self.volume_id in CLOUD.stuck_volumes:
            status = 'creating'
        slow = CLOUD.slow_volumes.get(self.volume_id)
        if slow and status == 'available':
            status = 'creating'
            if self.snapshot_id in CLOUD.snapshots:
                CLOUD.snapshots[self.snapshot_id]['status'] = 'backing-up'
            else:
                v['previous_status'] = v['status']
                v['status'] = 'backing-up'
        CLOUD.backups[bid] = {
            'id': bid,
            'volume_id': self.volume_id,
            'name': self.name,
            'description': self.description,
            'status': status,
            'fail_reason': 'simulated backup driver error'
            if status == 'error' else None,
            'is_incremental': bool(self.incremental),
            'size': v['size'],
            'created_at': CLOUD.now(),
            'snapshot_id': self.snapshot_id,
            'metadata': dict(self.metadata or {}),
            'parent_id': parent['id'] if parent else None
        }
        if slow and status == 'creating':
            CLOUD.backups[bid]['reads_left'] = int(slow)
        if CLOUD.strict_parent:
            # the snapshot's time for a backup of a snapshot
            CLOUD.backups[bid]['data_timestamp'] = (CLOUD.snapshots.get(
                self.snapshot_id) or CLOUD.backups[bid])['created_at']
        return {'id': bid, 'name': self.name, 'links': []}


class BackupsGet(ml_actions.Action):
    def __init__(self, backup_id):
        self.backup_id = backup_id

    def run(self, context):
        _rec('cinder.backups_get', backup_id=self.backup_id)
        b = CLOUD.backups.get(self.backup_id)
        if b is None:
            _err('CinderAction', 'backups.get',
                 'Backup %s could not be found.' % self.backup_id, 404)
        CLOUD.settle(b)
        return CLOUD.public_backup(b)


class BackupsList(ml_actions.Action):

    def __init__(self, detailed=True, search_opts=None, marker=None,
                 limit=None, sort=None):
        self.search_opts = search_opts or {}

    def run(self, context):
        _rec('cinder.backups_list', search_opts=self.search_opts)
        vid = self.search_opts.get('volume_id')
        return [CLOUD.public_backup(b) for b in CLOUD.backups.values()
                if vid is None or b['volume_id'] == vid]


class LimitsGet(ml_actions.Action):
    # Mistral hands the client's Limits resource over as its attributes.

    def __init__(self, **kwargs):
        pass

    def run(self, context):
        _rec('cinder.limits_get')
        return {'_info': {'rate': [], 'absolute': {
            'maxTotalVolumes': CLOUD.max_volumes,
            'totalVolumesUsed': len(CLOUD.volumes),
            'maxTotalVolumeGigabytes': CLOUD.max_volume_gb,
            'totalGigabytesUsed': sum(int(v.get('size') or 0)
                                      for v in CLOUD.volumes.values())}}}


class BackupsDelete(ml_actions.Action):
    def __init__(self, backup, force=False):
        self.backup = backup

    def run(self, context):
        _rec('cinder.backups_delete', backup=self.backup)
        b = CLOUD.backups.get(self.backup)
        if b is None:
            _err('CinderAction', 'backups.delete',
                 'Backup %s could not be found.' % self.backup, 404)
        if b['status'] not in ('available', 'error'):
            _err('CinderAction', 'backups.delete',
                 'Invalid backup: Backup status must be available or error',
                 400)
        if any(c.get('parent_id') == b['id'] for c in CLOUD.backups.values()):
            _err('CinderAction', 'backups.delete',
                 'Invalid backup: Incremental backups exist for this backup.',
                 400)
        del CLOUD.backups[self.backup]
        return None


class SendEmail(ml_actions.Action):

    def __init__(self, from_addr, to_addrs, smtp_server, reply_to=None,
                 cc_addrs=None, bcc_addrs=None, smtp_password=None,
                 subject=None, body=None, html_body=None):
        self.d = dict(from_addr=from_addr, to_addrs=to_addrs,
                      smtp_server=smtp_server, subject=subject, body=body)

    def run(self, context):
        _rec('std.email', **self.d)
        CLOUD.emails.append(self.d)
        return None


class FakeSMTP(object):
    """Stands in for smtplib.SMTP inside Mistral's real std.email action."""

    def __init__(self, host=None, *a, **kw):
        self.host = host

    def ehlo(self, *a):
        return (250, b'ok')

    def starttls(self, *a, **kw):
        return (220, b'ok')

    def login(self, user, password):
        self.user = user

    def sendmail(self, from_addr, to_addrs, msg):
        _rec('std.email', from_addr=from_addr, to_addrs=to_addrs,
             smtp_server=self.host)
        CLOUD.emails.append({'from_addr': from_addr, 'to_addrs': to_addrs,
                             'smtp_server': self.host, 'message': msg})

    def send_message(self, msg, *a, **kw):
        self.sendmail(msg['From'], msg['To'], msg.as_string())

    def quit(self):
        pass

    def close(self):
        pass


FAKES = {
    'nova.servers_list': ServersList,
    'nova.servers_set_meta': ServersSetMeta,
    'cinder.volumes_get': VolumesGet,
    'cinder.volumes_list': VolumesList,
    'cinder.volumes_create': VolumesCreate,
    'cinder.volumes_delete': VolumesDelete,
    'cinder.volumes_set_metadata': VolumesSetMetadata,
    'cinder.restores_restore': RestoresRestore,
    'cinder.volume_snapshots_create': SnapshotsCreate,
    'cinder.volume_snapshots_get': SnapshotsGet,
    'cinder.volume_snapshots_list': SnapshotsList,
    'cinder.volume_snapshots_delete': SnapshotsDelete,
    'cinder.backups_create': BackupsCreate,
    'cinder.backups_get': BackupsGet,
    'cinder.backups_list': BackupsList,
    'cinder.limits_get': LimitsGet,
    'cinder.backups_delete': BackupsDelete,
}
# Instances and attachments: tests/workbooks/fake_nova.py
FAKES.update(fake_nova.FAKES)
fake_nova.bind(lambda: CLOUD, _rec, _err)
# Group snapshots: tests/workbooks/fake_groups.py
FAKES.update(fake_groups.FAKES)
fake_groups.bind(lambda: CLOUD, _rec, _err)


def run_scenario(scenario):
    # Mistral's test base picks the threading backend before anything
    # else imports Mistral.
    from mistral.tests.unit.engine import base

    from mistral.db.v2 import api as db_api
    from mistral.services import workflows as wf_service
    from mistral.workflow import states

    results = []

    class Sim(base.EngineTestCase):
        def test_run(self):
            global CLOUD
            from mistral.actions import std_actions
            std_actions.smtplib.SMTP = FakeSMTP
            std_actions.smtplib.SMTP_SSL = FakeSMTP
            for name, cls in FAKES.items():
                self.register_action_class(name, cls)
            for path in scenario['workbooks']:
                wf_service.create_workflows(open(path).read())
            # The admins' public workflow (backup_dashboard/governance.py),
            # as the product writes it (bridge.governance_definition); none
            # when it was never synced.
            if scenario.get('governance'):
                wf_service.create_workflows(scenario['governance'])
            CLOUD = FakeCloud(scenario.get('cloud', {}))
            for run in scenario['runs']:
                del CALLS[:]
                with db_api.transaction():
                    before = len(db_api.get_task_executions())
                CLOUD.clock += int(run.get('advance_days', 0) * 86400)
                # {"together": [run, ...]}: started at once (two schedules'
                # triggers firing at the same moment), one result each
                group = run.get('together') or [run]
                started = [(r, self.engine.start_workflow(
                    r['workflow'], wf_input=self._input(r),
                    **({'env': r['env']} if r.get('env') else {})))
                    for r in group]
                # a hang guard, not a speed limit: `make test` runs this
                # beside the cloud tests at the lowest priority, where a
                # run of a few seconds can wait minutes for the CPU
                for r, ex in started:
                    self.await_workflow_state(ex.id,
                                              [states.SUCCESS, states.ERROR],
                                              timeout=r.get('timeout', 900))
                for r, ex in started:
                    with db_api.transaction():
                        wex = db_api.get_workflow_execution(ex.id)
                        tasks = db_api.get_task_executions()
                        results.append({
                            'workflow': r['workflow'],
                            'id': ex.id,
                            'state': wex.state,
                            'state_info': wex.state_info,
                            'output': wex.output,
                            'task_executions': len(tasks) - before,
                            'calls': list(CALLS),
                            'cloud': json.loads(
                                json.dumps(
                                    {
                                        'volumes': CLOUD.volumes,
                                        'servers': CLOUD.servers,
                                        'backups': CLOUD.backups,
                                        'snapshots': CLOUD.snapshots,
                                        'group_snapshots':
                                            CLOUD.group_snapshots,
                                        'emails': CLOUD.emails
                                    }, default=str))
                        })

        def _input(self, run):
            wf_input = {}
            for k, v in run.get('input', {}).items():
                # "@<volume>": the newest available backup of that volume
                if isinstance(v, str) and v.startswith('@'):
                    p = CLOUD.parent_for(v[1:])
                    v = p['id'] if p else v
                wf_input[k] = v
            return wf_input

        def await_workflow_state(self, ex_id, wanted, timeout):
            def ok():
                with db_api.transaction():
                    return db_api.get_workflow_execution(ex_id).state in wanted
            self._await(ok, delay=0.2, timeout=timeout)

    suite = unittest.TestSuite([Sim('test_run')])
    res = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(suite)
    errors = [str(e[1]) for e in res.errors + res.failures]
    return {'runs': results, 'errors': errors}


def main():
    import tempfile
    scenario = json.load(sys.stdin)
    scenario['workbooks'] = [os.path.abspath(p) for p in scenario['workbooks']]
    # Mistral's test base logs to ./mistral.log: keep it out of the work tree.
    work = tempfile.mkdtemp(prefix='bd-simulate-')
    os.chdir(work)
    try:
        out = run_scenario(scenario)
    except Exception as e:  # pragma: no cover
        out = {'runs': [], 'errors': ['%s: %s' % (type(e).__name__, e)]}
    sys.stdout.write(json.dumps(out, default=str) + '\n')
    sys.stdout.flush()
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    # Mistral's engine threads do not stop by themselves.
    os._exit(0)


if __name__ == '__main__':
    main()
