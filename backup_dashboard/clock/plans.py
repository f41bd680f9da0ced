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

"""A schedule's Mistral trigger: its UTC pattern, its plan and its guard.

Mistral fires cron triggers in UTC only. Saving a pattern read in a zone
gives the trigger a UTC pattern that fires at least at every instant the
local pattern can fall on, and a *plan* in its workflow_params: the local
pattern's values and the zone's UTC offsets until ``until``. The schedule
and drill workflows first ask ``backup_dashboard_due`` (workbooks/due.yaml),
which evaluates ``GUARD`` on the plan; a fire that is not due ends with
status ``not_due`` (docs/dst.rst); ``due`` is its Python twin. ``runs``
and ``next_runs`` are the instants a stored trigger really runs;
``anchor_problem`` says whether a stored plan still matches the zone's
rules; ``change_note`` what the next clock change does.
"""
import datetime

from django.utils.translation import gettext as _

from backup_dashboard.clock import cron
from backup_dashboard import errors

PLAN_PARAM = 'backup_dashboard_dst'     # where a trigger's plan travels
PLAN_VERSION = 2
PLAN_YEARS = 10
RENEW_DAYS = 90         # a plan this close to its end asks to be saved again
TOLERANCE = 720         # minutes a late fire is still judged as its fire
NOT_DUE = 'not_due'     # the status of a fire the guard ended
PATTERN_MAX = 100       # Mistral stores a trigger's pattern in 100 characters
_FIELDS = ('minute', 'hour', 'day', 'month', 'weekday')
_DAY = datetime.timedelta(days=1)


# --- the trigger: a UTC pattern and its plan ------------------------------

def trigger_for(local_pattern, zone_name, at=None):
    """(UTC pattern, plan or None) of a pattern read in a zone, saved `at`.

    No plan for a zone that stays at UTC: the pattern runs as it is. The plan
    covers PLAN_YEARS of the zone's clock changes from midnight UTC.
    """
    local = cron.cron_sets(local_pattern)
    tz = cron.zone(zone_name)
    start = (cron.parse(at) or cron.now()).replace(hour=0, minute=0, second=0,
                                                   microsecond=0)
    changes = cron.transitions(zone_name, start.date(), 366 * PLAN_YEARS)
    first = cron.offset_at(tz, start)
    if {first} | {o for _, o in changes} == {0}:
        return ' '.join(local_pattern.split()), None
    pattern = _pattern_text(_superset(local, {first} | {o for _, o in
                                                        changes}))
    if len(pattern) > PATTERN_MAX:
        raise errors.InputError(_(
            'In %(zone)s this pattern needs a UTC pattern longer than the '
            '%(max)d characters Mistral keeps: use fewer values per '
            'field.') % {'zone': zone_name, 'max': PATTERN_MAX}, 'pattern')
    segments, prev = [], first
    for instant, offset in ((start, first),) + changes:
        segments.append({'from': instant.strftime(cron.ISO_MINUTE),
                         'offset': offset, 'prev': prev})
        prev = offset
    end = start + datetime.timedelta(days=366 * PLAN_YEARS)
    return pattern, {
        'version': PLAN_VERSION, 'zone': zone_name,
        'local_pattern': local_pattern, 'pattern': pattern,
        'local': local, 'utc': cron.cron_sets(pattern), 'segments': segments,
        'tolerance': TOLERANCE, 'until': end.strftime(cron.ISO_MINUTE)}


