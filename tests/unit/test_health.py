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

"""Schedule health from run times, outcomes, owners and workflow checks."""
import datetime

from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings

from backup_dashboard.clock import plans
from backup_dashboard.dashboards.common import display
from backup_dashboard import health
from backup_dashboard import schedule as domain
from tests import histories

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DAILY = '0 2 * * *'          # 02:00 UTC every day
CREATED = '2026-11-01 10:00:00'
OWNER = {'id': 'u1', 'name': 'alice'}


def sched(pattern=DAILY, created=CREATED, next_execution_time=None):
    """A schedule entered in UTC, as read back from its trigger."""
    return domain.Schedule(name='nightly', pattern=pattern,
                           created_at=created,
                           next_execution_time=next_execution_time)


def at(day, hour=2, minute=0, second=0):
    return datetime.datetime(2026, 11, day, hour, minute, second,
                             tzinfo=UTC)


def ran(day, outcome='ok', cron=True, error='', **kw):
    return health.Run(at(day, **kw), outcome, cron, error)


def daily_runs(outcomes=('ok', 'ok', 'ok')):
    days = range(22 - len(outcomes), 22 + 1)[-len(outcomes):]
    return [ran(d, o) for d, o in zip(days, outcomes)]


def assess(runs, **kw):
    kw.setdefault('owner', OWNER)
    kw.setdefault('project_name', 'demo')
    kw.setdefault('roles', {'member'})
    kw.setdefault('user_exists', True)
    return health.assess(sched(), runs, NOW, **kw)


def test_a_schedule_that_ran_every_day_is_healthy():
    result = assess(daily_runs())
    assert result.code == 'ok' and result.problems == []
    assert result.owner_checked


def test_a_run_two_seconds_early_or_ten_minutes_late_is_the_fire():
    runs = [ran(20, hour=1, minute=59, second=58), ran(21, minute=10),
            ran(22)]
    assert assess(runs).problems == []


def test_no_run_near_an_expected_fire_is_missed_and_says_when():
    runs = [ran(20), ran(22)]          # the 21st 02:00 fire never ran
    result = assess(runs)
    assert result.code == 'missed'
    assert '2026-11-21 02:00' in result.problems[0].detail
    assert 'Mistral' in result.problems[0].action


def test_a_run_hours_late_does_not_hide_the_missed_fire():
    # Mistral came back at 09:00 and caught up: the 02:00 backup was missed.
    runs = [ran(20), ran(21, hour=9), ran(22)]
    assert assess(runs).code == 'missed'


def test_run_now_does_not_count_as_a_fire():
    runs = [ran(20), ran(21, cron=False), ran(22)]
    assert assess(runs).code == 'missed'


def test_fires_before_creation_or_before_the_history_are_not_judged():
    assert health.assess(sched(created='2026-11-22 01:00:00'), [ran(22)],
                         NOW).problems == []
    assert health.assess(sched(), [ran(22)], NOW,
                         history_since=at(21, hour=12)).problems == []


def test_a_fire_not_yet_due_is_not_missed():
    now = at(22, minute=5)             # 02:00 fire; tolerance is 15 min
    assert health.assess(sched(), [ran(19), ran(20), ran(21)],
                         now).problems == []


def test_an_overdue_next_execution_time_means_mistral_is_not_firing():
    result = health.assess(sched(created='2026-11-22 03:00:00',
                                 next_execution_time='2026-11-22 04:00:00'),
                           [], NOW)
    assert result.code == 'missed'
    assert 'has not fired it since 2026-11-22 04:00 UTC' in \
        result.problems[0].detail


def test_a_new_schedule_with_no_run_due_yet_says_when_it_first_runs():
    result = health.assess(sched(created='2026-11-22 03:00:00'), [], NOW)
    assert result.code == 'new' and not result.problems
    assert result.first_run == at(23)
    assert result.label == 'Not run yet'
    # Once a run was due, it is judged (missed here) and says no first run.
    late = health.assess(sched(created='2026-11-20 03:00:00'), [], NOW)
    assert late.code == 'missed' and late.first_run is None


def test_failing_needs_the_last_runs_in_a_row_bad():
    assert assess(daily_runs(('ok', 'failed', 'partial'))).code == 'failing'
    assert assess(daily_runs(('failed', 'partial', 'ok'))).code == 'ok'
    # One bad run after a good one is not yet "failing".
    assert assess(daily_runs(('ok', 'ok', 'failed'))).code == 'ok'
    # The only finished run failed: failing.
    only = [ran(22, 'failed', error='Quota exceeded')]
    result = health.assess(sched(created='2026-11-21 10:00:00'), only, NOW)
    assert result.code == 'failing'
    assert 'Quota exceeded' in result.problems[0].detail


