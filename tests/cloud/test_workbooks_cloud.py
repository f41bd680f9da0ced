"""The bundled workflows against the real local OpenStack (tools/minicloud).

Run: .venv/bin/pytest -m cloud tests/cloud/test_workbooks_cloud.py

The workbooks are synced once as admin (public scope, like the operator's
``backup-dashboard-sync-workbooks``), then run as the member user ``demo``.
Every assertion reads Cinder's and Nova's own state, not the workflow's word.
"""

import json
import os
import time

import pytest

from backup_dashboard import workbooks
from tests.cloud.conftest import file_digest
from tests.cloud.conftest import unique
from tests.cloud.conftest import wait_for
from tests.cloud.conftest import wait_status

pytestmark = pytest.mark.cloud


@pytest.fixture(scope='module')
def synced(clients):
    adm = clients('admin')
    rep = workbooks.sync(adm.mistral, scope='public', project_id=adm.project_id)
    assert not rep['errors'], rep
    states = workbooks.check(clients('demo').mistral)
    assert {s['state'] for s in states} == {'ok'}, states
    return rep


def run_wf(project, name, wf_input, timeout=600, **params):
    ex = project.mistral.executions.create(name, workflow_input=json.dumps(wf_input), **params)
    project.record_execution(ex.id)

    def done():
        e = project.mistral.executions.get(ex.id)
        return e if e.state in ('SUCCESS', 'ERROR') else None
    e = wait_for('execution %s of %s' % (ex.id, name), done, timeout=timeout, delay=2)
    return e.state, json.loads(e.output or '{}'), e


def backups_of(project, volume_id):
    return sorted(project.cinder.backups.list(search_opts={'volume_id': volume_id}),
                  key=lambda b: b.created_at)


def record_backups(project, *volume_ids):
    """Have cleanup delete the workflows' backups, newest first."""
    bs = [b for v in volume_ids for b in backups_of(project, v)]
    for b in sorted(bs, key=lambda b: b.created_at):
        project.record_backup(b.id)


def snapshots_of(project, volume_id):
    return project.cinder.volume_snapshots.list(search_opts={'volume_id': volume_id})


def tag(project, server, value):
    project.nova.servers.add_tag(server.id, value)


def test_sync_is_idempotent_and_check_ok(synced, clients):
    adm = clients('admin')
    rep = workbooks.sync(adm.mistral, scope='public', project_id=adm.project_id)
    assert not rep['errors'] and not rep['created'] and not rep['updated']
    assert set(rep['unchanged']) == set(workbooks.expected())


