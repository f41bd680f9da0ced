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

"""The bundled workflows run end to end in Mistral's real engine (offline).

tests/workbooks/simulate.py runs Mistral 23's own engine (sqlite, local
executor) on the definitions as written; only the Cinder/Nova actions are an
in-memory cloud following the Cinder rules the workflows rely on.  The real
cloud tests (tests/cloud/test_workbooks_cloud.py) check the same on real
services.
"""

import collections

from tests.simulations import bridge
from tests.simulations import simulation_fixture


@simulation_fixture
def runs():
    sched = {
        'schedule': 'r',
        'tag': 'backup:r',
        'in_use': 'force',
        'max_full': 2,
        'max_incremental': 1
    }
    scenario = {
        'cloud': {
            'volumes': [{
                'id': 'v1',
                'status': 'in-use',
                'size': 2
            }, {
                'id': 'v2',
                'status': 'available'
            }, {
                'id': 'w1',
                'status': 'in-use',
                # Cinder says so in a string; made from an image
                'bootable': 'true',
                'volume_image_metadata': {'image_id': 'img-1'}
            }, {
                'id': 'w2',
                'status': 'in-use'
            }, {
                'id': 'w3',
                'status': 'available',
                'metadata': {
                    'backup_dashboard:skip': 'true'
                }
            }, {
                'id': 'x1',
                'status': 'in-use'
            }],
            'servers': [{
                'id': 's1',
                'name': 'db',
                'tags': ['backup:r'],
                'volumes': ['v1'],
                # booted from its volume v1
                'image': '',
                'flavor': {'original_name': 'm1.large'}
            }, {
                'id': 's2',
                'name': 'web',
                'tags': ['backup:n', 'x'],
                'volumes': ['w1', 'w2', 'w3']
            }, {
                'id': 's3',
                'name': 'other',
                'tags': ['x'],
                'volumes': ['x1']
            }],
            'fail_backup_volumes': ['w2']
        },
        'runs': [
            dict(workflow='backup_dashboard_schedule', input=sched)
            for _ in range(5)
        ] + [
            dict(
                workflow='backup_dashboard_schedule', input={
                    'schedule': 'n',
                    'tag': 'backup:n',
                    'report_to': ['ops@example.org']
                }, env={
                    'backup_dashboard_smtp': {
                        'from_addr': 'bd@example.org',
                        'smtp_server': 'smtp.example.org:587',
                        'smtp_password': 'secret'
                    }
                }),
            dict(
                workflow='backup_dashboard_schedule', input={
                    'schedule': 'n',
                    'tag': 'backup:n',
                    'report_to': ['ops@example.org']
                }),
            dict(workflow='backup_dashboard_schedule', input={
                'schedule': 'e',
                'tag': 'none'
            }),
            dict(
                workflow='cinder_volume_backup_rotation', input={
                    'volume_id': 'v2',
                    'backup_name': 'bkp1',
                    'max_full_backups': 2,
                    'max_incremental_backups': 5
                }),
            dict(workflow='cinder_volume_backup_full', input={
                'volume_id': 'v2',
                'backup_name': 'f'
            }),
            dict(workflow='cinder_volume_backup_full_incremental', input={
                'volume_id': 'v2',
                'backup_name': 'fi'
            }),
            dict(workflow='create_backups_workflow', input={
                'volumes_id_list': ['v2'],
                'incremental': True
            }),
            dict(workflow='create_backups_workflow', input={
                'volumes_id_list': ['v2'],
                'projects_id_list': ['p']
            }),
            dict(
                workflow='backup_dashboard_restore', input={
                    'backup_id': '@v2',
                    'target': 'new',
                    'name': 'restored',
                    'volume_type': 'fast',
                    'availability_zone': 'nova',
                    'size': 3,
                    'server_id': 's3'
                }),
            dict(
                workflow='backup_dashboard_restore', input={
                    'backup_id': '@v1',
                    'target': 'existing',
                    'volume_id': 'v2'
                }),
        ]
    }
    return bridge.Simulation(scenario)


def vol(run, vid):
    return next(v for v in run['output']['volumes'] if v['volume'] == vid)


