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

"""The restore drill (workbooks/drill.yaml) in Mistral's real engine, offline.

One run over four volumes: one whose newest backup of the schedule restores,
one whose backup data cannot be read, one with no backup and one whose only
backup of the schedule is in error. The real-cloud test
(tests/cloud/test_drill_cloud.py) checks the same on real services.
"""
import email
import email.header

from backup_dashboard.clock import cron as clock
from backup_dashboard import drills
from tests.simulations import simulation_fixture
from tests.workbooks import bridge

SCHEDULE = 'nightly'


def backup(backup_id, volume, created, schedule=SCHEDULE, status='available',
           size=1, incremental=False):
    return {
        'id': backup_id, 'volume_id': volume, 'status': status,
        'is_incremental': incremental, 'size': size,
        'created_at': '2026-01-0%dT00:00:00.000000' % created,
        'metadata': {'backup_dashboard:schedule': schedule,
                     'backup_dashboard:automated': 'true'},
        'parent_id': None, 'name': backup_id, 'description': '',
        'fail_reason': None, 'snapshot_id': None}


@simulation_fixture
def drill():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'good', 'status': 'in-use', 'size': 2},
                        {'id': 'unreadable'}, {'id': 'never'},
                        {'id': 'broken'}],
            'backups': [
                backup('older', 'good', 1, size=2),
                backup('newest', 'good', 2, size=2, incremental=True),
                # Newer still, but another schedule's: not this drill's.
                backup('theirs', 'good', 3, schedule='other', size=2),
                backup('lost', 'unreadable', 1),
                backup('failed', 'broken', 1, status='error'),
            ],
            'unreadable_backups': ['lost'],
        },
        'runs': [{'workflow': 'backup_dashboard_drill',
                  'input': {'schedule': SCHEDULE,
                            'volumes': ['good', 'unreadable', 'never',
                                        'broken']}}],
    })


def by_volume(run):
    return {result['volume']: result for result in run['output']['volumes']}


def test_drill_ends_with_counts_and_a_status(drill):
    run = drill[0]
    assert run['state'] == 'SUCCESS', run['state_info']
    assert run['output']['counts'] == {'passed': 1, 'failed': 1, 'skipped': 2}
    assert run['output']['status'] == 'partial'


def test_newest_backup_of_the_schedule_restores_and_is_timed(drill):
    good = by_volume(drill[0])['good']
    assert (good['result'], good['reason']) == ('passed', None)
    assert good['backup']['id'] == 'newest'
    assert good['drill_volume'].startswith('vol-')
    assert good['restore_started'] and good['restore_done']
    assert good['cleaned'] is True and good['cleanup_error'] is None
    created = [call['input'] for call in drill[0]['calls']
               if call['action'] == 'cinder.volumes_create']
    assert {call['backup_id'] for call in created} == {'newest', 'lost'}
    assert {call['name'] for call in created} == {'drill-newest',
                                                  'drill-lost'}


def test_unreadable_backup_fails_with_a_reason_and_leaves_nothing(drill):
    lost = by_volume(drill[0])['unreadable']
    assert lost['result'] == 'failed'
    assert 'could not read the backup data' in lost['reason']
    assert lost['cleaned'] is True


def test_no_backup_of_the_schedule_is_skipped_with_a_reason(drill):
    results = by_volume(drill[0])
    for volume in ('never', 'broken'):
        assert results[volume]['result'] == 'skipped'
        assert results[volume]['reason'] == \
            'no available backup of schedule nightly yet'
        assert results[volume]['drill_volume'] is None


def test_a_drill_changes_nothing_but_its_own_volumes(drill):
    run = drill[0]
    assert set(run['cloud']['volumes']) == {'good', 'unreadable', 'never',
                                            'broken'}
    assert run['cloud']['volumes']['good']['status'] == 'in-use'
    assert len(run['cloud']['backups']) == 5
    actions = {call['action'] for call in run['calls']}
    assert not actions & {'cinder.backups_delete', 'cinder.restores_restore',
                          'cinder.backups_create'}


def test_the_backups_are_listed_once_for_every_volume(drill):
    listings = [call for call in drill[0]['calls']
                if call['action'] == 'cinder.backups_list']
    assert len(listings) == 1


