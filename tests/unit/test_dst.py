"""backup_dashboard.dst: local wall-clock time kept across clock changes.

Real zones, real changes (zoneinfo): Europe/Berlin changes on the last
Sunday of March and of October at 01:00 UTC, America/New_York on the second
Sunday of March and the first Sunday of November at 02:00 local time.
"""
import datetime
import json
import os
import random
import sys
from pathlib import Path

import croniter
import pytest

from backup_dashboard import dst
from backup_dashboard import schedule as domain
from tests import data

UTC = datetime.timezone.utc
BERLIN = domain.get_zone('Europe/Berlin')
NEW_YORK = domain.get_zone('America/New_York')
SAVED = datetime.datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def local_days(runs, zone):
    return [r.astimezone(zone).strftime('%m-%d %H:%M %Z') for r in runs]


def berlin_schedule(local='30 2 * * *', **kw):
    kw.setdefault('pattern', dst.shift(local, 60))
    return domain.Schedule(name='nightly', timezone='Europe/Berlin',
                           local_pattern=local, **kw)


def stored(schedule, now=SAVED, **kwargs):
    """The trigger Mistral would return for dst.to_trigger(schedule)."""
    made = dst.to_trigger(schedule, now=now)
    return data.trigger(schedule, pattern=made['pattern'],
                        workflow_params=json.dumps(
                            made['workflow_params'] or {}), **kwargs)


# --- UTC patterns for one offset ------------------------------------------

@pytest.mark.parametrize('local, offset, utc_pattern', [
    ('30 2 * * *', 60, '30 1 * * *'),          # Berlin winter
    ('30 2 * * *', 120, '30 0 * * *'),         # Berlin summer
    ('30 0 * * 1', 60, '30 23 * * 0'),         # Monday 00:30 -> Sunday
    ('30 19 * * 1', -300, '30 0 * * 2'),       # New York EST -> Tuesday
    ('30 19 * * 6', -300, '30 0 * * 0'),       # Saturday -> Sunday wraps
    ('30 1 1 * *', 120, '30 23 L * *'),        # the 1st -> last day before
    ('0 3 15 * *', -240, '0 7 15 * *'),
    ('45 * * * *', 60, '45 * * * *'),          # hourly: whole-hour zones
    ('15 * * * *', 630, '45 * * * *'),         # Lord Howe's +10:30
])
def test_shift(local, offset, utc_pattern):
    assert dst.shift(local, offset) == utc_pattern


def test_shift_refuses_a_day_february_lacks():
    with pytest.raises(domain.ScheduleError) as error:
        dst.shift('30 22 28 * *', -300)
    assert error.value.field == 'day' and 'February' in str(error.value)


# --- the zone's changes and the one instant of a local time -----------------

def test_transitions_of_both_zones_in_2027():
    start, end = utc(2027, 1, 1), utc(2028, 1, 1)
    assert dst.transitions('Europe/Berlin', start, end) == [
        (utc(2027, 3, 28, 1, 0), 120), (utc(2027, 10, 31, 1, 0), 60)]
    assert dst.transitions('America/New_York', start, end) == [
        (utc(2027, 3, 14, 7, 0), -240), (utc(2027, 11, 7, 6, 0), -300)]
    assert dst.transitions('Asia/Tokyo', start, end) == []


def test_a_local_time_the_spring_change_skips_runs_an_hour_later():
    # 02:30 does not exist on 2027-03-28 in Berlin: 02:30 CET = 03:30 CEST
    at = dst.local_instant(datetime.datetime(2027, 3, 28, 2, 30),
                           'Europe/Berlin')
    assert at == utc(2027, 3, 28, 1, 30)
    assert at.astimezone(BERLIN).strftime('%H:%M %Z') == '03:30 CEST'


def test_a_local_time_the_autumn_change_repeats_runs_at_the_first():
    at = dst.local_instant(datetime.datetime(2027, 10, 31, 2, 30),
                           'Europe/Berlin')
    assert at == utc(2027, 10, 31, 0, 30)      # not 01:30 UTC (CET)
    assert at.astimezone(BERLIN).strftime('%H:%M %Z') == '02:30 CEST'


