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

"""Cron patterns, time zones and instants: the clock's primitives.

The only module of backup-dashboard that imports croniter and zoneinfo.
A pattern is read as croniter (and so Mistral) reads it, into the values
each field allows (``cron_sets``); ``walls`` walks the wall-clock times a
pattern matches without croniter, which is far too slow over years.
``intended_runs`` maps the wall-clock times of a pattern read in a zone to
UTC instants (fold=0: a time a clock change skips runs as if the clocks
had not changed, one it repeats runs at its first occurrence).
"""
import datetime
import functools
import re
import zoneinfo

import croniter
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backup_dashboard import errors

UTC = datetime.timezone.utc
ISO_MINUTE = '%Y-%m-%dT%H:%M'
_DAY = datetime.timedelta(days=1)
_FIELDS = ('minute', 'hour', 'day', 'month', 'weekday')
_ITEM = r'(?:\*|{v}(?:-{v})?)(?:/\d{{1,2}})?'
_NAMED = _ITEM.format(v=r'(?:\d{1,2}|[a-z]{3})')
_NUMERIC = _ITEM.format(v=r'\d{1,2}')
_FIELD_RE = {
    'minute': re.compile(r'^{0}(?:,{0})*$'.format(_NUMERIC)),
    'hour': re.compile(r'^{0}(?:,{0})*$'.format(_NUMERIC)),
    'day': re.compile(r'^(?:{0}|l)(?:,(?:{0}|l))*$'.format(_NUMERIC)),
    'month': re.compile(r'^{0}(?:,{0})*$'.format(_NAMED)),
    'weekday': re.compile(r'^{0}(?:,{0})*$'.format(_NAMED)),
}
PRESETS = ('hourly', 'daily', 'weekly', 'monthly', 'last')


# --- zones and instants -----------------------------------------------------

def zone(name):
    try:
        return zoneinfo.ZoneInfo(name or 'UTC')
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise errors.InputError(_('Unknown time zone "%s".') % name,
                                'timezone')


@functools.lru_cache(maxsize=1)
def zone_names():
    """Every zone a schedule may be entered in, sorted."""
    return tuple(sorted(zoneinfo.available_timezones() -
                        {'localtime', 'Factory'}))


def now():
    return datetime.datetime.now(UTC)


def parse(value):
    """A service's timestamp as an aware UTC datetime.

    A service's timestamp (Mistral's naive UTC text, Cinder's ISO text, a
    datetime) as an aware UTC datetime; None when absent or unreadable.
    """
    if not value:
        return None
    if not isinstance(value, datetime.datetime):
        text = str(value).strip()
        if len(text) < 16:          # a date alone is no time
            return None
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def in_zone(value, zone_name):
    moment = parse(value)
    return None if moment is None else moment.astimezone(zone(zone_name))


def iso(value):
    """ISO 8601 with its offset (machine output), '' when absent."""
    moment = parse(value)
    return '' if moment is None else moment.isoformat(timespec='seconds')


# --- cron patterns --------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def cron_sets(pattern):
    """What each field of a five-field pattern allows.

    As croniter (and so Mistral) reads it: sorted lists, None for "*", 'L' for
    the last day.
    """
    text = ' '.join((pattern or '').lower().split())
    if not text:
        raise errors.InputError(_('Enter a cron pattern.'), 'pattern')
    if text.startswith('@'):
        raise errors.InputError(_(
            'Macros such as "%s" are not supported: use five fields (minute '
            'hour day month weekday).') % text.split()[0], 'pattern')
    parts = text.split(' ')
    if len(parts) != 5:
        raise errors.InputError(_(
            'A cron pattern has exactly five fields (minute hour day month '
            'weekday); this one has %d.') % len(parts), 'pattern')
    if not all(_FIELD_RE[f].match(p) for f, p in zip(_FIELDS, parts)) or \
            not croniter.croniter.is_valid(text):
        raise errors.InputError(_(
            '"%s" is not a cron pattern this dashboard reads: each field '
            'holds numbers, ranges (1-5), steps (*/15) or lists (1,15), '
            'month and day names, and the day field may hold L (the last '
            'day of the month).') % pattern.strip(), 'pattern')
    sets = {}
    for name, values in zip(_FIELDS, croniter.croniter(text).expanded):
        if values[0] == '*':
            sets[name] = None
        else:
            found = {'L' if v == 'l' else int(v) % (7 if name == 'weekday'
                                                    else 100)
                     for v in values}
            sets[name] = sorted(found, key=lambda v:
                                (v == 'L', str(v).zfill(2)))
    return sets


