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

"""Restore drills as the domain reads them.

A drill is a Mistral execution of the bundled drill workflow
(``workbooks/drill.yaml``) started for one schedule: each chosen volume's
newest available backup of the schedule is restored to a throwaway volume,
checked and deleted. This module chooses the volumes (all, or a sample taken
in rotation so that every volume is drilled over time), works out the room a
drill needs in the volume quota before anything is created, and reads what
a drill published: per volume its result, the reason and the restore time
(RTO), from Cinder's own timestamps. Pure Python over what the api layer
fetched.
"""
import dataclasses
import datetime
import statistics

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from backup_dashboard.clock import cron as clock
from backup_dashboard import errors
from backup_dashboard.executions import DRILL_STARTED_BY
from backup_dashboard.executions import OUTCOME_WORDS as RUN_WORDS
from backup_dashboard.executions import RUNNING_STATES
from backup_dashboard import schedule as domain

DRILL_WORKFLOW = 'backup_dashboard_drill'
# The drill workflow's task that waits to delete the volumes kept for a
# look: once it exists, every restore of the drill is done.
RELEASE_TASK = 'release'
# The `triggered_by` type of a drill started from the dashboard.
STARTED_BY = DRILL_STARTED_BY
# Restores at once (the workflow's `concurrency`): also how many throwaway
# volumes the quota must hold at the same time.
CONCURRENCY = 2
SAMPLE_RANGE = (1, 100)
# Hours the restored volumes that passed may be kept for a look (0: each
# is deleted once checked): a kept volume holds volume quota meanwhile.
KEEP_RANGE = (0, 72)
RESULTS = ('passed', 'failed', 'skipped')
# A drill's status (workbooks/drill.yaml): 'refused' when it could not run
# (a backup run going, no room in the volume quota: its reason says).
OUTCOMES = ('ok', 'partial', 'failed', 'empty', 'refused', 'not_due')
# A drill's outcome in words, and its label's colour: a backup run's
# (executions.OUTCOME_WORDS) but for the three of its own.
OUTCOME_WORDS = dict(
    {k: RUN_WORDS[k] for k in ('partial', 'failed', 'running', 'not_due')},
    ok=(gettext_lazy("Passed"), 'success'),
    empty=(gettext_lazy("Nothing to drill"), 'default'),
    refused=(gettext_lazy("Refused"), 'warning'))
# A schedule whose last good drill is older than this is flagged.
STALE_AFTER = datetime.timedelta(days=30)


def choose(volume_ids, sample=None, turn=0):
    """The volumes a drill restores, in the order it takes them.

    All of them (by id), or `sample` of them from position turn * sample,
    wrapping round: turn after turn, every volume is taken once before any
    is taken again (while the volumes stay the same). The drill workflow
    chooses the same way when a cron trigger starts it (``pick`` in
    workbooks/drill.yaml; a test holds the two together).
    """
    ordered = sorted(set(volume_ids))
    if not sample or sample >= len(ordered):
        return ordered
    return [ordered[(turn * sample + i) % len(ordered)]
            for i in range(sample)]


