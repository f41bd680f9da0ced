"""Daylight saving time: a schedule keeps its local wall-clock time.

Mistral runs cron triggers in UTC only, and a cron trigger cannot be changed
later by anyone but a user sitting at the dashboard: recreating it needs a
new Keystone trust, and Keystone refuses to create one from the trust-scoped
token a cron-fired workflow runs with (docs/dst.rst shows the 403). So
nothing can re-anchor a trigger at 2 a.m. on the day of the change.

Instead everything is decided at save time, here, with ``zoneinfo``:

* the trigger's pattern is the *union* of the UTC patterns the local time
  has under each UTC offset the zone uses in the next ``PLAN_YEARS`` years
  (``"30 2 * * *"`` in Europe/Berlin -> ``"30 0,1 * * *"``);
* a small *plan* stored in the trigger's ``workflow_params`` (Mistral passes
  them to every execution's params; they are never workflow input, never
  user text in an expression) says, for each period between two clock
  changes, which of those UTC patterns is the real one;
* the schedule workflow's first task (``dst_guard`` in schedule.yaml) ends a
  fire that is not due at once, with status ``not_due``, and lets the due
  one go on. It only compares numbers and ISO strings: no time zone
  library in YAQL.

The rule at the changes, one fire per local occurrence: a local time that
does not exist (02:30 on the spring-forward day in Berlin) runs when it
would have run had the clocks not changed (01:30 UTC = 03:30 CEST); a local
time that happens twice (02:30 on the fall-back day) runs once, at the first
(00:30 UTC = 02:30 CEST). That is Python's ``fold=0``.

``due(plan, instant)`` is the Python twin of the YAQL guard (tested against
each other in Mistral's engine); ``anchor_state(trigger, now)`` tells the
health views whether a stored trigger is anchored right.
"""
import bisect
import collections
import datetime
import functools
import json

import croniter

from backup_dashboard import schedule as domain

# Where the plan travels: the trigger's workflow_params (free-form, passed
# to each execution's params), next to the schedule's owner and env.
PARAM = 'backup_dashboard_dst'
NOT_DUE = 'not_due'             # the status of a fire the guard ended
PLAN_VERSION = 1
PLAN_YEARS = 10                 # clock changes covered by one save
RENEW_DAYS = 90                 # warn this long before the plan runs out
MAX_TOLERANCE = 720             # minutes a late fire may still run
_ISO = '%Y-%m-%dT%H:%M'
_UTC = datetime.timezone.utc
_WEEK = 7

AnchorState = collections.namedtuple('AnchorState', 'state message')
OK = 'ok'
NEEDS_REANCHORING = 'needs re-anchoring'


# --- local pattern <-> UTC pattern, for one UTC offset --------------------

def _fields(local_pattern):
    """(minute, hour|None, day|None, weekday|None) of a preset pattern, or
    None for anything else (a raw cron pattern is entered in UTC)."""
    parts = (local_pattern or '').split()
    if len(parts) != 5 or parts[3] != '*' or not parts[0].isdigit():
        return None
    minute, hour, day, _month, weekday = parts
    values = []
    for text in (hour, day, weekday):
        if text == '*':
            values.append(None)
        elif text.isdigit():
            values.append(int(text))
        else:
            return None
    hour, day, weekday = values
    if hour is None and (day is not None or weekday is not None):
        return None
    if day is not None and weekday is not None:
        return None
    return int(minute), hour, day, weekday