@pytest.mark.parametrize('zone, local, spring, autumn', [
    ('Europe/Berlin', '30 2 * * *',
     ['03-27 02:30 CET', '03-28 03:30 CEST', '03-29 02:30 CEST'],
     ['10-30 02:30 CEST', '10-31 02:30 CEST', '11-01 02:30 CET']),
    ('America/New_York', '30 1 * * *',
     ['03-13 01:30 EST', '03-14 01:30 EST', '03-15 01:30 EDT'],
     ['11-06 01:30 EDT', '11-07 01:30 EDT', '11-08 01:30 EST']),
    ('America/New_York', '30 2 * * *',
     ['03-13 02:30 EST', '03-14 03:30 EDT', '03-15 02:30 EDT'],
     ['11-06 02:30 EDT', '11-07 02:30 EST', '11-08 02:30 EST']),
])
def test_exactly_one_run_each_day_across_both_changes(zone, local, spring,
                                                      autumn):
    tz = domain.get_zone(zone)
    changes = [c for c, _ in dst.transitions(zone, utc(2027, 1, 1),
                                             utc(2028, 1, 1))]
    for change, wanted in zip(changes, (spring, autumn)):
        day = change.astimezone(tz).date()
        start = datetime.datetime.combine(day - datetime.timedelta(days=1),
                                          datetime.time(), tz)
        runs = dst.intended_runs(local, zone, start,
                                 start + datetime.timedelta(days=3))
        assert local_days(runs, tz) == wanted


# --- the plan ---------------------------------------------------------------

def test_plan_for_berlin_nightly():
    plan = dst.build_plan('30 2 * * *', 'Europe/Berlin', SAVED)
    assert plan['pattern'] == '30 0,1 * * *'
    assert [p['cron'] for p in plan['patterns']] == ['30 1 * * *',
                                                     '30 0 * * *']
    # one period per change over ten years, each switching between the last
    # run by the old pattern and the first by the new one
    segments = plan['segments']
    assert len(segments) == 1 + 2 * 10
    assert segments[:3] == [
        {'from': '2026-11-22T00:00', 'active': 0},
        {'from': '2027-03-28T13:00', 'active': 1},   # after 01:30 UTC
        {'from': '2027-10-31T13:00', 'active': 0}]   # after 00:30 UTC
    # a fire Mistral starts late still runs up to 11 h 29 min late: then
    # it would be judged in the next period (from 13:00 UTC)
    assert plan['tolerance'] == 11 * 60 + 29
    assert plan['until'] == '2036-11-22T00:00'
    # the same plan whenever that day it is saved
    assert dst.build_plan('30 2 * * *', 'Europe/Berlin', utc(
        2026, 11, 22, 23, 59)) == plan
    # small enough for every execution's params
    assert len(json.dumps(plan)) < 2000


@pytest.mark.parametrize('zone, local', [
    ('Asia/Tokyo', '30 2 * * *'),          # no DST
    ('UTC', '30 2 * * *'),
    ('Europe/Berlin', '45 * * * *'),       # hourly: same UTC minute
])
def test_no_plan_when_the_utc_pattern_never_changes(zone, local):
    assert dst.build_plan(local, zone, SAVED) is None


@pytest.mark.parametrize('zone, local, years', [
    ('Europe/Berlin', '30 2 * * *', 10),
    ('America/New_York', '30 19 * * 1', 3),   # day shift: union adds combos
    ('America/New_York', '0 2 15 * *', 3),
    ('Europe/Berlin', '30 1 1 * *', 3),       # the 1st or the last day
    ('Australia/Sydney', '30 0 * * 0', 3),    # southern hemisphere
    ('Australia/Lord_Howe', '30 2 * * *', 3),  # half-hour change
    ('Australia/Lord_Howe', '15 * * * *', 3),
])
def test_the_union_pattern_and_plan_run_exactly_the_local_times(zone, local,
                                                                years):
    plan = dst.build_plan(local, zone, SAVED, years=years)
    end = SAVED + datetime.timedelta(days=365 * years)
    wanted = dst.intended_runs(local, zone, SAVED, end)
    fires = dst.candidates(plan['pattern'], SAVED, end)
    assert len(fires) > len(wanted)            # there is something to skip
    assert [f for f in fires if dst.due(plan, f)] == wanted
    # and a fire started late by less than the tolerance decides the same
    late = datetime.timedelta(minutes=min(plan['tolerance'], 20))
    assert [f for f in fires if dst.due(plan, f + late)] == wanted


