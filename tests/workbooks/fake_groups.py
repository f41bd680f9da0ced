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

"""The fake Cinder group snapshots of simulate.py (the cgsnapshots API).

A volume is in a group when its scenario gives it a ``group_id``. As Cinder
does: a group snapshot makes one member snapshot per volume of the group
(all of them, not only the ones a run asked for), named after it and
carrying its id, 'creating' when first read; a member cannot be deleted on
its own; deleting the group snapshot deletes its members, refused while a
backup still reads one. Cloud knobs: ``failing_groups`` (a group whose
snapshot Cinder refuses), ``group_snapshots`` (ones that exist already).
Bound like fake_nova.
"""

import uuid

from mistral_lib import actions as ml_actions

_BOUND = {}


def bind(cloud, rec, err):
    """cloud(): the current FakeCloud; rec/err: simulate's _rec and _err."""
    _BOUND.update(cloud=cloud, rec=rec, err=err)


def _cloud():
    return _BOUND['cloud']()


def _err(method, msg, code):
    _BOUND['err']('CinderAction', method, msg, code)


def group_snapshots():
    return _cloud().group_snapshots


class CgsnapshotsCreate(ml_actions.Action):
    def __init__(self, consistencygroup_id, name=None, description=None,
                 user_id=None, project_id=None):
        self.group = consistencygroup_id
        self.name = name
        self.description = description

    def run(self, context):
        _BOUND['rec']('cinder.cgsnapshots_create',
                      consistencygroup_id=self.group, name=self.name)
        cloud = _cloud()
        members = [v for v in cloud.volumes.values()
                   if v.get('group_id') == self.group]
        if not members or self.group in cloud.failing_groups:
            _err('cgsnapshots.create', 'Invalid Group: Group %s is not '
                 'available.' % self.group, 400)
        gid = 'gsnap-%s' % uuid.uuid4().hex[:8]
        created = cloud.now()
        group_snapshots()[gid] = {
            'id': gid, 'consistencygroup_id': self.group, 'name': self.name,
            'description': self.description, 'status': 'available',
            'created_at': created}
        for volume in members:
            sid = 'snap-%s' % uuid.uuid4().hex[:8]
            cloud.snapshots[sid] = {
                'id': sid, 'volume_id': volume['id'], 'status': 'creating',
                'name': self.name, 'metadata': {}, 'created_at': created,
                'group_snapshot_id': gid}
        return {'id': gid, 'name': self.name}


class CgsnapshotsList(ml_actions.Action):
    def __init__(self, detailed=True, search_opts=None):
        pass

    def run(self, context):
        _BOUND['rec']('cinder.cgsnapshots_list')
        return [dict(g) for g in group_snapshots().values()]


class CgsnapshotsDelete(ml_actions.Action):
    def __init__(self, cgsnapshot):
        self.cgsnapshot = cgsnapshot

    def run(self, context):
        _BOUND['rec']('cinder.cgsnapshots_delete', cgsnapshot=self.cgsnapshot)
        cloud = _cloud()
        if self.cgsnapshot not in group_snapshots():
            _err('cgsnapshots.delete', 'GroupSnapshot %s could not be '
                 'found.' % self.cgsnapshot, 404)
        members = [sid for sid, s in cloud.snapshots.items()
                   if s.get('group_snapshot_id') == self.cgsnapshot]
        if any(b.get('snapshot_id') in members and b['status'] == 'creating'
               for b in cloud.backups.values()):
            _err('cgsnapshots.delete', 'Invalid GroupSnapshot: GroupSnapshot '
                 'status must be available or error.', 400)
        for sid in members:
            del cloud.snapshots[sid]
        del group_snapshots()[self.cgsnapshot]


FAKES = {
    'cinder.cgsnapshots_create': CgsnapshotsCreate,
    'cinder.cgsnapshots_list': CgsnapshotsList,
    'cinder.cgsnapshots_delete': CgsnapshotsDelete,
}
