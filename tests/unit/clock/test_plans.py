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

"""backup_dashboard.clock.plans: a pattern read in a zone, run by Mistral.

The oracle is ``cron.intended_runs``: the wall-clock times the pattern
matches in the zone, each at its one UTC instant (fold=0). Whatever the
zone, pattern or day saved, the trigger's fires that its plan lets through
must be exactly those instants.
"""
import datetime
import json
import random

import pytest

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from backup_dashboard import errors
from tests.simulations import bridge
from tests.simulations import require_mistral

UTC = datetime.timezone.utc
WINTER = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SUMMER = datetime.datetime(2027, 7, 1, 12, 0, tzinfo=UTC)
ZONES = ('UTC', 'Europe/Berlin', 'America/New_York', 'America/St_Johns',
         'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham')
PATTERNS = ('15 * * * *', '30 2 * * *', '0 1 * * *', '30 19 * * 1',
            '0 2 15 * *', '45 23 L * *', '0 9-17 * * 1-5',
            '0,30 2 1,15 * mon', '0 0 1 1,7 *', '0 23 28-31 * *',
            '5 0 1 * *', '0 0 29 2 *')


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize('saved', [WINTER, SUMMER])
@pytest.mark.parametrize('zone', ZONES)
def test_the_trigger_runs_exactly_the_local_times(zone, saved):
    for local in PATTERNS:
        pattern, plan = plans.trigger_for(local, zone, saved)
        end = saved + datetime.timedelta(days=800)
        assert plans.runs(pattern, plan, saved, end) == \
            clock.intended_runs(local, zone, saved, end), (zone, local)


def test_utc_needs_no_plan_and_other_zones_always_have_one():
    assert plans.trigger_for('0  2 * * *', 'UTC', WINTER) == (
        '0 2 * * *', None)
    assert plans.trigger_for('0 2 * * *', 'Africa/Abidjan', WINTER)[1] \
        is None
    pattern, plan = plans.trigger_for('30 2 * * *', 'Asia/Kolkata', WINTER)
    assert pattern == '0 21 * * *'       # no clock change: one UTC time
    assert [s['offset'] for s in plan['segments']] == [330]
    pattern, plan = plans.trigger_for('30 2 * * *', 'Europe/Berlin', WINTER)
    assert pattern == '30 0,1 * * *'
    assert plan['local_pattern'] == '30 2 * * *'
    assert plan['segments'][1] == {'from': '2027-03-28T01:00',
                                   'offset': 120, 'prev': 60}
    assert plan['until'].startswith('2036-')
    json.dumps(plan)                     # it travels in workflow_params


def test_a_pattern_whose_utc_form_is_too_long_is_refused():
    with pytest.raises(errors.InputError, match='100 characters') as raised:
        plans.trigger_for('0,7,14,21,28,35,42,49,56 0,3,6,9,12,15,18,21 '
                          '1,4,7,10,13,16,19,22,25,28 * 1,3,5',
                          'Asia/Kolkata', WINTER)
    assert raised.value.field == 'pattern'


def test_a_fire_two_seconds_early_or_minutes_late_is_judged_as_its_own():
    _, plan = plans.trigger_for('30 2 * * *', 'Europe/Berlin', WINTER)
    due_fire, other_fire = utc(2027, 1, 5, 1, 30), utc(2027, 1, 5, 0, 30)
    for delta in (-2, 0, 7, 40, 600):
        later = datetime.timedelta(seconds=delta)
        assert plans.due(plan, due_fire + later)
        assert not plans.due(plan, other_fire + later)
    # After an outage the latest fire is judged: 01:30 UTC is due.
    assert plans.due(plan, utc(2027, 1, 5, 3, 10, 5))
    # Nothing fired within the tolerance: not due.
    weekly = plans.trigger_for('0 3 * * 1', 'Europe/Berlin', WINTER)[1]
    assert not plans.due(weekly, utc(2027, 1, 6, 12, 0))


def test_without_a_plan_of_this_version_every_fire_runs():
    assert plans.due(None, WINTER)
    assert plans.due({'version': 1, 'segments': []}, WINTER)


