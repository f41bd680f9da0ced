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

"""The bundled workflows against the real local OpenStack (tools/minicloud).

Run: .venv/bin/pytest -m cloud tests/cloud/test_workbooks_cloud.py

The workbooks are synced once as admin (public scope, like the operator's
``backup-dashboard-sync-workbooks``), then run as the member user ``demo``.
Every assertion reads Cinder's and Nova's own state, not the workflow's word.

Tested elsewhere on the real cloud, so not again here: the schedule
workflow's rotation cycles with a failing volume, an opted-out volume and an
untagged server (tests/cloud/test_faults.py, ten cycles); a cron trigger
firing the schedule workflow (tests/cloud/test_runs_browser.py, the browser
journey); restores to a new and an existing volume, attached, with the data
compared (tests/cloud/test_restore_cloud.py).
"""

import json

import pytest

from backup_dashboard import bundled
from tests.cloud.conftest import unique
from tests.cloud.conftest import wait_for

pytestmark = pytest.mark.cloud


@pytest.fixture(scope='module')
def synced(clients):
    adm = clients('admin')
    rep = bundled.sync(adm.mistral, scope='public', project_id=adm.project_id)
    assert not rep['errors'], rep
    states = bundled.check(clients('demo').mistral)
    assert {s['state'] for s in states} == {'ok'}, states
    return rep


def run_wf(project, name, wf_input, timeout=600, **params):
    ex = project.mistral.executions.create(name,
                                           workflow_input=json.dumps(wf_input),
                                           **params)
    project.record_execution(ex.id)

    def done():
        e = project.mistral.executions.get(ex.id)
        return e if e.state in ('SUCCESS', 'ERROR') else None

    e = wait_for('execution %s of %s' % (ex.id, name), done, timeout=timeout,
                 delay=2)
    return e.state, json.loads(e.output or '{}'), e


def backups_of(project, volume_id):
    return sorted(
        project.cinder.backups.list(search_opts={'volume_id': volume_id}),
        key=lambda b: b.created_at)


def record_backups(project, *volume_ids):
    """Have cleanup delete the workflows' backups, newest first."""
    bs = [b for v in volume_ids for b in backups_of(project, v)]
    for b in sorted(bs, key=lambda b: b.created_at):
        project.record_backup(b.id)


def snapshots_of(project, volume_id):
    return project.cinder.volume_snapshots.list(
        search_opts={'volume_id': volume_id})


def test_sync_is_idempotent_and_check_ok(synced, clients):
    adm = clients('admin')
    rep = bundled.sync(adm.mistral, scope='public', project_id=adm.project_id)
    assert not rep['errors'] and not rep['created'] and not rep['updated']
    assert set(rep['unchanged']) == set(bundled.expected())


def test_in_use_force_and_snapshot(synced, demo):
    srv = demo.server()
    vol = demo.volume()
    demo.attach(srv, vol)
    try:
        for strategy in ('force', 'snapshot'):
            state, out, _ = run_wf(
                demo, 'backup_dashboard_volume_by_id', {
                    'volume_id': vol.id,
                    'schedule': unique('s'),
                    'in_use': strategy,
                    'mode': 'full'
                })
            assert state == 'SUCCESS' and out['status'] == 'ok', out
            b = demo.cinder.backups.get(out['backup'])
            assert b.status == 'available'
            assert (b.snapshot_id is None) == (strategy == 'force')
            assert demo.cinder.volumes.get(vol.id).status == 'in-use'
            assert not snapshots_of(demo, vol.id)
    finally:
        record_backups(demo, vol.id)


def test_seed_workflows_with_the_seeds_inputs(synced, demo):
    vol = demo.volume()
    try:
        # seed 002's examples
        state, out, _ = run_wf(demo, 'cinder_volume_backup_full', {
            'volume_id': vol.id,
            'backup_name': 'bkp-full'
        })
        assert state == 'SUCCESS' and out['kind'] == 'full'
        state, out, _ = run_wf(demo, 'cinder_volume_backup_full_incremental',
                               {'volume_id': vol.id, 'backup_name': 'bkp-fi'})
        assert state == 'SUCCESS' and out['kind'] == 'incremental'
        for i in range(3):
            state, out, _ = run_wf(
                demo, 'cinder_volume_backup_rotation', {
                    'volume_id': vol.id,
                    'backup_name': 'bkp1',
                    'max_full_backups': 2,
                    'max_incremental_backups': 5
                })
            assert state == 'SUCCESS' and out['status'] == 'ok', out
        names = [b.name for b in backups_of(demo, vol.id)]
        assert names.count(
            'bkp1') == 3 and 'bkp-full' in names and 'bkp-fi' in names
        # seed 001's example: volumes_id_list + incremental
        state, out, _ = run_wf(demo, 'create_backups_workflow', {
            'volumes_id_list': [vol.id],
            'incremental': True
        })
        assert state == 'SUCCESS' and out['status'] == 'ok', out
        assert out['volumes'][0]['kind'] == 'incremental'
        b = demo.cinder.backups.get(out['volumes'][0]['backup'])
        assert b.is_incremental and b.status == 'available'
        state, out, _ = run_wf(demo, 'create_backups_workflow', {
            'volumes_id_list': [vol.id],
            'projects_id_list': [demo.project_id]
        })
        assert state == 'ERROR' and 'mutually exclusive' in out['error']
    finally:
        record_backups(demo, vol.id)