def matches(sets, moment):
    """Whether a wall-clock time (or UTC instant) matches, cron's way.

    A day restricted both by day and weekday matches either.
    """
    if (sets['minute'] is not None and moment.minute not in sets['minute']) \
            or (sets['hour'] is not None and moment.hour not in sets['hour']) \
            or (sets['month'] is not None and
                moment.month not in sets['month']):
        return False
    return _day_matches(sets, moment)


def _day_matches(sets, date):
    days, weekdays = sets['day'], sets['weekday']
    dom = days is None or date.day in days or (
        'L' in days and (date + _DAY).day == 1)
    dow = weekdays is None or (date.weekday() + 1) % 7 in weekdays
    if days is not None and weekdays is not None:
        return dom or dow
    return dom and dow


def walls(sets, start, end, limit=None):
    """The naive wall-clock times in (start, end] `sets` match, in order."""
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    hours = sets['hour'] if sets['hour'] is not None else range(24)
    minutes = sets['minute'] if sets['minute'] is not None else range(60)
    out, date = [], start.date()
    while date <= end.date():
        if (sets['month'] is None or date.month in sets['month']) and \
                _day_matches(sets, date):
            for hour in hours:
                for minute in minutes:
                    wall = datetime.datetime(date.year, date.month, date.day,
                                             hour, minute)
                    if start < wall <= end:
                        out.append(wall)
                        if limit and len(out) >= limit:
                            return out
        date += _DAY
    return out


def fires(pattern, start, end, sets=None):
    """Every fire of a UTC pattern in (start, end], as aware datetimes.

    `sets`: the pattern's ``cron_sets`` when the caller has them already.
    """
    return [w.replace(tzinfo=UTC) for w in walls(
        sets or cron_sets(pattern), parse(start), parse(end))]


@functools.lru_cache(maxsize=4096)
def intervals(pattern):
    """(shortest, longest) gap between two runs of a pattern.

    (shortest, longest) gap between two runs of a pattern's wall-clock times,
    over its first 200 from 2026 (within eight years); None when it never runs
    twice.
    """
    start = datetime.datetime(2026, 1, 1)
    found = walls(cron_sets(pattern), start, start.replace(year=2034), 200)
    gaps = [b - a for a, b in zip(found, found[1:])]
    return (min(gaps), max(gaps)) if gaps else None


def check_pattern(pattern, min_minutes):
    """Refuse a pattern that cannot be read, never runs or runs too often.

    Refuse a pattern that cannot be read, never runs, or runs more often than
    every `min_minutes`; return it unchanged otherwise.
    """
    gaps = intervals(pattern) if cron_sets(pattern) else None
    if gaps is None:
        raise errors.InputError(_('"%s" never runs.') % pattern.strip(),
                                'pattern')
    least = datetime.timedelta(minutes=min_minutes)
    if gaps[0] < least:
        raise errors.InputError(_(
            'This pattern runs every %(gap)s; the shortest interval allowed '
            'here is %(least)s.') % {'gap': duration(gaps[0]),
                                     'least': duration(least)}, 'pattern')
    return pattern


