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

"""The schedule workflow over many volumes in Mistral's real engine (offline).

A schedule's ``concurrency`` bounds how many volumes are backed up at once:
Cinder then serves a few backups at a time and the run's wall time follows
N / concurrency.  Mistral 23 ignores the policies of a join task that its
last inbound task releases, so a ``concurrency`` on such a task is silently
unlimited (20 volumes: 20 backups created in the same second on the real
cloud).  Same harness as test_workbook_engine.py.
"""

from tests.simulations import bridge
from tests.simulations import simulation_fixture

VOLUMES = ['v%d' % i for i in range(6)]


@simulation_fixture
def runs():
    sched = {'in_use': 'force'}
    return bridge.Simulation({
        'cloud': {
            'volumes': [{
                'id': v,
                'status': 'in-use'
            } for v in VOLUMES],
            'servers': [{
                'id': 's0',
                'tags': ['backup:c'],
                'volumes': VOLUMES[:3]
            }, {
                'id': 's1',
                'tags': ['backup:c', 'backup:one'],
                'volumes': VOLUMES[3:]
            }]
        },
        'runs': [
            dict(
                workflow='backup_dashboard_schedule',
                input=dict(sched, schedule='c', tag='backup:c',
                           concurrency=2)),
            dict(
                workflow='backup_dashboard_schedule',
                input=dict(sched, schedule='one', tag='backup:one',
                           concurrency=1)),
        ]
    })


def peak_in_flight(run):
    """The most volumes in flight at once, in the engine's call order.

    Most volumes between their first call (the leftover snapshot listing) and
    their last (the backups_get that saw the backup available) at once, in the
    order the engine made the calls.
    """
    volume_of = {b: x['volume_id'] for b, x in run['cloud']['backups'].items()}
    first, last = {}, {}
    for i, call in enumerate(run['calls']):
        args = call['input']
        vid = (args.get('volume_id') or
               (args.get('search_opts') or {}).get('volume_id') or
               volume_of.get(args.get('backup_id')))
        if vid in VOLUMES and call['action'] != 'cinder.backups_list' and \
                call['action'] != 'cinder.volumes_get':
            first.setdefault(vid, i)
            last[vid] = i
    return max(sum(1 for v in first if first[v] <= i <= last[v])
               for i in range(len(run['calls'])))


def test_every_volume_backed_up(runs):
    for r, wanted in ((runs[0], VOLUMES), (runs[1], VOLUMES[3:])):
        assert r['state'] == 'SUCCESS' and r['output']['status'] == 'ok'
        assert sorted(v['volume'] for v in r['output']['volumes']) == wanted
        assert r['output']['counts']['created'] == len(wanted)


def test_concurrency_bounds_the_volumes_in_flight(runs):
    # Without the bound all six (three) volumes are in flight at once.
    assert 1 <= peak_in_flight(runs[0]) <= 2
    assert peak_in_flight(runs[1]) == 1
