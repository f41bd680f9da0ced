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

"""The domain module: validation, words, the trigger round trip."""
import dataclasses
import datetime
import json

import pytest

from backup_dashboard.clock import timing
from backup_dashboard import errors
from backup_dashboard import schedule as domain
from testkit import data

NOV = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)


def test_round_trip_is_exact():
    schedule = data.nightly()
    schedule.keep_days = 30
    trigger = data.trigger(schedule)
    back = domain.Schedule.from_trigger(trigger)
    assert back.workflow_input() == schedule.workflow_input()
    assert back.pattern == schedule.pattern
    assert back.id == trigger.id and back.project_id == data.PROJECT


def test_to_trigger_targets_the_bundled_workflow_and_tag():
    kwargs = data.nightly().to_trigger()
    assert kwargs['workflow_identifier'] == 'backup_dashboard_schedule'
    assert kwargs['workflow_input']['tag'] == 'backup:nightly'
    utc = domain.validate(domain.Schedule(name='x', pattern='0 3 * * *'))
    # no time zone plan in UTC: only what pages read (clock.timing)
    params = utc.to_trigger()['workflow_params']
    assert list(params) == [timing.PARAM]
    assert utc.to_trigger('smtp-env')['workflow_params'] == dict(
        params, env='smtp-env')


def test_restore_points_round_trip_and_unknown_ones_are_refused():
    per_volume = domain.Schedule(name='x', pattern='0 3 * * *')
    # the default is sent as before: a trigger keeps working with a
    # workflow deployed before the input existed
    assert 'points' not in per_volume.workflow_input()
    per_instance = dataclasses.replace(per_volume, points='instance')
    assert per_instance.workflow_input()['points'] == 'instance'
    for schedule in (per_volume, per_instance):
        trigger = data.trigger(domain.validate(schedule))
        assert domain.Schedule.from_trigger(trigger).points == \
            schedule.points
    with pytest.raises(errors.InputError) as refused:
        domain.validate(dataclasses.replace(per_volume, points='<b>x'))
    assert refused.value.field == 'points'


def test_input_accepts_dict_or_json_text():
    schedule = data.nightly()
    trigger = data.trigger(schedule)
    trigger.workflow_input = json.loads(trigger.workflow_input)
    assert domain.Schedule.from_trigger(trigger).report_to == [
        'ops@example.com']


def test_other_workflows_are_not_schedules():
    assert domain.Schedule.from_trigger(data.foreign_trigger()) is None


@pytest.mark.parametrize('name, ok', [
    ('nightly', True), ('db 01:prod.eu+x@y-z_w', True), ('Ünïcode', True),
    ('x' * 53, True), ('x' * 54, False), ('', False), ('   ', False),
    ('a/b', False), ('a,b', False), ('<script>', False), ('{{ 7*7 }}', False),
    ('<% $.x %>', False), ('a\nb', False), ('tab\there', False),
    ('-leading', False), ('123e4567-e89b-12d3-a456-426614174000', False),
])
def test_names(name, ok):
    if ok:
        assert domain.validate_name(name) == name.strip()
    else:
        with pytest.raises(errors.InputError):
            domain.validate_name(name)


def test_validate_keeps_the_pattern_as_typed_and_works_out_the_trigger():
    typed = domain.Schedule(name='x', local_pattern='0  2 * * *',
                            timezone='Europe/Berlin')
    clean = domain.validate(typed, at=NOV)
    assert clean.local_pattern == '0  2 * * *'
    assert clean.pattern == '0 0,1 * * *'
    assert clean.plan['zone'] == 'Europe/Berlin'
    kwargs = clean.to_trigger('smtp-env')
    assert kwargs['pattern'] == '0 0,1 * * *'
    assert kwargs['workflow_params'] == {
        'env': 'smtp-env', 'backup_dashboard_dst': clean.plan,
        'backup_dashboard_timing': clean.timing}
    assert kwargs['workflow_input']['local_pattern'] == '0  2 * * *'
    back = domain.Schedule.from_trigger(data.trigger(clean))
    assert (back.local_pattern, back.timezone, back.plan, back.timing) == (
        '0  2 * * *', 'Europe/Berlin', clean.plan, clean.timing)