def test_rotation_cycles(runs):
    kinds = [vol(r, 'v1')['kind'] for r in runs[:5]]
    assert kinds == ['full', 'incremental', 'full', 'incremental', 'full']
    assert [len(vol(r, 'v1')['deleted']) for r in runs[:5]] == [0, 0, 1, 0, 2]
    left = [
        b for b in runs[4]['cloud']['backups'].values()
        if b['volume_id'] == 'v1'
    ]
    assert sorted(b['is_incremental'] for b in left) == [False, False]
    for r in runs[:5]:
        assert r['state'] == 'SUCCESS' and r['output']['status'] == 'ok'
        meta = r['cloud']['servers']['s1']['metadata']
        assert meta['backup_dashboard:last_status'] == 'ok'
        assert 'backup_dashboard:last_backup' in meta
        # force mode: no snapshot, at most 3 task executions per volume beyond
        # polling
    assert not any(c['action'] == 'cinder.volume_snapshots_create'
                   for c in runs[0]['calls'])
    # What a restore must bring back is recorded too (a drill checks it):
    # these volumes are not bootable from an image. So is the instance's
    # restore point each backup is part of: its run, the server, the device.
    made = {r['id']: b for r in runs[:5]
            for b in r['cloud']['backups'].values()
            if b['id'] == vol(r, 'v1')['backup']}
    assert len(made) == 5
    for run_id, b in made.items():
        assert b['metadata'] == {
            'backup_dashboard:schedule': 'r',
            'backup_dashboard:automated': 'true',
            'backup_dashboard:bootable_image': 'false',
            'backup_dashboard:point_server': 's1',
            'backup_dashboard:point_server_name': 'db',
            'backup_dashboard:point_flavor': 'm1.large',
            'backup_dashboard:point_device': '/dev/vda',
            'backup_dashboard:point_boot': 'true',
            'backup_dashboard:point_volumes': '1',
            'backup_dashboard:point_run': run_id}


def test_failing_volume_does_not_stop_the_others_and_digest(runs):
    r = runs[5]
    assert r['state'] == 'SUCCESS' and r['output']['status'] == 'partial'
    assert vol(r, 'w1')['status'] == 'ok' and vol(r, 'w1')['kind'] == 'full'
    assert vol(r, 'w2')['status'] == 'failed'
    assert 'simulated failure' in vol(
        r, 'w2')['error'] and 'Request-ID' not in vol(r, 'w2')['error']
    assert vol(r, 'w3')['status'] == 'skipped' and vol(
        r, 'w3')['reason'].startswith('opted out')
    assert r['output']['counts'] == {
        'ok': 1,
        'failed': 1,
        'skipped': 1,
        'created': 1,
        'deleted': 0
    }
    assert 'x1' not in [v['volume'] for v in r['output']['volumes']]
    # The backup of a bootable volume says so: its restore must boot too.
    made = r['cloud']['backups'][vol(r, 'w1')['backup']]
    assert made['metadata']['backup_dashboard:bootable_image'] == 'true'
    # Its point: a server booted from an image, whose first volume is vdb;
    # one of its three volumes failed, which the point will show.
    assert {k: v for k, v in made['metadata'].items()
            if k.startswith('backup_dashboard:point_')} == {
        'backup_dashboard:point_server': 's2',
        'backup_dashboard:point_server_name': 'web',
        'backup_dashboard:point_flavor': 'm1.small',
        'backup_dashboard:point_device': '/dev/vdb',
        'backup_dashboard:point_boot': 'false',
        'backup_dashboard:point_volumes': '3',
        'backup_dashboard:point_run': r['id']}
    # in-use with the default strategy: from a temporary snapshot, deleted
    # afterwards
    snaps = [
        c for c in r['calls']
        if c['action'] == 'cinder.volume_snapshots_create'
    ]
    assert len(snaps) == 2 and r['cloud']['snapshots'] == {}
    # each snapshot's backup asked for at once: w1's refused while the
    # snapshot was 'creating' and asked again; w2's failure is an answer,
    # not asked again
    asks = collections.Counter(
        c['input']['snapshot_id'] for c in r['calls']
        if c['action'] == 'cinder.backups_create' and
        c['input']['snapshot_id'])
    assert sorted(asks.values()) == [1, 2]
    assert not any(c['action'] == 'cinder.volume_snapshots_get'
                   for c in r['calls'])
    assert r['cloud']['servers']['s2']['metadata'][
        'backup_dashboard:last_status'] == 'partial'
    assert len(r['cloud']['emails']
               ) == 1 and r['output']['report'] == 'sent to ops@example.org'
    assert r['cloud']['emails'][0]['smtp_server'] == 'smtp.example.org:587'


def test_no_smtp_environment_sends_nothing(runs):
    r = runs[6]
    assert r['output']['report'] == (
        'not sent: the Mistral environment has no backup_dashboard_smtp')
    assert r['cloud']['emails'] == runs[5]['cloud']['emails']


def test_overlap_guard_and_empty(runs):
    r = runs[7]
    assert r['state'] == 'SUCCESS' and r['output']['status'] == 'empty'
    assert r['output']['volumes'] == []


def test_seed_workflows(runs):
    rot, full, fi = runs[8], runs[9], runs[10]
    assert rot['state'] == full['state'] == fi['state'] == 'SUCCESS'
    assert rot['output']['kind'] == 'full' and full['output']['kind'] == 'full'
    assert fi['output']['kind'] == 'incremental'
    names = {
        b['name'] for b in fi['cloud']['backups'].values()
        if b['volume_id'] == 'v2'
    }
    assert {'bkp1', 'f', 'fi'} <= names