def test_due_is_the_latest_fire_judged_by_the_oracle():
    rng = random.Random(18)
    for zone in ZONES[1:]:
        local = rng.choice(PATTERNS[:6])
        pattern, plan = plans.trigger_for(local, zone, WINTER)
        wanted = set(clock.intended_runs(
            local, zone, WINTER, WINTER + datetime.timedelta(days=400)))
        for _ in range(200):
            instant = WINTER + datetime.timedelta(
                days=1, seconds=rng.randint(0, 360 * 86400))
            rounded = (instant + datetime.timedelta(seconds=30)).replace(
                second=0, microsecond=0)
            fire = max(plans.runs(pattern, None, rounded -
                                  datetime.timedelta(minutes=721), rounded),
                       default=None)
            expected = fire is not None and fire in wanted
            assert plans.due(plan, instant) is expected, (zone, instant)


def test_next_runs_of_a_stored_trigger():
    pattern, plan = plans.trigger_for('30 2 * * *', 'Europe/Berlin', WINTER)
    runs = plans.next_runs(pattern, plan, 3, at=utc(2027, 3, 26, 12))
    assert [r.astimezone(clock.zone('Europe/Berlin')).strftime(
        '%d %H:%M %Z') for r in runs] == ['27 02:30 CET', '28 03:30 CEST',
                                          '29 02:30 CEST']
    assert plans.next_runs('0 1 30 2 *', None, 2, at=WINTER) == []


def test_plan_of_reads_the_params_dict():
    _, plan = plans.trigger_for('30 2 * * *', 'Europe/Berlin', WINTER)
    assert plans.plan_of({plans.PLAN_PARAM: plan, 'env': 'x'}) == plan
    for nothing in (None, {}, [], {'env': 'x'}, {plans.PLAN_PARAM: 'text'}):
        assert plans.plan_of(nothing) is None


# --- is a stored trigger still right ----------------------------------------

def _stored(local, zone, saved=WINTER):
    pattern, plan = plans.trigger_for(local, zone, saved)
    return local, zone, pattern, plan


def test_a_fresh_plan_has_no_problem():
    for zone in ZONES:
        assert plans.anchor_problem(*_stored('30 2 * * *', zone),
                                    at=WINTER) is None


def test_problems_of_stored_plans_say_what_to_do():
    local, zone, pattern, plan = _stored('30 2 * * *', 'Europe/Berlin')
    cases = [
        ((local, zone, '30 1 * * *', None), 'saved without a plan'),
        ((local, zone, pattern, dict(plan, version=1)), 'earlier version'),
        ((local, 'Europe/Paris', pattern, plan), 'not for this schedule'),
        ((local, zone, pattern, dict(plan, until='2027-01-31T00:00')),
         'ends on 2027-01-31'),
    ]
    for args, words in cases:
        problem = plans.anchor_problem(*args, at=WINTER)
        assert words in problem and 'save it again' in problem
    # A UTC schedule saved before zones existed is right as it is.
    assert plans.anchor_problem('0 2 * * *', 'UTC', '0 2 * * *', None,
                                at=WINTER) is None


def _with_other_rules():
    """A Berlin plan whose changes are New York's dates.

    What a tzdata update moving Berlin's changes would leave behind.
    """
    local, zone, pattern, plan = _stored('30 2 * * *', 'Europe/Berlin')
    ny = plans.trigger_for('30 2 * * *', 'America/New_York', WINTER)[1]
    segments = [dict(s, offset=b['offset'], prev=b['prev'])
                for s, b in zip(ny['segments'], plan['segments'])]
    return local, zone, pattern, dict(plan, segments=segments)


def test_a_plan_made_under_other_zone_rules_is_told():
    problem = plans.anchor_problem(*_with_other_rules(), at=WINTER)
    assert 'rules of Europe/Berlin changed' in problem
    assert 'from 2027-03-14' in problem


@pytest.mark.parametrize('at', [
    utc(2027, 1, 5), utc(2027, 3, 28, 0, 59), utc(2027, 3, 28, 1, 1),
    utc(2027, 10, 31, 0, 30), utc(2028, 3, 25, 12)])
def test_problem_or_not_is_what_comparing_a_year_of_runs_says(at):
    stored = [_stored('30 2 * * *', 'Europe/Berlin'),
              _stored('0 * * * *', 'Europe/Berlin'),
              _stored('30 1 * * 0', 'America/New_York'),
              ('30 2 * * *', 'Europe/Berlin', '30 1 * * *', None),
              _with_other_rules()]
    end = at + datetime.timedelta(days=400)
    for local, zone, pattern, plan in stored:
        brute = plans.runs(pattern, plan, at, end) != \
            clock.intended_runs(local, zone, at, end)
        problem = plans.anchor_problem(local, zone, pattern, plan, at=at)
        assert (problem is not None) == brute, (local, zone, plan is None)


