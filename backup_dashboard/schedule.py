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

"""The one object users manage: a backup schedule, and how Mistral holds it.

A schedule is stored nowhere but in Mistral, as a cron trigger of the bundled
``backup_dashboard_schedule`` workflow: the trigger's name is the schedule's
name and everything the user chose travels in the trigger's
``workflow_input``, the pattern exactly as typed and its time zone among it.
The trigger's own UTC pattern and time zone plan come from ``clock``.
``Schedule.to_trigger()`` and ``Schedule.from_trigger()`` are exact
inverses; triggers of any other workflow are not schedules.

Validation messages are written for the user and name the limit crossed.
"""
import dataclasses
import json
import re
import uuid

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from backup_dashboard.clock import timing as saved_timing
from backup_dashboard import errors
from backup_dashboard import texts

SCHEDULE_WORKFLOW = 'backup_dashboard_schedule'
RESTORE_WORKFLOW = 'backup_dashboard_restore'
TAG_PREFIX = 'backup:'
NOVA_TAG_MAX = 60
NAME_MAX = NOVA_TAG_MAX - len(TAG_PREFIX)
DESCRIPTION_MAX = texts.DESCRIPTION_MAX
MODES = ('rotation', 'incremental', 'full')
IN_USE_STRATEGIES = ('snapshot', 'force')
# restore points: each volume snapshotted when its backup starts, or an
# instance's volumes snapshotted together first (crash-consistent)
POINTS = ('volume', 'instance')
FULL_RANGE = (1, 100)
INCREMENTAL_RANGE = (0, 100)
KEEP_DAYS_RANGE = (1, 3650)
DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT = 3600
# Where a trigger remembers the admin template it was made from (in its
# workflow_params: the workflow's input declares no such field).
TEMPLATE_PARAM = 'backup_dashboard_template'
# Letters (any script), digits, space and a few separators: enough for
# "nightly db-01", never '/' or ',' (refused by Nova tags) nor control
# characters, and never anything that reads as an expression.
_NAME_RE = re.compile(r'^[^\W_][\w .:@+-]*$')


