"""The one object users manage: a backup schedule, and how it maps onto Mistral.

A schedule is stored nowhere but in Mistral, as a cron trigger of the bundled
``backup_dashboard_schedule`` workflow: the trigger's name is the schedule's
name, its pattern the UTC cron pattern, and everything else travels in the
trigger's ``workflow_input``. ``Schedule.to_trigger()`` and
``Schedule.from_trigger()`` are exact inverses; triggers of any other
workflow are not schedules and ``from_trigger`` returns ``None`` for them.

Everything here is plain Python (no Django, no HTTP), so it is tested on its
own and shared by the forms, the views and the Trove-style API.
"""
import dataclasses
import datetime
import json
import re
import unicodedata
import uuid
import zoneinfo

import croniter

SCHEDULE_WORKFLOW = 'backup_dashboard_schedule'
RESTORE_WORKFLOW = 'backup_dashboard_restore'
TAG_PREFIX = 'backup:'
NOVA_TAG_MAX = 60
NAME_MAX = NOVA_TAG_MAX - len(TAG_PREFIX)
DESCRIPTION_MAX = 255
MAX_RECIPIENTS = 20
MODES = ('rotation', 'incremental', 'full')
IN_USE_STRATEGIES = ('snapshot', 'force')
FULL_RANGE = (1, 100)
INCREMENTAL_RANGE = (0, 100)
KEEP_DAYS_RANGE = (1, 3650)
DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT = 3600
DAY_NAMES = ('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday',
             'Friday', 'Saturday')
# Letters (any script), digits, space and a few separators: enough for
# "nightly db-01", never '/' or ',' (refused by Nova tags) nor control
# characters, and never anything that reads as an expression.
_NAME_RE = re.compile(r'^[^\W_][\w .:@+-]*$')
_EMAIL_SPLIT_RE = re.compile(r'[,;\s]+')


