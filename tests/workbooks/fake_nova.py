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

"""The fake Nova of simulate.py: instances and their volume attachments.

simulate.py's in-memory cloud holds the servers; these actions follow the
Nova rules the workflows rely on: an instance booted from a volume (block
device mapping v2, boot_index 0, an empty image) has it as /dev/vda; an
attached volume gets the next free device name whatever name was asked for
(libvirt ignores it), so the order of the attachments decides the names; only
an 'available' volume attaches; the root volume cannot be detached; deleting
an instance detaches its volumes (delete_on_termination false).

simulate.py calls ``bind`` with its cloud, call recorder and error raiser
(it runs as a script or is imported by fires.py: one cloud per process).
Cloud knobs read here: ``server_faults`` ({flavor: fault message}: a new
instance of that flavor goes ERROR with it) and ``unattachable_backups`` (a
volume restored from one of them is refused by the attach call).
"""

import uuid

from mistral_lib import actions as ml_actions

_BOUND = {}
LETTERS = 'abcdefghijklmnop'


def bind(cloud, rec, err):
    """cloud(): the current FakeCloud; rec/err: simulate's _rec and _err."""
    _BOUND.update(cloud=cloud, rec=rec, err=err)


def _cloud():
    return _BOUND['cloud']()


def _rec(action, **kw):
    _BOUND['rec'](action, **kw)


def _err(method, msg, code):
    _BOUND['err']('NovaAction', method, msg, code)


def device_of(server, volume_id):
    """The device name of one of a server's volumes.

    Recorded at attach time; for a server given in a scenario, its volumes
    in order from /dev/vda (booted from a volume) or /dev/vdb (the image's
    disk is vda).
    """
    known = server.get('devices') or {}
    if volume_id in known:
        return known[volume_id]
    first = 0 if not server['image'] else 1
    return '/dev/vd%s' % LETTERS[first + server['volumes'].index(volume_id)]


def _freeze(server):
    # Names never move once given: record the scenario's implicit ones
    # before the volume list changes.
    server['devices'] = {v: device_of(server, v) for v in server['volumes']}


def _next_free(server):
    used = set(server['devices'].values())
    first = 0 if not server['image'] else 1
    return next('/dev/vd%s' % c for c in LETTERS[first:]
                if '/dev/vd%s' % c not in used)


def _public(server):
    out = {
        'id': server['id'], 'name': server['name'],
        'status': server.get('status', 'ACTIVE'),
        'metadata': dict(server['metadata']), 'tags': list(server['tags']),
        'image': server['image'], 'flavor': dict(server['flavor']),
        'os-extended-volumes:volumes_attached': [
            {'id': v, 'delete_on_termination': False}
            for v in server['volumes']]}
    if server.get('fault'):
        out['fault'] = dict(server['fault'])
    return out


class ServersCreate(ml_actions.Action):
    def __init__(self, name, image, flavor, block_device_mapping_v2=None,
                 nics=None, **kwargs):
        self.name, self.image, self.flavor = name, image, flavor
        self.bdm = block_device_mapping_v2 or []
        self.nics = nics

    def run(self, context):
        _rec('nova.servers_create', name=self.name, image=self.image,
             flavor=self.flavor, block_device_mapping_v2=self.bdm,
             nics=self.nics)
        cloud = _cloud()
        boot = [b for b in self.bdm if str(b.get('boot_index')) == '0']
        if not self.image and len(boot) != 1:
            _err('servers.create', 'Block Device Mapping is Invalid: Boot '
                 'sequence for the instance and image/block device mapping '
                 'combination is not valid.', 400)
        if self.nics is None:
            # compute API 2.37+
            _err('servers.create', "Invalid input for field/attribute "
                 "networks. Value: None.", 400)
        for b in self.bdm:
            v = cloud.volumes.get(b.get('uuid'))
            if b.get('source_type') != 'volume' or v is None:
                _err('servers.create', 'Block Device Mapping is Invalid: '
                     'failed to get volume %s.' % b.get('uuid'), 400)
            if v['status'] != 'available':
                _err('servers.create', 'Invalid volume: volume %s status '
                     'must be available, but is %s' % (v['id'], v['status']),
                     400)
            if str(b.get('boot_index')) == '0' and \
                    str(v.get('bootable')).lower() != 'true':
                # as Nova: a boot volume must be marked bootable
                _err('servers.create', 'Block Device %s is not bootable.'
                     % v['id'], 400)
        sid = 'srv-%s' % uuid.uuid4().hex[:8]
        fault = cloud.server_faults.get(self.flavor)
        server = {
            'id': sid, 'name': self.name, 'tags': [], 'metadata': {},
            'image': self.image or '', 'flavor': {'id': self.flavor},
            'volumes': [], 'devices': {}, 'nics': self.nics,
            'block_device_mapping_v2': self.bdm,
            'status': 'ERROR' if fault else 'ACTIVE',
            'fault': {'code': 500, 'message': fault} if fault else None}
        # the boot volume first (vda), then the other mappings in order
        for b in sorted(self.bdm, key=lambda b: str(
                b.get('boot_index')) != '0'):
            server['devices'][b['uuid']] = _next_free(server)
            server['volumes'].append(b['uuid'])
            # a failed build leaves its volumes reserved until the delete
            cloud.volumes[b['uuid']]['status'] = \
                'reserved' if fault else 'in-use'
        cloud.servers[sid] = server
        # Nova answers before the build: the id, no status yet
        return {'id': sid, 'links': [], 'OS-DCF:diskConfig': 'MANUAL'}


