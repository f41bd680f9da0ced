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

"""When a schedule's restore drills run on their own.

A schedule's drills are off, weekly or monthly at a time of day read in the
schedule's time zone, with every volume or a sample in turn, the restored
volumes deleted once checked or kept some hours for a look. Like the
schedule, they live in a Mistral cron trigger (of the drill workflow, named
``trigger_name(schedule)``): its pattern and time zone plan come from
``clock.plans`` as a schedule's do, and its input says what to drill.
``Settings`` turns the form's fields into that trigger and reads it back.
Pure Python: ``api.schedules`` creates and deletes the trigger with the
schedule's.
"""
import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from backup_dashboard import drills
from backup_dashboard import errors
from backup_dashboard import schedule as domain

FREQUENCIES = ('off', 'weekly', 'monthly')
PERIODS = {'weekly': 'week', 'monthly': 'month'}


# Earlier drill trigger ids kept: listing drills costs a call per id.
MAX_PREVIOUS_IDS = 10


def trigger_ids(schedule):
    """Every trigger id a drill of `schedule` may carry, newest first.

    The schedule's (Run Drill Now) and its drill trigger's (cron fires).
    """
    settings = schedule.drill or Settings()
    return schedule.trigger_ids + settings.trigger_ids


def trigger_name(schedule_name):
    """The drill trigger of a schedule: a name no schedule can have."""
    return '%s (drill)' % schedule_name


@dataclasses.dataclass
class Settings:
    """When a schedule's drills run, read in the schedule's time zone.

    Stored as a cron trigger of the drill workflow named
    ``trigger_name(schedule)`` (no database): its input says what to drill,
    its pattern and time zone plan when, as a schedule's do.
    """
    frequency: str = 'off'
    weekday: int = 0            # cron's: 0 is Sunday
    day: int = 1
    hour: int = 4
    minute: int = 0
    sample: int | None = None
    # hours the restored volumes that passed are kept (0: deleted at once)
    keep_hours: int = 0
    # worked out by validate(), read back from the trigger
    timezone: str = 'UTC'
    pattern: str | None = None
    plan: dict | None = None
    id: str | None = None
    # Earlier ids of the drill trigger, newest first: an edit re-creates it,
    # and a cron-started drill is found by the trigger id it carries.
    previous_ids: list = dataclasses.field(default_factory=list)

    @property
    def trigger_ids(self):
        return [i for i in [self.id] + list(self.previous_ids) if i]

    @property
    def on(self):
        return self.frequency != 'off'

    @property
    def local_pattern(self):
        if not self.on:
            return None
        return clock.preset(self.frequency, minute=self.minute,
                            hour=self.hour, weekday=self.weekday,
                            day=self.day)

    def validate(self, timezone, at=None):
        """A copy with its trigger's timing in `timezone`, or InputError."""
        if self.frequency not in FREQUENCIES:
            raise errors.InputError(_('Unknown drill frequency "%s".')
                                    % self.frequency, 'drill')
        clean = dataclasses.replace(self, timezone=timezone)
        if self.on:
            try:
                local = self.local_pattern
            except errors.InputError as error:
                raise errors.InputError(str(error), 'drill_' + error.field)
            clean.pattern, clean.plan = plans.trigger_for(local, timezone,
                                                          at)
        try:
            clean.sample = drills.validate_sample(self.sample)
        except errors.InputError as error:
            raise errors.InputError(str(error), 'drill_sample')
        try:
            clean.keep_hours = drills.validate_keep(self.keep_hours)
        except errors.InputError as error:
            raise errors.InputError(str(error), 'drill_keep')
        return clean

    def to_trigger(self, schedule, env_name=None):
        """Keyword arguments for ``mistral.cron_triggers.create``."""
        params = {'env': env_name} if env_name else {}
        if self.plan:
            params[plans.PLAN_PARAM] = self.plan
        return {
            'name': trigger_name(schedule.name),
            'workflow_identifier': drills.DRILL_WORKFLOW,
            'workflow_input': {
                'schedule': schedule.name, 'sample': self.sample,
                'period': PERIODS[self.frequency],
                'concurrency': drills.CONCURRENCY, 'timeout': schedule.timeout,
                'keep': self.keep_hours * 3600,
                'report_to': list(schedule.report_to),
                'timezone': self.timezone,
                'local_pattern': self.local_pattern,
                'previous_ids': list(self.previous_ids)},
            'workflow_params': params or None,
            'pattern': self.pattern,
        }

    @classmethod
    def from_trigger(cls, trigger):
        """The settings a drill trigger stores; off for anything else."""
        workflow = getattr(trigger, 'workflow_name', None)
        if workflow != drills.DRILL_WORKFLOW:
            return cls()
        data = domain.as_dict(getattr(trigger, 'workflow_input', None))
        shape = clock.preset_of(data.get('local_pattern') or '') or {}
        if shape.get('kind') not in PERIODS:
            return cls()
        sample = data.get('sample')
        keep = data.get('keep')
        return cls(frequency=shape['kind'],
                   weekday=shape.get('weekday', 0), day=shape.get('day', 1),
                   hour=shape.get('hour', 0), minute=shape.get('minute', 0),
                   sample=sample if isinstance(sample, int) else None,
                   keep_hours=keep // 3600 if isinstance(keep, int) and
                   keep > 0 else 0,
                   timezone=data.get('timezone') or 'UTC',
                   pattern=trigger.pattern,
                   plan=plans.plan_of(domain.as_dict(getattr(
                       trigger, 'workflow_params', None))),
                   id=getattr(trigger, 'id', None),
                   previous_ids=[i for i in data.get('previous_ids') or []
                                 if isinstance(i, str)])

    def next_drills(self, count=3, at=None):
        """The next drills (UTC) as they will really run; [] when off."""
        if not self.on or not self.pattern:
            return []
        return plans.next_runs(self.pattern, self.plan, count, at)

    def describe(self):
        """The settings in words, with the schedule's zone."""
        if not self.on:
            return _('Off')
        how = _('every volume') if not self.sample else ngettext(
            '%d volume per drill, in turn', '%d volumes per drill, in turn',
            self.sample) % self.sample
        text = '%s (%s), %s' % (domain.describe_pattern(self.local_pattern),
                                self.timezone, how)
        if self.keep_hours:
            text += ', ' + ngettext(
                'restored volumes kept %d hour', 'restored volumes kept %d '
                'hours', self.keep_hours) % self.keep_hours
        return text