def shift(local_pattern, offset_minutes):
    """The UTC cron pattern of `local_pattern` under a UTC offset.

    The same rules as ``schedule.local_to_utc``: the day before the 1st is
    ``L``; a day past the 28th in UTC would skip February, so it is refused.
    """
    fields = _fields(local_pattern)
    if fields is None:
        raise domain.ScheduleError(
            '"%s" is not a preset pattern.' % local_pattern, 'pattern')
    minute, hour, day, weekday = fields
    if hour is None:
        return '%d * * * *' % ((minute - offset_minutes) % 60)
    day_shift, total = divmod(hour * 60 + minute - offset_minutes, 1440)
    utc_hour, utc_minute = divmod(total, 60)
    if weekday is not None:
        return '%d %d * * %d' % (utc_minute, utc_hour,
                                 (weekday + day_shift) % 7)
    if day is None:
        return '%d %d * * *' % (utc_minute, utc_hour)
    utc_day = day + day_shift
    if utc_day == 0:
        return '%d %d L * *' % (utc_minute, utc_hour)
    if utc_day > 28:
        raise domain.ScheduleError(
            'Day %d at %02d:%02d local time is day %d in UTC, which February '
            'lacks, so February would be skipped: choose an earlier day or '
            'time.' % (day, hour, minute, utc_day), 'day')
    return '%d %d %d * *' % (utc_minute, utc_hour, utc_day)


def _spec(utc_pattern):
    """What the guard compares: one UTC pattern as numbers.

    ``weekday`` is Python's (Monday 0), as YAQL's ``datetime.weekday``.
    """
    minute, hour, day, _month, weekday = utc_pattern.split()
    return {
        'cron': utc_pattern,
        'minute': int(minute),
        'hour': None if hour == '*' else int(hour),
        'day': None if day == '*' else (day if day == 'L' else int(day)),
        'weekday': None if weekday == '*' else (int(weekday) - 1) % 7,
    }


def _union(patterns):
    """One cron pattern firing at every time any of `patterns` fires."""
    columns = list(zip(*(p.split() for p in patterns)))
    out = []
    for values in columns:
        if '*' in values:
            out.append('*')
            continue
        unique = sorted(set(values), key=lambda v: (not v.isdigit(),
                                                     int(v) if v.isdigit()
                                                     else 0))
        out.append(','.join(unique))
    return ' '.join(out)


# --- the zone's clock changes --------------------------------------------