class ServersGet(ml_actions.Action):
    def __init__(self, server):
        self.server = server

    def run(self, context):
        _rec('nova.servers_get', server=self.server)
        s = _cloud().servers.get(self.server)
        if s is None:
            _err('servers.get', 'Instance %s could not be found.' %
                 self.server, 404)
        return _public(s)


class ServersDelete(ml_actions.Action):
    def __init__(self, server):
        self.server = server

    def run(self, context):
        _rec('nova.servers_delete', server=self.server)
        cloud = _cloud()
        s = cloud.servers.get(self.server)
        if s is None:
            _err('servers.delete', 'Instance %s could not be found.' %
                 self.server, 404)
        for v in s['volumes']:
            if v in cloud.volumes:
                cloud.volumes[v]['status'] = 'available'
        del cloud.servers[self.server]
        return None


class AttachVolume(ml_actions.Action):
    def __init__(self, server_id, volume_id, device=None, tag=None,
                 delete_on_termination=False):
        self.server_id = server_id
        self.volume_id = volume_id
        self.device = device

    def run(self, context):
        _rec('nova.volumes_create_server_volume', server_id=self.server_id,
             volume_id=self.volume_id, device=self.device)
        cloud = _cloud()
        s = cloud.servers.get(self.server_id)
        if s is None:
            _err('volumes.create_server_volume', 'Instance %s could not be '
                 'found.' % self.server_id, 404)
        v = cloud.volumes.get(self.volume_id)
        if v is None:
            _err('volumes.create_server_volume', 'Volume %s could not be '
                 'found.' % self.volume_id, 404)
        if v['status'] != 'available':
            _err('volumes.create_server_volume', 'Invalid volume: volume %s '
                 'status must be available' % self.volume_id, 400)
        if v.get('restored_from') in cloud.unattachable_backups:
            _err('volumes.create_server_volume', 'Invalid volume: simulated '
                 'attach failure for %s' % self.volume_id, 400)
        _freeze(s)
        # the next free name, not the one asked for (libvirt's choice)
        if self.device and self.device in s['devices'].values():
            # as Nova: a name asked for must be free (whatever it then uses)
            _err('volumes.create_server_volume', 'The supplied device path '
                 '(%s) is in use.' % self.device, 409)
        device = _next_free(s)
        s['devices'][self.volume_id] = device
        s['volumes'].append(self.volume_id)
        v['status'] = 'in-use'
        return {'id': self.volume_id, 'volumeId': self.volume_id,
                'serverId': self.server_id, 'device': device}


class DetachVolume(ml_actions.Action):
    def __init__(self, server_id, volume_id=None, attachment_id=None):
        self.server_id = server_id
        self.volume_id = volume_id or attachment_id

    def run(self, context):
        _rec('nova.volumes_delete_server_volume', server_id=self.server_id,
             volume_id=self.volume_id)
        cloud = _cloud()
        s = cloud.servers.get(self.server_id)
        if s is None:
            _err('volumes.delete_server_volume', 'Instance %s could not be '
                 'found.' % self.server_id, 404)
        if self.volume_id not in s['volumes']:
            _err('volumes.delete_server_volume', 'Volume %s is not attached '
                 'to the instance.' % self.volume_id, 404)
        _freeze(s)
        if not s['image'] and s['devices'][self.volume_id] == '/dev/vda':
            _err('volumes.delete_server_volume', "Can't detach root device "
                 "volume", 403)
        s['volumes'].remove(self.volume_id)
        del s['devices'][self.volume_id]
        if self.volume_id in cloud.volumes:
            cloud.volumes[self.volume_id]['status'] = 'available'
        return None


class VolumesSetBootable(ml_actions.Action):
    """Cinder's bootable flag, which Nova checks on a boot volume."""

    def __init__(self, volume, flag):
        self.volume, self.flag = volume, flag

    def run(self, context):
        _rec('cinder.volumes_set_bootable', volume=self.volume,
             flag=self.flag)
        v = _cloud().volumes.get(self.volume)
        if v is None:
            _err('volumes.set_bootable', 'Volume %s could not be found.'
                 % self.volume, 404)
        v['bootable'] = 'true' if self.flag else 'false'
        return None


FAKES = {
    'cinder.volumes_set_bootable': VolumesSetBootable,
    'nova.servers_create': ServersCreate,
    'nova.servers_get': ServersGet,
    'nova.servers_delete': ServersDelete,
    'nova.volumes_create_server_volume': AttachVolume,
    'nova.volumes_delete_server_volume': DetachVolume,
}