def duration(delta):
    minutes = int(delta.total_seconds() // 60)
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext('%d day(s)', '%d day(s)', days) % days
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext('%d hour(s)', '%d hour(s)', hours) % hours
    return ngettext('%d minute(s)', '%d minute(s)', minutes) % minutes


def preset(kind, minute=0, hour=0, weekday=0, day=1):
    """The pattern of a preset the form offers.

    The pattern of a preset the form offers (read in the schedule's zone like
    any pattern).
    """
    limits = {'minute': (minute, 0, 59), 'hour': (hour, 0, 23),
              'weekday': (weekday, 0, 6), 'day': (day, 1, 28)}
    for field, (value, low, high) in limits.items():
        if not isinstance(value, int) or isinstance(value, bool) \
                or not low <= value <= high:
            raise errors.InputError(_(
                'Enter a whole number from %(low)d to %(high)d.') % {
                    'low': low, 'high': high}, field)
    shapes = {'hourly': '%(m)d * * * *', 'daily': '%(m)d %(h)d * * *',
              'weekly': '%(m)d %(h)d * * %(w)d',
              'monthly': '%(m)d %(h)d %(d)d * *', 'last': '%(m)d %(h)d L * *'}
    if kind not in shapes:
        raise errors.InputError(_('Unknown schedule kind "%s".') % kind,
                                'kind')
    return shapes[kind] % {'m': minute, 'h': hour, 'w': weekday, 'd': day}


def preset_of(pattern):
    """The preset fields that give exactly `pattern`, or None."""
    parts = (pattern or '').split(' ')
    if len(parts) != 5:
        return None
    numbers = {f: int(v) for f, v in zip(_FIELDS, parts) if v.isdigit()}
    values = {'minute': numbers.get('minute', 0),
              'hour': numbers.get('hour', 0),
              'weekday': numbers.get('weekday', 0),
              'day': numbers.get('day', 1)}
    used = {'hourly': ('minute',), 'daily': ('minute', 'hour'),
            'weekly': ('minute', 'hour', 'weekday'),
            'monthly': ('minute', 'hour', 'day'), 'last': ('minute', 'hour')}
    for kind in PRESETS:
        try:
            if preset(kind, **values) == pattern:
                return dict({f: values[f] for f in used[kind]}, kind=kind)
        except errors.InputError:
            return None
    return None


# --- the zone's clock changes ---------------------------------------------

def offset_at(tz, instant):
    """The UTC offset of a zone at an instant, in minutes east."""
    return int(instant.astimezone(tz).utcoffset().total_seconds() // 60)


@functools.lru_cache(maxsize=256)
def transitions(zone_name, day, days):
    """((UTC instant, offset in minutes from then on), ...)

    of the zone's changes in the `days` days from midnight UTC of `day`.
    """
    tz = zone(zone_name)
    low = datetime.datetime.combine(day, datetime.time(), UTC)
    end = low + datetime.timedelta(days=days)
    out, current = [], offset_at(tz, low)
    while low < end:
        high = min(low + _DAY, end)
        if offset_at(tz, high) == current:
            low = high
            continue
        lo, hi = low, high
        while hi - lo > datetime.timedelta(seconds=1):
            mid = lo + (hi - lo) / 2
            lo, hi = (mid, hi) if offset_at(tz, mid) == current else (lo, mid)
        current = offset_at(tz, hi)
        out.append((hi.replace(microsecond=0), current))
        low = hi
    return tuple(out)


def local_instant(wall, zone_name):
    """The one UTC instant a wall-clock time runs at (fold=0)."""
    return wall.replace(tzinfo=zone(zone_name), fold=0).astimezone(UTC)


def intended_runs(local_pattern, zone_name, start, end):
    """The UTC instants in (start, end] a pattern read in a zone means."""
    tz, start, end = zone(zone_name), parse(start), parse(end)
    found = walls(cron_sets(local_pattern), (start - _DAY).astimezone(tz),
                  (end + _DAY).astimezone(tz))
    return sorted({i for i in (local_instant(w, zone_name) for w in found)
                   if start < i <= end})