@pytest.mark.parametrize('pattern', ['30 0,1 * * *', '30 0,23 * * 1,2',
                                     '30 22,23 1,L * *', '0,30 15,16 * * *',
                                     '15,45 * * * *', '0 7 15 * *'])
def test_walk_matches_croniter(pattern):
    start, end = utc(2027, 1, 20, 3, 7), utc(2027, 4, 2)
    it = croniter.croniter(pattern, start.replace(tzinfo=None))
    expected = []
    while True:
        fire = it.get_next(datetime.datetime).replace(tzinfo=UTC)
        if fire > end:
            break
        expected.append(fire)
    assert dst.candidates(pattern, start, end) == expected


# --- the guard in YAQL, evaluated by Mistral's own evaluator ----------------

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tools' / 'workbook_parse'))
import bridge  # noqa: E402


@pytest.fixture(scope='module')
def yaql():
    if bridge.mistral_python() is None:
        if os.environ.get('CI'):
            pytest.fail('no Python with mistral: make .venv-mistral')
        pytest.skip('no Python with mistral installed (make .venv-mistral)')
    evaluator = bridge.Evaluator()
    yield evaluator
    evaluator.close()


def _guard_at(yaql, plan, instant):
    expression = dst.GUARD_EXPRESSION.replace(
        "(execution().params or dict()).get('backup_dashboard_dst')",
        '$.plan').replace('now(utctz())', "datetime('%s')"
                          % instant.isoformat()).replace('\n', ' ')
    return yaql('<% ' + expression + ' %>', {'plan': plan})


@pytest.mark.parametrize('zone, local', [
    ('Europe/Berlin', '30 2 * * *'),
    ('America/New_York', '30 19 * * 1'),
    ('Europe/Berlin', '30 1 1 * *'),
    ('America/New_York', '0 2 15 * *'),
    ('Australia/Lord_Howe', '15 * * * *'),
])
def test_yaql_guard_equals_its_python_twin(yaql, zone, local):
    plan = dst.build_plan(local, zone, SAVED, years=2)
    rng = random.Random(zone + local)
    change = dst.transitions(zone, SAVED, SAVED + datetime.timedelta(
        days=400))[0][0]
    around = dst.candidates(plan['pattern'],
                            change - datetime.timedelta(days=40),
                            change + datetime.timedelta(days=40))
    instants = [f + datetime.timedelta(seconds=rng.randint(0, 3000))
                for f in around[:30] + around[-30:]]
    instants += [SAVED + datetime.timedelta(minutes=rng.randint(0, 10 ** 6))
                 for _ in range(20)]
    for instant in instants:
        assert _guard_at(yaql, plan, instant) is dst.due(plan, instant), \
            instant
    assert _guard_at(yaql, None, SAVED) is True


def test_workbook_carries_the_guard_of_this_module():
    import yaml
    from backup_dashboard import workbooks
    text = (workbooks.workbooks_dir() / 'schedule.yaml').read_text()
    task = yaml.safe_load(text)['backup_dashboard_schedule']['tasks'][
        'dst_guard']
    assert dst.GUARD_EXPRESSION.replace('\n', ' ') in task['publish'][
        'status']
    assert "'%s'" % dst.NOT_DUE in task['publish']['status']
    assert dst.PARAM in dst.GUARD_EXPRESSION


# --- the trigger -------------------------------------------------------

def test_to_trigger_stores_union_and_plan_next_to_other_params():
    schedule = berlin_schedule()
    kwargs = dst.to_trigger(schedule, env_name='backup-dashboard', now=SAVED)
    assert kwargs['pattern'] == '30 0,1 * * *'
    assert kwargs['workflow_params']['env'] == 'backup-dashboard'
    assert kwargs['workflow_params'][dst.PARAM] == dst.build_plan(
        '30 2 * * *', 'Europe/Berlin', SAVED)
    # the workflow input is the schedule's, untouched: the plan is no input
    assert kwargs['workflow_input'] == schedule.workflow_input()
    from backup_dashboard.api import identity

    class User:
        id, username = 'u1', 'demo'
    owned = identity.with_owner(kwargs, User())
    assert set(owned['workflow_params']) == {'env', dst.PARAM,
                                             identity.OWNER_KEY}


