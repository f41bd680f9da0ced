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
