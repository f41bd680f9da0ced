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

"""Legal holds and retention locks in whole runs, in Mistral's engine.

The lock comes from the admins' public workflow (simulate.py's knob
``governance``), never from the trigger's input; a held backup comes from
its Cinder metadata.
"""
from tests.simulations import bridge
from tests.simulations import simulation_fixture

SCHED = {'schedule': 'r', 'tag': 'backup:r', 'in_use': 'force',
         'mode': 'full', 'max_full': 1}
HELD = {'id': 'held-1', 'volume_id': 'v1', 'status': 'available',
        'is_incremental': False, 'size': 1,
        'created_at': '2020-01-01T00:00:00.000000',
        'metadata': {'backup_dashboard:schedule': 'r',
                     'backup_dashboard:automated': 'true',
                     'backup_dashboard:hold': 'dispute 42'}}


def cloud(**knobs):
    return dict({
        'volumes': [{'id': 'v1', 'status': 'in-use'},
                    {'id': 'v2', 'status': 'available'}],
        'servers': [{'id': 's1', 'tags': ['backup:r'], 'volumes': ['v1']}],
        'backups': [dict(HELD, metadata=dict(HELD['metadata']))]},
        **knobs)


def rotation_of_v2():
    return dict(workflow='cinder_volume_backup_rotation', input={
        'volume_id': 'v2', 'backup_name': 'seed', 'max_full_backups': 1,
        'max_incremental_backups': 0})


@simulation_fixture
def locked():
    return bridge.Simulation({
        'cloud': cloud(governance={'retention_lock': {
            'default': {'count': 3, 'days': None},
            'projects': {'other-project': {'count': 9}}}}),
        'runs': [dict(workflow='backup_dashboard_schedule', input=SCHED)
                 for _ in range(5)] + [rotation_of_v2() for _ in range(4)]})


@simulation_fixture
def unreadable():
    return bridge.Simulation({
        'cloud': cloud(governance_missing=True),
        'runs': [dict(workflow='backup_dashboard_schedule', input=SCHED)
                 for _ in range(3)]})


@simulation_fixture
def unlocked():
    return bridge.Simulation({
        'cloud': cloud(),
        'runs': [dict(workflow='backup_dashboard_schedule', input=SCHED)
                 for _ in range(3)] + [rotation_of_v2() for _ in range(3)]})


def backups_of(run, volume):
    return sorted((b for b in run['cloud']['backups'].values()
                   if b['volume_id'] == volume),
                  key=lambda b: b['created_at'])


def test_the_lock_keeps_its_count_whatever_the_schedule_asks(locked):
    for run in locked:
        assert run['state'] == 'SUCCESS', run
    # the schedule asks for one full; the cloud's lock keeps three, and
    # the held backup besides
    ids = [b['id'] for b in backups_of(locked[4], 'v1')]
    assert ids[0] == 'held-1' and len(ids) == 4
    # the seed's rotation is bound by it too
    assert len(backups_of(locked[-1], 'v2')) == 3


def test_without_a_lock_the_schedule_rotates_but_keeps_the_hold(unlocked):
    ids = [b['id'] for b in backups_of(unlocked[2], 'v1')]
    assert ids[0] == 'held-1' and len(ids) == 2
    assert len(backups_of(unlocked[-1], 'v2')) == 1


def test_an_unreadable_lock_deletes_nothing(unreadable):
    for run in unreadable:
        assert run['state'] == 'SUCCESS'
        assert run['output']['status'] == 'ok'
    assert len(backups_of(unreadable[-1], 'v1')) == 4
    assert not any(c['action'] == 'cinder.backups_delete'
                   for r in unreadable for c in r['calls'])
