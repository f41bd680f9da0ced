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

One server with a boot volume, a data volume and an opted-out volume, run
by a schedule with per-instance points and then with per-volume points:
the first snapshots every backed-up volume before any backup starts, backs
each up from its own snapshot, labels the point crash-consistent with the
spread, and leaves no snapshot behind; the second does as before.
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
                         'metadata': {'backup_dashboard:skip': 'true'}}],
            'servers': [{'id': 's1', 'name': 'db', 'tags': ['backup:i'],
                         'volumes': ['p1', 'p2', 'p3'], 'image': ''}],
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


def new_backups(runs, index):
    before = runs[index - 1]['cloud']['backups'] if index else {}
    return [b for bid, b in runs[index]['cloud']['backups'].items()
            if bid not in before]


def test_an_instances_volumes_are_snapshotted_together_first(runs):
    run = runs[INSTANCE]
    assert run['state'] == 'SUCCESS', run['output']
    actions = [(c['action'], c['input'].get('volume_id'))
               for c in run['calls']]
    snapped = [v for a, v in actions if a == 'cinder.volume_snapshots_create']
    assert sorted(snapped) == ['p1', 'p2']         # not the opted-out p3
    first_backup = next(i for i, (a, _) in enumerate(actions)
                        if a == 'cinder.backups_create')
    last_snapshot = max(i for i, (a, _) in enumerate(actions)
                        if a == 'cinder.volume_snapshots_create')
    assert last_snapshot < first_backup
    # each backed up from the snapshot taken together, and only those
    created = [c['input'] for c in run['calls']
               if c['action'] == 'cinder.backups_create']
    assert len(created) == 2 and all(c['snapshot_id'] for c in created)
    assert not run['cloud']['snapshots'], 'temporary snapshot left'


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
    made = new_backups(runs, PER_VOLUME)
    assert len(made) == 2
    for backup in made:
        assert 'consistency' not in point_keys(backup)
        assert 'spread' not in point_keys(backup)
    assert not run['cloud']['snapshots']