@pytest.mark.parametrize('schedule', [
    domain.Schedule(name='utc', pattern='0 1 * * *'),
    domain.Schedule(name='tokyo', pattern='30 17 * * *',
                    timezone='Asia/Tokyo', local_pattern='30 2 * * *'),
])
def test_to_trigger_leaves_schedules_without_changes_alone(schedule):
    assert dst.to_trigger(schedule, now=SAVED) == schedule.to_trigger()


def test_next_runs_of_a_stored_trigger_are_the_local_times():
    trigger = stored(berlin_schedule())
    runs = dst.next_runs(trigger, count=4, now=utc(2027, 10, 29, 12))
    assert [local.strftime('%m-%d %H:%M %Z') for _, local in runs] == [
        '10-30 02:30 CEST', '10-31 02:30 CEST', '11-01 02:30 CET',
        '11-02 02:30 CET']


def test_runs_between_is_what_missed_detection_expects():
    trigger = stored(berlin_schedule())
    start = utc(2027, 3, 27)
    runs = dst.runs_between(trigger, start, start + datetime.timedelta(
        days=3))
    assert local_days(runs, BERLIN) == ['03-27 02:30 CET', '03-28 03:30 CEST',
                                        '03-29 02:30 CEST']
    # a trigger without a plan runs every fire of its pattern
    utc_trigger = data.trigger(domain.Schedule(name='m',
                                               pattern='0 1 1 1,7 *'))
    assert dst.runs_between(utc_trigger, start, utc(2028, 1, 2)) == [
        utc(2027, 7, 1, 1), utc(2028, 1, 1, 1)]


def test_current_pattern():
    schedule = berlin_schedule()
    assert dst.current_pattern(schedule, utc(2027, 1, 5)) == '30 1 * * *'
    assert dst.current_pattern(schedule, utc(2027, 7, 5)) == '30 0 * * *'
    # on the spring-forward day, before 02:30: its run is by the old offset
    assert dst.current_pattern(schedule, utc(2027, 3, 28, 0, 10)) == \
        '30 1 * * *'


def test_change_text_says_what_happens_to_a_skipped_or_repeated_time():
    spring = dst.next_change_text('30 2 * * *', 'Europe/Berlin',
                                  utc(2027, 3, 1))
    assert spring.startswith('on 2027-03-28 Europe/Berlin changes its clocks '
                             '(CET to CEST) and this schedule keeps its '
                             'local time')
    assert '02:30 does not exist that day, so it runs at 03:30 CEST' in spring
    autumn = dst.next_change_text('30 2 * * *', 'Europe/Berlin',
                                  utc(2027, 8, 1))
    assert '02:30 happens twice that day and it runs once, at the first ' \
           '(CEST)' in autumn
    plain = dst.next_change_text('0 4 * * *', 'Europe/Berlin',
                                 utc(2027, 8, 1))
    assert 'twice' not in plain and 'exist' not in plain
    assert dst.next_change_text('0 4 * * *', 'Asia/Tokyo') is None


# --- anchor_state: what the health views show ---------------------------

def test_anchor_state_ok():
    state = dst.anchor_state(stored(berlin_schedule()), now=utc(2027, 1, 5))
    assert state.state == dst.OK
    assert 'Daily at 02:30 (Europe/Berlin)' in state.message
    assert 'on 2027-03-28' in state.message
    utc_schedule = domain.Schedule(name='u', pattern='0 1 * * *')
    assert dst.anchor_state(data.trigger(utc_schedule)).state == dst.OK
    tokyo = domain.Schedule(name='t', pattern='30 17 * * *',
                            timezone='Asia/Tokyo', local_pattern='30 2 * * *')
    assert dst.anchor_state(data.trigger(tokyo)).state == dst.OK


