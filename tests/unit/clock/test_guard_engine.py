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

"""The time zone guard of the schedule workflow, run in Mistral's engine.

Every fire the UTC pattern of a real zone's schedule makes around both of
its clock changes is started in Mistral 23's own engine (sqlite, local
executor; tests/workbooks/simulate.py's fake Cinder/Nova) with the
workflow's clock frozen at that instant and the plan in the execution's
params, as a cron trigger passes its workflow_params. The guard's YAQL must
agree with ``plans.due`` and the runs must be exactly the local times.

The harness is tests/workbooks/fires.py, run by Mistral's Python.
"""

import datetime

import pytest

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from tests.simulations import simulation_fixture
from tests.workbooks import bridge

UTC = datetime.timezone.utc

# Saved on 2026-11-22: the plan covers the 2027 changes below.
SAVED = datetime.datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
CASES = {
    # zone, local pattern, the two days of change (spring, autumn)
    'berlin': ('Europe/Berlin', '30 2 * * *',
               (datetime.date(2027, 3, 28), datetime.date(2027, 10, 31))),
    'new_york': ('America/New_York', '30 1 * * *',
                 (datetime.date(2027, 3, 14), datetime.date(2027, 11, 7))),
    'st_johns': ('America/St_Johns', '0 2 * * *',
                 (datetime.date(2027, 3, 14), datetime.date(2027, 11, 7))),
}
# Mistral starts a fire up to two seconds early, and a bit late when busy.
OFFSETS = (datetime.timedelta(seconds=-2), datetime.timedelta(seconds=7))


def _fires(pattern, day):
    """Every fire of the UTC pattern from the day before to the day after."""
    start = datetime.datetime.combine(day - datetime.timedelta(days=1),
                                      datetime.time(), UTC)
    return plans.runs(pattern, None, start,
                      start + datetime.timedelta(days=3))


def _plans_and_fires():
    fires, made = [], {}
    for case, (zone, local, days) in sorted(CASES.items()):
        pattern, plan = plans.trigger_for(local, zone, SAVED)
        made[case] = plan
        params = {plans.PLAN_PARAM: plan}
        for day in days:
            for fire in _fires(pattern, day):
                for offset in OFFSETS:
                    fires.append({'case': case, 'fire': fire.isoformat(),
                                  'at': (fire + offset).isoformat(),
                                  'input': {'schedule': case, 'tag': 'none'},
                                  'params': params})
    # Mistral was down from 00:00 to 03:10 UTC on a winter night: it starts
    # the trigger once when it is back, for both missed fires.
    fires.append({'case': 'late', 'at': '2027-11-01T03:10:05+00:00',
                  'input': {'schedule': 'berlin', 'tag': 'none'},
                  'params': {plans.PLAN_PARAM: made['berlin']}})
    # The same on the autumn change night: the latest fire due was the
    # second 02:30 (01:30 UTC), which is never run.
    fires.append({'case': 'late_fold', 'at': '2027-10-31T03:30:05+00:00',
                  'input': {'schedule': 'berlin', 'tag': 'none'},
                  'params': {plans.PLAN_PARAM: made['berlin']}})
    # "Run now" passes no plan: always due, whatever the time.
    fires.append({'case': 'manual', 'at': '2027-10-31T00:59:00+00:00',
                  'input': {'schedule': 'berlin', 'tag': 'none'}})
    return made, fires


@simulation_fixture
def engine_fires():
    _, fires = _plans_and_fires()
    return bridge.Simulation(
        {'fires': [{k: f[k] for k in ('at', 'input', 'params') if k in f}
                   for f in fires]}, script=bridge.HERE / 'fires.py')


@pytest.fixture(scope='module')
def engine_runs(engine_fires):
    made, fires = _plans_and_fires()
    for fire, result in zip(fires, engine_fires):
        result['case'] = fire['case']
        result['fire'] = fire.get('fire')
    return made, engine_fires


def _ran(result):
    return result['output']['status'] != plans.NOT_DUE


@pytest.mark.parametrize('case', sorted(CASES))
def test_guard_agrees_with_python_twin(engine_runs, case):
    made, results = engine_runs
    mine = [r for r in results if r['case'] == case]
    # 2 changes x 3 days x 2 UTC times x early and late
    assert len(mine) == 2 * 3 * 2 * len(OFFSETS)
    for result in mine:
        at = datetime.datetime.fromisoformat(result['at'])
        assert result['state'] == 'SUCCESS', result
        assert _ran(result) == plans.due(made[case], at), result['at']


@pytest.mark.parametrize('case', sorted(CASES))
def test_exactly_one_run_a_day_at_the_local_time(engine_runs, case):
    _, results = engine_runs
    zone, local, days = CASES[case]
    ran = sorted({datetime.datetime.fromisoformat(r['fire'])
                  for r in results if r['case'] == case and _ran(r)})
    for day in days:
        start = datetime.datetime.combine(day - datetime.timedelta(days=1),
                                          datetime.time(), UTC)
        wanted = clock.intended_runs(local, zone, start,
                                     start + datetime.timedelta(days=3))
        got = [r for r in ran if start < r <= start +
               datetime.timedelta(days=3)]
        assert got == wanted
        assert len({r.astimezone(clock.zone(zone)).date()
                    for r in got}) == len(got)


def test_local_times_around_the_berlin_changes(engine_runs):
    _, results = engine_runs
    zone = clock.zone('Europe/Berlin')
    ran = sorted({datetime.datetime.fromisoformat(r['fire']).astimezone(zone)
                  for r in results if r['case'] == 'berlin' and _ran(r)})
    assert [t.strftime('%m-%d %H:%M %Z') for t in ran] == [
        '03-27 02:30 CET',
        '03-28 03:30 CEST',     # 02:30 does not exist: an hour later
        '03-29 02:30 CEST',
        '10-30 02:30 CEST',
        '10-31 02:30 CEST',     # 02:30 happens twice: the first only
        '11-01 02:30 CET']


def test_not_due_fire_ends_at_the_guard(engine_runs):
    _, results = engine_runs
    skipped = [r for r in results if r['case'] in CASES and not _ran(r)]
    ran = [r for r in results if r['case'] in CASES and _ran(r)]
    assert skipped and ran
    for result in skipped:
        assert result['tasks'] == ['dst_guard']
        assert result['output']['volumes'] == []
    for result in ran:
        assert 'find_servers' in result['tasks']
        assert result['output']['status'] == 'empty'


def test_late_fire_after_an_outage_and_run_now(engine_runs):
    _, results = engine_runs
    late = next(r for r in results if r['case'] == 'late')
    late_fold = next(r for r in results if r['case'] == 'late_fold')
    manual = next(r for r in results if r['case'] == 'manual')
    # 03:10 UTC: the latest fire that was due is 01:30 UTC (02:30 CET),
    # 100 minutes ago and within the tolerance: the backup is made late.
    assert _ran(late) and 'find_servers' in late['tasks']
    # Stateless, the guard cannot tell a missed 00:30 from one that ran:
    # this night's backup is missed (the health views report it as such).
    assert not _ran(late_fold)
    assert _ran(manual) and manual['tasks'][0] == 'dst_guard'
