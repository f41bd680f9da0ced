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

"""The restore drill workflow against the real local OpenStack.

One drill over two volumes of the project ``demo``: one whose newest backup
of the schedule restores, and one whose backup has lost its data in the
backup store (the posix driver's files removed). Every assertion reads
Cinder's own state too: the drill volumes are gone, the originals and their
backups are as they were.
"""

import glob
import os

import pytest

from tests.cloud.conftest import STATE
from tests.cloud.conftest import unique
from tests.cloud.horizon import synced_workbooks  # noqa: F401 (fixture)
from tests.cloud.test_workbooks_cloud import run_wf

pytestmark = pytest.mark.cloud

BACKUP_STORE = os.path.join(STATE, 'data', 'cinder', 'backups')


def schedule_backup(project, volume, schedule):
    """A backup as the schedule's workflow makes it (its metadata)."""
    return project.backup(volume, metadata={
        'backup_dashboard:schedule': schedule,
        'backup_dashboard:automated': 'true'})


def lose_data(backup_id):
    """Remove the backup's data from the posix backup store."""
    chunks = [path for path in glob.glob(
        os.path.join(BACKUP_STORE, '**', '*backup_%s*' % backup_id),
        recursive=True) if not path.endswith('_metadata')]
    assert chunks, 'no data of backup %s in %s' % (backup_id, BACKUP_STORE)
    for path in chunks:
        os.remove(path)


def test_drill_restores_times_and_cleans_up(
        synced_workbooks, demo):  # noqa: F811
    schedule = unique('drill')
    good = demo.volume(size=1, name=schedule + '-good')
    with open(demo.volume_file(good.id), 'r+b') as f:
        f.write(b'backup-dashboard drill ' * 100)
    lost = demo.volume(size=1, name=schedule + '-lost')
    older = schedule_backup(demo, good, schedule)
    newest = schedule_backup(demo, good, schedule)
    broken = schedule_backup(demo, lost, schedule)
    lose_data(broken.id)
    volumes_before = {v.id for v in demo.cinder.volumes.list()}

    state, out, _ = run_wf(demo, 'backup_dashboard_drill',
                           {'schedule': schedule,
                            'volumes': [good.id, lost.id]})

    assert state == 'SUCCESS', out
    assert out['counts'] == {'passed': 1, 'failed': 1, 'skipped': 0}, out
    assert out['status'] == 'partial'
    results = {r['volume']: r for r in out['volumes']}
    passed = results[good.id]
    assert (passed['result'], passed['reason']) == ('passed', None), passed
    assert passed['backup']['id'] == newest.id != older.id
    # Cinder's stamps may be whole seconds: a quick restore may share one.
    assert passed['restore_started'] <= passed['restore_done']
    failed = results[lost.id]
    assert failed['result'] == 'failed'
    assert 'could not read the backup data' in failed['reason'], failed
    for result in results.values():
        assert result['cleaned'] is True, result
    # Nothing of the drill is left; the originals and backups are untouched.
    assert {v.id for v in demo.cinder.volumes.list()} == volumes_before
    for volume in (good, lost):
        assert demo.cinder.volumes.get(volume.id).status == 'available'
    assert {b.id for b in demo.cinder.backups.list()} >= {
        older.id, newest.id, broken.id}
