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

"""Whole-instance restore of a point, in the browser, on the local OpenStack.

A server booted from a volume with two data volumes holding known bytes,
all three in a Cinder group of a consistent-snapshot type, is backed up by
a schedule run with per-instance points (made through the APIs: the main
journey shows how a user makes a schedule): one group snapshot, a
group-consistent point. In Chromium the
user finds the instance's point on the Restore page and restores it as a
new server; it boots from the restored boot volume with the data volumes
at the same device names holding the same bytes. Then, over HTTP: the same
point onto its own instance; a failing restore leaves nothing behind;
another project cannot see or restore the point.
"""
import json
import os
import re
import time

from playwright.sync_api import expect
import pytest

from backup_dashboard import points
from tests.cloud import conftest
from tests.cloud.conftest import alt  # noqa: F401 (fixture)
from tests.cloud import horizon
from tests.cloud import test_faults as runs

pytestmark = pytest.mark.browser
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


def follow(user, project, url, timeout=300):
    """From the progress page's URL to the end of the restore."""
    match = PROGRESS_RE.search(url)
    assert match, url
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


def test_restore_a_whole_instance_as_a_new_server(
        journey, dashboard, synced_workbooks, demo, alt):  # noqa: F811
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
    group = demo.group([demo.cinder.volumes.get(boot_id)] + data)
    demo.nova.servers.add_tag(server.id, 'backup:' + name)
    # per-instance points: the three volumes in one group snapshot first
    state, out = runs.run(demo, runs.schedule_input(name, points='instance'))
    runs.record_backups(demo, boot_id, *[v.id for v in data])
    assert state == 'SUCCESS', out
    for volume_id in [boot_id] + [v.id for v in data]:
        assert not runs.snapshots_of(demo, volume_id), 'snapshot left'
    assert not [s for s in demo.cinder.group_snapshots.list()
                if s.group_id == group.id], 'group snapshot left'

    backups = demo.cinder.backups.list()
    point, = points.points_of(backups, lambda b: b.metadata, server.id)
    assert point.complete and point.boot.volume == boot_id
    assert (point.consistency, point.group) == ('group', group.id)
    assert point.label({group.id}) == points.GROUP_CONSISTENT
    assert 0 <= point.spread < 30, point.spread
    assert all(m.backup.snapshot_id for m in point.members)
    form_url = '%spoints/%s/%s/' % (PANEL, server.id, point.run)

    # Another project sees no such point and can start nothing from it.
    other = horizon.Browser(dashboard, 'alt', 'alt')
    res = other.get(form_url)
    assert form_url not in res.url
    assert 'was not found' in ' '.join(horizon.messages(res.text))

    # In the browser: the instance's point, restored as a new server.
    page = journey.page
    journey.step('find the instance and its restore point')
    journey.login('demo', 'demo')
    journey.goto(PANEL + '?server_id=' + server.id)
    points_table = page.locator('table#restore_instance_points')
    expect(points_table).to_contain_text('complete')
    expect(points_table).to_contain_text(
        'group-consistent (one group snapshot)')
    journey.shot('30-instance-points')
    page.locator('a.backup-restore-point-link').first.click()
    journey.step('restore it as a new server with the defaults shown')
    form = page.locator('#restore_point_form')
    expect(form.locator('input[name=server_name]')).to_have_value(
        name + '-restored')
    expect(form.locator('#restore_point_members tbody tr')).to_have_count(3)
    journey.shot('31-restore-whole-instance')
    form.locator('button[type=submit]').click()
    page.wait_for_url(PROGRESS_RE)
    journey.step('follow it to the end')
    expect(page.locator('#restore_progress')).to_have_attribute(
        'data-running', 'false', timeout=300000)
    expect(page.locator('#restore_outcome')).to_contain_text(
        'Done: the new server boots')
    journey.shot('32-whole-instance-restored')
    user = horizon.Browser(dashboard, 'demo', 'demo')
    execution, _page = follow(user, demo, page.url)
    output = record_restored(demo, execution)
    if output.get('server'):
        demo.cleanup.add('delete server', demo.delete_server,
                         output['server'])
    assert execution.state == 'SUCCESS', (execution.state_info, output)
    new = demo.nova.servers.get(output['server'])
    assert new.name == name + '-restored'
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
    values = {'target': 'instance', 'server_name': '', 'flavor': '',
              'network': ''}
    for index, member in enumerate(point.members):
        values['name_%d' % index] = '%s-r%d' % (name, index)
    execution, page = follow(user, demo, user.post(form_url, values).url)
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
            # the boot volume is restored, then the server step fails
            'members': [{'backup_id': m.backup.id, 'device': m.device,
                         'boot': m.boot, 'name': name + '-doomed',
                         'size': m.backup.size} for m in point.members
                        if m.boot],
            'target': 'new_server', 'server_name': name + '-doomed',
            'flavor': 'no-such-flavor', 'network_id': None}))
    demo.record_execution(failing.id)
    failed = conftest.wait_for('the failing restore', lambda: (
        lambda e: e if e.state in ('SUCCESS', 'ERROR') else None)(
        demo.mistral.executions.get(failing.id)), timeout=300, delay=2)
    assert failed.state == 'ERROR'
    assert 'flavor' in (failed.output or '').lower() or \
        'flavor' in (failed.state_info or '').lower()
    assert not demo.volumes_made_since(before, [name + '-doomed'] + [
        m.backup.id for m in point.members])
    assert not [s for s in demo.nova.servers.list()
                if s.name == name + '-doomed']