class ScheduleError(ValueError):
    """Bad input for a schedule; the message is meant for the user."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclasses.dataclass
class Schedule:
    name: str
    pattern: str                       # cron, 5 fields, UTC (what Mistral runs)
    description: str = ''
    timezone: str = 'UTC'              # the zone the schedule was entered in
    local_pattern: str | None = None   # the pattern as entered in `timezone`
    mode: str = 'rotation'
    max_full: int = 2
    max_incremental: int = 6
    keep_days: int | None = None
    in_use: str = 'snapshot'
    report_to: list = dataclasses.field(default_factory=list)
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: int = DEFAULT_TIMEOUT
    # Earlier cron trigger ids of this schedule, newest first: an edit
    # re-creates the trigger under a new id, and a run is found by the
    # trigger id its description carries (see api.schedules.run_page).
    previous_ids: list = dataclasses.field(default_factory=list)
    # Read back from Mistral; never sent.
    id: str | None = None
    created_at: str | None = None
    next_execution_time: str | None = None
    project_id: str | None = None

    @property
    def tag(self):
        return tag_for(self.name)

    @property
    def trigger_ids(self):
        """Every trigger id this schedule's runs may carry, newest first."""
        return [i for i in [self.id] + list(self.previous_ids) if i]

    def workflow_input(self):
        data = {
            'schedule': self.name,
            'tag': self.tag,
            'mode': self.mode,
            'max_full': self.max_full,
            'max_incremental': self.max_incremental,
            'keep_days': self.keep_days,
            'in_use': self.in_use,
            'report_to': list(self.report_to),
            'concurrency': self.concurrency,
            'timeout': self.timeout,
            'description': self.description,
            'timezone': self.timezone,
            'local_pattern': self.local_pattern,
        }
        if self.previous_ids:
            # Only once edited: a new schedule still works with a workflow
            # deployed before this input existed.
            data['previous_ids'] = list(self.previous_ids)
        return data

    def to_trigger(self, env_name=None):
        """Keyword arguments for ``mistral.cron_triggers.create``."""
        params = {'env': env_name} if env_name else None
        return {
            'name': self.name,
            'workflow_identifier': SCHEDULE_WORKFLOW,
            'workflow_input': self.workflow_input(),
            'workflow_params': params,
            'pattern': self.pattern,
        }

    @classmethod
    def from_trigger(cls, trigger):
        """The schedule a cron trigger stores, or None if it is not ours."""
        if getattr(trigger, 'workflow_name', None) != SCHEDULE_WORKFLOW:
            return None
        data = _as_dict(getattr(trigger, 'workflow_input', None))
        return cls(
            name=trigger.name,
            pattern=trigger.pattern,
            description=data.get('description') or '',
            timezone=data.get('timezone') or 'UTC',
            local_pattern=data.get('local_pattern'),
            mode=data.get('mode', 'rotation'),
            max_full=data.get('max_full', 2),
            max_incremental=data.get('max_incremental', 6),
            keep_days=data.get('keep_days'),
            in_use=data.get('in_use', 'snapshot'),
            report_to=list(data.get('report_to') or []),
            concurrency=data.get('concurrency', DEFAULT_CONCURRENCY),
            timeout=data.get('timeout', DEFAULT_TIMEOUT),
            previous_ids=[i for i in data.get('previous_ids') or []
                          if isinstance(i, str)],
            id=getattr(trigger, 'id', None),
            created_at=getattr(trigger, 'created_at', None),
            next_execution_time=getattr(trigger, 'next_execution_time', None),
            project_id=getattr(trigger, 'project_id', None),
        )

    def retention_text(self):
        if self.mode == 'full':
            text = '%d full' % self.max_full
        else:
            text = '%d full x %d incremental' % (self.max_full,
                                                 self.max_incremental)
        if self.keep_days:
            text += ', at most %d days' % self.keep_days
        return text

    def describe(self):
        """The schedule in words, in the zone it was entered in."""
        if self.local_pattern:
            return '%s %s' % (describe_pattern(self.local_pattern),
                              self.timezone)
        return '%s UTC' % describe_pattern(self.pattern)

    def steady_state_backups(self, volumes):
        """How many backups this schedule holds for `volumes` volumes."""
        per_chain = 1 if self.mode == 'full' else 1 + self.max_incremental
        # One more in flight: the new full is made before the old chain goes.
        return volumes * (self.max_full * per_chain + 1)


def stamp(text, separators=' T'):
    """Mistral's own 'YYYY-MM-DD HH:MM:SS' (the date and time parted by
    one of `separators`) as a naive datetime, or None for any other text.
    ``fromisoformat``, where the parsers of every format a timestamp may
    come in try ``strptime`` formats in turn: what hundreds of runs spent
    most of their time on. For this exact shape, the same answer as
    ``strptime`` with "%Y-%m-%d %H:%M:%S" (or "T")."""
    if len(text) != 19 or text[10] not in separators or \
            text[4] != '-' or text[7] != '-' or text[13] != ':' or \
            text[16] != ':':
        return None
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def tag_for(name):
    return TAG_PREFIX + name


def _as_dict(value):
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# --- validation -------------------------------------------------------------

def validate_name(name):
    name = (name or '').strip()
    if not name:
        raise ScheduleError('Enter a name.', 'name')
    if len(name) > NAME_MAX:
        raise ScheduleError(
            'The name is %d characters long; at most %d fit, because it '
            'becomes the instance tag "%s<name>" (60 characters at most).'
            % (len(name), NAME_MAX, TAG_PREFIX), 'name')
    if '/' in name or ',' in name:
        raise ScheduleError('The name cannot contain "/" or ",": Nova '
                            'refuses them in instance tags.', 'name')
    if not _NAME_RE.match(name):
        raise ScheduleError(
            'Use letters, digits, spaces and . : @ + - _ only, starting '
            'with a letter or digit.', 'name')
    if _is_uuid(name):
        raise ScheduleError('A name cannot look like an ID.', 'name')
    return name


