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

"""Restore drills in the domain: choice of volumes, quota room, results."""
import datetime

import pytest

from backup_dashboard import drills
from backup_dashboard import errors
from testkit import data


def test_no_sample_takes_every_volume_once_sorted():
    assert drills.choose(['c', 'a', 'b', 'a']) == ['a', 'b', 'c']
    assert drills.choose(['c', 'a'], sample=5) == ['a', 'c']


@pytest.mark.parametrize('count,sample', [(5, 2), (7, 3), (4, 4), (6, 1)])
def test_samples_in_rotation_cover_every_volume_before_repeating(count,
                                                                 sample):
    volumes = ['vol-%d' % i for i in range(count)]
    for first in (0, 7, 2916):
        taken = []
        for turn in range(first, first - (-count // sample)):
            chosen = drills.choose(volumes, sample, turn)
            assert len(chosen) == min(sample, count) == len(set(chosen))
            taken.extend(chosen)
        # Every volume within `count` restores from any turn, none twice.
        assert sorted(taken[:count]) == volumes


def test_a_turn_is_the_week_or_month_since_1970():
    at = datetime.datetime(2026, 12, 5, 13, 0, tzinfo=datetime.timezone.utc)
    assert drills.turn_at(at, 'month') == 2026 * 12 + 11
    week = drills.turn_at(at)
    assert drills.turn_at(at + datetime.timedelta(days=7)) == week + 1
    assert week == int(at.timestamp()) // 604800


@pytest.mark.parametrize('typed,stored', [('', None), (None, None),
                                          ('1', 1), ('100', 100),
                                          (' 7 ', 7)])
def test_sample_is_stored_as_typed(typed, stored):
    assert drills.validate_sample(typed) == stored


@pytest.mark.parametrize('typed', ['0', '101', '-1', '2.5', 'all', '1e2'])
def test_sample_out_of_range_is_refused_with_the_limit(typed):
    with pytest.raises(errors.InputError) as raised:
        drills.validate_sample(typed)
    assert 'from 1 to 100' in str(raised.value)
    assert raised.value.field == 'sample'


def test_room_needed_is_the_largest_restores_at_once():
    assert drills.room_needed([5, 50, 20]) == (2, 70)
    assert drills.room_needed([3]) == (1, 3)
    assert drills.room_needed([]) == (0, 0)


def test_kept_volumes_all_exist_at_once():
    assert drills.room_needed([5, 50, 20], keep=True) == (3, 75)
    assert drills.room_problem([5, 50, 20], {'volumes': 2,
                                             'gigabytes': None}) is None
    assert 'up to 3 volumes at once' in drills.room_problem(
        [5, 50, 20], {'volumes': 2, 'gigabytes': None}, keep=True)


@pytest.mark.parametrize('typed,stored', [('', 0), (None, 0), ('0', 0),
                                          ('72', 72), (' 5', 5)])
def test_keep_is_stored_as_typed(typed, stored):
    assert drills.validate_keep(typed) == stored


@pytest.mark.parametrize('typed', ['73', '-1', '1.5', '2h', 'x'])
def test_keep_out_of_range_is_refused_with_the_limit(typed):
    with pytest.raises(errors.InputError, match='from 0 to 72'):
        drills.validate_keep(typed)


def test_room_problem_names_what_is_short():
    unlimited = {'volumes': None, 'gigabytes': None}
    assert drills.room_problem([10, 10, 10], unlimited) is None
    assert drills.room_problem([10, 10], {'volumes': 2,
                                          'gigabytes': 20}) is None
    text = drills.room_problem([10, 30], {'volumes': 1, 'gigabytes': 100})
    assert '2 volumes at once' in text and '1 more volume' in text
    assert 'Nothing was created' in text
    text = drills.room_problem([10, 30], {'volumes': 9, 'gigabytes': 25})
    assert '40 GB' in text and '25 more GB' in text
    assert 'volume,' not in text


def _volume(volume, result, **fields):
    found = {'volume': volume, 'result': result,
             'backup': {'id': 'b-' + volume, 'size': 1,
                        'is_incremental': False}}
    found.update(fields)
    return found


def test_a_drill_reads_results_and_restore_times():
    drill = drills.Drill(data.drill('trig-1', ['v1', 'v2', 'v3'], output={
        'status': 'partial', 'volumes': [
            _volume('v1', 'passed',
                    restore_started='2026-11-22T09:00:05.000000',
                    restore_done='2026-11-22T09:00:47.000000',
                    rto_seconds=42, cleaned=True),
            _volume('v2', 'passed',
                    restore_started='2026-11-22T09:00:05.000000',
                    restore_done='2026-11-22T09:01:15.000000',
                    rto_seconds=70, cleaned=True),
            _volume('v3', 'failed', reason='Cinder could not read the '
                    'backup data (the volume is error_restoring)',
                    cleaned=False, cleanup_error='still deleting'),
        ]}))
    assert drill.outcome == 'partial'
    assert [v.rto for v in drill.volumes] == [42, 70, None]
    assert (drill.worst_rto, drill.median_rto) == (70, 56)
    assert drill.duration == 100
    assert drill.count('passed') == 2 and drill.count('failed') == 1
    assert [v.volume for v in drill.leftovers] == ['v3']
    assert drill.chosen == ['v1', 'v2', 'v3']
    assert drill.volumes[2].reason.startswith('Cinder could not read')


def test_a_running_or_broken_drill_says_what_is_known():
    running = drills.Drill(data.drill('trig-1', ['v1'], state='RUNNING'))
    assert running.outcome == 'running'
    assert running.duration is None and running.worst_rto is None
    broken = drills.Drill(data.drill('trig-1', ['v1'], state='ERROR',
                                     output={'volumes': 'nonsense'}))
    assert broken.outcome == 'failed' and broken.volumes == []
    odd = drills.Drill(data.drill('trig-1', output={
        'status': 'ok', 'volumes': [{'result': 'maybe', 'volume': 7,
                                     'rto_seconds': 'soon'},
                                    {'result': 'passed', 'volume': 'v',
                                     'rto_seconds': True},
                                    {'result': 'passed', 'volume': 'w',
                                     'rto_seconds': 12.7}, 'x']}))
    assert [(v.volume, v.result, v.rto) for v in odd.volumes] == [
        ('?', 'failed', None), ('v', 'passed', None), ('w', 'passed', 12)]


NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)


def _ended(exec_id, day, status, state='SUCCESS'):
    return drills.Drill(data.drill(
        'trig-1', exec_id=exec_id, state=state,
        created_at='2026-11-%02d 09:00:00' % day,
        output={'status': status, 'volumes': []}))


def test_standing_is_the_newest_good_drill_and_the_newest_that_ended():
    found = [_ended('a', 10, 'ok'), _ended('b', 12, 'ok'),
             _ended('c', 14, 'partial'),
             _ended('d', 21, 'ok', state='RUNNING')]
    standing = drills.Standing.of(found, NOW)
    assert (standing.last_good.id, standing.last.id) == ('b', 'c')
    assert standing.age == datetime.timedelta(days=10, hours=3)
    assert standing.problem == 'failing'
    assert standing.problem_text == 'The last drill failed'


@pytest.mark.parametrize('days,problem', [(29, None), (31, 'stale')])
def test_no_good_drill_in_30_days_is_stale(days, problem):
    good = drills.Drill(data.drill('trig-1', output={'status': 'ok'},
                                   created_at=(NOW - datetime.timedelta(
                                       days=days)).strftime(
                                           '%Y-%m-%d %H:%M:%S')))
    assert drills.Standing.of([good], NOW).problem == problem


def test_never_drilled_is_stale_with_no_times():
    standing = drills.Standing.of([], NOW)
    assert standing.problem == 'stale'
    assert standing.problem_text == 'No successful drill in 30 days'
    assert (standing.age, standing.rto_median, standing.rto_worst) == \
        (None, None, None)


def test_nothing_to_drill_is_not_flagged():
    assert drills.Standing.of([], NOW, expected=False).problem is None
    failed = drills.Drill(data.drill('trig-1', output={'status': 'failed'}))
    assert drills.Standing.of([failed], NOW,
                              expected=False).problem == 'failing'
