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

"""backup_dashboard.clock.cron: patterns, zones, instants, clock changes.

croniter is the oracle for what a pattern matches (Mistral fires by it);
zoneinfo's rules are the oracle for zones (Europe/Berlin changes on the
last Sundays of March and October at 01:00 UTC).
"""
import datetime
import random

import croniter
import pytest

from backup_dashboard.clock import cron as clock
from backup_dashboard import errors

UTC = datetime.timezone.utc


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize('value, expected', [
    ('2026-11-22 08:21:33', utc(2026, 11, 22, 8, 21, 33)),    # Mistral
    ('2026-11-22T08:21:33.123456', utc(2026, 11, 22, 8, 21, 33, 123456)),
    ('2026-11-22T08:21:33Z', utc(2026, 11, 22, 8, 21, 33)),
    ('2026-11-22T09:21:33+01:00', utc(2026, 11, 22, 8, 21, 33)),
    ('2026-11-22 08:21', utc(2026, 11, 22, 8, 21)),
    (datetime.datetime(2026, 11, 22, 8), utc(2026, 11, 22, 8)),
    ('', None), (None, None), ('yesterday', None), ('2026-02-30 08:00', None),
])
def test_parse_reads_every_service_timestamp_as_utc(value, expected):
    assert clock.parse(value) == expected


def test_iso_and_in_zone_carry_their_offset():
    assert clock.iso('2026-11-22 08:21:33') == '2026-11-22T08:21:33+00:00'
    assert clock.iso(None) == ''
    there = clock.in_zone('2026-07-01 12:00:00', 'America/St_Johns')
    assert there.strftime('%H:%M %Z') == '09:30 NDT'
    assert clock.in_zone('', 'UTC') is None


def test_unknown_zones_are_refused_for_the_timezone_field():
    for name in ('Mars/Olympus', '../etc/passwd', ''):
        if name == '':
            assert clock.zone(name).key == 'UTC'
            continue
        with pytest.raises(errors.InputError, match='Unknown time zone') as e:
            clock.zone(name)
        assert e.value.field == 'timezone'
    assert 'America/St_Johns' in clock.zone_names()
    assert 'localtime' not in clock.zone_names()


@pytest.mark.parametrize('pattern, error', [
    ('0 * * * *', None), ('0 2 * * 1-5', None), ('30 23 L * *', None),
    ('0 2 1,L * *', None), ('0 2 * jan,jul mon-fri', None),
    ('0 9-17 * * 1-5', None), ('0  2 * * *', None),
    ('0 0 * * * *', 'exactly five fields'), ('@reboot', 'not supported'),
    ('@daily', 'not supported'), ('*/0 * * * *', 'not a cron pattern'),
    ('61 * * * *', 'not a cron pattern'), ('* * * * *', 'shortest interval'),
    ('*/30 * * * *', 'shortest interval'), ('0 1 30 2 *', 'never runs'),
    ('', 'Enter a cron'), ('a b c d e', 'not a cron pattern'),
    ('0 2 * * 1#2', 'not a cron pattern'), ('0 2 15W * *', 'not a cron'),
    ('0 2 * * 5L', 'not a cron pattern'), ('0 2 ? * *', 'not a cron'),
])
def test_patterns_are_checked_and_kept_as_typed(pattern, error):
    if error is None:
        assert clock.check_pattern(pattern, 60) == pattern
    else:
        with pytest.raises(errors.InputError, match=error) as raised:
            clock.check_pattern(pattern, 60)
        assert raised.value.field == 'pattern'


def test_the_interval_limit_is_stated_and_an_operator_may_lower_it():
    with pytest.raises(errors.InputError) as raised:
        clock.check_pattern('*/15 * * * *', 60)
    assert 'every 15 minute(s)' in str(raised.value)
    assert '1 hour(s)' in str(raised.value)
    assert clock.check_pattern('* * * * *', 1) == '* * * * *'


