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

"""Where a restore is, and its outcome in words."""
from backup_dashboard.dashboards.project.restore import progress
from tests.unit.dashboards.project.restore import data

NAMES = {'backup': 'B', 'volume': 'V', 'server': 'S', 'device': None}


def states(execution, tasks):
    steps, current = progress.steps(execution, tasks)
    return current, {s.key: s.state for s in steps}


def test_phases_of_a_restore_with_attach():
    ex = data.execution('RUNNING')
    assert states(ex, [])[0] == 'checking'
    assert states(ex, [data.task('get_backup'),
                       data.task('create_volume', 'RUNNING')])[0] == \
        'restoring'
    current, by_key = states(ex, [data.task('get_backup'),
                                  data.task('create_volume'),
                                  data.task('wait_volume'),
                                  data.task('attach', 'RUNNING')])
    assert current == 'attaching'
    assert by_key == {'checking': 'done', 'restoring': 'done',
                      'available': 'done', 'attaching': 'current',
                      'done': 'pending'}


def test_without_attach_there_is_no_attaching_step():
    ex = data.execution('RUNNING', inputs={'server_id': None})
    current, by_key = states(ex, [data.task('get_backup'),
                                  data.task('restore'),
                                  data.task('wait_volume')])
    assert current == 'available'
    assert 'attaching' not in by_key
    ex = data.execution('SUCCESS', inputs={'server_id': None})
    assert set(states(ex, [])[1].values()) == {'done'}


def test_a_failure_marks_the_step_it_happened_in():
    ex = data.execution('ERROR')
    current, by_key = states(ex, [data.task('get_backup'),
                                  data.task('create_volume'),
                                  data.task('wait_volume', 'ERROR')])
    assert (current, by_key['restoring'], by_key['checking']) == (
        'restoring', 'failed', 'done')


def test_the_volume_id_as_soon_as_it_is_known():
    new = data.execution('RUNNING')
    assert progress.restored_volume_id(new, []) is None
    assert progress.restored_volume_id(new, [data.task(
        'create_volume', published={'volume': 'v-new'})]) == 'v-new'
    existing = data.execution('RUNNING', inputs={'target': 'existing',
                                                 'volume_id': 'v-old'})
    assert progress.restored_volume_id(existing, []) == 'v-old'
    done = data.execution('SUCCESS', output={'volume': 'v-out'})
    assert progress.restored_volume_id(done, []) == 'v-out'


def test_outcomes_in_words():
    ok = data.execution('SUCCESS', inputs={'target': 'existing',
                                           'server_id': None},
                        output={'volume': 'v', 'attached': False})
    assert progress.outcome(ok, NAMES) == (
        'Done: backup B was restored into volume V; its previous data was '
        'overwritten. It is available, not attached to any instance.')
    attach_failed = data.execution('ERROR', output={
        'volume': 'v', 'status': 'available', 'attached': False,
        'error': 'restored, but cannot attach to instance s: busy'})
    text = progress.outcome(attach_failed, NAMES)
    assert text.startswith('The restore failed: restored, but cannot')
    assert 'only the attachment failed' in text
    broken = data.execution('ERROR', output={'volume': 'v',
                                             'status': 'error'})
    assert 'is not usable; delete it' in progress.outcome(broken, NAMES)
    crashed = data.execution('ERROR', state_info='engine lost')
    assert progress.outcome(crashed, NAMES).startswith(
        'The restore failed: engine lost.')
    assert 'cancelled' in progress.outcome(data.execution('CANCELLED'),
                                           NAMES)