def test_schedule_rotation_cycles_in_use_and_a_failing_volume(synced, demo):
    sched = unique('bd')
    srv = demo.server()
    boot = srv._info['os-extended-volumes:volumes_attached'][0]['id']
    data = demo.volume()
    demo.attach(srv, data)
    optout = demo.volume(metadata={'backup_dashboard:skip': 'true'})
    demo.attach(srv, optout)
    broken = demo.volume()
    demo.attach(srv, broken)
    tag(demo, srv, 'backup:' + sched)
    other = demo.server()                     # untagged: never touched
    other_boot = other._info['os-extended-volumes:volumes_attached'][0]['id']
    inp = {'schedule': sched, 'tag': 'backup:' + sched, 'mode': 'rotation', 'max_full': 2,
           'max_incremental': 1, 'in_use': 'snapshot', 'concurrency': 4, 'timeout': 600}

    # the broken volume's backing file disappears: its backup fails for real
    path = demo.volume_file(broken.id)
    os.rename(path, path + '.hidden')
    try:
        state, out, _ = run_wf(demo, 'backup_dashboard_schedule', inp)
    finally:
        os.rename(path + '.hidden', path)
    try:
        assert state == 'SUCCESS', out
        assert out['status'] == 'partial', out
        by_vol = {v['volume']: v for v in out['volumes']}
        assert by_vol[broken.id]['status'] == 'failed' and by_vol[broken.id]['error']
        assert by_vol[optout.id]['status'] == 'skipped'
        assert by_vol[boot]['status'] == by_vol[data.id]['status'] == 'ok'
        assert not backups_of(demo, optout.id) and not backups_of(demo, other_boot)
        assert all(b.status != 'available' for b in backups_of(demo, broken.id))
        meta = demo.nova.servers.get(srv.id).metadata
        assert meta['backup_dashboard:last_status'] == 'partial'
        assert 'backup_dashboard:last_backup' in meta
        for b in backups_of(demo, broken.id):      # clear the failed one for the cycles
            demo.cinder.backups.delete(b.id)

        kinds = []
        for cycle in range(4):
            state, out, _ = run_wf(demo, 'backup_dashboard_schedule', inp)
            assert state == 'SUCCESS' and out['status'] == 'ok', out
            kinds.append({v['volume']: v['kind'] for v in out['volumes'] if v['status'] == 'ok'})
            for vid in (boot, data.id):
                bs = backups_of(demo, vid)
                assert all(b.metadata.get('backup_dashboard:schedule') == sched for b in bs)
                assert all(b.status == 'available' for b in bs)
                assert len([b for b in bs if not b.is_incremental]) <= 2
                assert not snapshots_of(demo, vid), 'temporary snapshot left behind'
        # run 1 made fulls; then incremental, full (+delete), incremental, full (+delete)
        assert [k[data.id] for k in kinds] == ['incremental', 'full', 'incremental', 'full']
        assert sum(len(v['deleted']) for v in out['volumes']) >= 2
        for vid in (boot, data.id):
            bs = backups_of(demo, vid)
            assert [b.is_incremental for b in bs] == [False, False], [(b.id, b.is_incremental) for b in bs]
        meta = demo.nova.servers.get(srv.id).metadata
        assert meta['backup_dashboard:last_status'] == 'ok'
        assert demo.nova.servers.get(other.id).metadata == {}
    finally:
        record_backups(demo, boot, data.id, broken.id)


def test_in_use_force_and_snapshot(synced, demo):
    srv = demo.server()
    vol = demo.volume()
    demo.attach(srv, vol)
    try:
        for strategy in ('force', 'snapshot'):
            state, out, _ = run_wf(demo, 'backup_dashboard_volume_by_id',
                                   {'volume_id': vol.id, 'schedule': unique('s'), 'in_use': strategy,
                                    'mode': 'full'})
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
        state, out, _ = run_wf(demo, 'cinder_volume_backup_full',
                               {'volume_id': vol.id, 'backup_name': 'bkp-full'})
        assert state == 'SUCCESS' and out['kind'] == 'full'
        state, out, _ = run_wf(demo, 'cinder_volume_backup_full_incremental',
                               {'volume_id': vol.id, 'backup_name': 'bkp-fi'})
        assert state == 'SUCCESS' and out['kind'] == 'incremental'
        for i in range(3):
            state, out, _ = run_wf(demo, 'cinder_volume_backup_rotation',
                                   {'volume_id': vol.id, 'backup_name': 'bkp1',
                                    'max_full_backups': 2, 'max_incremental_backups': 5})
            assert state == 'SUCCESS' and out['status'] == 'ok', out
        names = [b.name for b in backups_of(demo, vol.id)]
        assert names.count('bkp1') == 3 and 'bkp-full' in names and 'bkp-fi' in names
        # seed 001's example: volumes_id_list + incremental
        state, out, _ = run_wf(demo, 'create_backups_workflow',
                               {'volumes_id_list': [vol.id], 'incremental': True})
        assert state == 'SUCCESS' and out['status'] == 'ok', out
        assert out['volumes'][0]['kind'] == 'incremental'
        b = demo.cinder.backups.get(out['volumes'][0]['backup'])
        assert b.is_incremental and b.status == 'available'
        state, out, _ = run_wf(demo, 'create_backups_workflow',
                               {'volumes_id_list': [vol.id], 'projects_id_list': [demo.project_id]})
        assert state == 'ERROR' and 'mutually exclusive' in out['error']
    finally:
        record_backups(demo, vol.id)


