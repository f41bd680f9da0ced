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

"""backup_dashboard.clock.timing: worked out when saved, read on every page.

What a trigger keeps must answer exactly as working it out does, a page
must not parse the patterns of a trigger that keeps it, and a trigger saved
by an earlier version (or with facts for other patterns) must still read
right, the old way.
"""
import datetime
import json

import pytest

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import timing
from backup_dashboard import health
from backup_dashboard import schedule as domain
from testkit import data

UTC = datetime.timezone.utc
NOW = datetime.datetime(2027, 3, 27, 12, 0, tzinfo=UTC)   # DST next night
PATTERNS = [('0 2 * * *', 'Europe/Paris'), ('15 * * * *', 'UTC'),
            ('30 19 * * 1', 'America/New_York'), ('45 23 L * *', 'UTC'),
            ('0 0 29 2 *', 'Australia/Lord_Howe')]


def _saved(local, zone, **extra):
    schedule = domain.validate_timing(domain.Schedule(
        name='s', local_pattern=local, timezone=zone),
        at=datetime.datetime(2026, 11, 20, tzinfo=UTC))
    return domain.Schedule.from_trigger(data.trigger(schedule, **extra))


def _older(schedule):
    """The same trigger as an earlier version saved it: no timing kept."""
    kwargs = schedule.to_trigger()
    params = dict(kwargs['workflow_params'] or {})
    del params[timing.PARAM]
    trigger = data.trigger(schedule, workflow_params=json.dumps(params))
    return domain.Schedule.from_trigger(trigger)


@pytest.mark.parametrize('local,zone', PATTERNS)
def test_what_is_kept_answers_as_working_it_out(local, zone):
    kept = _saved(local, zone)
    older = _older(kept)
    assert kept.timing is not None and older.timing is None
    assert kept.utc_sets == clock.cron_sets(kept.pattern)
    assert kept.gaps == older.gaps == clock.intervals(local)
    assert kept.next_runs(5, at=NOW) == older.next_runs(5, at=NOW)
    week = (NOW - datetime.timedelta(days=7), NOW)
    assert kept.runs_between(*week) == older.runs_between(*week)
    assert health.assess(kept, [], NOW) == health.assess(older, [], NOW)


def test_a_page_parses_no_pattern_of_a_trigger_that_keeps_its_timing():
    kept = _saved('0 2 * * *', 'Europe/Paris')
    clock.cron_sets.cache_clear()
    clock.intervals.cache_clear()
    kept.next_run
    health.assess(kept, [], NOW)
    assert clock.cron_sets.cache_info().misses == 0
    assert clock.intervals.cache_info().misses == 0
    # without it, its gaps are worked out from the local pattern (its
    # plan's own UTC values still spare parsing the UTC pattern)
    _older(kept).next_run
    health.assess(_older(kept), [], NOW)
    assert clock.intervals.cache_info().misses == 1
    assert clock.cron_sets.cache_info().misses == 1


def test_a_pattern_without_a_second_time_keeps_none_as_its_gaps():
    facts = dict(timing.for_trigger('0 2 * * *', '0 2 * * *'), gaps=None)
    assert timing.of({timing.PARAM: facts}, '0 2 * * *', '0 2 * * *') is \
        facts
    assert timing.gaps(facts, '0 2 * * *') is None


@pytest.mark.parametrize('change', [
    {'version': 2}, {'pattern': '0 1 * * *'}, {'local_pattern': '0 3 * * *'},
    {'utc': 'x'}, {'gaps': [1]}, {'gaps': ['a', 'b']}])
def test_facts_not_for_this_trigger_are_not_used(change):
    kept = _saved('0 2 * * *', 'Europe/Paris')
    params = kept.to_trigger()['workflow_params']
    params[timing.PARAM] = dict(params[timing.PARAM], **change)
    back = domain.Schedule.from_trigger(data.trigger(
        kept, workflow_params=json.dumps(params)))
    assert back.timing is None
    assert back.next_runs(3, at=NOW) == kept.next_runs(3, at=NOW)


def test_a_trigger_made_by_hand_is_read_from_its_pattern():
    hand = domain.Schedule.from_trigger(data.trigger(
        domain.Schedule(name='h', pattern='0 4 * * *')))
    assert hand.timing is None and hand.plan is None
    assert hand.utc_sets == clock.cron_sets('0 4 * * *')
    assert hand.next_run.hour == 4