@dataclasses.dataclass
class Schedule:
    name: str
    # The pattern as the user typed or picked it, read in `timezone`; a
    # schedule saved before zones were stored has only `pattern` (UTC).
    local_pattern: str | None = None
    description: str = ''
    timezone: str = 'UTC'
    mode: str = 'rotation'
    max_full: int = 2
    max_incremental: int = 6
    keep_days: int | None = None
    in_use: str = 'snapshot'
    points: str = 'volume'
    report_to: list = dataclasses.field(default_factory=list)
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: int = DEFAULT_TIMEOUT
    # Earlier cron trigger ids of this schedule, newest first: an edit
    # re-creates the trigger under a new id, and a run is found by the
    # trigger id its description carries (see api.runs.run_page).
    previous_ids: list = dataclasses.field(default_factory=list)
    # What Mistral runs (clock.plans.trigger_for): set by validate(), read
    # back from the trigger.
    pattern: str | None = None
    plan: dict | None = None
    # What pages would otherwise work out from the patterns on every view
    # (clock.timing): set by validate(), read back; None on a trigger saved
    # by an earlier version.
    timing: dict | None = None
    # Read back from Mistral; never sent.
    id: str | None = None
    created_at: str | None = None
    next_execution_time: str | None = None
    project_id: str | None = None
    # When its restore drills run (drill_schedule.Settings): they live in a
    # trigger of their own, which api.schedules reads and writes with this.
    drill: object = None
    # The name of the admin template (guardrails.Template) it was made from.
    template: str | None = None

    def __post_init__(self):
        if self.local_pattern is None and self.pattern:
            self.local_pattern = self.pattern

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
        if self.points != 'volume':
            # Only when asked: a trigger keeps working with a workflow
            # deployed before this input existed.
            data['points'] = self.points
        if self.previous_ids:
            # Only once edited: a new schedule still works with a workflow
            # deployed before this input existed.
            data['previous_ids'] = list(self.previous_ids)
        return data

    def to_trigger(self, env_name=None):
        """Keyword arguments for ``mistral.cron_triggers.create``.

        The UTC pattern and, in workflow_params, the time zone plan with the
        env.
        """
        params = {'env': env_name} if env_name else {}
        if self.plan:
            params[plans.PLAN_PARAM] = self.plan
        if self.timing:
            params[saved_timing.PARAM] = self.timing
        if self.template:
            params[TEMPLATE_PARAM] = self.template
        return {
            'name': self.name,
            'workflow_identifier': SCHEDULE_WORKFLOW,
            'workflow_input': self.workflow_input(),
            'workflow_params': params or None,
            'pattern': self.pattern,
        }

    @classmethod
    def from_trigger(cls, trigger):
        """The schedule a cron trigger stores, or None if it is not ours."""
        if getattr(trigger, 'workflow_name', None) != SCHEDULE_WORKFLOW:
            return None
        data = as_dict(getattr(trigger, 'workflow_input', None))
        params = as_dict(getattr(trigger, 'workflow_params', None))
        local_pattern = data.get('local_pattern') or trigger.pattern
        return cls(
            name=trigger.name,
            pattern=trigger.pattern,
            plan=plans.plan_of(params),
            timing=saved_timing.of(params, local_pattern, trigger.pattern),
            description=data.get('description') or '',
            timezone=data.get('timezone') or 'UTC',
            local_pattern=local_pattern,
            mode=data.get('mode', 'rotation'),
            max_full=data.get('max_full', 2),
            max_incremental=data.get('max_incremental', 6),
            keep_days=data.get('keep_days'),
            in_use=data.get('in_use', 'snapshot'),
            points=data.get('points') or 'volume',
            report_to=list(data.get('report_to') or []),
            concurrency=data.get('concurrency', DEFAULT_CONCURRENCY),
            timeout=data.get('timeout', DEFAULT_TIMEOUT),
            previous_ids=[i for i in data.get('previous_ids') or []
                          if isinstance(i, str)],
            id=getattr(trigger, 'id', None),
            created_at=getattr(trigger, 'created_at', None),
            next_execution_time=getattr(trigger, 'next_execution_time', None),
            project_id=getattr(trigger, 'project_id', None),
            template=params.get(TEMPLATE_PARAM) if isinstance(
                params.get(TEMPLATE_PARAM), str) else None,
        )

    # -- when it runs: every page asks these, and they ask the clock -------

    @property
    def utc_sets(self):
        """The values its trigger's UTC pattern allows, kept when saved."""
        return saved_timing.utc_sets(self.timing, self.plan, self.pattern)

    @property
    def gaps(self):
        """(shortest, longest) gap between its local times, or None."""
        return saved_timing.gaps(self.timing, self.local_pattern)

    def next_runs(self, count=5, at=None):
        """The next `count` runs as they will really happen (UTC)."""
        return plans.next_runs(self.pattern, self.plan, count, at,
                               self.utc_sets)

    @property
    def next_run(self):
        found = self.next_runs(1)
        return found[0] if found else None

    def runs_between(self, start, end):
        return plans.runs(self.pattern, self.plan, start, end,
                          self.utc_sets)

    def is_due(self, instant):
        """Whether a cron fire at `instant` is a run (the guard's answer)."""
        return plans.due(self.plan, instant)

    def anchor_problem(self, at=None):
        return plans.anchor_problem(self.local_pattern, self.timezone,
                                    self.pattern, self.plan, at)

    def change_note(self, at=None):
        return plans.change_note(self.local_pattern, self.timezone, at)

    def describe(self):
        """The schedule in words, in its own time zone."""
        return '%s (%s)' % (describe_pattern(self.local_pattern),
                            self.timezone)

    def retention_text(self):
        if self.mode == 'full':
            text = ngettext('%d full', '%d full', self.max_full) % \
                self.max_full
        else:
            text = _('%(full)d full x %(incr)d incremental') % {
                'full': self.max_full, 'incr': self.max_incremental}
        if self.keep_days:
            text += ngettext(', at most %d day', ', at most %d days',
                             self.keep_days) % self.keep_days
        return text

    def steady_state_backups(self, volumes):
        """How many backups this schedule holds for `volumes` volumes."""
        per_chain = 1 if self.mode == 'full' else 1 + self.max_incremental
        # One more in flight: the new full is made before the old chain goes.
        return volumes * (self.max_full * per_chain + 1)