def test_each_restore_time_is_in_whole_seconds(drill):
    good = by_volume(drill[0])['good']
    assert isinstance(good['rto_seconds'], int) and good['rto_seconds'] >= 0
    assert by_volume(drill[0])['never']['rto_seconds'] is None
    assert drill[0]['output']['report'] is None     # no recipients


SMTP = {'backup_dashboard_smtp': {'from_addr': 'bd@example.org',
                                  'smtp_server': 'smtp.example.org:587'}}


@simulation_fixture
def reported():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'good', 'size': 2}, {'id': 'unreadable'},
                        {'id': 'never'}],
            'backups': [backup('newest', 'good', 2, size=2,
                               incremental=True),
                        backup('lost', 'unreadable', 1)],
            'unreadable_backups': ['lost'],
        },
        'runs': [{'workflow': 'backup_dashboard_drill', 'env': SMTP,
                  'input': {'schedule': SCHEDULE,
                            'volumes': ['good', 'unreadable', 'never'],
                            'report_to': ['ops@example.org']}}],
    })


def test_the_digest_reports_each_volume_of_the_drill(reported):
    run = reported[0]
    assert run['state'] == 'SUCCESS', run['state_info']
    assert run['output']['report'] == 'sent to ops@example.org'
    (mail,) = run['cloud']['emails']
    message = email.message_from_string(mail['message'])
    assert str(email.header.make_header(email.header.decode_header(
        message['Subject']))) == '[backup-dashboard] drill of nightly: ' \
        'partial (1 passed, 1 failed, 1 skipped)'
    text = message.get_payload(decode=True).decode()
    good = by_volume(run)['good']
    assert '- good: passed, restored in %d s (incremental backup ' \
        'newest)' % good['rto_seconds'] in text
    assert '- unreadable: failed, Cinder could not read the backup data ' \
        '(the volume is error_restoring) (full backup lost)' in text
    assert '- never: skipped, no available backup of schedule nightly ' \
        'yet' in text


# --- started by a cron trigger: the workflow chooses the volumes ----------

ROTATED = ('a', 'b', 'c', 'd')


@simulation_fixture
def rotation():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': v} for v in ROTATED] + [{'id': 'theirs'}],
            'backups': [backup('b-' + v, v, 1) for v in ROTATED] + [
                backup('b-theirs', 'theirs', 1, schedule='other'),
                backup('b-bad', 'a', 2, status='error')],
        },
        'runs': [{'workflow': 'backup_dashboard_drill',
                  'input': {'schedule': SCHEDULE}}] + [
            {'workflow': 'backup_dashboard_drill',
             'input': {'schedule': SCHEDULE, 'sample': 3, 'turn': turn}}
            for turn in (0, 1, 2917)] + [
            {'workflow': 'backup_dashboard_drill',
             'input': {'schedule': SCHEDULE, 'sample': 1,
                       'period': 'month'}}],
    })


def test_without_volumes_every_volume_of_the_schedule_is_drilled(rotation):
    run = rotation[0]
    assert run['state'] == 'SUCCESS', run['state_info']
    assert run['output']['chosen'] == list(ROTATED)
    assert run['output']['counts'] == {'passed': 4, 'failed': 0,
                                       'skipped': 0}
    # Its turn is the fire's week since 1970.
    assert abs(run['output']['turn'] - drills.turn_at(clock.now())) <= 1


def test_the_workflow_takes_turns_as_the_dashboard_does(rotation):
    for run, turn in zip(rotation[1:4], (0, 1, 2917)):
        assert run['output']['turn'] == turn
        assert run['output']['chosen'] == drills.choose(ROTATED, 3, turn)
        assert by_volume(run).keys() == set(run['output']['chosen'])
    monthly = rotation[4]['output']
    assert monthly['turn'] == drills.turn_at(clock.now(), 'month')
    assert monthly['chosen'] == drills.choose(ROTATED, 1, monthly['turn'])


TWO = [{'id': 'a', 'size': 4}, {'id': 'b', 'size': 4}]
TWO_BACKUPS = [backup('b-a', 'a', 1, size=4), backup('b-b', 'b', 1, size=4)]


@simulation_fixture
def busy():
    # A run of the schedule is making a backup of b.
    return bridge.Simulation({
        'cloud': {'volumes': TWO, 'backups': TWO_BACKUPS + [
            backup('new', 'b', 2, status='creating')]},
        'runs': [{'workflow': 'backup_dashboard_drill',
                  'input': {'schedule': SCHEDULE}}],
    })


