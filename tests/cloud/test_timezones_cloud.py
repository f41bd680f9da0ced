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

"""Schedules read in a time zone, on the real local OpenStack (docs/dst.rst).

A user saves schedules in Europe/Berlin (a preset) and America/St_Johns (a
raw cron pattern) through the panel; the real Mistral stores the UTC
pattern and the plan, and the schedule workflow, started directly with the
trigger's own input and params (what Mistral's cron passes, without waiting
for a fire), runs when the plan says the fire is due and ends at its guard
when it is not. A schedule saved without a plan is reported by
``Schedule.anchor_problem`` and anchored by saving it again, unchanged.
"""
import datetime
import json

import pytest

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud import horizon

pytestmark = pytest.mark.cloud
PANEL = '/project/backup_schedules/'
ZONE = 'Europe/Berlin'
FORM = {
    'description': 'made by the DST cloud test', 'kind': 'daily',
    'timezone': ZONE,
    'weekday': '1', 'day': '1', 'cron': '',
    'mode': 'rotation', 'max_full': '2', 'max_incremental': '3',
    'keep_days': '', 'in_use': 'snapshot', 'report_to': '',
}
ENDED = ('SUCCESS', 'ERROR', 'CANCELLED')


def trigger_of(project, name):
    matches = [t for t in project.mistral.cron_triggers.list()
               if t.name == name]
    return matches[0] if matches else None


@pytest.fixture(scope='module')
def berlin_user(dashboard):  # noqa: F811
    """demo, logged in once for the module, in Europe/Berlin.

    demo, logged in once for the module, with Horizon's time zone setting at
    Europe/Berlin: the forms take times in this zone.
    """
    user = horizon.Browser(dashboard, 'demo', 'demo')
    user.session.cookies.set('django_timezone', ZONE)
    return user


def save(user, path, form):
    """Post a form without rendering the page it redirects to (slow here).

    The page's messages only when the save did not go through.
    """
    res = user.post(path, form, allow_redirects=False)
    if res.status_code != 302:
        return horizon.messages(res.text)
    return []


def create(user, project, name, local_time, **fields):
    project.cleanup.add('delete trigger %s' % name,
                        project.mistral.cron_triggers.delete, name)
    problems = save(user, PANEL + 'create/', dict(
        FORM, name=name, hour=str(local_time.hour),
        minute=str(local_time.minute), **fields))
    trigger = trigger_of(project, name)
    assert trigger is not None, problems
    return trigger


def fire_now(project, trigger):
    """Start the trigger's workflow as Mistral's cron does.

    Its input and its workflow_params (the plan reaches the run's params).
    """
    params = json.loads(trigger.workflow_params or '{}')
    execution = project.mistral.executions.create(
        trigger.workflow_name, workflow_input=json.loads(
            trigger.workflow_input),
        description='DST cloud test fire of %s' % trigger.id, **params)
    project.record_execution(execution.id)
    done = conftest.wait_for(
        'the run to end',
        lambda: (lambda e: e if e.state in ENDED else None)(
            project.mistral.executions.get(execution.id)), timeout=90)
    tasks = sorted(t.name for t in project.mistral.tasks.list(
        workflow_execution_id=execution.id))
    return done, json.loads(done.output), tasks


def stored(trigger):
    return domain.Schedule.from_trigger(trigger)


def test_saved_schedules_run_only_when_due(
        berlin_user, synced_workbooks, demo):  # noqa: F811
    user = berlin_user
    now = clock.in_zone(clock.now(), ZONE)

    # Due now: daily at this very minute of Berlin's wall clock.
    due_name = conftest.unique('dst-due')
    due = create(user, demo, due_name, now)
    plan = stored(due).plan
    assert plan is not None and plan['zone'] == ZONE
    assert due.pattern == plan['pattern'] and ',' in due.pattern.split()[1]
    assert stored(due).anchor_problem() is None
    # the input is the schedule's as typed; the plan is no workflow input
    assert plans.PLAN_PARAM not in json.loads(due.workflow_input)
    run, output, tasks = fire_now(demo, due)
    assert run.state == 'SUCCESS', run.state_info
    assert output['status'] == 'empty'        # no instance carries its tag
    assert tasks[:2] == ['dst_guard', 'find_servers']

    # Not due: an hour later on the wall clock. Its UTC pattern fires now
    # too (that hour in the other offset's UTC), and the guard ends it.
    later_name = conftest.unique('dst-later')
    later = create(user, demo, later_name, now + datetime.timedelta(hours=1))
    assert stored(later).plan is not None
    run, output, tasks = fire_now(demo, later)
    assert run.state == 'SUCCESS', run.state_info
    assert output['status'] == plans.NOT_DUE
    assert tasks == ['dst_guard']


def test_a_raw_cron_pattern_is_read_in_its_zone(
        berlin_user, synced_workbooks, demo):  # noqa: F811
    zone = 'America/St_Johns'              # UTC-03:30, or -02:30 in summer
    here = clock.in_zone(clock.now(), zone)
    name = conftest.unique('st-johns')
    typed = '%d %d * * *' % (here.minute, here.hour)
    trigger = create(berlin_user, demo, name, here, kind='cron', cron=typed,
                     timezone=zone)
    schedule = stored(trigger)
    assert (schedule.local_pattern, schedule.timezone) == (typed, zone)
    assert schedule.describe().endswith('(America/St_Johns)')
    # the next run is tomorrow at the same wall-clock time there
    assert clock.in_zone(schedule.next_run, zone).strftime('%H:%M') == \
        here.strftime('%H:%M')
    run, output, tasks = fire_now(demo, trigger)
    assert run.state == 'SUCCESS', run.state_info
    assert output['status'] == 'empty' and 'find_servers' in tasks


def test_schedule_saved_without_a_plan_is_anchored_by_saving_it_again(
        berlin_user, synced_workbooks, demo):  # noqa: F811
    name = conftest.unique('dst-old')
    # What a Berlin schedule saved without a plan is: one UTC pattern.
    old = domain.Schedule(name=name, pattern='30 1 * * *',
                          timezone=ZONE, local_pattern='30 2 * * *',
                          description=FORM['description'],
                          max_incremental=3)
    made = demo.cron_trigger(name, domain.SCHEDULE_WORKFLOW,
                             workflow_input=old.workflow_input(),
                             pattern=old.pattern)
    stale = trigger_of(demo, name)
    problem = stored(stale).anchor_problem()
    assert problem and 'save it again' in problem

    problems = save(berlin_user, PANEL + '%s/update/' % name, dict(
        FORM, name=name, hour='2', minute='30'))
    anchored = trigger_of(demo, name)
    assert anchored.id != made.id, problems
    assert anchored.pattern == '30 0,1 * * *'
    assert stored(anchored).plan == plans.trigger_for('30 2 * * *', ZONE)[1]
    assert stored(anchored).anchor_problem() is None
    kept = json.loads(anchored.workflow_input)
    assert {k: kept[k] for k in ('schedule', 'tag', 'timezone',
                                 'local_pattern', 'max_incremental')} == {
        'schedule': name, 'tag': 'backup:' + name, 'timezone': ZONE,
        'local_pattern': '30 2 * * *', 'max_incremental': 3}
