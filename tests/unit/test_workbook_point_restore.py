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

"""Whole-instance restore (workbooks/point_restore.yaml) in Mistral's engine.

One simulation, its runs one after the other on one fake cloud: a point of
a boot and two data volumes restored to a new instance; two data volumes
restored into an existing instance; two refusals before anything is created
(a boot volume into an existing instance, a backup that cannot be restored);
three failures rolled back (a data volume's restore fails, an attach is
refused, the new instance goes ERROR). A run's changes to the cloud are read
against the cloud the run before it left.
"""
from tests.simulations import bridge
from tests.simulations import simulation_fixture

WORKFLOW = 'backup_dashboard_point_restore'
FAULT = 'No valid host was found. There are not enough hosts available.'


def backup(backup_id, size=1, status='available', boot=False):
    return {
        'id': backup_id, 'volume_id': 'gone-' + backup_id, 'status': status,
        'is_incremental': False, 'size': size,
        'created_at': '2026-01-01T00:00:00.000000',
        'metadata': {'backup_dashboard:bootable_image': str(boot).lower()},
        'parent_id': None, 'name': backup_id, 'description': '',
        'fail_reason': None, 'snapshot_id': None}


def member(backup_id, device, boot=False, name=None):
    return {'backup_id': backup_id, 'device': device, 'boot': boot,
            'name': name, 'volume_type': None, 'availability_zone': None,
            'size': None}


POINT = [member('b-boot', '/dev/vda', boot=True, name='db-root'),
         member('b-d1', '/dev/vdb', name='db-data'),
         member('b-d2', '/dev/vdc', name='db-logs')]
NEW = {'target': 'new_server', 'server_name': 'db-restored',
       'flavor': 'm1', 'network_id': 'net-1'}

# run index -> what it is
NEW_SERVER, INTO_INSTANCE, BOOT_INTO_INSTANCE, UNAVAILABLE, \
    RESTORE_FAILS, ATTACH_FAILS, SERVER_ERROR = range(7)


@simulation_fixture
def runs():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'web-data', 'status': 'in-use'}],
            'servers': [
                # booted from an image: its first volume is /dev/vdb
                {'id': 'app', 'name': 'app', 'volumes': []},
                {'id': 'web', 'name': 'web', 'volumes': ['web-data']}],
            'backups': [backup('b-boot', size=2, boot=True),
                        backup('b-d1'), backup('b-d2', size=3),
                        backup('b-err', status='error'),
                        backup('b-lost'), backup('b-noattach')],
            'unreadable_backups': ['b-lost'],
            'unattachable_backups': ['b-noattach'],
            'server_faults': {'broken': FAULT},
        },
        'runs': [
            {'workflow': WORKFLOW, 'input': dict(NEW, members=POINT)},
            {'workflow': WORKFLOW, 'input': {
                'target': 'instance', 'server_id': 'app',
                'members': POINT[1:]}},
            {'workflow': WORKFLOW, 'input': {
                'target': 'instance', 'server_id': 'app', 'members': POINT}},
            {'workflow': WORKFLOW, 'input': dict(NEW, members=[
                POINT[0], member('b-err', '/dev/vdb'),
                member('b-missing', '/dev/vdc')])},
            {'workflow': WORKFLOW, 'input': dict(NEW, members=[
                POINT[0], POINT[1], member('b-lost', '/dev/vdc')])},
            {'workflow': WORKFLOW, 'input': {
                'target': 'instance', 'server_id': 'web', 'members': [
                    POINT[1], member('b-noattach', '/dev/vdc')]}},
            {'workflow': WORKFLOW, 'input': dict(NEW, flavor='broken',
                                                 members=POINT[:2])},
        ],
    })


def calls(run, action):
    return [c['input'] for c in run['calls'] if c['action'] == action]


def created(run):
    return [c['volume'] for c in run['output']['volumes'] if c['volume']]


def assert_left_as_before(runs, index):
    """The run's cloud is the one the run before it left: all rolled back."""
    run = runs[index]
    before = runs[index - 1]['cloud']
    assert set(run['cloud']['volumes']) == set(before['volumes'])
    assert set(run['cloud']['servers']) == set(before['servers'])
    for vid, volume in before['volumes'].items():
        assert run['cloud']['volumes'][vid]['status'] == volume['status']


def test_point_restores_to_a_new_instance_booted_from_its_volume(runs):
    run = runs[NEW_SERVER]
    assert run['state'] == 'SUCCESS', run['output']
    out = run['output']
    assert out['error'] is None
    boot, data, logs = out['volumes']
    server = run['cloud']['servers'][out['server']]
    # booted from the restored boot volume, no image; recorded flavor,
    # the one network
    assert server['image'] == '' and server['flavor'] == {'id': 'm1'}
    assert server['name'] == 'db-restored'
    assert server['block_device_mapping_v2'] == [{
        'uuid': boot['volume'], 'source_type': 'volume',
        'destination_type': 'volume', 'boot_index': 0,
        'delete_on_termination': False}]
    assert server['nics'] == [{'net-id': 'net-1'}]
    # every volume from its backup, at least the backup's size
    volumes = run['cloud']['volumes']
    assert [(volumes[v['volume']]['restored_from'],
             volumes[v['volume']]['name'], volumes[v['volume']]['size'])
            for v in out['volumes']] == [
        ('b-boot', 'db-root', 2), ('b-d1', 'db-data', 1),
        ('b-d2', 'db-logs', 3)]
    # the data volumes in device order: the names come back
    assert server['devices'] == {boot['volume']: '/dev/vda',
                                 data['volume']: '/dev/vdb',
                                 logs['volume']: '/dev/vdc'}
    assert [(v['backup_id'], v['device'], v['boot'], v['status'],
             v['attached_as']) for v in out['volumes']] == [
        ('b-boot', '/dev/vda', True, 'in-use', '/dev/vda'),
        ('b-d1', '/dev/vdb', False, 'in-use', '/dev/vdb'),
        ('b-d2', '/dev/vdc', False, 'in-use', '/dev/vdc')]