def test_a_schedule_saved_before_zones_reads_as_its_utc_pattern():
    old = domain.Schedule(name='x', pattern='0 3 * * *')
    assert (old.local_pattern, old.timezone) == ('0 3 * * *', 'UTC')
    trigger = data.trigger(old)
    trigger.workflow_input = json.dumps(dict(
        json.loads(trigger.workflow_input), local_pattern=None))
    assert domain.Schedule.from_trigger(trigger).local_pattern == '0 3 * * *'


def test_timing_errors_name_their_field():
    for schedule, field in (
            (domain.Schedule(name='x', local_pattern='* * * * *'), 'pattern'),
            (domain.Schedule(name='x', local_pattern='0 2 * * *',
                             timezone='Mars/Olympus'), 'timezone')):
        with pytest.raises(errors.InputError) as raised:
            domain.validate(schedule)
        assert raised.value.field == field


@pytest.mark.parametrize('args, field', [
    (('rotation', 0, 6), 'max_full'), (('rotation', 101, 6), 'max_full'),
    (('rotation', 2, -1), 'max_incremental'),
    (('rotation', 2, 101), 'max_incremental'),
    (('rotation', 2, 6, 0), 'keep_days'), (('sometimes', 2, 6), 'mode'),
    (('rotation', True, 6), 'max_full'),
])
def test_retention_out_of_range(args, field):
    with pytest.raises(errors.InputError) as error:
        domain.validate_retention(*args)
    assert error.value.field == field


def test_retention_bounds_accepted():
    domain.validate_retention('rotation', 1, 0)
    domain.validate_retention('full', 100, 100, 3650)


@pytest.mark.parametrize('pattern, words', [
    ('15 * * * *', 'Hourly at :15'), ('0 2 * * *', 'Daily at 02:00'),
    ('5 3 * * 1', 'Weekly on Monday at 03:05'),
    ('0 4 7 * *', 'Monthly on day 7 at 04:00'),
    ('30 23 L * *', 'Monthly on the last day at 23:30'),
    ('*/15 * * * *', 'Cron "*/15 * * * *"'),
    ('0 2 * 1 *', 'Cron "0 2 * 1 *"'), ('0  2 * * *', 'Cron "0  2 * * *"'),
])
def test_describe(pattern, words):
    assert domain.describe_pattern(pattern) == words


def test_describe_uses_the_schedules_zone():
    assert data.nightly().describe() == 'Daily at 02:00 (Europe/Paris)'
    utc_only = domain.Schedule(name='x', pattern='0 3 * * *')
    assert utc_only.describe() == 'Daily at 03:00 (UTC)'


def test_steady_state_counts_the_one_in_flight():
    schedule = domain.Schedule(name='x', pattern='0 3 * * *', max_full=2,
                               max_incremental=6)
    assert schedule.steady_state_backups(3) == 3 * (2 * 7 + 1)
    schedule.mode = 'full'
    assert schedule.steady_state_backups(1) == 3


def test_validate_returns_a_clean_copy_and_never_trims():
    raw = domain.Schedule(name='nightly', pattern='0 1 * * *',
                          report_to='a@example.com b@example.com')
    clean = domain.validate(raw)
    assert clean.name == 'nightly' and clean.pattern == '0 1 * * *'
    assert clean.report_to == ['a@example.com', 'b@example.com']
    assert raw.report_to == 'a@example.com b@example.com'
    with pytest.raises(errors.InputError, match='start or end with a space'):
        domain.validate(domain.Schedule(name=' nightly ', pattern='0 1 * * *'))
