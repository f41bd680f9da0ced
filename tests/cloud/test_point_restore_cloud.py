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

"""Whole-instance restore of a point against the real local OpenStack.

A server booted from a volume with two data volumes holding known bytes is
backed up by a schedule run; its point is restored through the plugin's
pages as a new server and onto the same instance. The restored volumes hold
the same bytes and sit at the same device names; an injected failure
leaves nothing behind; another project cannot see or restore the point.
"""
import json
import os
import re
import time

import pytest

from backup_dashboard import points
from tests.cloud import conftest
from tests.cloud import horizon
from tests.cloud.horizon import dashboard  # noqa: F401 (fixture)
from tests.cloud.horizon import synced_workbooks  # noqa: F401 (fixture)
from tests.cloud import test_faults as runs

pytestmark = pytest.mark.cloud
PANEL = '/project/backup_restore/'
PROGRESS_RE = re.compile(r'/project/backup_restore/point-restores/([^/]+)/')


def write_known(project, volume, marker):
    data = (marker * 4096)[:1 << 20]
    with open(project.volume_file(volume.id), 'r+b') as f:
        f.seek(4096)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return data


def read_known(project, volume_id, size):
    with open(project.volume_file(volume_id), 'rb') as f:
        f.seek(4096)
        return f.read(size)


def devices_of(project, server_id):
    """{device: volume id} of the server's attachments, from Cinder."""
    found = {}
    for attached in project.nova.volumes.get_server_volumes(server_id):
        found[attached.device] = attached.volumeId
    return found


def follow(user, project, res, timeout=300):
    match = PROGRESS_RE.search(res.url)
    assert match, (res.url, horizon.messages(res.text))
    execution_id = match.group(1)
    project.record_execution(execution_id)
    deadline = time.time() + timeout
    while True:
        page = user.get('%spoint-restores/%s/' % (PANEL, execution_id),
                        ajax=True).text
        if 'data-running="false"' in page:
            return project.mistral.executions.get(execution_id), page
        assert time.time() < deadline, page
        time.sleep(2)


def record_restored(project, execution):
    """Cleanup removes the volumes a restore made; its output."""
    output = json.loads(execution.output or '{}')
    for row in output.get('volumes') or []:
        if row.get('volume'):
            project.cleanup.add('delete volume %s' % row['volume'],
                                project.delete_volume, row['volume'])
    return output


def test_a_point_restores_as_a_new_server_and_onto_its_instance(
        dashboard, synced_workbooks, demo, alt):  # noqa: F811
    name = conftest.unique('point')
    server = demo.server(name=name)
    boot_id = [a['id'] for a in getattr(
        server, 'os-extended-volumes:volumes_attached')][0]
    data = [demo.volume(name='%s-data%d' % (name, i)) for i in (1, 2)]
    for volume in data:
        demo.attach(server, volume)
    known = {v.id: write_known(demo, v, ('%s-%s' % (name, v.name)).encode())
             for v in data}
    original = devices_of(demo, server.id)
    demo.nova.servers.add_tag(server.id, 'backup:' + name)
    # per-instance points: the three volumes snapshotted together first
    state, out = runs.run(demo, runs.schedule_input(name, points='instance'))
    runs.record_backups(demo, boot_id, *[v.id for v in data])
    assert state == 'SUCCESS', out
    for volume_id in [boot_id] + [v.id for v in data]:
        assert not runs.snapshots_of(demo, volume_id), 'snapshot left'

    backups = demo.cinder.backups.list()
    point, = points.points_of(backups, lambda b: b.metadata, server.id)
    assert point.complete and point.boot.volume == boot_id
    assert point.consistency == 'crash-consistent'
    assert 0 <= point.spread < 30, point.spread
    assert all(m.backup.snapshot_id for m in point.members)
    user = horizon.Browser(dashboard, 'demo', 'demo')
    form_url = '%spoints/%s/%s/' % (PANEL, server.id, point.run)
    assert form_url in user.get(PANEL + '?server_id=' + server.id).text

    # Another project sees no such point and can start nothing from it.
    other = horizon.Browser(dashboard, 'alt', 'alt')
    res = other.get(form_url)
    assert form_url not in res.url
    assert 'was not found' in ' '.join(horizon.messages(res.text))

    # As a new server: booted from the restored boot volume, data in order.
    form = user.get(form_url).text
    flavor = demo.nova.flavors.find(name='m1.tiny').id
    values = {'target': 'new_server', 'server_name': name + '-new',
              'flavor': flavor, 'network': ''}
    for index, member in enumerate(point.members):
        values['name_%d' % index] = '%s-r%d' % (name, index)
    assert 'id="restore_point_form"' in form
    execution, page = follow(user, demo, user.post(form_url, values))
    output = record_restored(demo, execution)
    if output.get('server'):
        demo.cleanup.add('delete server', demo.delete_server,
                         output['server'])
    assert execution.state == 'SUCCESS', (execution.state_info, output)
    assert 'Done: the new server boots' in page
    new = demo.nova.servers.get(output['server'])
    assert new.status == 'ACTIVE' and not new.image
    restored = devices_of(demo, new.id)
    assert sorted(restored) == sorted(original)
    by_backup = {row['backup_id']: row['volume']
                 for row in output['volumes']}
    for member in point.members:
        device_volume = restored[member.device]
        assert device_volume == by_backup[member.backup.id]
        if member.volume in known:
            assert read_known(demo, device_volume, len(
                known[member.volume])) == known[member.volume]
    boot = demo.cinder.volumes.get(restored[point.boot.device])
    assert boot.bootable == 'true'

    # Onto the same instance: its data volumes only, attached in order.
    values['target'] = 'instance'
    execution, page = follow(user, demo, user.post(form_url, values))
    output = record_restored(demo, execution)
    assert execution.state == 'SUCCESS', (execution.state_info, output)
    now = devices_of(demo, server.id)
    added = {d: v for d, v in now.items() if d not in original}
    assert len(added) == 2
    for row in output['volumes']:
        member = next(m for m in point.members
                      if m.backup.id == row['backup_id'])
        assert read_known(demo, row['volume'], len(
            known[member.volume])) == known[member.volume]
    # the rows come in device order, and so were they attached
    assert [v for _, v in sorted(added.items())] == [
        r['volume'] for r in output['volumes']]

    # A failure after volumes exist (no such flavor) removes them again.
    before = {v.id for v in demo.cinder.volumes.list()}
    failing = demo.mistral.executions.create(
        points.RESTORE_WORKFLOW, workflow_input=json.dumps({
            'members': [{'backup_id': m.backup.id, 'device': m.device,
                         'boot': m.boot, 'name': name + '-doomed',
                         'size': m.backup.size} for m in point.members],
            'target': 'new_server', 'server_name': name + '-doomed',
            'flavor': 'no-such-flavor', 'network_id': None}))
    demo.record_execution(failing.id)
    failed = conftest.wait_for('the failing restore', lambda: (
        lambda e: e if e.state in ('SUCCESS', 'ERROR') else None)(
        demo.mistral.executions.get(failing.id)), timeout=300, delay=2)
    assert failed.state == 'ERROR'
    assert 'flavor' in (failed.output or '').lower() or \
        'flavor' in (failed.state_info or '').lower()
    assert {v.id for v in demo.cinder.volumes.list()} == before
    assert not [s for s in demo.nova.servers.list()
                if s.name == name + '-doomed']
