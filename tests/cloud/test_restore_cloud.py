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

"""The Restore panel against the real local OpenStack.

Restore a backup to a new volume attached to its instance and into an existing
volume, through the plugin's pages, and prove the data came from the chosen
backup (Cinder's ``src_backup_id`` and the bytes of the file-backed volumes).
"""
import hashlib
import re
import time

import pytest

from tests.cloud import conftest
from tests.cloud import horizon

pytestmark = pytest.mark.cloud
PANEL = '/project/backup_restore/'
GIB = 1 << 30
PROGRESS_RE = re.compile(r'/project/backup_restore/restores/([^/]+)/$')


def prefix_digest(path, size):
    """sha256 of the first `size` bytes (a restored volume may be bigger)."""
    digest = hashlib.sha256()
    left = size
    with open(path, 'rb') as f:
        while left:
            block = f.read(min(left, 1 << 20))
            if not block:
                break
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def restore_form(backup_id, **values):
    form = {'backup_id': backup_id, 'target': 'new', 'name': '',
            'size': '', 'volume_type': '', 'availability_zone': '',
            'volume_id': '', 'server_id': '', 'device': ''}
    form.update(values)
    return form


def restore_executions(project):
    return {e.id for e in project.mistral.executions.list(
        workflow_name='backup_dashboard_restore', limit=-1)}


def follow(user, project, res, timeout=240):
    """From the redirect after the form to the end of the restore.

    The progress page, then its fragment (what restore.js polls) until it says
    the restore is no longer running.
    """
    match = PROGRESS_RE.search(res.url)
    assert match, (res.url, horizon.messages(res.text))
    execution_id = match.group(1)
    project.record_execution(execution_id)
    assert 'id="restore_progress"' in res.text
    deadline = time.time() + timeout
    while True:
        page = user.get('%srestores/%s/' % (PANEL, execution_id),
                        headers={'X-Requested-With': 'XMLHttpRequest'})
        assert '<html' not in page.text      # the fragment only
        if 'data-running="false"' in page.text:
            return execution_id, page.text
        assert time.time() < deadline, 'restore still running: ' + page.text
        time.sleep(2)


def outcome(html):
    found = re.search(r'id="restore_outcome">(.*?)</p>', html, re.S)
    return re.sub(r'\s+', ' ', found.group(1)).strip() if found else ''


def test_restore_new_with_attach_and_existing_through_the_panel(
        dashboard, synced_workbooks, demo, alt):  # noqa: F811
    source = demo.volume(size=1, name=conftest.unique('restore-src'))
    with open(demo.volume_file(source.id), 'r+b') as f:
        f.seek(8192)
        f.write(b'backup-dashboard restore panel ' * 200)
    want = prefix_digest(demo.volume_file(source.id), GIB)
    # As a schedule would have made it (metadata), so it is protected.
    backup = demo.backup(source, metadata={
        'backup_dashboard:schedule': 'cloudtest',
        'backup_dashboard:automated': 'true'})
    server = demo.server(name=conftest.unique('restore-srv'))
    demo.attach(server, source)
    user = horizon.Browser(dashboard, 'demo', 'demo')

    # Entry from the instance: its volumes; then the volume's history.
    page = user.get(PANEL + '?server_id=' + server.id).text
    assert source.id in page
    page = user.get(PANEL + '?server_id=%s&volume_id=%s'
                    % (server.id, source.id)).text
    assert 'value="%s"' % backup.id in page
    assert 'schedule cloudtest' in page
    assert 'backup-restore-protected' in page
    # The original instance is preselected for the attachment.
    assert '<option value="%s" selected>' % server.id in page

    # 1. A new volume, bigger than the backup, attached to the instance.
    name = conftest.unique('restored')
    res = user.post(PANEL + '?volume_id=' + source.id, restore_form(
        backup.id, name=name, size='2', server_id=server.id))
    execution_id, page = follow(user, demo, res)
    assert 'Done: backup' in outcome(page), outcome(page)
    assert 'It is attached to instance' in outcome(page)
    output = demo.mistral.executions.get(execution_id).output
    new_id = re.search(r'"volume": "([^"]+)"', output).group(1)
    demo.cleanup.add('delete volume %s' % new_id, demo.delete_volume, new_id)
    new = demo.cinder.volumes.get(new_id)
    assert (new.name, new.size, new.status) == (name, 2, 'in-use')
    assert new.metadata.get('src_backup_id') == backup.id
    assert new.attachments[0]['server_id'] == server.id
    demo.detach(server.id, new_id)
    assert prefix_digest(demo.volume_file(new_id), GIB) == want

    # 2. Into an existing volume: refused while in use or unconfirmed,
    # before anything starts; then confirmed, without attach.
    target = demo.volume(size=1, name=conftest.unique('restore-into'))
    before = restore_executions(demo)
    res = user.post(PANEL + '?volume_id=' + source.id, restore_form(
        backup.id, target='existing', volume_id=source.id,
        confirm_overwrite=source.id))
    assert 'is in use (attached to an instance); detach it first' in res.text
    res = user.post(PANEL + '?volume_id=' + source.id, restore_form(
        backup.id, target='existing', volume_id=target.id))
    assert 'replaces everything on it' in res.text
    assert target.name in res.text
    assert restore_executions(demo) == before
    res = user.post(PANEL + '?volume_id=' + source.id, restore_form(
        backup.id, target='existing', volume_id=target.id,
        confirm_overwrite=target.id))
    execution_id, page = follow(user, demo, res)
    assert 'restored into volume' in outcome(page), outcome(page)
    restored = demo.cinder.volumes.get(target.id)
    assert restored.status == 'available'
    assert restored.metadata.get('src_backup_id') == backup.id
    assert prefix_digest(demo.volume_file(target.id), GIB) == want

    # 3. Another project reaches none of it: "not found", nothing leaked.
    other = horizon.Browser(dashboard, 'alt', 'alt')
    for path in ('?volume_id=' + source.id, '?backup_id=' + backup.id,
                 'restores/%s/' % execution_id):
        res = other.get(PANEL + path)
        assert 'not found' in ' '.join(horizon.messages(res.text)), path
        assert 'restore-src' not in res.text
        assert 'value="%s"' % backup.id not in res.text

    # 4. A schedule's backup cannot be deleted by hand by a member.
    res = user.post(PANEL + 'backups/%s/delete/' % backup.id, {})
    assert 'was not deleted' in ' '.join(horizon.messages(res.text))
    assert demo.cinder.backups.get(backup.id).status == 'available'
