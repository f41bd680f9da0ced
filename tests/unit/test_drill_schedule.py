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

"""A schedule's drill settings, its own cron trigger and back."""
import datetime
import json

from mistralclient.api.v2 import cron_triggers
import pytest

from backup_dashboard.clock import plans
from backup_dashboard import drill_schedule
from backup_dashboard import drills
from backup_dashboard import errors
from testkit import data
from tests.oracle import oracle_runs

AT = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.timezone.utc)


def stored(kwargs, trigger_id='trig-drill'):
    """The trigger Mistral would hand back for these create arguments."""
    return cron_triggers.CronTrigger(cron_triggers.CronTriggerManager(None), {
        'id': trigger_id, 'name': kwargs['name'],
        'workflow_name': kwargs['workflow_identifier'],
        'workflow_input': json.dumps(kwargs['workflow_input']),
        'workflow_params': json.dumps(kwargs['workflow_params'] or {}),
        'pattern': kwargs['pattern'], 'project_id': data.PROJECT})


def test_off_makes_no_trigger_and_no_drill():
    settings = drill_schedule.Settings().validate('Europe/Berlin', AT)
    assert not settings.on and settings.local_pattern is None
    assert settings.next_drills() == [] and settings.describe() == 'Off'


@pytest.mark.parametrize('zone', ['Europe/Berlin', 'America/St_Johns',
                                  'Australia/Lord_Howe', 'UTC'])
@pytest.mark.parametrize('frequency,fields,local', [
    ('weekly', {'weekday': 0, 'hour': 2, 'minute': 30}, '30 2 * * 0'),
    ('monthly', {'day': 28, 'hour': 23, 'minute': 45}, '45 23 28 * *'),
])
def test_drills_run_at_their_local_times_and_read_back(zone, frequency,
                                                       fields, local):
    schedule = data.nightly()
    settings = drill_schedule.Settings(frequency=frequency, sample=2,
                                       keep_hours=5,
                                       **fields).validate(zone, AT)
    assert settings.local_pattern == local
    kwargs = settings.to_trigger(schedule, env_name='prod')
    assert kwargs['name'] == 'nightly (drill)'
    assert kwargs['workflow_identifier'] == drills.DRILL_WORKFLOW
    assert kwargs['workflow_input'] == {
        'schedule': 'nightly', 'sample': 2,
        'period': 'week' if frequency == 'weekly' else 'month',
        'concurrency': drills.CONCURRENCY, 'timeout': schedule.timeout,
        'keep': 5 * 3600,
        'report_to': ['ops@example.com'], 'timezone': zone,
        'local_pattern': local, 'previous_ids': []}
    assert kwargs['workflow_params']['env'] == 'prod'
    back = drill_schedule.Settings.from_trigger(stored(kwargs))
    assert back == drill_schedule.Settings(
        frequency=frequency, sample=2, keep_hours=5, timezone=zone,
        pattern=settings.pattern, plan=settings.plan, id='trig-drill',
        **dict({'weekday': 0, 'day': 1}, **fields))
    # The same instants the clock module gives the schedule's own runs.
    assert back.next_drills(4, at=AT) == oracle_runs(local, zone, AT, 4)
    if zone != 'UTC':
        assert kwargs['workflow_params'][plans.PLAN_PARAM] == settings.plan


@pytest.mark.parametrize('fields,field', [
    ({'frequency': 'daily'}, 'drill'),
    ({'frequency': 'weekly', 'hour': 24}, 'drill_hour'),
    ({'frequency': 'weekly', 'weekday': 7}, 'drill_weekday'),
    ({'frequency': 'monthly', 'day': 29}, 'drill_day'),
    ({'frequency': 'weekly', 'sample': '0'}, 'drill_sample'),
])
def test_bad_settings_are_refused_on_their_field(fields, field):
    with pytest.raises(errors.InputError) as raised:
        drill_schedule.Settings(**fields).validate('UTC', AT)
    assert raised.value.field == field


def test_settings_in_words():
    weekly = drill_schedule.Settings(frequency='weekly', weekday=0, hour=4,
                                     timezone='Europe/Berlin')
    assert weekly.describe() == \
        'Weekly on Sunday at 04:00 (Europe/Berlin), every volume'
    monthly = drill_schedule.Settings(frequency='monthly', day=3, hour=1,
                                      minute=5, sample=2)
    assert monthly.describe() == \
        'Monthly on day 3 at 01:05 (UTC), 2 volumes per drill, in turn'


def test_another_trigger_is_no_drill():
    assert not drill_schedule.Settings.from_trigger(
        data.trigger(data.nightly())).on
    assert not drill_schedule.Settings.from_trigger(None).on