@simulation_fixture
def no_room():
    # 8 GB used of 14: two restores of 4 GB at once do not fit.
    return bridge.Simulation({
        'cloud': {'volumes': TWO, 'backups': TWO_BACKUPS,
                  'max_volume_gb': 14},
        'runs': [{'workflow': 'backup_dashboard_drill', 'env': SMTP,
                  'input': {'schedule': SCHEDULE,
                            'report_to': ['ops@example.org']}}],
    })


def _made_nothing(run):
    actions = {call['action'] for call in run['calls']}
    assert not actions & {'cinder.volumes_create', 'cinder.volumes_delete'}
    assert set(run['cloud']['volumes']) == {'a', 'b'}


def test_no_drill_beside_a_backup_run_of_the_schedule(busy):
    run = busy[0]
    assert run['state'] == 'SUCCESS', run['state_info']
    assert run['output']['status'] == 'refused'
    assert 'backup run of schedule nightly is making or deleting' in \
        run['output']['reason']
    _made_nothing(run)


def test_no_drill_the_volume_quota_cannot_hold(no_room):
    run = no_room[0]
    assert run['output']['status'] == 'refused'
    assert run['output']['reason'] == (
        'the drill restores up to 2 volumes of 8 GB in all at once, but the '
        'volume quota has room for any number of volumes and 6 more GB: '
        'nothing was created')
    _made_nothing(run)
    (mail,) = run['cloud']['emails']
    body = email.message_from_string(mail['message']).get_payload(
        decode=True).decode()
    assert 'finished: refused.\nthe drill restores up to 2 volumes' in body


def bootable(backup_id, volume, created, **kw):
    found = backup(backup_id, volume, created, **kw)
    found['metadata']['backup_dashboard:bootable_image'] = 'true'
    return found


@simulation_fixture
def kept():
    # Kept 3 s after the last restore. Volume a has metadata of its own,
    # which its restore brings back in place of the drill's marks; b's
    # backup is of a bootable volume, whose restore must be bootable too.
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'a', 'size': 4,
                         'metadata': {'backup_dashboard:skip': 'false'}},
                        {'id': 'b', 'size': 4}, {'id': 'c', 'size': 4}],
            'backups': [backup('b-a', 'a', 1, size=4),
                        bootable('b-b', 'b', 1, size=4),
                        bootable('b-c', 'c', 1, size=4)],
            'unbootable_restores': ['b-c'],
        },
        'runs': [{'workflow': 'backup_dashboard_drill',
                  'input': {'schedule': SCHEDULE, 'keep': 3}}],
    })


def test_kept_volumes_go_after_the_last_restore_marked_as_drills(kept):
    run = kept[0]
    assert run['state'] == 'SUCCESS', run['state_info']
    results = by_volume(run)
    assert results['a']['result'] == results['b']['result'] == 'passed'
    assert all(r['cleaned'] is True for r in results.values())
    assert results['a']['kept'] is results['b']['kept'] is True
    assert run['output']['keep'] == 3
    actions = [call['action'] for call in run['calls']]
    creates = [i for i, a in enumerate(actions)
               if a == 'cinder.volumes_create']
    deletes = [i for i, a in enumerate(actions)
               if a == 'cinder.volumes_delete']
    # The failed one goes at once; the two that passed wait for the last
    # restore (with keep 0, a and b would go as soon as each is checked).
    passed = {results[v]['drill_volume'] for v in 'ab'}
    kept_deletes = [i for i, call in enumerate(run['calls'])
                    if call['action'] == 'cinder.volumes_delete' and
                    call['input']['volume'] in passed]
    assert len(creates) == 3 and len(deletes) == 3
    assert min(kept_deletes) > max(creates)
    marked = [call for call in run['calls']
              if call['action'] == 'cinder.volumes_set_metadata']
    assert {call['input']['volume'] for call in marked} == passed
    assert all(call['input']['metadata']['backup_dashboard:drill'] == 'true'
               for call in marked)
    assert set(run['cloud']['volumes']) == {'a', 'b', 'c'}


def test_a_bootable_backup_must_restore_bootable(kept):
    result = by_volume(kept[0])['c']
    assert result['result'] == 'failed'
    assert result['reason'] == (
        'the backup is of a volume bootable from an image, but the restored '
        'volume is not bootable (its image metadata did not come back)')
    assert result['cleaned'] is True and result['kept'] is False