def test_attaches_wait_for_each_volume_before_the_next(runs):
    run = runs[NEW_SERVER]
    _, data, logs = run['output']['volumes']
    steps = [(c['action'], c['input'].get('volume_id')) for c in run['calls']
             if c['action'] in ('nova.volumes_create_server_volume',
                                'cinder.volumes_get')]
    first = steps.index(('nova.volumes_create_server_volume',
                         data['volume']))
    second = steps.index(('nova.volumes_create_server_volume',
                          logs['volume']))
    assert first < steps.index(('cinder.volumes_get', data['volume']),
                               first) < second
    # the recorded device is asked for
    assert [c['device'] for c in calls(
        run, 'nova.volumes_create_server_volume')] == ['/dev/vdb', '/dev/vdc']


def test_point_restores_into_an_existing_instance(runs):
    run = runs[INTO_INSTANCE]
    assert run['state'] == 'SUCCESS', run['output']
    out = run['output']
    assert out['server'] == 'app' and out['error'] is None
    assert [(v['backup_id'], v['status'], v['attached_as'])
            for v in out['volumes']] == [('b-d1', 'in-use', '/dev/vdb'),
                                         ('b-d2', 'in-use', '/dev/vdc')]
    assert run['cloud']['servers']['app']['volumes'] == created(run)
    assert [c['volume_id'] for c in calls(
        run, 'nova.volumes_create_server_volume')] == created(run)
    # its recorded devices are still its own volumes': Nova picks the next
    assert [c['device'] for c in calls(
        run, 'nova.volumes_create_server_volume')] == [None, None]
    assert not calls(run, 'nova.servers_create')


def test_boot_volume_into_an_existing_instance_is_refused_first(runs):
    run = runs[BOOT_INTO_INSTANCE]
    assert run['state'] == 'ERROR'
    error = run['output']['error']
    assert 'cannot be swapped in place' in error and 'new_server' in error
    assert 'b-boot' in error
    assert run['calls'] == []
    assert_left_as_before(runs, BOOT_INTO_INSTANCE)


def test_a_backup_that_cannot_be_restored_is_refused_first(runs):
    run = runs[UNAVAILABLE]
    assert run['state'] == 'ERROR'
    error = run['output']['error']
    assert 'backup b-err is error; only an available backup' in error
    assert 'Backup b-missing could not be found' in error
    assert 'Request-ID' not in error
    assert error.endswith('(HTTP 404). Nothing was created.')
    assert not calls(run, 'cinder.volumes_create')
    assert not calls(run, 'nova.servers_create')
    assert [v['volume'] for v in run['output']['volumes']] == [None] * 3
    assert_left_as_before(runs, UNAVAILABLE)


def test_a_failed_volume_restore_rolls_back_every_volume(runs):
    run = runs[RESTORE_FAILS]
    assert run['state'] == 'ERROR'
    error = run['output']['error']
    assert 'the restore of backup b-lost into volume' in error
    assert 'error_restoring' in error
    assert 'Rolled back: deleted the 3 restored volumes.' in error
    # the other two were made too, then deleted; no instance was started
    assert len(calls(run, 'cinder.volumes_create')) == 3
    assert sorted(c['volume'] for c in calls(run, 'cinder.volumes_delete')) \
        == sorted(created(run))
    assert not calls(run, 'nova.servers_create')
    assert {v['status'] for v in run['output']['volumes']} == {'deleted'}
    assert_left_as_before(runs, RESTORE_FAILS)


def test_a_refused_attach_rolls_back_but_keeps_the_instance(runs):
    run = runs[ATTACH_FAILS]
    assert run['state'] == 'ERROR'
    error = run['output']['error']
    assert error.startswith('cannot attach volume ')
    assert '(backup b-noattach) to instance web: ' in error
    assert 'simulated attach failure' in error and 'Request-ID' not in error
    assert 'Rolled back: deleted the 2 restored volumes.' in error
    # the first one was attached, so it was detached before its delete
    first = created(run)[0]
    assert calls(run, 'nova.volumes_delete_server_volume') == [
        {'server_id': 'web', 'volume_id': first}]
    assert run['output']['server'] == 'web'
    assert run['cloud']['servers']['web']['volumes'] == ['web-data']
    assert_left_as_before(runs, ATTACH_FAILS)


def test_an_instance_in_error_is_deleted_then_its_volumes(runs):
    run = runs[SERVER_ERROR]
    assert run['state'] == 'ERROR'
    error = run['output']['error']
    assert 'went into ERROR: ' + FAULT + ' Rolled back' in error
    assert ('Rolled back: deleted the new instance and the 2 restored '
            'volumes.') in error
    started = calls(run, 'nova.servers_create')
    assert len(started) == 1
    assert len(calls(run, 'nova.servers_delete')) == 1
    assert not calls(run, 'nova.volumes_create_server_volume')
    # the instance is gone before its boot volume is deleted
    actions = [c['action'] for c in run['calls']]
    assert actions.index('nova.servers_delete') < actions.index(
        'cinder.volumes_delete')
    assert run['output']['server'] is None
    assert_left_as_before(runs, SERVER_ERROR)