def _offset_minutes(zone, instant):
    return int(instant.astimezone(zone).utcoffset().total_seconds() // 60)


def transitions(zone_name, start, end):
    """[(UTC instant, offset in minutes from then on)] in [start, end)."""
    zone = domain.get_zone(zone_name)
    out = []
    low = start
    current = _offset_minutes(zone, low)
    step = datetime.timedelta(days=1)
    while low < end:
        high = min(low + step, end)
        if _offset_minutes(zone, high) != current:
            lo, hi = low, high
            while hi - lo > datetime.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if _offset_minutes(zone, mid) == current:
                    lo = mid
                else:
                    hi = mid
            current = _offset_minutes(zone, hi)
            out.append((hi.replace(microsecond=0), current))
            low = hi
        else:
            low = high
    return out


# --- what should run ------------------------------------------------------

def _utc(now):
    now = now or datetime.datetime.now(_UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=_UTC)
    return now.astimezone(_UTC)


def local_instant(naive_local, zone_name):
    """The one UTC instant a local wall-clock time runs at (fold=0): a time
    skipped by a spring-forward runs as if the clocks had not changed, a time
    that happens twice runs at its first occurrence."""
    zone = domain.get_zone(zone_name)
    return naive_local.replace(tzinfo=zone, fold=0).astimezone(_UTC)


def intended_runs(local_pattern, zone_name, start, end):
    """Every UTC instant in (start, end] the schedule should run at."""
    zone = domain.get_zone(zone_name)
    start, end = _utc(start), _utc(end)
    # A day early: a local time in a gap maps to a later UTC instant.
    out = []
    for wall in _walk(local_pattern,
                      (start - datetime.timedelta(days=1)).astimezone(zone),
                      (end + datetime.timedelta(days=1)).astimezone(zone)):
        instant = local_instant(wall, zone_name)
        if start < instant <= end and (not out or instant > out[-1]):
            out.append(instant)
    return out


def _walk(pattern, start, end):
    """The wall-clock times in (start, end] a five-field pattern of the
    shapes used here (lists of numbers, ``*``, ``L``; any month) matches,
    as naive datetimes: croniter is a hundred times slower for ten years.
    """
    minute, hour, day, month, weekday = pattern.split()
    if month != '*':
        raise ValueError('only patterns for every month: %s' % pattern)

    def values(field, low, high):
        if field == '*':
            return list(range(low, high + 1))
        return [v if v == 'L' else int(v) for v in field.split(',')]
    minutes, hours = sorted(values(minute, 0, 59)), sorted(values(hour, 0, 23))
    days = None if day == '*' else set(values(day, 1, 31))
    weekdays = None if weekday == '*' else {
        v % 7 for v in values(weekday, 0, 7)}
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    date = start.date()
    one_day = datetime.timedelta(days=1)
    while date <= end.date():
        match = True
        if days is not None:
            match = date.day in days or (
                'L' in days and (date + one_day).day == 1)
        if weekdays is not None:
            # cron counts weekdays from Sunday (0), Python from Monday.
            match = match and (date.weekday() + 1) % 7 in weekdays
        if match:
            for h in hours:
                for m in minutes:
                    wall = datetime.datetime.combine(date,
                                                     datetime.time(h, m))
                    if start < wall <= end:
                        yield wall
        date += one_day


def _pattern_of(patterns, run):
    """Which of `patterns` a run fires by. Not simply the offset at the run:
    a local time in a spring-forward gap runs by the pattern of the offset
    before the change, at an instant the new offset is already in force."""
    return next(i for i, p in enumerate(patterns)
                if minutes_since(_spec(p), run) == 0)


# --- the plan ---------------------------------------------------------------

def build_plan(local_pattern, zone_name, now=None, years=PLAN_YEARS):
    """The plan for a schedule entered as `local_pattern` in `zone_name`,
    or None when its UTC pattern never changes (no DST in the zone over the
    plan's years, or an hourly schedule in a whole-hour zone).

    {'version', 'zone', 'local_pattern', 'pattern' (the union, the trigger's
    pattern), 'patterns' ([spec] of each UTC pattern), 'segments' ([{'from':
    ISO minute UTC, 'active': index into patterns}]), 'tolerance' (minutes
    a late fire may still run), 'until' (ISO: when the plan runs out)}
    """
    if not local_pattern or _fields(local_pattern) is None:
        return None
    # From midnight UTC: the same plan all day long, whenever it is saved.
    now = _utc(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = _years_later(now, years)
    zone = domain.get_zone(zone_name)
    offsets = [_offset_minutes(zone, now)] + [
        o for _, o in transitions(zone_name, now, end)]
    patterns = []
    for offset in offsets:
        pattern = shift(local_pattern, offset)
        if pattern not in patterns:
            patterns.append(pattern)
    if len(patterns) < 2:
        return None
    runs = intended_runs(local_pattern, zone_name, now, end)
    segments = [{'from': now.strftime(_ISO),
                 'active': _pattern_of(patterns, runs[0])}]
    for before, after in zip(runs, runs[1:]):
        active = _pattern_of(patterns, after)
        if active != segments[-1]['active']:
            # Midway between the last run of one period and the first of
            # the next: the furthest from both for a late fire.
            switch = before + (after - before) / 2
            segments.append({'from': switch.strftime(_ISO), 'active': active})
    specs = [_spec(p) for p in patterns]
    plan = {
        'version': PLAN_VERSION,
        'zone': zone_name,
        'local_pattern': local_pattern,
        'pattern': _union(patterns),
        'patterns': specs,
        'segments': segments,
        'tolerance': MAX_TOLERANCE,
        'until': end.strftime(_ISO),
    }
    # The union's fires repeat yearly: two years show every kind there is.
    sample_end = min(end, now + datetime.timedelta(days=800))
    plan['tolerance'] = _tolerance(
        plan, now, sample_end, {r for r in runs if r <= sample_end})
    return plan


def _years_later(instant, years):
    try:
        return instant.replace(year=instant.year + years)
    except ValueError:          # 29 February
        return instant.replace(year=instant.year + years, day=28)


def _tolerance(plan, start, end, runs):
    """The longest lateness that still tells every fire of the union pattern
    apart: a fire that is not a run (another period's pattern, or a
    combination the union adds, such as Monday 00:30 for "Tuesday 00:30 or
    Monday 23:30") must never pass, and a late fire must not reach the next
    period."""
    best = MAX_TOLERANCE
    fires = candidates(plan['pattern'], start, end)
    # A late fire must still be judged in the period of its own fire.
    for segment in plan['segments'][1:]:
        switch = datetime.datetime.strptime(segment['from'], _ISO).replace(
            tzinfo=_UTC)
        before = [f for f in fires if f < switch]
        if before:
            best = min(best, int((switch - before[-1]).total_seconds() // 60)
                       - 1)
    for fire in fires:
        if fire in runs:
            continue
        since = _minutes_since_each(plan, fire)
        active = since[_segment(plan, fire)['active']]
        if active == min(since):
            best = min(best, active - 1)
    return best


def candidates(pattern, start, end):
    """Every fire of a UTC cron pattern in (start, end]."""
    return [wall.replace(tzinfo=_UTC)
            for wall in _walk(pattern, _utc(start), _utc(end))]


def _segment(plan, instant):
    key = instant.strftime(_ISO)
    chosen = plan['segments'][0]
    for segment in plan['segments']:
        if segment['from'] <= key:
            chosen = segment
    return chosen


def minutes_since(spec, instant):
    """Minutes since the latest time `spec` fired, at or before `instant`.

    Exactly what the YAQL guard computes (same steps, same arithmetic).
    """
    t = instant.astimezone(_UTC)
    if spec['hour'] is None:
        base = (t.minute - spec['minute'] + 60) % 60
    else:
        base = (t.hour * 60 + t.minute - spec['hour'] * 60 - spec['minute']
                + 1440) % 1440
    fired = t - datetime.timedelta(minutes=base)
    if spec['weekday'] is not None:
        days = (fired.weekday() - spec['weekday'] + _WEEK) % _WEEK
    elif spec['day'] == 'L':
        last = (fired + datetime.timedelta(days=1)).day == 1
        days = 0 if last else fired.day
    elif spec['day'] is not None:
        if fired.day >= spec['day']:
            days = fired.day - spec['day']
        else:
            previous_month_end = fired - datetime.timedelta(days=fired.day)
            days = fired.day + previous_month_end.day - spec['day']
    else:
        days = 0
    return base + 1440 * days


def _minutes_since_each(plan, instant):
    return [minutes_since(spec, instant) for spec in plan['patterns']]


def due(plan, instant):
    """Whether a fire at `instant` runs: the Python twin of the guard.

    Due when the pattern of the period `instant` is in fired most recently
    of all the plan's patterns, and at most ``tolerance`` minutes ago (a
    fire Mistral started late after an outage still runs).
    """
    if not plan:
        return True
    since = _minutes_since_each(plan, instant)
    active = since[_segment(plan, instant)['active']]
    return active <= plan['tolerance'] and active == min(since)


def due_fires(plan, fires):
    """The `fires` (UTC, oldest first) that ``due`` lets through, with the
    same answers, faster: each segment's start is read once and found by
    bisection, where ``due`` formats every fire's minute and compares it
    with every segment; and when no pattern names a day of the month, the
    answer depends on the segment, the time of day and the weekday only,
    so it is worked out once for each (a year of fires per schedule for
    ``anchor_state``)."""
    if not plan:
        return list(fires)
    starts = _segment_starts(plan)
    if starts is None:
        return [f for f in fires if due(plan, f)]
    segments, specs = plan['segments'], plan['patterns']
    by_time = all(spec.get('day') is None for spec in specs)
    known = {}
    out = []
    for fire in fires:
        t = fire.astimezone(_UTC)
        index = bisect.bisect_right(
            starts, t.replace(second=0, microsecond=0, tzinfo=None)) - 1
        key = (index, t.hour, t.minute, t.weekday()) if by_time else None
        verdict = known.get(key)
        if verdict is None:
            segment = segments[index] if index >= 0 else segments[0]
            since = [minutes_since(spec, t) for spec in specs]
            active = since[segment['active']]
            verdict = active <= plan['tolerance'] and active == min(since)
            if key is not None:
                known[key] = verdict
        if verdict:
            out.append(fire)
    return out


def _segment_starts(plan):
    """The segments' starts as naive UTC datetimes, when they are what
    ``_segment`` compares as text: each one canonical ("%Y-%m-%dT%H:%M"),
    in order. None otherwise (a plan someone else wrote): one by one."""
    try:
        froms = tuple(segment['from'] for segment in plan['segments'])
    except (TypeError, KeyError):
        return None
    return _starts_of(froms)


@functools.lru_cache(maxsize=1024)    # read for every few fires health asks
def _starts_of(froms):
    starts = []
    for text in froms:
        try:
            start = datetime.datetime.strptime(text, _ISO)
        except (TypeError, ValueError):
            return None
        if start.strftime(_ISO) != text or (starts and start < starts[-1]):
            return None
        starts.append(start)
    return starts


# The guard, as schedule.yaml's first task publishes it. Kept here, next to
# its Python twin, so that a test can check the workbook carries this text.
GUARD_EXPRESSION = """\
let(plan => (execution().params or dict()).get('backup_dashboard_dst'), t => now(utctz())) ->
switch($plan = null => true, true => (let(
seg => $plan.segments.where($.from <= $t.format('%Y-%m-%dT%H:%M')).last($plan.segments[0]),
since => $plan.patterns.select(let(p => $, base => switch($.hour = null => ($t.minute - $.minute + 60) mod 60,
true => ($t.hour * 60 + $t.minute - $.hour * 60 - $.minute + 1440) mod 1440)) ->
let(f => $t - timespan(minutes => $base)) -> $base + 1440 * switch(
$p.weekday != null => ($f.weekday - $p.weekday + 7) mod 7,
$p.day = 'L' => switch(($f + timespan(days => 1)).day = 1 => 0, true => $f.day),
$p.day != null => switch($f.day >= $p.day => $f.day - $p.day,
true => $f.day + ($f - timespan(days => $f.day)).day - $p.day),
true => 0)).toList()) ->
$since[$seg.active] <= $plan.tolerance and $since[$seg.active] = $since.min()))"""


# --- the trigger ------------------------------------------------------------

def to_trigger(schedule, env_name=None, now=None):
    """``cron_triggers.create`` keyword arguments for `schedule`, anchored:
    ``schedule.to_trigger()`` with, for a zone whose clock changes move the
    schedule in UTC, the union pattern and the plan in workflow_params."""
    kwargs = schedule.to_trigger(env_name=env_name)
    plan = None
    if schedule.local_pattern and (schedule.timezone or 'UTC') != 'UTC':
        plan = build_plan(schedule.local_pattern, schedule.timezone, now)
    if plan:
        kwargs['pattern'] = plan['pattern']
        params = dict(kwargs.get('workflow_params') or {})
        params[PARAM] = plan
        kwargs['workflow_params'] = params
    return kwargs


def plan_of(trigger):
    """The plan a stored trigger carries, or None. Read once per text of
    its params (a page asks for it at each of the schedule's runs): the
    same dict each time, so never change it."""
    params = getattr(trigger, 'workflow_params', None)
    if isinstance(params, str):
        return _plan_in(params)
    plan = _as_dict(params).get(PARAM)
    return plan if isinstance(plan, dict) else None


@functools.lru_cache(maxsize=1024)
def _plan_in(params_text):
    plan = _as_dict(params_text).get(PARAM)
    return plan if isinstance(plan, dict) else None


def _as_dict(value):
    if isinstance(value, dict):
        return value
    try:
        data = json.loads(value) if value else {}
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def current_pattern(schedule, now=None):
    """The plain UTC pattern of the schedule's next local run (what the
    edit form shows and validates; the trigger gets ``to_trigger``'s)."""
    if not schedule.local_pattern:
        return schedule.pattern
    now = _utc(now)
    zone = domain.get_zone(schedule.timezone)
    cursor = _utc(now).astimezone(zone).replace(tzinfo=None)
    wall = croniter.croniter(schedule.local_pattern, cursor).get_next(
        datetime.datetime)
    offset = wall.replace(tzinfo=zone, fold=0).utcoffset()
    return shift(schedule.local_pattern, int(offset.total_seconds() // 60))


def runs_between(trigger, start, end):
    """The UTC instants in (start, end] a stored trigger really runs the
    schedule: its pattern's fires the guard lets through. What "missed"
    detection must expect (the union pattern alone fires twice as often).
    """
    plan = plan_of(trigger)
    try:
        fires = candidates(trigger.pattern, start, end)
    except ValueError:        # a pattern naming months: not one of ours
        it = croniter.croniter(trigger.pattern,
                               _utc(start).replace(tzinfo=None))
        fires = []
        while True:
            fire = it.get_next(datetime.datetime).replace(tzinfo=_UTC)
            if fire > _utc(end):
                break
            fires.append(fire)
    return due_fires(plan, fires)


def next_runs(trigger, count=5, now=None):
    """The next `count` runs of a stored trigger as they will really happen:
    (UTC datetime, the same in the schedule's zone). Fires the guard will
    end as not due are left out; a trigger without a plan runs its pattern.
    """
    schedule = domain.Schedule.from_trigger(trigger)
    if not plan_of(trigger):
        return domain.next_runs(schedule.pattern, schedule.timezone,
                                count=count, now=now)
    zone = domain.get_zone(schedule.timezone)
    now = _utc(now)
    out = []
    horizon = now
    while len(out) < count and horizon < now + datetime.timedelta(days=800):
        start, horizon = horizon, horizon + datetime.timedelta(days=40)
        out.extend(runs_between(trigger, start, horizon))
    return [(run, run.astimezone(zone)) for run in out[:count]]


ANCHOR_DAYS = 400               # how far ahead anchor_state compares


@functools.lru_cache(maxsize=1024)
def _mismatches(pattern, plan_json, local_pattern, zone_name, day):
    """Where a trigger of `pattern` and the plan `plan_json` runs and the
    schedule should not, or the other way round (UTC instants, sorted):
    those of `day` (a UTC date), then the first one after it, if any,
    within ANCHOR_DAYS + 1 days of the day's start: what answers
    ``anchor_state`` for any `now` of that day (the first one after `now`).

    The expensive part of ``anchor_state`` (over a year of fires compared
    one by one: milliseconds per schedule), computed once a day per trigger
    content, so that every index page of the day reuses it and schedules
    saved alike share it. The one difference from comparing from `now`
    itself: fires the window's far end cuts through a spring-forward gap
    (a year ahead, a few hours a year) may count differently there.
    """
    plan = json.loads(plan_json)
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=_UTC)
    end = start + datetime.timedelta(days=ANCHOR_DAYS + 1)
    wanted = intended_runs(local_pattern, zone_name, start, end)
    actual = due_fires(plan, candidates(pattern, start, end))
    found = sorted(set(wanted).symmetric_difference(actual))
    next_day = start + datetime.timedelta(days=1)
    today = [m for m in found if m <= next_day]
    return tuple(found[:len(today) + 1])


def anchor_state(trigger, now=None):
    """Whether a stored schedule runs at its local time over the coming
    year, clock changes included: AnchorState('ok' | 'needs re-anchoring',
    a message saying why and what to do). Pure computation, no backend
    call: a few milliseconds per schedule the first time in a day, then
    next to nothing (``_mismatches``)."""
    schedule = domain.Schedule.from_trigger(trigger)
    if schedule is None:
        raise ValueError('not a backup schedule')
    now = _utc(now)
    if not schedule.local_pattern or schedule.timezone == 'UTC':
        return AnchorState(OK, 'Entered in UTC: it runs as entered.')
    fix = ' Open the schedule and save it again (unchanged) to re-anchor it.'
    local = '%s (%s)' % (domain.describe_pattern(schedule.local_pattern),
                         schedule.timezone)
    stored = plan_of(trigger)
    if stored is not None:
        if stored.get('version') != PLAN_VERSION or \
                stored.get('pattern') != trigger.pattern or \
                stored.get('local_pattern') != schedule.local_pattern or \
                stored.get('zone') != schedule.timezone:
            return AnchorState(NEEDS_REANCHORING, (
                'Its daylight saving time plan is not for this schedule.')
                + fix)
        until = datetime.datetime.strptime(stored['until'], _ISO).replace(
            tzinfo=_UTC)
        if until - now < datetime.timedelta(days=RENEW_DAYS):
            return AnchorState(NEEDS_REANCHORING, (
                'Its daylight saving time plan ends on %s.'
                % until.strftime('%Y-%m-%d')) + fix)
    horizon = now + datetime.timedelta(days=ANCHOR_DAYS)
    first = next((m for m in _mismatches(
        trigger.pattern, json.dumps(stored, sort_keys=True),
        schedule.local_pattern, schedule.timezone, now.date())
        if m > now), None)
    if first is not None and first > horizon:
        first = None
    if first is None:
        if stored is None:
            return AnchorState(OK, '%s: %s has no clock change in the '
                               'coming year that moves it in UTC.'
                               % (local, schedule.timezone))
        change = next_change_text(schedule.local_pattern, schedule.timezone,
                                  now)
        return AnchorState(OK, '%s, clock changes included%s.'
                           % (local, change and (': ' + change) or ''))
    zone = domain.get_zone(schedule.timezone)
    day = first.astimezone(zone).strftime('%Y-%m-%d')
    if stored is None:
        right = shift(schedule.local_pattern, _offset_minutes(zone, first))
        return AnchorState(NEEDS_REANCHORING, (
            'Saved without daylight saving time support, it runs on "%s" '
            'UTC: from %s, %s is "%s" UTC.' % (trigger.pattern, day, local,
                                               right)) + fix)
    return AnchorState(NEEDS_REANCHORING, (
        'The time zone rules of %s changed since it was saved: from %s it '
        'would not run as "%s".' % (schedule.timezone, day, local)) + fix)


def next_change_text(local_pattern, zone_name, now=None):
    """The next clock change and what the schedule does then, in words.

    The replacement for ``schedule.dst_note`` once schedules are anchored:
    the local time is kept; a time the change skips or repeats is said.
    """
    now = _utc(now)
    end = now + datetime.timedelta(days=400)
    instant = next((t for t, _offset in _transitions_of_day(
        zone_name, now.date()) if now < t <= end), None)
    return None if instant is None else \
        _change_text(local_pattern, zone_name, instant)


@functools.lru_cache(maxsize=64)
def _transitions_of_day(zone_name, day):
    """``transitions`` from the start of `day` (a UTC date) for 401 days:
    the zone's changes for any `now` of that day, worked out once (found
    to the second, so the same whatever the search starts from)."""
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=_UTC)
    return tuple(transitions(zone_name, start,
                             start + datetime.timedelta(days=401)))


@functools.lru_cache(maxsize=1024)
def _change_text(local_pattern, zone_name, instant):
    zone = domain.get_zone(zone_name)
    before = (instant - datetime.timedelta(seconds=1)).astimezone(zone)
    after = instant.astimezone(zone)
    text = ('on %s %s changes its clocks (%s to %s) and this schedule keeps '
            'its local time' % (after.strftime('%Y-%m-%d'), zone_name,
                                before.strftime('%Z'), after.strftime('%Z')))
    local_start = (instant - datetime.timedelta(hours=30)).astimezone(zone)
    it = croniter.croniter(local_pattern, local_start.replace(tzinfo=None))
    while True:
        wall = it.get_next(datetime.datetime)
        if wall > (instant + datetime.timedelta(hours=30)).astimezone(
                zone).replace(tzinfo=None):
            break
        run = local_instant(wall, zone_name).astimezone(zone)
        if run.replace(tzinfo=None) != wall:
            text += ('; %s does not exist that day, so it runs at %s %s'
                     % (wall.strftime('%H:%M'), run.strftime('%H:%M'),
                        run.strftime('%Z')))
        elif wall.replace(tzinfo=zone, fold=1).utcoffset() != \
                run.utcoffset():
            text += ('; %s happens twice that day and it runs once, at the '
                     'first (%s)' % (wall.strftime('%H:%M'),
                                     run.strftime('%Z')))
    return text
