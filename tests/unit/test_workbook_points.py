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

"""Per-instance restore points (points: instance) in Mistral's engine.

One server with a boot volume, a data volume and an opted-out volume, one
whose volumes are all in one Cinder group, one whose group Cinder refuses
to snapshot, run by a schedule with per-instance points and then with
per-volume points. The first snapshots every backed-up volume before any
backup starts (the grouped server's in one group snapshot, the others
together), backs each up from its own snapshot, labels the points
crash-consistent or group with the spread, and leaves no snapshot or group
snapshot behind (an old leftover group snapshot of the schedule goes too);
the second does as before.
"""
from tests.simulations import bridge
from tests.simulations import simulation_fixture

SCHEDULE = {'schedule': 'i', 'tag': 'backup:i', 'in_use': 'snapshot',
            'max_full': 2, 'max_incremental': 1}
INSTANCE, PER_VOLUME = range(2)


@simulation_fixture
def runs():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'p1', 'status': 'in-use'},
                        {'id': 'p2', 'status': 'in-use'},
                        {'id': 'p3', 'status': 'in-use',
                         'metadata': {'backup_dashboard:skip': 'true'}},
                        {'id': 'g1', 'status': 'in-use', 'group_id': 'grp'},
                        {'id': 'g2', 'status': 'in-use', 'group_id': 'grp'},
                        # in the group, not on a tagged server
                        {'id': 'g3', 'status': 'available', 'group_id': 'grp'},
                        {'id': 'f1', 'status': 'in-use', 'group_id': 'bad'},
                        {'id': 'f2', 'status': 'in-use', 'group_id': 'bad'}],
            'servers': [{'id': 's1', 'name': 'db', 'tags': ['backup:i'],
                         'volumes': ['p1', 'p2', 'p3'], 'image': ''},
                        {'id': 's2', 'name': 'app', 'tags': ['backup:i'],
                         'volumes': ['g1', 'g2'], 'image': ''},
                        {'id': 's3', 'name': 'web', 'tags': ['backup:i'],
                         'volumes': ['f1', 'f2'], 'image': ''}],
            'failing_groups': ['bad'],
            'group_snapshots': [
                {'id': 'gs-old', 'name': 'backup_dashboard-i-temporary',
                 'description': 'Temporary snapshot for an automated backup '
                 'by backup-dashboard (i); deleted after the backup',
                 'status': 'available',
                 'created_at': '2020-01-01T00:00:00.000000'},
                {'id': 'gs-user', 'name': 'mine', 'description': 'kept',
                 'status': 'available',
                 'created_at': '2020-01-01T00:00:00.000000'}],
        },
        'runs': [
            {'workflow': 'backup_dashboard_schedule',
             'input': dict(SCHEDULE, points='instance')},
            {'workflow': 'backup_dashboard_schedule', 'input': SCHEDULE},
        ],
    })


def point_keys(backup):
    return {k[len('backup_dashboard:point_'):]: v
            for k, v in backup['metadata'].items()
            if k.startswith('backup_dashboard:point_')}


def new_backups(runs, index, volumes=('p1', 'p2', 'p3')):
    before = runs[index - 1]['cloud']['backups'] if index else {}
    return [b for bid, b in runs[index]['cloud']['backups'].items()
            if bid not in before and b['volume_id'] in volumes]


def test_an_instances_volumes_are_snapshotted_together_first(runs):
    run = runs[INSTANCE]
    assert run['state'] == 'SUCCESS', run['output']
    actions = [(c['action'], c['input'].get('volume_id'))
               for c in run['calls']]
    snapped = [v for a, v in actions if a == 'cinder.volume_snapshots_create']
    # not the opted-out p3, nor the grouped g1 and g2; the refused group's
    # f1 and f2 on their own
    assert sorted(snapped) == ['f1', 'f2', 'p1', 'p2']
    groups = [c['input']['consistencygroup_id'] for c in run['calls']
              if c['action'] == 'cinder.cgsnapshots_create']
    assert sorted(groups) == ['bad', 'grp']
    first_backup = next(i for i, (a, _) in enumerate(actions)
                        if a == 'cinder.backups_create')
    last_snapshot = max(i for i, (a, _) in enumerate(actions)
                        if a in ('cinder.volume_snapshots_create',
                                 'cinder.cgsnapshots_create'))
    assert last_snapshot < first_backup
    # each backed up from the snapshot taken together, and only those
    created = [c['input'] for c in run['calls']
               if c['action'] == 'cinder.backups_create']
    assert sorted(c['volume_id'] for c in created) == [
        'f1', 'f2', 'g1', 'g2', 'p1', 'p2']
    assert all(c['snapshot_id'] for c in created)
    assert not run['cloud']['snapshots'], 'temporary snapshot left'


def test_a_grouped_instance_is_snapshotted_by_its_group(runs):
    run = runs[INSTANCE]
    made = new_backups(runs, INSTANCE, ('g1', 'g2'))
    assert len(made) == 2
    for backup in made:
        keys = point_keys(backup)
        assert keys['consistency'] == 'group'
        assert keys['group'] == 'grp'
        assert keys['spread'] == '0.0'
    # members deleted with their group snapshot, never one by one (Cinder
    # refuses that)
    members = {c['input']['snapshot_id'] for c in run['calls']
               if c['action'] == 'cinder.backups_create' and
               c['input']['volume_id'] in ('g1', 'g2')}
    assert not [c for c in run['calls']
                if c['action'] == 'cinder.volume_snapshots_delete' and
                c['input']['snapshot'] in members]
    dropped = {c['input']['cgsnapshot'] for c in run['calls']
               if c['action'] == 'cinder.cgsnapshots_delete'}
    # this run's, and the schedule's old leftover; not the user's own
    assert len(dropped) == 2 and 'gs-old' in dropped
    assert list(run['cloud']['group_snapshots']) == ['gs-user']
    # the refused group's instance: snapshots taken together instead
    for backup in new_backups(runs, INSTANCE, ('f1', 'f2')):
        assert point_keys(backup)['consistency'] == 'crash-consistent'
        assert 'group' not in point_keys(backup)


def test_the_point_is_labelled_crash_consistent_with_its_spread(runs):
    made = new_backups(runs, INSTANCE)
    assert len(made) == 2
    for backup in made:
        keys = point_keys(backup)
        assert keys['consistency'] == 'crash-consistent'
        # the fake clock ticks a second per snapshot
        assert 0 <= float(keys['spread']) <= 5
        assert keys['volumes'] == '3'


def test_per_volume_points_stay_as_they_were(runs):
    run = runs[PER_VOLUME]
    assert run['state'] == 'SUCCESS', run['output']
    made = new_backups(runs, PER_VOLUME, ('p1', 'p2', 'g1', 'g2'))
    assert len(made) == 4
    for backup in made:
        assert 'consistency' not in point_keys(backup)
        assert 'spread' not in point_keys(backup)
    assert not run['cloud']['snapshots']
    assert not [c for c in run['calls']
                if c['action'].startswith('cinder.cgsnapshots')]
