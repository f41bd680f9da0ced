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

"""Temporary snapshots an earlier run left, in Mistral's real engine.

A schedule's run lists the snapshots named as its temporary ones once for
the whole run (Cinder filters by name), not once per volume; each volume's
backup deletes its own leftovers among them: available, marked temporary and
older than the run's timeout. Anything else stays: a young one (a concurrent
run may still back it up), one still in use, another schedule's, the user's.
A bare volume backed up through backup_dashboard_volume_by_id (the seeds'
path) still lists its own.
"""

import datetime

from tests.simulations import bridge
from tests.simulations import simulation_fixture

NAME = 'backup_dashboard-s-temporary'
OLD = '2020-01-01T00:00:00.000000'


def _snap(sid, volume, name=NAME, status='available', created_at=OLD,
          temporary='true'):
    return {'id': sid, 'volume_id': volume, 'name': name, 'status': status,
            'created_at': created_at,
            'metadata': {'backup_dashboard:temporary': temporary}}


def _young():
    return (datetime.datetime.utcnow() - datetime.timedelta(seconds=60)
            ).strftime('%Y-%m-%dT%H:%M:%S.%f')


@simulation_fixture
def runs():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'v1', 'status': 'in-use'},
                        {'id': 'v2', 'status': 'in-use'},
                        {'id': 'v3', 'status': 'available'}],
            'servers': [{'id': 'srv', 'volumes': ['v1', 'v2'],
                         'tags': ['backup:s']}],
            'snapshots': [
                _snap('old-v1', 'v1'), _snap('old-v2', 'v2'),
                _snap('young', 'v1', created_at=_young()),
                _snap('busy', 'v2', status='backing-up'),
                _snap('unmarked', 'v1', temporary='false'),
                _snap('other', 'v1', name='backup_dashboard-t-temporary'),
                _snap('mine', 'v2', name='before the upgrade'),
                _snap('old-v3', 'v3'),
            ],
        },
        'runs': [
            {'workflow': 'backup_dashboard_schedule',
             'input': {'schedule': 's', 'tag': 'backup:s',
                       'in_use': 'snapshot', 'timeout': 600}},
            {'workflow': 'backup_dashboard_volume_by_id',
             'input': {'volume_id': 'v3', 'schedule': 's', 'timeout': 600}},
        ]
    })


def _listings(run):
    return [c['input']['search_opts'] for c in run['calls']
            if c['action'] == 'cinder.volume_snapshots_list']


def test_one_listing_for_the_schedule_run(runs):
    run = runs[0]
    assert run['state'] == 'SUCCESS', run['state_info']
    assert run['output']['status'] == 'ok', run['output']
    assert _listings(run) == [{'name': NAME}]


def test_only_old_available_marked_ones_of_the_schedule_go(runs):
    left = set(runs[0]['cloud']['snapshots'])
    assert not {'old-v1', 'old-v2'} & left
    assert {'young', 'busy', 'unmarked', 'other', 'mine'} <= left
    # the run's own temporary snapshots are gone too
    assert left == {'young', 'busy', 'unmarked', 'other', 'mine', 'old-v3'}


def test_a_bare_volume_lists_its_own(runs):
    run = runs[1]
    assert run['state'] == 'SUCCESS', run['state_info']
    assert run['output']['status'] == 'ok', run['output']
    assert _listings(run) == [{'volume_id': 'v3'}]
    assert 'old-v3' not in run['cloud']['snapshots']