def test_anchor_state_of_a_trigger_saved_without_a_plan():
    # what every schedule saved before this change is: the winter pattern
    trigger = data.trigger(berlin_schedule())
    state = dst.anchor_state(trigger, now=utc(2027, 1, 5))
    assert state.state == dst.NEEDS_REANCHORING
    assert state.message.startswith(
        'Saved without daylight saving time support, it runs on "30 1 * * *" '
        'UTC: from 2027-03-29, Daily at 02:30 (Europe/Berlin) is "30 0 * * *" '
        'UTC.')
    assert 'save it again' in state.message


def test_anchor_state_when_the_plan_runs_out_or_does_not_match():
    trigger = stored(berlin_schedule())
    late = dst.anchor_state(trigger, now=utc(2036, 10, 1))
    assert late.state == dst.NEEDS_REANCHORING
    assert 'ends on 2036-11-22' in late.message
    # the schedule was edited to 03:30 by something that kept the old plan
    edited = data.trigger(berlin_schedule('30 3 * * *'),
                          pattern=trigger.pattern,
                          workflow_params=trigger.workflow_params)
    assert dst.anchor_state(edited, now=utc(2027, 1, 5)).state == \
        dst.NEEDS_REANCHORING


def test_anchor_state_when_the_zone_rules_changed():
    # A plan made with other rules (New York's dates, Berlin's offsets):
    # what a tzdata update that moves Berlin's change dates looks like.
    schedule = berlin_schedule()
    foreign = dst.build_plan('30 2 * * *', 'Europe/Berlin', SAVED)
    ny = dst.build_plan('30 2 * * *', 'America/New_York', SAVED)
    foreign['segments'] = [dict(s, active=i % 2) for i, s in
                           enumerate(ny['segments'])]
    trigger = data.trigger(schedule, pattern=foreign['pattern'],
                           workflow_params=json.dumps({dst.PARAM: foreign}))
    state = dst.anchor_state(trigger, now=utc(2027, 1, 5))
    assert state.state == dst.NEEDS_REANCHORING
    assert 'rules of Europe/Berlin changed' in state.message


def test_anchor_state_of_a_zone_that_stopped_changing_clocks():
    tokyo = domain.Schedule(name='t', pattern='30 0,1 * * *',
                            timezone='Asia/Tokyo', local_pattern='30 2 * * *')
    state = dst.anchor_state(data.trigger(tokyo), now=SAVED)
    assert state.state == dst.NEEDS_REANCHORING
    assert '"30 17 * * *"' in state.message


def _first_mismatch_from(trigger, now):
    """What anchor_state compared before it worked once a day: the fires
    from `now` itself to 400 days on, one by one."""
    schedule = domain.Schedule.from_trigger(trigger)
    end = now + datetime.timedelta(days=400)
    plan = dst.plan_of(trigger)
    wanted = dst.intended_runs(schedule.local_pattern, schedule.timezone,
                               now, end)
    actual = [f for f in dst.candidates(trigger.pattern, now, end)
              if dst.due(plan, f)]
    return min(set(wanted) ^ set(actual), default=None)


def _rules_changed():
    foreign = dst.build_plan('30 2 * * *', 'Europe/Berlin', SAVED)
    ny = dst.build_plan('30 2 * * *', 'America/New_York', SAVED)
    foreign['segments'] = [dict(s, active=i % 2) for i, s in
                           enumerate(ny['segments'])]
    return data.trigger(berlin_schedule(), pattern=foreign['pattern'],
                        workflow_params=json.dumps({dst.PARAM: foreign}))


@pytest.mark.parametrize('now', [
    utc(2027, 1, 5, 0, 0), utc(2027, 1, 5, 23, 59),
    utc(2027, 3, 28, 0, 59), utc(2027, 3, 28, 1, 0), utc(2027, 3, 28, 1, 1),
    utc(2027, 3, 29, 0, 29), utc(2027, 3, 29, 0, 31),
    utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 23, 0),
    utc(2028, 3, 25, 12, 0)])