def describe_pattern(pattern):
    """A pattern the form's presets make, in words; any other as itself."""
    shape = clock.preset_of(pattern)
    if shape is None:
        return _('Cron "%s"') % pattern
    at = '%02d:%02d' % (shape.get('hour', 0), shape['minute'])
    return {
        'hourly': lambda: _('Hourly at :%02d') % shape['minute'],
        'daily': lambda: _('Daily at %s') % at,
        'weekly': lambda: _('Weekly on %(day)s at %(at)s') % {
            'day': _day_names()[shape.get('weekday', 0)], 'at': at},
        'monthly': lambda: _('Monthly on day %(day)d at %(at)s') % {
            'day': shape.get('day', 1), 'at': at},
        'last': lambda: _('Monthly on the last day at %s') % at,
    }[shape['kind']]()


def _day_names():
    return (_('Sunday'), _('Monday'), _('Tuesday'), _('Wednesday'),
            _('Thursday'), _('Friday'), _('Saturday'))


def tag_for(name):
    return TAG_PREFIX + name


def as_dict(value):
    """A dict Mistral or Cinder hands over as a dict or as JSON text."""
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
    name = name or ''
    if not name.strip():
        raise errors.InputError(_('Enter a name.'), 'name')
    if name != name.strip():
        raise errors.InputError(_('A name cannot start or end with a '
                                  'space.'), 'name')
    if len(name) > NAME_MAX:
        raise errors.InputError(_(
            'The name is %(length)d characters long; at most %(max)d fit, '
            'because it becomes the instance tag "%(prefix)s<name>" (60 '
            'characters at most).') % {'length': len(name), 'max': NAME_MAX,
                                       'prefix': TAG_PREFIX}, 'name')
    if '/' in name or ',' in name:
        raise errors.InputError(_('The name cannot contain "/" or ",": Nova '
                                  'refuses them in instance tags.'), 'name')
    if not _NAME_RE.match(name):
        raise errors.InputError(_(
            'Use letters, digits, spaces and . : @ + - _ only, starting '
            'with a letter or digit.'), 'name')
    if _is_uuid(name):
        raise errors.InputError(_('A name cannot look like an ID.'), 'name')
    return name


def _is_uuid(text):
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def validate_retention(mode, max_full, max_incremental, keep_days=None):
    if mode not in MODES:
        raise errors.InputError(_('Unknown backup mode "%s".') % mode, 'mode')
    _in_range(max_full, FULL_RANGE, 'max_full', _('full backups'))
    _in_range(max_incremental, INCREMENTAL_RANGE, 'max_incremental',
              _('incrementals per full'))
    if keep_days is not None:
        _in_range(keep_days, KEEP_DAYS_RANGE, 'keep_days', _('days to keep'))


def _in_range(value, bounds, field, what):
    low, high = bounds
    if not isinstance(value, int) or isinstance(value, bool) \
            or not low <= value <= high:
        raise errors.InputError(_(
            'The number of %(what)s must be between %(low)d and %(high)d.')
            % {'what': what, 'low': low, 'high': high}, field)


def validate(schedule, min_interval_minutes=60, at=None):
    """Check every field; a copy with what Mistral will run, or InputError.

    The pattern is kept as typed and read in the schedule's zone; its UTC
    pattern and time zone plan are worked out here (``clock.plans``).
    """
    name = validate_name(schedule.name)
    description = texts.validate_description(schedule.description)
    clean = validate_timing(schedule, min_interval_minutes, at)
    clean.name, clean.description = name, description
    validate_retention(schedule.mode, schedule.max_full,
                       schedule.max_incremental, schedule.keep_days)
    if schedule.in_use not in IN_USE_STRATEGIES:
        raise errors.InputError(_('Unknown in-use strategy "%s".')
                                % schedule.in_use, 'in_use')
    if schedule.points not in POINTS:
        raise errors.InputError(_('Unknown kind of restore point "%s".')
                                % schedule.points, 'points')
    clean.report_to = texts.validate_emails(schedule.report_to)
    return clean


def validate_timing(schedule, min_interval_minutes=60, at=None):
    """A copy with its pattern checked and its trigger's timing worked out.

    The pattern is kept as typed, read in its zone; the UTC pattern, the time
    zone plan and what pages read of them (clock.timing) are worked out.
    """
    clean = dataclasses.replace(schedule)
    clock.zone(schedule.timezone)
    clean.local_pattern = clock.check_pattern(schedule.local_pattern,
                                              min_interval_minutes)
    clean.pattern, clean.plan = plans.trigger_for(
        clean.local_pattern, schedule.timezone, at)
    clean.timing = saved_timing.for_trigger(clean.local_pattern,
                                            clean.pattern)
    return clean