def test_running_runs_are_not_judged_as_failed():
    runs = daily_runs(('ok', 'failed', 'failed'))
    runs.append(ran(22, 'running', cron=False, hour=11))
    assert 'failing' in assess(runs).codes


def test_owner_removed_from_the_project_is_broken_with_what_to_do():
    result = assess(daily_runs(), roles=set())
    assert result.code == 'broken'
    assert 'alice' in result.problems[0].detail
    assert 'no longer a member of project demo' in result.problems[0].detail
    assert 'Re-own' in result.problems[0].action


def test_owner_without_the_member_role_or_deleted_is_broken():
    assert assess(daily_runs(), roles={'reader'}).code == 'broken'
    assert assess(daily_runs(), roles={'admin'}).code == 'ok'
    assert assess(daily_runs(), user_exists=False).code == 'broken'


def test_unknown_owner_or_keystone_not_asked_is_not_called_broken():
    assert assess(daily_runs(), owner=None).code == 'ok'
    result = assess(daily_runs(), roles=None, user_exists=None)
    assert result.code == 'ok' and not result.owner_checked


def test_a_trust_error_in_the_last_run_is_broken_until_a_run_succeeds():
    refused = ran(22, 'failed', error='Trustor does not have the roles')
    result = assess([ran(20), ran(21), refused], roles=None)
    assert result.codes[0] == 'broken'
    assert 'Trustor' in result.problems[0].detail
    fixed = [ran(20), refused, ran(22, hour=3, cron=False)]
    assert 'broken' not in assess(fixed, roles=None).codes


def test_a_broken_owner_explains_the_missed_fires():
    result = assess([ran(20)], roles=set())
    assert result.codes == ['broken', 'missed']
    assert 'Fix the owner first' in result.problems[1].action


def test_outdated_workflows_say_to_sync():
    problems = [{'name': 'backup_dashboard_schedule', 'state': 'outdated'}]
    result = assess(daily_runs(), workbook_problems=problems)
    assert result.codes == ['outdated']
    assert 'backup-dashboard-sync-workbooks' in result.problems[0].action
    assert result.text() == 'Workflow outdated'


def test_gaps_rpo_and_tolerance():
    assert health.gaps(sched('0 2 * * 1-5')) == (
        datetime.timedelta(days=1), datetime.timedelta(days=3))
    assert health.rpo(sched()) == datetime.timedelta(hours=25)
    assert health.rpo(sched('0 * * * *')) == datetime.timedelta(minutes=90)
    assert health.tolerance(sched('* * * * *')) == \
        datetime.timedelta(seconds=30)
    assert health.tolerance(sched()) == health.MAX_TOLERANCE


# --- a zone with clock changes: fires that are not due, real runs

def berlin_schedule(local='30 2 * * *'):
    """Daily 02:30 Berlin, saved on the 1st.

    Its trigger fires at 00:30 and 01:30 UTC; in winter the 01:30 fire is the
    run.
    """
    schedule = domain.validate_timing(domain.Schedule(
        name='nightly', timezone='Europe/Berlin', local_pattern=local),
        at=at(1, hour=10))
    schedule.created_at = CREATED
    return schedule


def berlin(runs, now=NOW, schedule=None, **kw):
    return health.assess(schedule or berlin_schedule(), runs, now, **kw)


def test_a_not_due_fire_never_satisfies_an_expected_time():
    # Even one the guard ended at the very time of a real run (as it does
    # for a fire Mistral starts too late after an outage).
    runs = [ran(d, hour=1, minute=30) for d in (20, 22)]
    runs.append(ran(21, plans.NOT_DUE, hour=1, minute=30))
    result = berlin(runs)
    assert result.code == 'missed'
    assert '2026-11-21 01:30' in result.problems[0].detail


def test_not_due_fires_neither_fail_nor_end_a_failing_streak():
    runs = daily_runs(('ok', 'failed', 'failed'))
    runs.append(ran(22, plans.NOT_DUE, hour=3))
    assert 'failing' in assess(runs).codes
    assert health.failing_runs(runs)[0].outcome == 'failed'
    # Not due after not due is no failure either.
    quiet = [ran(d, plans.NOT_DUE, minute=30) for d in (20, 21, 22)]
    assert health.failing_runs(quiet) == []
    assert health.trust_error(runs + [ran(22, plans.NOT_DUE,
                                          hour=4)]) is None