def _is_uuid(text):
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# Bidirectional embedding/override/isolate marks: invisible, and they make a
# text read differently from what it is ("Trojan source").
_BIDI_CONTROLS = set('\u202a\u202b\u202c\u202d\u202e'
                     '\u2066\u2067\u2068\u2069')


# Horizon's AngularJS interpolates {$ ... $} (its start and end symbols) in
# the page it bootstraps on: user text must never carry them.
_ANGULAR_RE = re.compile(r'\{\$|\$\}')
ANGULAR_ERROR = ('"{$" and "$}" cannot be used here: the dashboard would '
                 'read them as an expression.')


def validate_description(text):
    # Browsers send a textarea's line breaks as CRLF: one line break each.
    text = (text or '').replace('\r\n', '\n').strip()
    if len(text) > DESCRIPTION_MAX:
        raise ScheduleError('The description is too long (at most %d '
                            'characters).' % DESCRIPTION_MAX, 'description')
    # Every control character (C0, DEL, C1) but tab and line feed.
    if any((unicodedata.category(c) == 'Cc' and c not in '\t\n')
           or c in _BIDI_CONTROLS for c in text):
        raise ScheduleError('The description contains control characters.',
                            'description')
    if _ANGULAR_RE.search(text):
        raise ScheduleError(ANGULAR_ERROR, 'description')
    return text


def validate_pattern(pattern, min_interval_minutes=60):
    """A five-field cron pattern no more frequent than the operator allows."""
    pattern = ' '.join((pattern or '').split())
    if not pattern:
        raise ScheduleError('Enter a cron pattern.', 'pattern')
    if pattern.startswith('@'):
        raise ScheduleError('Macros such as "%s" are not supported: use five '
                            'fields (minute hour day month weekday).'
                            % pattern.split()[0], 'pattern')
    fields = pattern.split(' ')
    if len(fields) != 5:
        raise ScheduleError('A cron pattern has exactly five fields (minute '
                            'hour day month weekday); this one has %d.'
                            % len(fields), 'pattern')
    if not croniter.croniter.is_valid(pattern):
        raise ScheduleError('"%s" is not a valid cron pattern.' % pattern,
                            'pattern')
    gap = shortest_interval(pattern)
    if gap is None:
        raise ScheduleError('"%s" never runs.' % pattern, 'pattern')
    if gap < datetime.timedelta(minutes=min_interval_minutes):
        raise ScheduleError(
            'This pattern runs every %s; the shortest interval allowed here '
            'is %s.' % (_duration(gap), _duration(
                datetime.timedelta(minutes=min_interval_minutes))), 'pattern')
    return pattern


def shortest_interval(pattern, samples=400):
    """The smallest gap between two runs over the next `samples` runs."""
    start = datetime.datetime(2026, 1, 1)
    try:
        it = croniter.croniter(pattern, start)
        runs = [it.get_next(datetime.datetime) for _ in range(samples)]
    except (ValueError, KeyError, croniter.CroniterError):
        return None
    return min(b - a for a, b in zip(runs, runs[1:]))