@pytest.mark.parametrize('pattern', [
    '0 2 * * *', '30 23 L * *', '0 2 1,L * *', '15 4 1,15 * 1',
    '*/20 */6 * 2-4 *', '0 0 * * 0,7', '0 12 29 2 *', '5 3 28-31 * *',
    '0 0 1-31 * 1', '0 6 * * mon-fri', '0 0 L * 1',
])
def test_walls_are_what_croniter_fires(pattern):
    start = datetime.datetime(2026, 1, 30, 7, 13)
    end = start + datetime.timedelta(days=800)
    expected = []
    it = croniter.croniter(pattern, start)
    while True:
        fire = it.get_next(datetime.datetime)
        if fire > end:
            break
        expected.append(fire)
    assert clock.walls(clock.cron_sets(pattern), start, end) == expected


def test_presets_give_their_pattern_and_back():
    cases = [('hourly', {'minute': 15}, '15 * * * *'),
             ('daily', {'minute': 0, 'hour': 2}, '0 2 * * *'),
             ('weekly', {'minute': 5, 'hour': 3, 'weekday': 1}, '5 3 * * 1'),
             ('monthly', {'minute': 0, 'hour': 4, 'day': 7}, '0 4 7 * *'),
             ('last', {'minute': 30, 'hour': 23}, '30 23 L * *')]
    for kind, values, pattern in cases:
        assert clock.preset(kind, **values) == pattern
        assert clock.preset_of(pattern) == dict(values, kind=kind)
    # Anything else, spacing included, is a cron pattern as typed.
    for typed in ('0  2 * * *', '0 2 * * 1-5', '0 2 * 1 *', '*/15 * * * *'):
        assert clock.preset_of(typed) is None


@pytest.mark.parametrize('field, values', [
    ('minute', {'minute': 60}), ('hour', {'hour': -1}),
    ('day', {'day': 29}), ('weekday', {'weekday': 7}),
    ('minute', {'minute': True}),
])
def test_preset_values_out_of_range_are_refused_with_the_range(field, values):
    with pytest.raises(errors.InputError, match='from') as raised:
        clock.preset('monthly' if field == 'day' else 'weekly', **values)
    assert raised.value.field == field


def test_transitions_are_found_to_the_second():
    changes = clock.transitions('Europe/Berlin', datetime.date(2027, 1, 1),
                                365)
    assert changes == ((utc(2027, 3, 28, 1), 120), (utc(2027, 10, 31, 1), 60))
    assert clock.transitions('Asia/Kolkata', datetime.date(2027, 1, 1),
                             365) == ()
    howe = clock.transitions('Australia/Lord_Howe', datetime.date(2027, 1, 1),
                             365)
    assert [o for _, o in howe] == [630, 660]     # a half-hour change


def test_a_time_the_spring_change_skips_runs_as_if_it_had_not():
    runs = clock.intended_runs('30 2 * * *', 'Europe/Berlin',
                               utc(2027, 3, 27), utc(2027, 3, 30))
    local = [r.astimezone(clock.zone('Europe/Berlin')).strftime(
        '%m-%d %H:%M %Z') for r in runs]
    assert local == ['03-27 02:30 CET', '03-28 03:30 CEST',
                     '03-29 02:30 CEST']


def test_a_time_the_autumn_change_repeats_runs_once_at_the_first():
    runs = clock.intended_runs('30 2 * * *', 'Europe/Berlin',
                               utc(2027, 10, 30), utc(2027, 11, 2))
    assert runs == [utc(2027, 10, 30, 0, 30), utc(2027, 10, 31, 0, 30),
                    utc(2027, 11, 1, 1, 30)]


def test_intervals_and_durations():
    assert clock.intervals('0 2 * * *') == (datetime.timedelta(days=1),) * 2
    shortest, longest = clock.intervals('0 2 1,15 * *')
    assert shortest == datetime.timedelta(days=14)
    assert longest == datetime.timedelta(days=17)
    assert clock.intervals('0 0 29 2 *') == (datetime.timedelta(
        days=1461),) * 2
    assert clock.intervals('0 1 30 2 *') is None
    assert clock.duration(datetime.timedelta(minutes=90)) == '90 minute(s)'


def test_offsets_are_read_in_minutes_east():
    rng = random.Random(7)
    tz = clock.zone('Pacific/Chatham')
    for _ in range(20):
        instant = utc(2027, 1, 1) + datetime.timedelta(
            minutes=rng.randint(0, 525600))
        assert clock.offset_at(tz, instant) in (765, 825)