def test_an_anchored_schedule_is_judged_on_its_real_runs():
    assert berlin_schedule().pattern == '30 0,1 * * *'
    real = [ran(d, hour=1, minute=30) for d in (20, 21, 22)]
    not_due = [ran(d, plans.NOT_DUE, hour=0, minute=30)
               for d in (20, 21, 22)]
    assert berlin(real + not_due).problems == []
    # With the plan, a fire not due is no run: the 01:30 runs are.
    assert berlin(not_due).code == 'missed'


def test_only_not_due_fires_of_an_anchored_schedule_are_missed_runs():
    not_due = [ran(d, plans.NOT_DUE, hour=0, minute=30)
               for d in (20, 21, 22)]
    result = berlin(not_due)
    assert result.code == 'missed'
    assert '2026-11-22 01:30' in result.problems[0].detail
    assert '00:30' not in result.problems[0].detail


def test_expected_times_follow_the_local_time_across_the_spring_change():
    # 02:30 Berlin: 01:30 UTC up to 2027-03-28 (02:30 does not exist that
    # day: 03:30 CEST), 00:30 UTC from 2027-03-29.
    def utc(day, hour):
        return datetime.datetime(2027, 3, day, hour, 30, tzinfo=UTC)
    now = datetime.datetime(2027, 3, 30, 12, 0, tzinfo=UTC)
    runs = [health.Run(utc(27, 1), 'ok'), health.Run(utc(28, 1), 'ok'),
            health.Run(utc(29, 0), 'ok'), health.Run(utc(30, 0), 'ok')]
    assert health.expected_runs(berlin_schedule(), utc(26, 12), now) == [
        utc(27, 1), utc(28, 1), utc(29, 0), utc(30, 0)]
    assert berlin(runs, now=now).problems == []
    result = berlin(runs[:2] + [health.Run(utc(29, 1), plans.NOT_DUE),
                                runs[3]], now=now)
    assert result.code == 'missed'
    assert '2027-03-29 00:30' in result.problems[0].detail


def test_a_schedule_saved_without_its_time_zone_plan_is_unanchored():
    stored = domain.Schedule(name='nightly', pattern='30 1 * * *',
                             timezone='Europe/Berlin',
                             local_pattern='30 2 * * *', created_at=CREATED)
    runs = [ran(d, hour=1, minute=30) for d in (20, 21, 22)]
    result = berlin(runs, schedule=stored)
    assert result.codes == ['unanchored']
    assert result.label == 'Time zone plan outdated'
    assert result.severity == 'warning'
    assert 'saved without a plan for Europe/Berlin' in \
        result.problems[0].detail
    assert 'Re-anchor' in result.problems[0].action
    assert 'save it unchanged' in result.problems[0].action
    # With its plan, or entered in UTC: nothing to say.
    assert berlin(runs).problems == []
    assert health.assess(sched(), daily_runs(), NOW).problems == []


def test_rpo_of_a_zoned_schedule_is_its_local_day():
    # Its trigger fires an hour apart; the runs are a day apart, 25 hours
    # at the autumn change.
    assert health.rpo(berlin_schedule()) == datetime.timedelta(hours=26)


# --- generated histories: the words say "missed" only for a missed run,
# and "first run at" the schedule's next run while none was due

@settings(max_examples=300, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(history=histories.histories())
def test_words_over_generated_histories(history):
    schedule, now, tol = history.schedule, history.now, history.tolerance
    result = health.assess(schedule, history.facts(), now,
                           history_since=now - histories.WINDOW)
    words = display.health_badge(result, schedule.timezone)
    judged = history.due_in(history.created, now - tol)
    missed = history.missed(history.created, now - tol)
    if 'missed' in result.codes:
        # Only when a due run passed with no run near it, and it says when.
        assert missed
        assert any(f.strftime('%Y-%m-%d %H:%M UTC') in
                   result.problems[0].detail for f in missed)
    if judged and judged[-1] in missed:
        assert 'missed' in result.codes and 'Missed' in words
    assert result.codes in ([], ['missed'])
    if not judged and not history.real_runs():
        assert result.code == 'new'
        first = schedule.next_runs(1, at=history.created)[0]
        assert result.first_run == first > now - tol
        if first > now:
            assert first == schedule.next_runs(1, at=now)[0]
        assert 'First run %s' % display.local_text(
            first, schedule.timezone) in words
        assert 'Missed' not in words
    else:
        assert result.code != 'new' and result.first_run is None
        assert 'First run' not in words