def _duration(delta):
    minutes = int(delta.total_seconds() // 60)
    if minutes % 1440 == 0:
        return '%d day(s)' % (minutes // 1440)
    if minutes % 60 == 0:
        return '%d hour(s)' % (minutes // 60)
    return '%d minute(s)' % minutes


def validate_retention(mode, max_full, max_incremental, keep_days=None):
    if mode not in MODES:
        raise ScheduleError('Unknown backup mode "%s".' % mode, 'mode')
    _in_range(max_full, FULL_RANGE, 'max_full', 'full backups')
    _in_range(max_incremental, INCREMENTAL_RANGE, 'max_incremental',
              'incrementals per full')
    if keep_days is not None:
        _in_range(keep_days, KEEP_DAYS_RANGE, 'keep_days', 'days to keep')


def _in_range(value, bounds, field, what):
    low, high = bounds
    if not isinstance(value, int) or isinstance(value, bool) \
            or not low <= value <= high:
        raise ScheduleError('The number of %s must be between %d and %d.'
                            % (what, low, high), field)


def validate_emails(text_or_list):
    """Split and check report recipients; header injection cannot pass."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    if isinstance(text_or_list, (list, tuple)):
        items = [str(i) for i in text_or_list]
    else:
        items = _EMAIL_SPLIT_RE.split(text_or_list or '')
    addresses = [i.strip() for i in items if i.strip()]
    if len(addresses) > MAX_RECIPIENTS:
        raise ScheduleError('At most %d report recipients.' % MAX_RECIPIENTS,
                            'report_to')
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ScheduleError('"%s" is not an e-mail address.' % address,
                                'report_to')
        if _ANGULAR_RE.search(address):
            raise ScheduleError(ANGULAR_ERROR, 'report_to')
    return addresses


def validate(schedule, min_interval_minutes=60):
    """Check every field; returns a cleaned copy or raises ScheduleError."""
    clean = dataclasses.replace(schedule)
    clean.name = validate_name(schedule.name)
    clean.description = validate_description(schedule.description)
    clean.pattern = validate_pattern(schedule.pattern, min_interval_minutes)
    validate_retention(schedule.mode, schedule.max_full,
                       schedule.max_incremental, schedule.keep_days)
    if schedule.in_use not in IN_USE_STRATEGIES:
        raise ScheduleError('Unknown in-use strategy "%s".' % schedule.in_use,
                            'in_use')
    clean.report_to = validate_emails(schedule.report_to)
    get_zone(schedule.timezone)
    return clean


def get_zone(name):
    try:
        return zoneinfo.ZoneInfo(name or 'UTC')
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ScheduleError('Unknown time zone "%s".' % name, 'timezone')


# --- presets in the user's zone -> UTC cron -----------------------------------

PRESET_RANGES = {'minute': (0, 59), 'hour': (0, 23), 'weekday': (0, 6),
                 'day': (1, 28)}


def preset_pattern(kind, minute=0, hour=0, weekday=0, day=1):
    """The cron pattern of a preset, as the user means it (local time)."""
    values = {'minute': minute, 'hour': hour, 'weekday': weekday, 'day': day}
    for field, (low, high) in PRESET_RANGES.items():
        value = values[field]
        if not isinstance(value, int) or isinstance(value, bool) \
                or not low <= value <= high:
            raise ScheduleError('The %s must be a whole number from %d to '
                                '%d.' % (field, low, high), field)
    if kind == 'hourly':
        return '%d * * * *' % minute
    if kind == 'daily':
        return '%d %d * * *' % (minute, hour)
    if kind == 'weekly':
        return '%d %d * * %d' % (minute, hour, weekday)
    if kind == 'monthly':
        return '%d %d %d * *' % (minute, hour, day)
    raise ScheduleError('Unknown schedule kind "%s".' % kind, 'kind')


def local_to_utc(kind, zone_name, minute=0, hour=0, weekday=0, day=1,
                 now=None):
    """Convert a preset entered in `zone_name` to a UTC cron pattern.

    Mistral runs cron patterns in UTC only, so the offset in force at the
    next run is applied; ``dst_note`` explains when that offset changes.
    """
    zone = get_zone(zone_name)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    local_pattern = preset_pattern(kind, minute, hour, weekday, day)
    next_local = croniter.croniter(
        local_pattern, now.astimezone(zone).replace(tzinfo=None)
    ).get_next(datetime.datetime)
    offset = zone.utcoffset(next_local) or datetime.timedelta(0)
    total = hour * 60 + minute - int(offset.total_seconds() // 60)
    day_shift, minutes = divmod(total, 1440)
    utc_hour, utc_minute = divmod(minutes, 60)
    if kind == 'hourly':
        return '%d * * * *' % utc_minute
    if kind == 'daily':
        return '%d %d * * *' % (utc_minute, utc_hour)
    if kind == 'weekly':
        return '%d %d * * %d' % (utc_minute, utc_hour,
                                 (weekday + day_shift) % 7)
    utc_day = day + day_shift
    if utc_day == 0:
        return '%d %d L * *' % (utc_minute, utc_hour)
    if utc_day > 28:
        raise ScheduleError(
            'Day %d at %02d:%02d in %s is day %d in UTC, which February '
            'lacks, so February would be skipped: choose an earlier day or '
            'time.' % (day, hour, minute, zone_name, utc_day), 'day')
    return '%d %d %d * *' % (utc_minute, utc_hour, utc_day)


def describe_pattern(pattern):
    """Common patterns in words; anything else as the raw pattern."""
    fields = pattern.split()
    if len(fields) != 5:
        return pattern
    minute, hour, dom, month, dow = fields
    if not minute.isdigit():
        every = re.fullmatch(r'\*/(\d+)', minute)
        if every and hour == dom == month == dow == '*':
            return 'Every %s minutes' % every.group(1)
        return 'Cron "%s"' % pattern
    if hour == dom == month == dow == '*':
        return 'Hourly at :%02d' % int(minute)
    if not hour.isdigit() or month != '*':
        return 'Cron "%s"' % pattern
    at = '%02d:%02d' % (int(hour), int(minute))
    if dom == '*' and dow == '*':
        return 'Daily at %s' % at
    if dom == '*' and dow.isdigit() and int(dow) <= 7:
        return 'Weekly on %s at %s' % (DAY_NAMES[int(dow) % 7], at)
    if dow == '*' and dom.isdigit():
        return 'Monthly on day %s at %s' % (dom, at)
    if dow == '*' and dom == 'L':
        return 'Monthly on the last day at %s' % at
    return 'Cron "%s"' % pattern


def next_runs(pattern, zone_name='UTC', count=5, now=None):
    """The next `count` runs: (UTC datetime, the same in `zone_name`)."""
    zone = get_zone(zone_name)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    it = croniter.croniter(pattern, now.astimezone(datetime.timezone.utc)
                           .replace(tzinfo=None))
    runs = []
    for _ in range(count):
        utc = it.get_next(datetime.datetime).replace(
            tzinfo=datetime.timezone.utc)
        runs.append((utc, utc.astimezone(zone)))
    return runs


def next_offset_change(zone_name, now=None, horizon_days=400):
    """The next instant the zone's UTC offset changes, or None."""
    zone = get_zone(zone_name)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    start_offset = now.astimezone(zone).utcoffset()
    low = now
    step = datetime.timedelta(days=1)
    for _ in range(horizon_days):
        high = low + step
        if high.astimezone(zone).utcoffset() != start_offset:
            while high - low > datetime.timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(zone).utcoffset() == start_offset:
                    low = mid
                else:
                    high = mid
            return high
        low = high
    return None


def dst_note(pattern, zone_name, now=None):
    """Say plainly how local run times shift at the zone's next change."""
    change = next_offset_change(zone_name, now=now)
    if change is None:
        return None
    zone = get_zone(zone_name)
    before = (change - datetime.timedelta(hours=1)).astimezone(zone)
    after = (change + datetime.timedelta(hours=1)).astimezone(zone)
    shift = after.utcoffset() - before.utcoffset()
    hours = shift.total_seconds() / 3600
    direction = 'later' if hours > 0 else 'earlier'
    return ('On %s %s changes its clocks (%s to %s). Mistral runs schedules '
            'in UTC, so from then on this schedule runs %s hour(s) %s in '
            '%s local time, until the schedule is saved again.'
            % (change.astimezone(zone).strftime('%Y-%m-%d'), zone_name,
               before.strftime('%Z'), after.strftime('%Z'),
               _number(abs(hours)), direction, zone_name))


def _number(value):
    return ('%d' % value) if value == int(value) else ('%.1f' % value)