# --- the next clock change in words --------------------------------------

def test_no_note_where_the_change_moves_nothing_in_utc():
    for local, zone in (('15 * * * *', 'Europe/Berlin'),
                        ('0 * * * *', 'America/New_York'),
                        ('30 2 * * *', 'UTC'),
                        ('30 2 * * *', 'Asia/Kolkata')):
        assert plans.change_note(local, zone, WINTER) is None, (local, zone)


def test_the_note_says_when_how_much_and_what_happens_that_night():
    note = plans.change_note('30 2 * * *', 'Europe/Berlin', WINTER)
    assert note.startswith('On 2027-03-28 Europe/Berlin changes its clocks '
                           '(CET to CEST)')
    assert 'move 1 hour(s) earlier in UTC' in note
    assert '02:30 does not exist that day, so it runs at 03:30 CEST' in note
    autumn = plans.change_note('30 2 * * *', 'Europe/Berlin', SUMMER)
    assert 'later in UTC' in autumn
    assert '02:30 happens twice that day; it runs once, at the first ' \
        '(CEST)' in autumn
    howe = plans.change_note('0 1 * * *', 'Australia/Lord_Howe', WINTER)
    assert 'move 30 minute(s)' in howe
    # Lord Howe's hourly runs move too: its change is half an hour.
    assert plans.change_note('0 * * * *', 'Australia/Lord_Howe', WINTER)


# --- the guard -------------------------------------------------------------

def _workflows(filename):
    from backup_dashboard import bundled
    import yaml
    return yaml.safe_load((bundled.workbooks_dir() / filename).read_text())


def test_the_workbook_carries_this_modules_guard():
    due = _workflows('due.yaml')['backup_dashboard_due']['tasks']['judge']
    assert due['publish']['due'] == '<% ' + plans.GUARD + ' %>'
    # The schedule and drill workflows ask it first, with their plan: the
    # drill passes it as it is, the schedule over the items of a list that
    # holds it, or nothing when there is no plan.
    stored = "(execution().params or dict()).get('%s')" % plans.PLAN_PARAM
    drill = _workflows('drill.yaml')['backup_dashboard_drill']['tasks']['due']
    assert drill['workflow'] == 'backup_dashboard_due'
    assert drill['input']['plan'] == '<% ' + stored + ' %>'
    guard = _workflows('schedule.yaml')['backup_dashboard_schedule'][
        'tasks']['dst_guard']
    assert guard['workflow'] == 'backup_dashboard_due'
    assert guard['input']['plan'] == '<% $.plan %>'
    assert guard['with-items'] == (
        'plan in <% let(p => ' + stored + ') -> '
        'switch($p = null => list(), true => list($p)) %>')
    assert "'%s'" % plans.NOT_DUE in guard['publish']['status']


@pytest.fixture(scope='module')
def yaql():
    require_mistral()
    evaluator = bridge.Evaluator()
    yield evaluator
    evaluator.close()


def _guard_at(yaql, plan, instant):
    expression = plans.GUARD.replace('now(utctz())', "datetime('%s')"
                                     % instant.isoformat())
    return yaql('<% ' + expression + ' %>', {'plan': plan})


@pytest.mark.parametrize('zone, local', [
    ('Europe/Berlin', '30 2 * * *'), ('America/St_Johns', '0 9-17 * * 1-5'),
    ('Australia/Lord_Howe', '15 * * * *'), ('Pacific/Chatham', '45 23 L * *'),
    ('America/New_York', '0 23 28-31 * *'), ('Asia/Kolkata', '0 2 1,L * *'),
])
def test_the_yaql_guard_equals_its_python_twin(yaql, zone, local):
    pattern, plan = plans.trigger_for(local, zone, WINTER)
    rng = random.Random(zone + local)
    change = (clock.transitions(zone, WINTER.date(), 400) or
              ((WINTER + datetime.timedelta(days=30), 0),))[0][0]
    around = plans.runs(pattern, None, change - datetime.timedelta(days=3),
                        change + datetime.timedelta(days=3))
    instants = [f + datetime.timedelta(seconds=rng.randint(-2, 40))
                for f in around[:25] + around[-25:]]
    instants += [WINTER + datetime.timedelta(minutes=rng.randint(0, 10 ** 6))
                 for _ in range(4)]
    for instant in instants:
        assert _guard_at(yaql, plan, instant) is plans.due(plan, instant), \
            instant
    assert _guard_at(yaql, None, WINTER) is True