def test_anchor_state_of_any_time_of_the_day_as_compared_from_then(now):
    # Worked out once per UTC day (dst._mismatches), the verdict is still
    # the one of the comparison from `now` itself, at any time of the day,
    # clock changes included.
    triggers = [stored(berlin_schedule()), data.trigger(berlin_schedule()),
                _rules_changed(),
                stored(berlin_schedule('0 * * * *')),
                stored(domain.Schedule(
                    name='w', timezone='America/New_York',
                    local_pattern='30 1 * * 0', pattern='30 6 * * 0'))]
    for trigger in triggers:
        first = _first_mismatch_from(trigger, now)
        state = dst.anchor_state(trigger, now=now)
        assert state.state == (dst.OK if first is None
                               else dst.NEEDS_REANCHORING), trigger.pattern
        if first is not None:
            zone = domain.get_zone(
                domain.Schedule.from_trigger(trigger).timezone)
            assert 'from %s' % first.astimezone(zone).strftime('%Y-%m-%d') \
                in state.message
    changes = dst.transitions('Europe/Berlin', now,
                              now + datetime.timedelta(days=400))
    text = dst.next_change_text('30 2 * * *', 'Europe/Berlin', now)
    assert text.startswith('on %s ' % changes[0][0].astimezone(
        BERLIN).strftime('%Y-%m-%d'))


def test_anchor_state_works_a_trigger_out_once_a_day(monkeypatch):
    trigger = stored(berlin_schedule())
    # another schedule saved alike (same time, zone and plan)
    twin = stored(berlin_schedule(), name='twin')
    calls = []
    real = dst.intended_runs
    monkeypatch.setattr(dst, 'intended_runs',
                        lambda *a: calls.append(a) or real(*a))
    dst._mismatches.cache_clear()
    assert dst.anchor_state(trigger, now=utc(2027, 1, 5, 8)).state == dst.OK
    assert dst.anchor_state(trigger, now=utc(2027, 1, 5, 17)).state == \
        dst.OK
    assert dst.anchor_state(twin, now=utc(2027, 1, 5, 20)).state == dst.OK
    assert len(calls) == 1
    dst.anchor_state(trigger, now=utc(2027, 1, 6, 8))
    assert len(calls) == 2


@pytest.mark.parametrize('local, zone', [
    ('30 2 * * *', 'Europe/Berlin'), ('30 1 * * 0', 'America/New_York'),
    ('30 0 * * 1', 'Europe/Berlin'),
    ('30 1 1 * *', 'Europe/Berlin'), ('0 3 15 * *', 'America/New_York'),
    ('15 * * * *', 'Australia/Lord_Howe')])
def test_due_fires_are_the_fires_due_lets_through(local, zone):
    plan = dst.build_plan(local, zone, SAVED)
    fires = dst.candidates(plan['pattern'], SAVED,
                           SAVED + datetime.timedelta(days=400))
    # and instants that are no fire at all, seconds included
    fires += [SAVED + datetime.timedelta(minutes=37 * i, seconds=i % 60)
              for i in range(3000)]
    fires.sort()
    expected = [f for f in fires if dst.due(plan, f)]
    assert dst.due_fires(plan, fires) == expected
    # A plan whose segments are not in order, or not in the canonical
    # text (compared as text by the guard): the same, one by one.
    for segments in (plan['segments'][::-1],
                     [dict(s, **{'from': s['from'].replace('T', ' ')})
                      for s in plan['segments']]):
        odd = dict(plan, segments=segments)
        assert dst.due_fires(odd, fires) == \
            [f for f in fires if dst.due(odd, f)]
    assert dst.due_fires(None, fires[:3]) == fires[:3]


def test_a_plan_is_read_once_per_text_of_the_params():
    # A page asks for it at every run of the schedule.
    trigger = stored(berlin_schedule())
    again = data.trigger(berlin_schedule(), trigger_id='other',
                         pattern=trigger.pattern,
                         workflow_params=trigger.workflow_params)
    assert dst.plan_of(trigger) is dst.plan_of(again)
    assert dst.plan_of(trigger)['zone'] == 'Europe/Berlin'
    as_dict = data.trigger(berlin_schedule(), workflow_params=json.loads(
        trigger.workflow_params))
    assert dst.plan_of(as_dict) == dst.plan_of(trigger)
    assert dst.plan_of(data.trigger(berlin_schedule())) is None


def test_anchor_state_refuses_other_triggers():
    with pytest.raises(ValueError):
        dst.anchor_state(data.foreign_trigger())
