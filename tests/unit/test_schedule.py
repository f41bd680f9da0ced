"""The domain module: validation, presets in a zone, the trigger round trip."""
import datetime
import json

import pytest

from backup_dashboard import schedule as domain
from tests import data

NOV = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
JUL = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.timezone.utc)


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
    assert kwargs['workflow_params'] is None
    assert data.nightly().to_trigger('smtp-env')['workflow_params'] == {
        'env': 'smtp-env'}


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
        with pytest.raises(domain.ScheduleError):
            domain.validate_name(name)


@pytest.mark.parametrize('pattern, error', [
    ('0 * * * *', None), ('0 2 * * 1-5', None), ('30 23 L * *', None),
    ('0 0 * * * *', 'exactly five fields'), ('@reboot', 'not supported'),
    ('@daily', 'not supported'), ('*/0 * * * *', 'not a valid'),
    ('61 * * * *', 'not a valid'), ('* * * * *', 'shortest interval'),
    ('*/30 * * * *', 'shortest interval'), ('0 1 30 2 *', 'never runs'),
    ('', 'Enter a cron'), ('a b c d e', 'not a valid'),
])
def test_patterns(pattern, error):
    if error is None:
        assert domain.validate_pattern(pattern) == pattern
    else:
        with pytest.raises(domain.ScheduleError, match=error):
            domain.validate_pattern(pattern)


def test_operator_minimum_can_allow_every_minute():
    assert domain.validate_pattern('* * * * *', 1) == '* * * * *'


@pytest.mark.parametrize('args, field', [
    (('rotation', 0, 6), 'max_full'), (('rotation', 101, 6), 'max_full'),
    (('rotation', 2, -1), 'max_incremental'),
    (('rotation', 2, 101), 'max_incremental'),
    (('rotation', 2, 6, 0), 'keep_days'), (('sometimes', 2, 6), 'mode'),
    (('rotation', True, 6), 'max_full'),
])
def test_retention_out_of_range(args, field):
    with pytest.raises(domain.ScheduleError) as error:
        domain.validate_retention(*args)
    assert error.value.field == field


def test_retention_bounds_accepted():
    domain.validate_retention('rotation', 1, 0)
    domain.validate_retention('full', 100, 100, 3650)


@pytest.mark.parametrize('text, expected', [
    ('a@example.com, b@example.org', ['a@example.com', 'b@example.org']),
    ('a@example.com\nb@example.org', ['a@example.com', 'b@example.org']),
    ('', []),
])
def test_emails(text, expected):
    assert domain.validate_emails(text) == expected


@pytest.mark.parametrize('text', [
    'a@b.c\nBcc: x@y.z', 'not-an-address', '<script>@x.y',
    ' '.join('u%d@example.com' % i for i in range(21)),
])
def test_bad_emails(text):
    with pytest.raises(domain.ScheduleError):
        domain.validate_emails(text)


def test_presets_in_a_zone_become_utc():
    assert domain.local_to_utc('daily', 'Europe/Paris', 0, 2,
                               now=NOV) == '0 1 * * *'
    assert domain.local_to_utc('daily', 'Europe/Paris', 0, 2,
                               now=JUL) == '0 0 * * *'
    assert domain.local_to_utc('hourly', 'Asia/Kolkata', 15,
                               now=NOV) == '45 * * * *'
    # Sunday 22:00 in New York is Monday 03:00 UTC in winter.
    assert domain.local_to_utc('weekly', 'America/New_York', 0, 22, 0,
                               now=NOV) == '0 3 * * 1'
    # Day 1 at 00:30 in Paris is the previous month's last day in UTC.
    assert domain.local_to_utc('monthly', 'Europe/Paris', 30, 0, day=1,
                               now=NOV) == '30 23 L * *'
    assert domain.local_to_utc('daily', 'UTC', 5, 4, now=NOV) == '5 4 * * *'


def test_monthly_shift_past_the_28th_is_refused():
    with pytest.raises(domain.ScheduleError, match='February'):
        domain.local_to_utc('monthly', 'America/New_York', 0, 22, day=28,
                            now=NOV)


def test_unknown_zone():
    with pytest.raises(domain.ScheduleError, match='Unknown time zone'):
        domain.local_to_utc('daily', 'Mars/Olympus', 0, 2)


def test_next_runs_in_both_zones():
    runs = domain.next_runs('0 1 * * *', 'Europe/Paris', count=5, now=NOV)
    assert len(runs) == 5
    utc, local = runs[0]
    assert utc.isoformat() == '2026-11-23T01:00:00+00:00'
    assert local.strftime('%H:%M %Z') == '02:00 CET'


def test_dst_note_says_how_the_local_time_shifts():
    note = domain.dst_note('0 1 * * *', 'Europe/Paris', now=NOV)
    assert '2027-03-28' in note and '1 hour(s) later' in note
    summer = domain.dst_note('0 1 * * *', 'Europe/Paris', now=JUL)
    assert '2026-10-25' in summer and 'earlier' in summer
    assert domain.dst_note('0 1 * * *', 'UTC', now=NOV) is None
    assert domain.dst_note('0 1 * * *', 'Asia/Tokyo', now=NOV) is None


@pytest.mark.parametrize('pattern, words', [
    ('15 * * * *', 'Hourly at :15'), ('0 2 * * *', 'Daily at 02:00'),
    ('5 3 * * 1', 'Weekly on Monday at 03:05'),
    ('0 4 7 * *', 'Monthly on day 7 at 04:00'),
    ('30 23 L * *', 'Monthly on the last day at 23:30'),
    ('*/15 * * * *', 'Every 15 minutes'), ('0 2 * 1 *', 'Cron "0 2 * 1 *"'),
])
def test_describe(pattern, words):
    assert domain.describe_pattern(pattern) == words


def test_describe_uses_the_entered_zone():
    assert data.nightly().describe() == 'Daily at 02:00 Europe/Paris'
    utc_only = domain.Schedule(name='x', pattern='0 3 * * *')
    assert utc_only.describe() == 'Daily at 03:00 UTC'


def test_steady_state_counts_the_one_in_flight():
    schedule = domain.Schedule(name='x', pattern='0 3 * * *', max_full=2,
                               max_incremental=6)
    assert schedule.steady_state_backups(3) == 3 * (2 * 7 + 1)
    schedule.mode = 'full'
    assert schedule.steady_state_backups(1) == 3


def test_validate_returns_a_clean_copy():
    raw = domain.Schedule(name='  nightly ', pattern='0  1 * * *',
                          report_to='a@example.com b@example.com')
    clean = domain.validate(raw)
    assert clean.name == 'nightly' and clean.pattern == '0 1 * * *'
    assert clean.report_to == ['a@example.com', 'b@example.com']
    assert raw.name == '  nightly '


def test_stamp_reads_mistrals_format_only():
    assert domain.stamp('2026-11-22 08:21:33') == \
        datetime.datetime(2026, 11, 22, 8, 21, 33)
    assert domain.stamp('2026-11-22T08:21:33') == \
        datetime.datetime(2026, 11, 22, 8, 21, 33)
    assert domain.stamp('2026-11-22T08:21:33', separators=' ') is None
    # Anything else is for strptime's formats (None here).
    for text in ('2026-11-22 08:21', '2026-11-22 08:21:33.5',
                 '2026-11-22 08:21:60', '2026-02-30 08:21:33',
                 '20261122 082133', '2026-11-22 08:21:33+01', ''):
        assert domain.stamp(text) is None, text