def turn_at(instant, period='week'):
    """A cron-started drill's turn: its week, or month, since 1970."""
    if period == 'month':
        return instant.year * 12 + instant.month - 1
    return int(instant.timestamp() // (7 * 86400))


def _whole_in(value, bounds):
    """`value` as typed if it is a whole number within `bounds`, else None."""
    low, high = bounds
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if str(number) != str(value).strip() or not low <= number <= high:
        return None
    return number


def validate_sample(value):
    """The sample size as typed: empty means every volume."""
    if value in (None, ''):
        return None
    number = _whole_in(value, SAMPLE_RANGE)
    if number is None:
        raise errors.InputError(_(
            'Volumes per drill must be a whole number from %(low)d to '
            '%(high)d, or empty for every volume.') % {
                'low': SAMPLE_RANGE[0], 'high': SAMPLE_RANGE[1]}, 'sample')
    return number


def validate_keep(value):
    """The hours to keep restored volumes, as typed: empty means 0."""
    if value in (None, ''):
        return 0
    number = _whole_in(value, KEEP_RANGE)
    if number is None:
        raise errors.InputError(_(
            'Hours to keep the restored volumes must be a whole number from '
            '%(low)d to %(high)d (0: delete each once checked).') % {
                'low': KEEP_RANGE[0], 'high': KEEP_RANGE[1]}, 'keep')
    return number


def room_needed(sizes, keep=False):
    """(volumes, gigabytes) a drill holds at once at its peak.

    `sizes`: the GB of each chosen volume's backup. At most CONCURRENCY
    throwaway volumes exist together, the largest ones at worst; every one
    of them when they are kept after the last restore.
    """
    largest = sorted(sizes, reverse=True)
    if not keep:
        largest = largest[:CONCURRENCY]
    return len(largest), sum(largest)


def room_problem(sizes, room, keep=False, ahead=False):
    """Why the volume quota cannot hold the drill, or None.

    `room`: what the quota still allows, {'volumes', 'gigabytes'}, None
    where unlimited (``api.storage.volume_room``); `keep`: whether the
    restored volumes are kept after the last restore; `ahead`: said of the
    drills a schedule will run, not of one being started.
    """
    volumes, gigabytes = room_needed(sizes, keep)
    short = []
    if room.get('volumes') is not None and room['volumes'] < volumes:
        short.append(ngettext('%d more volume', '%d more volumes',
                              room['volumes']) % max(room['volumes'], 0))
    if room.get('gigabytes') is not None and room['gigabytes'] < gigabytes:
        short.append(_('%d more GB') % max(room['gigabytes'], 0))
    if not short:
        return None
    values = {'volumes': ngettext('%d volume', '%d volumes', volumes) %
              volumes, 'gigabytes': gigabytes,
              'left': _(' and ').join(short)}
    if ahead:
        return _(
            'A drill of these volumes restores up to %(volumes)s at once, '
            '%(gigabytes)d GB in all, but the project\'s volume quota allows '
            'only %(left)s now: its drills will be refused until there is '
            'room. Drill fewer volumes, keep them for no hours, or free '
            'some volume quota.') % values
    return _(
        'A drill of these volumes restores up to %(volumes)s at once, '
        '%(gigabytes)d GB in all, but the project\'s volume quota allows '
        'only %(left)s. Nothing was created: free some volume quota, or '
        'drill fewer volumes at a time.') % values


@dataclasses.dataclass
class VolumeResult:
    volume: str
    result: str
    reason: str | None = None
    backup: str | None = None
    backup_created: str | None = None
    incremental: bool = False
    restore_started: object = None
    restore_done: object = None
    # Seconds from the restore request to an available volume, as the
    # workflow worked it out from Cinder's stamps (and its e-mail says).
    rto: int | None = None
    cleaned: bool | None = None
    cleanup_error: str | None = None

    @classmethod
    def read(cls, data):
        backup = data.get('backup') if isinstance(data.get('backup'),
                                                  dict) else {}
        result = data.get('result')
        return cls(
            volume=_text(data.get('volume')) or '?',
            result=result if result in RESULTS else 'failed',
            reason=_text(data.get('reason')),
            backup=_text(backup.get('id')),
            backup_created=_text(backup.get('created_at')),
            incremental=backup.get('is_incremental') is True,
            restore_started=clock.parse(data.get('restore_started')),
            restore_done=clock.parse(data.get('restore_done')),
            rto=_int(data.get('rto_seconds')),
            cleaned=data.get('cleaned') if isinstance(
                data.get('cleaned'), bool) else None,
            cleanup_error=_text(data.get('cleanup_error')))


class Drill:
    """One drill execution, as it published its results.

    A drill still going, or one that failed before publishing, has no
    volumes; its Mistral state says what is known.
    """

    def __init__(self, execution):
        self.execution = execution
        self.id = execution.id
        self.state = execution.state
        self.started = clock.parse(execution.created_at)
        self.ended = None if self.running else \
            clock.parse(getattr(execution, 'updated_at', None))
        data = domain.as_dict(getattr(execution, 'output', None))
        found = data.get('volumes')
        self.volumes = [VolumeResult.read(v) for v in found
                        if isinstance(v, dict)] \
            if isinstance(found, list) else []
        given = domain.as_dict(getattr(execution, 'input', None))
        self.chosen = data.get('chosen') or given.get('volumes') or []
        self.turn = _int(data.get('turn') if data.get('turn') is not None
                         else given.get('turn'))
        self.reason = _text(data.get('reason'))
        keep = _int(data.get('keep') if data.get('keep') is not None
                    else given.get('keep'))
        # Hours the volumes that passed were (or are being) kept.
        self.keep_hours = keep // 3600 if keep else 0
        self.outcome = self._outcome(data.get('status'))
        self.error = getattr(execution, 'state_info', None) \
            if self.state == 'ERROR' else None

    @property
    def running(self):
        return self.state in RUNNING_STATES

    def _outcome(self, status):
        if self.running:
            return 'running'
        if self.state == 'SUCCESS' and status in OUTCOMES:
            return status
        return 'failed'

    @property
    def words(self):
        """The outcome as a page says it, and its label's colour."""
        return OUTCOME_WORDS[self.outcome]

    def count(self, result):
        return sum(1 for v in self.volumes if v.result == result)

    @property
    def rtos(self):
        return [v.rto for v in self.volumes if v.rto is not None]

    @property
    def worst_rto(self):
        return max(self.rtos, default=None)

    @property
    def median_rto(self):
        found = self.rtos
        return int(statistics.median(found)) if found else None

    @property
    def duration(self):
        """Seconds the whole drill took, once it has ended."""
        if self.started is None or self.ended is None:
            return None
        return max(0, int((self.ended - self.started).total_seconds()))

    @property
    def leftovers(self):
        """Volumes whose throwaway volume could not be deleted."""
        return [v for v in self.volumes if v.cleaned is False]

    @property
    def not_due(self):
        """A fire of a drill trigger that its time zone plan did not want."""
        return self.outcome == 'not_due'


@dataclasses.dataclass
class Standing:
    """Where a schedule, or a project, stands on drills.

    From its drills since some time, as they stood at `now`: the newest
    that passed on every volume (``last_good``) and the newest that ended
    (``last``).
    """
    now: datetime.datetime
    last_good: Drill | None = None
    last: Drill | None = None
    # Whether drills are expected at all: a project without a schedule has
    # nothing to drill and is not flagged for it.
    expected: bool = True
    # Whether the schedule has drills of its own (None: not known).
    scheduled: bool | None = None

    @classmethod
    def of(cls, found, now, expected=True, scheduled=None):
        ended = sorted((d for d in found if not d.running and d.started),
                       key=lambda d: d.started, reverse=True)
        return cls(now=now,
                   last_good=next((d for d in ended if d.outcome == 'ok'),
                                  None),
                   last=ended[0] if ended else None, expected=expected,
                   scheduled=scheduled)

    @property
    def age(self):
        if self.last_good is None:
            return None
        return self.now - self.last_good.started

    @property
    def rto_median(self):
        return self.last_good.median_rto if self.last_good else None

    @property
    def rto_worst(self):
        return self.last_good.worst_rto if self.last_good else None

    @property
    def stale(self):
        """Whether no drill passed on every volume in STALE_AFTER."""
        return self.last_good is None or self.age > STALE_AFTER

    @property
    def problem(self):
        """What is wrong, or None.

        'failing' (the last drill failed), 'off' (no drills of its own),
        'stale' (no good drill in STALE_AFTER).
        """
        if self.last is not None and self.last.outcome in ('failed',
                                                           'partial'):
            return 'failing'
        if self.scheduled is False:
            return 'off'
        if self.expected and self.stale:
            return 'stale'
        return None

    @property
    def problem_text(self):
        found = self.problem
        if found == 'failing':
            return _('The last drill failed')
        if found == 'off':
            return _('Drills are off')
        if found == 'stale':
            return ngettext('No successful drill in %d day',
                            'No successful drill in %d days',
                            STALE_AFTER.days) % STALE_AFTER.days
        return None


def _int(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return max(0, int(value))


def _text(value):
    return value if isinstance(value, str) and value else None