def _superset(local, offsets):
    """UTC field values covering the local values under any of `offsets`.

    Field values in cron.UTC that include every instant the local values can
    fall on under any of `offsets` (minutes east of cron.UTC).
    """
    minutes = local['minute'] or range(60)
    hours, shifts = set(), set()
    utc_minutes = set()
    for offset in offsets:
        for hour in local['hour'] or range(24):
            for minute in minutes:
                shift, rest = divmod(hour * 60 + minute - offset, 1440)
                hours.add(rest // 60)
                utc_minutes.add(rest % 60)
                shifts.add(shift)
    days = None
    if local['day'] is not None:
        days = set()
        for day in local['day']:
            for shift in shifts:
                days |= _shifted_days(day, shift)
    return {
        'minute': utc_minutes, 'hour': hours, 'day': days,
        'month': None if local['month'] is None else {
            (m - 1 + s) % 12 + 1 for m in local['month']
            for s in shifts | {0}},
        'weekday': None if local['weekday'] is None else {
            (w + s) % 7 for w in local['weekday'] for s in shifts}}


def _shifted_days(day, shift):
    """The UTC days of the month a local `day` can fall on.

    The days of the month a local `day` can be on in cron.UTC a day later
    (shift 1) or earlier (-1): the month may end in between.
    """
    if shift == 0:
        return {day}
    if shift > 0:
        return {1} if day == 'L' else ({day + 1} - {32}) | (
            {1} if day >= 28 else set())
    return set(range(27, 31)) if day == 'L' else (
        {day - 1} if day > 1 else {'L'})


def _pattern_text(sets):
    bounds = {'minute': (0, 59), 'hour': (0, 23), 'month': (1, 12)}
    out = []
    for field in _FIELDS:
        values = sets[field]
        low_high = bounds.get(field)
        if values is None or (low_high and set(values) == set(
                range(low_high[0], low_high[1] + 1))):
            out.append('*')
            continue
        numbers = sorted(v for v in values if v != 'L')
        ranges = []
        for value in numbers:
            if ranges and value == ranges[-1][1] + 1:
                ranges[-1][1] = value
            else:
                ranges.append([value, value])
        text = [('%d' % a) if a == b else ('%d,%d' % (a, b)) if b == a + 1
                else '%d-%d' % (a, b) for a, b in ranges]
        out.append(','.join(text + (['L'] if 'L' in values else [])))
    return ' '.join(out)


def plan_of(params):
    """The plan a trigger's workflow_params (a dict) carry, or None."""
    plan = params.get(PLAN_PARAM) if isinstance(params, dict) else None
    return plan if isinstance(plan, dict) else None


# --- which fires run ------------------------------------------------------

def due(plan, instant):
    """Whether a fire at `instant` runs: the Python twin of GUARD.

    The fire is the latest minute of the trigger's UTC pattern at or before
    `instant` rounded to the minute (Mistral fires up to two seconds early);
    it is due when its wall-clock time in the cron.zone cron.matches the local
    pattern, a time a clock change repeats counting only the first time and
    a time it skips running when it would have without the change.
    """
    if not plan or plan.get('version') != PLAN_VERSION:
        return True
    t = (cron.parse(instant) + datetime.timedelta(seconds=30)).replace(
        second=0, microsecond=0)
    fire = next(
        (t - datetime.timedelta(minutes=k)
         for k in range(plan['tolerance'] + 1)
         if cron.matches(plan['utc'], t - datetime.timedelta(minutes=k))),
        None)
    if fire is None:
        return False
    key = fire.strftime(cron.ISO_MINUTE)
    seg = plan['segments'][0]
    for segment in plan['segments']:
        if segment['from'] <= key:
            seg = segment
    new, old = seg['offset'], seg['prev']

    def before_change_plus(minutes):
        return (fire - datetime.timedelta(minutes=minutes)).strftime(
            cron.ISO_MINUTE) < seg['from']
    as_now = not (old > new and before_change_plus(old - new))
    as_before = old < new and before_change_plus(new - old)
    return bool(
        (as_now and cron.matches(plan['local'],
                                 fire + datetime.timedelta(minutes=new))) or
        (as_before and cron.matches(plan['local'],
                                    fire + datetime.timedelta(minutes=old))))


def runs(pattern, plan, start, end, sets=None):
    """The instants in (start, end] a trigger really runs the schedule.

    The cron.UTC instants in (start, end] a trigger really runs the schedule:
    its pattern's fires that its plan lets through (`sets`: the pattern's
    values, when the trigger keeps them: clock.timing).
    """
    return [f for f in cron.fires(pattern, start, end, sets)
            if due(plan, f)]


def next_runs(pattern, plan, count=5, at=None, sets=None):
    """The next `count` runs of a trigger after `at` (UTC datetimes)."""
    start = cron.parse(at) or cron.now()
    found, window, low = [], datetime.timedelta(days=2), start
    while len(found) < count and low < start + datetime.timedelta(
            days=366 * 8):
        found += runs(pattern, plan, low, low + window, sets)
        low, window = low + window, min(window * 2,
                                        datetime.timedelta(days=400))
    return found[:count]


# --- is a stored trigger still right ----------------------------------------

def anchor_problem(local_pattern, zone_name, pattern, plan, at=None):
    """Why a stored trigger will not run at its local times, or None.

    Why a stored trigger will not run at its local times over the coming year
    (a sentence ending with what to do), or None.
    """
    at = cron.parse(at) or cron.now()
    fix = ' ' + _('Open the schedule and save it again (unchanged) to '
                  're-anchor it.')
    if plan is None:
        if trigger_for(local_pattern, zone_name, at)[1] is None:
            return None
        return _('It was saved without a plan for %(zone)s, so it runs on '
                 '"%(pattern)s" UTC whatever the clocks there do.') % {
                     'zone': zone_name, 'pattern': pattern} + fix
    if plan.get('version') != PLAN_VERSION:
        return _('Its time zone plan was made by an earlier version of the '
                 'dashboard.') + fix
    if (plan.get('zone'), plan.get('local_pattern'), plan.get('pattern')) \
            != (zone_name, local_pattern, pattern):
        return _('Its time zone plan is not for this schedule.') + fix
    until = cron.parse(plan['until'])
    if until - at < datetime.timedelta(days=RENEW_DAYS):
        return _('Its time zone plan ends on %s.') % until.strftime(
            '%Y-%m-%d') + fix
    # The plan's offsets from now on against the zone's rules today.
    now_key = at.strftime(cron.ISO_MINUTE)
    horizon = (at + datetime.timedelta(days=400)).strftime(cron.ISO_MINUTE)
    segments = plan['segments']
    current = max((s for s in segments if s['from'] <= now_key),
                  key=lambda s: s['from'], default=segments[0])
    first = (now_key, current['offset'])
    later = [(s['from'], s['offset']) for s in segments
             if now_key < s['from'] <= horizon]
    wanted = [(now_key, cron.offset_at(cron.zone(zone_name), at))] + [
        (i.strftime(cron.ISO_MINUTE), o)
        for i, o in cron.transitions(zone_name, at.date(), 401)
        if now_key < i.strftime(cron.ISO_MINUTE) <= horizon]
    if [first] + later != wanted:
        differ = set([first] + later).symmetric_difference(wanted)
        return _('The time zone rules of %(zone)s changed since it was '
                 'saved: from %(day)s it would not run at its local '
                 'time.') % {'zone': zone_name,
                             'day': min(differ)[0][:10]} + fix
    return None


def change_note(local_pattern, zone_name, at=None):
    """What the cron.zone's next clock change does to the schedule, in words.

    None when it changes nothing in cron.UTC (an hourly schedule) or there is
    no change within a year.
    """
    at = cron.parse(at) or cron.now()
    tz = cron.zone(zone_name)
    change = next(
        ((i, o)
         for i, o in cron.transitions(zone_name, at.date(), 401) if i > at),
        None)
    if change is None:
        return None
    instant, after = change
    before = cron.offset_at(tz, instant - datetime.timedelta(seconds=1))
    window = (instant, instant + datetime.timedelta(days=8))
    kept = cron.intended_runs(local_pattern, zone_name, *window)
    shift = datetime.timedelta(minutes=before)
    unchanged = [w.replace(tzinfo=cron.UTC) - shift
                 for w in cron.walls(cron.cron_sets(local_pattern),
                                     window[0] + shift, window[1] + shift)]
    if kept == unchanged:
        return None
    moved = abs(after - before)
    text = _('On %(day)s %(zone)s changes its clocks (%(old)s to %(new)s) '
             'and this schedule keeps its local time: its runs move '
             '%(amount)s %(way)s in UTC.') % {
        'day': instant.astimezone(tz).strftime('%Y-%m-%d'),
        'zone': zone_name,
        'old': (instant - datetime.timedelta(seconds=1)).astimezone(
            tz).strftime('%Z'),
        'new': instant.astimezone(tz).strftime('%Z'),
        'amount': cron.duration(datetime.timedelta(minutes=moved)),
        'way': _('earlier') if after > before else _('later')}
    local = instant.astimezone(tz).replace(tzinfo=None)
    for wall in cron.walls(cron.cron_sets(local_pattern),
                           local - datetime.timedelta(hours=30),
                           local + datetime.timedelta(hours=30)):
        run = cron.local_instant(wall, zone_name).astimezone(tz)
        if run.replace(tzinfo=None) != wall:
            text += ' ' + _('%(time)s does not exist that day, so it runs '
                            'at %(run)s.') % {
                'time': wall.strftime('%H:%M'),
                'run': run.strftime('%H:%M %Z')}
        elif wall.replace(tzinfo=tz, fold=1).utcoffset() != run.utcoffset():
            text += ' ' + _('%(time)s happens twice that day; it runs once, '
                            'at the first (%(abbr)s).') % {
                'time': wall.strftime('%H:%M'), 'abbr': run.strftime('%Z')}
    return text


# --- the guard, as schedule.yaml's first task publishes it ------------------

_MATCH = (
    "(({s}.minute = null or {w}.minute in {s}.minute) and "
    "({s}.hour = null or {w}.hour in {s}.hour) and "
    "({s}.month = null or {w}.month in {s}.month) and (let("
    "dom => {s}.day = null or {w}.day in {s}.day or ('L' in {s}.day and "
    "({w} + timespan(days => 1)).day = 1), "
    "dow => {s}.weekday = null or (({w}.weekday + 1) mod 7) in {s}.weekday)"
    " -> switch({s}.day != null and {s}.weekday != null => $dom or $dow, "
    "true => $dom and $dow)))")
GUARD = (
    "let(plan => $.plan) -> "
    "switch($plan = null => true, $plan.get('version') != %d => true, "
    "true => let(t => now(utctz()) + timespan(seconds => 30)) -> "
    "let(t => $t - timespan(seconds => $t.second, "
    "microseconds => $t.microsecond)) -> "
    "let(fire => range(0, $plan.tolerance + 1).select("
    "$t - timespan(minutes => $)).where(%s).first(null)) -> "
    "switch($fire = null => false, true => let(seg => $plan.segments.where("
    "$.from <= $fire.format('%%Y-%%m-%%dT%%H:%%M')).last($plan.segments[0]))"
    " -> [[$seg.offset, not ($seg.prev > $seg.offset and ($fire - timespan("
    "minutes => $seg.prev - $seg.offset)).format('%%Y-%%m-%%dT%%H:%%M') < "
    "$seg.from)], [$seg.prev, $seg.prev < $seg.offset and ($fire - "
    "timespan(minutes => $seg.offset - $seg.prev)).format("
    "'%%Y-%%m-%%dT%%H:%%M') < $seg.from]].any($[1] and (let(w => $fire + "
    "timespan(minutes => $[0])) -> %s))))") % (
        PLAN_VERSION, _MATCH.format(s='$plan.utc', w='$'),
        _MATCH.format(s='$plan.local', w='$w'))
