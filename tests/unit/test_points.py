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

"""An instance's restore points, from backup metadata alone."""
import types

from backup_dashboard import points


def backup(backup_id, volume, run, device, boot=False, status='available',
           server='srv-1', volumes=2, created='2026-11-22T01:00:00.000000'):
    metadata = {'backup_dashboard:schedule': 'nightly',
                'backup_dashboard:automated': 'true',
                'backup_dashboard:point_server': server,
                'backup_dashboard:point_server_name': 'db',
                'backup_dashboard:point_flavor': 'm1.large',
                'backup_dashboard:point_device': device,
                'backup_dashboard:point_boot': 'true' if boot else 'false',
                'backup_dashboard:point_volumes': str(volumes),
                'backup_dashboard:point_run': run}
    return types.SimpleNamespace(id=backup_id, volume_id=volume,
                                 status=status, created_at=created,
                                 metadata=metadata)


def read(backups, server_id=None):
    return points.points_of(backups, lambda b: b.metadata, server_id)


def test_a_runs_backups_of_one_instance_are_one_point_boot_first():
    found = read([
        backup('b2', 'data', 'run-1', '/dev/vdb'),
        backup('b1', 'root', 'run-1', '/dev/vda', boot=True),
    ])
    (point,) = found
    assert (point.server, point.server_name, point.flavor, point.run) == (
        'srv-1', 'db', 'm1.large', 'run-1')
    assert [m.volume for m in point.members] == ['root', 'data']
    assert point.boot.volume == 'root' and point.complete


def test_points_are_newest_first_and_of_the_instance_asked():
    found = read([
        backup('a1', 'root', 'run-1', '/dev/vda', volumes=1),
        backup('a2', 'root', 'run-2', '/dev/vda', volumes=1,
               created='2026-11-23T01:00:00.000000'),
        backup('x1', 'other', 'run-2', '/dev/vda', server='srv-2',
               volumes=1),
    ], server_id='srv-1')
    assert [p.run for p in found] == ['run-2', 'run-1']


def test_a_point_missing_a_volume_or_with_a_failed_backup_is_incomplete():
    (failed,) = read([
        backup('b1', 'root', 'run-1', '/dev/vda', boot=True),
        backup('b2', 'data', 'run-1', '/dev/vdb', status='error')])
    assert not failed.complete and failed.missing == 1
    (short,) = read([backup('b1', 'root', 'run-1', '/dev/vda', volumes=3)])
    assert not short.complete and short.missing == 2


def test_backups_without_point_keys_are_in_no_point():
    hand_made = types.SimpleNamespace(
        id='h', volume_id='v', status='available', created_at=None,
        metadata={})
    assert read([hand_made]) == []


def whole_point(data_status='available', boot_status='available'):
    return read([
        backup('b-boot', 'v-boot', 'run-1', '/dev/vda', boot=True,
               volumes=3, status=boot_status),
        backup('b-data', 'v-data', 'run-1', '/dev/vdb', volumes=3,
               status=data_status),
        backup('b-logs', 'v-logs', 'run-1', '/dev/vdc', volumes=3)])[0]


def test_a_new_server_takes_every_restorable_member_and_needs_the_boot():
    point = whole_point(data_status='error')
    members, why = points.members_to_restore(point, points.NEW_SERVER)
    assert (why, [m.volume for m in members]) == (None, ['v-boot', 'v-logs'])
    members, why = points.members_to_restore(
        whole_point(boot_status='error'), points.NEW_SERVER)
    assert (members, why) == ([], 'no_boot')


def test_the_same_instance_takes_the_data_volumes_only():
    members, why = points.members_to_restore(whole_point(), points.INSTANCE)
    assert (why, [m.volume for m in members]) == (None, ['v-data', 'v-logs'])
    boot_only = read([backup('b', 'v', 'run-1', '/dev/vda', boot=True,
                             volumes=1)])[0]
    assert points.members_to_restore(boot_only, points.INSTANCE) == \
        ([], 'no_data')


def test_needs_and_shortfall_count_every_volume_and_the_server():
    point = whole_point()
    for member, size in zip(point.members, (10, 20, 5)):
        member.backup.size = size
    need = points.needs(point.members, flavor=(2, 4096))
    assert need == {'volumes': 3, 'gigabytes': 35, 'instances': 1,
                    'cores': 2, 'ram': 4096}
    room = {'volumes': 3, 'gigabytes': 30, 'instances': None, 'cores': 1,
            'ram': 8192}
    assert points.shortfall(need, room) == [('cores', 2, 1),
                                            ('gigabytes', 35, 30)]
    assert points.needs(point.members) == {'volumes': 3, 'gigabytes': 35}


def test_a_point_says_how_consistent_it_is():
    together = [backup('b1', 'v1', 'run-1', '/dev/vda', boot=True),
                backup('b2', 'v2', 'run-1', '/dev/vdb')]
    for b in together:
        b.metadata.update({'backup_dashboard:point_consistency':
                           'crash-consistent',
                           'backup_dashboard:point_spread': '1.0'})
    point, = read(together)
    assert (point.consistency, point.spread) == ('crash-consistent', 1.0)
    apart = read([backup('b3', 'v1', 'run-2', '/dev/vda', boot=True)])[0]
    assert (apart.consistency, apart.spread) == (None, None)
    assert point.label() == points.CRASH_CONSISTENT
    assert apart.label() is None


def test_a_group_snapshot_is_group_consistent_only_for_a_declared_group():
    grouped = [backup('b1', 'v1', 'run-1', '/dev/vda', boot=True),
               backup('b2', 'v2', 'run-1', '/dev/vdb')]
    for b in grouped:
        b.metadata.update({'backup_dashboard:point_consistency': 'group',
                           'backup_dashboard:point_group': 'grp-1',
                           'backup_dashboard:point_spread': '0.0'})
    point, = read(grouped)
    assert (point.consistency, point.group) == ('group', 'grp-1')
    assert point.label({'grp-1'}) == points.GROUP_CONSISTENT
    # a group of a type nobody declared consistent, or one that is gone:
    # Cinder may have taken its volumes one by one
    assert point.label({'grp-2'}) == points.CRASH_CONSISTENT
    assert point.label() == points.CRASH_CONSISTENT
