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

"""Two schedules on one instance, in Mistral's real engine (issue 22).

A daily and a monthly schedule tag the same instance; their triggers fire
at the same moment. Both runs read the volume before either asks Cinder for
its backup, so both decide to back it up, and Cinder refuses the second
(the volume is 'backing-up', or an incremental's parent is still being
made). The refused run skips the volume with a recorded 'overlap' reason;
it does not fail it. Then each schedule runs on its own: each rotation
deletes only its own backups, and no incremental chains onto a backup of
the other schedule.

tests/workbooks/simulate.py: 'together' starts runs at once; the volume's
backups stay 'creating' for a few reads (slow_backup_volumes); its reads
come a moment before the other run's backup started (racing_reads); and
the parent of an incremental follows Cinder's own rule (strict_parent).
"""

from tests.simulations import bridge
from tests.simulations import simulation_fixture

KEY = 'backup_dashboard:schedule'


def _sched(name, **kw):
    return dict({'schedule': name, 'tag': 'backup:' + name,
                 'in_use': 'force', 'mode': 'rotation'}, **kw)


DAILY = _sched('daily', max_full=1, max_incremental=1)
MONTHLY = _sched('monthly', max_full=12, max_incremental=0)
# the same two on a volume backed up through snapshots (in_use: snapshot)
DAILY_S = dict(DAILY, schedule='sdaily', tag='backup:sdaily',
               in_use='snapshot', max_incremental=6)
MONTHLY_S = dict(MONTHLY, schedule='smonthly', tag='backup:smonthly',
                 in_use='snapshot')


def _run(sched, days=0):
    return {'workflow': 'backup_dashboard_schedule', 'input': sched,
            'advance_days': days}


@simulation_fixture
def overlap_runs():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'f1', 'status': 'in-use', 'size': 2},
                        {'id': 's1', 'status': 'in-use'}],
            'servers': [
                {'id': 'srv', 'name': 'db', 'volumes': ['f1'],
                 'tags': ['backup:daily', 'backup:monthly']},
                {'id': 'srs', 'name': 'web', 'volumes': ['s1'],
                 'tags': ['backup:sdaily', 'backup:smonthly']}],
            # Six reads (about 5 s of polling): runs started together leave
            # a real window (docs/workflows.rst, Chains) in which the other
            # schedule's backup is done before this one is asked for; two
            # reads let a stall of the engine on a loaded machine reach it.
            'slow_backup_volumes': {'f1': 6, 's1': 6},
            'racing_reads': ['f1'],
            'strict_parent': True,
        },
        'runs': [
            # 0, 1: both triggers fire at once
            {'together': [_run(DAILY), _run(MONTHLY)]},
            # 2..7: each on its own, a day apart
            _run(DAILY, 1), _run(MONTHLY), _run(DAILY, 1), _run(DAILY, 1),
            _run(MONTHLY), _run(DAILY, 1),
            # 8, 9: the volume backed up through snapshots: a full of each,
            # then 10, 11: both at once, the daily one an incremental
            _run(MONTHLY_S), _run(DAILY_S, 1),
            {'together': [_run(DAILY_S, 1), _run(MONTHLY_S)]},
        ],
    })


def _volume(run, volume_id):
    return next(v for v in run['output']['volumes']
                if v['volume'] == volume_id)


def _backups(run, volume_id):
    return {b['id']: b for b in run['cloud']['backups'].values()
            if b['volume_id'] == volume_id}


def _deleted(runs):
    return [c['input']['backup'] for r in runs for c in r['calls']
            if c['action'] == 'cinder.backups_delete']


def test_simultaneous_runs_one_backs_up_other_skips(overlap_runs):
    first, second = overlap_runs[0], overlap_runs[1]
    assert first['state'] == second['state'] == 'SUCCESS'
    records = [_volume(first, 'f1'), _volume(second, 'f1')]
    assert sorted(r['status'] for r in records) == ['ok', 'skipped'], records
    skipped = next(r for r in records if r['status'] == 'skipped')
    assert skipped['reason'].startswith('overlap'), skipped
    assert 'backing-up' in skipped['reason']
    assert skipped['error'] is None and skipped['backup'] is None
    # Cinder was asked twice: the runs really collided
    creates = [c for c in first['calls']
               if c['action'] == 'cinder.backups_create' and
               c['input']['volume_id'] == 'f1']
    assert len(creates) == 2
    # a skip for an overlap is not a failure of the run nor of the instance
    run_of_skip = first if records[0] is skipped else second
    assert run_of_skip['output']['status'] in ('ok', 'empty')
    assert all(b['status'] == 'available'
               for b in _backups(second, 'f1').values())


def test_each_schedule_backs_up_after_the_collision(overlap_runs):
    for run in overlap_runs[2:8]:
        assert run['state'] == 'SUCCESS'
        assert _volume(run, 'f1')['status'] == 'ok', _volume(run, 'f1')


def test_rotation_deletes_only_its_own(overlap_runs):
    runs = overlap_runs[:8]
    made = {}
    for run in runs:
        for b in _backups(run, 'f1').values():
            made[b['id']] = b['metadata'].get(KEY)
    deleted = _deleted(runs)
    assert deleted, 'the daily rotation deleted nothing'
    assert {made[d] for d in deleted} == {'daily'}
    # every monthly backup is still there, each a full
    final = _backups(runs[-1], 'f1')
    monthly = [b for b in made if made[b] == 'monthly']
    # runs 3 and 6, and the one at once if it won (either may win)
    assert len(monthly) == 2 + [_volume(r, 'f1')['status'] for r in (
        overlap_runs[0], overlap_runs[1])
        if r['output']['schedule'] == 'monthly'].count('ok')
    assert all(b in final and not final[b]['is_incremental']
               for b in monthly)
    # the daily schedule keeps one chain: its newest full and incrementals
    daily = [b for b in final.values() if b['metadata'][KEY] == 'daily']
    assert len([b for b in daily if not b['is_incremental']]) == 1


def test_incrementals_never_chain_onto_the_other_schedule(overlap_runs):
    # each run's cloud: a parent cannot go while its incremental is there
    seen = set()
    for run in overlap_runs:
        backups = run['cloud']['backups']
        for b in backups.values():
            if b['is_incremental']:
                seen.add(b['id'])
                parent = backups[b['parent_id']]
                assert parent['metadata'][KEY] == b['metadata'][KEY], b
    assert seen, 'no incremental was made'


def test_snapshot_backups_at_once_never_fail_the_volume(overlap_runs):
    # Backups of snapshots leave the volume as it is: Cinder accepts both
    # unless the daily incremental's parent would be the monthly backup
    # still being made, which it refuses: that run skips with the reason.
    for run in overlap_runs[8:12]:
        assert run['state'] == 'SUCCESS'
        record = _volume(run, 's1')
        assert record['status'] in ('ok', 'skipped'), record
        if record['status'] == 'skipped':
            assert record['reason'].startswith('overlap'), record
    assert _volume(overlap_runs[8], 's1')['status'] == 'ok'
    assert _volume(overlap_runs[9], 's1')['kind'] == 'full'
    # no temporary snapshot is left behind
    assert overlap_runs[-1]['cloud']['snapshots'] == {}