def test_fuel_sample_workflow(runs):
    ok, both = runs[11], runs[12]
    assert ok['state'] == 'SUCCESS' and ok['output']['status'] == 'ok'
    assert ok['output']['volumes'][0]['kind'] == 'incremental'
    assert both['state'] == 'ERROR' and 'mutually exclusive' in both['output'][
        'error']


def test_restore(runs):
    new, existing = runs[13], runs[14]
    assert new['state'] == 'SUCCESS', new['output']
    out = new['output']
    assert out['attached'] is True and out['server'] == 's3' and out[
        'error'] is None
    v = new['cloud']['volumes'][out['volume']]
    assert (v['name'], v['volume_type'], v['availability_zone'],
            v['size']) == ('restored', 'fast', 'nova', 3)
    assert v['restored_from'] and v['status'] == 'in-use'
    assert out['volume'] in new['cloud']['servers']['s3']['volumes']
    # a 2 GB backup does not fit into the 1 GB volume v2: refused before any
    # restore call
    assert existing['state'] == 'ERROR'
    assert 'too small' in existing['output']['error']
    assert not any(c['action'] == 'cinder.restores_restore'
                   for c in existing['calls'])


def _b(bid, at, inc, owner, parent=None):
    meta = {
        'backup_dashboard:schedule': owner,
        'backup_dashboard:automated': 'true'
    } if owner else {}
    return {
        'id': bid,
        'volume_id': 'a',
        'status': 'available',
        'is_incremental': inc,
        'size': 1,
        'created_at': '2000-01-01T00:00:0%d.000000' % at,
        'metadata': meta,
        'parent_id': parent,
        'name': bid,
        'description': '',
        'fail_reason': None,
        'snapshot_id': None
    }


@simulation_fixture
def hard_runs():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{
                'id': 'a',
                'status': 'available'
            }, {
                'id': 'b',
                'status': 'in-use'
            }, {
                'id': 'c',
                'status': 'in-use'
            }],
            'servers': [{
                'id': 's',
                'name': 'app',
                'tags': ['backup:z'],
                'volumes': ['a', 'b']
            }, {
                'id': 't',
                'name': 'stuck',
                'tags': ['backup:y'],
                'volumes': ['c']
            }],
            'stuck_backup_volumes': ['b', 'c'],
            # our old chain F0 carries someone else's incremental I0; F1 is
            # ours too
            'backups': [
                _b('F0', 1, False, 'z'),
                _b('I0', 2, True, None, 'F0'),
                _b('F1', 3, False, 'z')
            ]
        },
        'runs': [
            # the same run twice: the second finds the first one's backup
            # still creating
            *[dict(
                workflow='backup_dashboard_schedule', input={
                    'schedule': 'z',
                    'tag': 'backup:z',
                    'max_full': 1,
                    'max_incremental': 0,
                    'in_use': 'force',
                    'timeout': 5
                })] * 2,
            dict(
                workflow='backup_dashboard_schedule', input={
                    'schedule': 'y',
                    'tag': 'backup:y',
                    'in_use': 'snapshot',
                    'timeout': 4
                }),
        ]
    })


def test_refused_deletion_is_reported_not_fatal(hard_runs):
    r = hard_runs[0]
    a = vol(r, 'a')
    assert r['state'] == 'SUCCESS' and a['status'] == 'ok' and a[
        'kind'] == 'full'
    assert a['deleted'] == ['F1']
    assert len(
        a['delete_errors']) == 1 and a['delete_errors'][0].startswith('F0: ')
    assert 'Incremental backups exist' in a['delete_errors'][0]
    assert {'F0', 'I0'} <= set(
        r['cloud']['backups']) and 'F1' not in r['cloud']['backups']


def test_timeout_and_overlap_guard(hard_runs):
    first, second = hard_runs[0], hard_runs[1]
    b = vol(first, 'b')
    assert b['status'] == 'failed' and b['error'].startswith(
        'timed out after 5 s')
    assert first['output']['status'] == 'partial'
    # the next run finds b's backup still creating: skipped, not started again
    b2 = vol(second, 'b')
    assert b2['status'] == 'skipped' and b2['reason'].startswith('overlap')
    assert len([
        x for x in second['calls']
        if x['action'] == 'cinder.backups_create' and
        x['input']['volume_id'] == 'b'
    ]) == 0


def test_all_failed_run_ends_in_error_and_reports_snapshot_left(hard_runs):
    r = hard_runs[2]
    c = vol(r, 'c')
    assert r['state'] == 'ERROR' and r['output']['status'] == 'failed'
    assert c['status'] == 'failed' and 'timed out' in c['error']
    # the snapshot could not be deleted while the backup still reads it:
    # said so
    assert 'could not be deleted' in c['error']
    assert r['cloud']['servers']['t']['metadata'][
        'backup_dashboard:last_status'] == 'failed'
    assert 'backup_dashboard:last_backup' not in r['cloud']['servers']['t'][
        'metadata']