def test_restore_new_and_existing_with_attach(synced, demo):
    src = demo.volume()
    with open(demo.volume_file(src.id), 'r+b') as f:
        f.seek(4096)
        f.write(b'backup-dashboard restore test ' * 100)
    want = file_digest(demo.volume_file(src.id))
    srv = demo.server()
    try:
        state, out, _ = run_wf(demo, 'cinder_volume_backup_full',
                               {'volume_id': src.id, 'backup_name': unique('r')})
        assert state == 'SUCCESS', out
        backup_id = out['backup']
        name = unique('restored')
        state, out, _ = run_wf(demo, 'backup_dashboard_restore',
                               {'backup_id': backup_id, 'target': 'new', 'name': name,
                                'size': 2, 'server_id': srv.id})
        assert state == 'SUCCESS', out
        new = demo.cinder.volumes.get(out['volume'])
        demo.cleanup.add('delete volume %s' % new.id, demo.delete_volume, new.id)
        assert (new.name, new.size, new.status) == (name, 2, 'in-use') and out['attached']
        assert new.attachments[0]['server_id'] == srv.id
        target = demo.volume(size=1)
        state, out, _ = run_wf(demo, 'backup_dashboard_restore',
                               {'backup_id': backup_id, 'target': 'existing', 'volume_id': target.id,
                                'server_id': srv.id})
        assert state == 'SUCCESS', out
        assert demo.cinder.volumes.get(target.id).status == 'in-use'
        demo.detach(srv.id, target.id)
        assert file_digest(demo.volume_file(target.id)) == want
        # too small: a clear refusal
        small = demo.volume(size=1)
        big = demo.volume(size=2)
        state, out, _ = run_wf(demo, 'cinder_volume_backup_full',
                               {'volume_id': big.id, 'backup_name': unique('b')})
        state, out, _ = run_wf(demo, 'backup_dashboard_restore',
                               {'backup_id': out['backup'], 'target': 'existing', 'volume_id': small.id})
        assert state == 'ERROR' and 'too small' in out['error']
        record_backups(demo, big.id)
    finally:
        record_backups(demo, src.id)


def test_a_real_cron_trigger_fires(synced, demo):
    sched = unique('cron')
    srv = demo.server()
    boot = srv._info['os-extended-volumes:volumes_attached'][0]['id']
    tag(demo, srv, 'backup:' + sched)
    inp = {'schedule': sched, 'tag': 'backup:' + sched, 'in_use': 'force',
           'description': 'cloud test', 'timezone': 'Europe/Paris', 'local_pattern': '* * * * *'}
    trig = demo.cron_trigger(sched, 'backup_dashboard_schedule', workflow_input=inp,
                             pattern='* * * * *', count=1)
    try:
        def fired():
            exs = demo.mistral.executions.list(workflow_name='backup_dashboard_schedule',
                                               description='has:%s' % trig.id)
            return exs[0] if exs else None
        ex = wait_for('the cron trigger to fire', fired, timeout=200, delay=5)
        demo.record_execution(ex.id)
        e = wait_for('the cron run to finish', lambda: (
            lambda x: x if x.state in ('SUCCESS', 'ERROR') else None)(
            demo.mistral.executions.get(ex.id)), timeout=400, delay=3)
        out = json.loads(e.output)
        assert e.state == 'SUCCESS' and out['status'] == 'ok', out
        bs = backups_of(demo, boot)
        assert len(bs) == 1 and bs[0].metadata['backup_dashboard:schedule'] == sched
        assert demo.nova.servers.get(srv.id).metadata['backup_dashboard:last_status'] == 'ok'
    finally:
        record_backups(demo, boot)
