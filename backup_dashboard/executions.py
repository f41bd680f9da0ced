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

"""A schedule's runs as the domain reads them.

A run is a Mistral execution of the schedule workflow. ``Summary`` reads
what it published (docs/workflows.rst; a run that failed before publishing,
or whose output is malformed, still gets a summary that says what is
known); ``trigger_id_of`` and ``started_by`` read which trigger started it
and how; ``facts`` turns it into the ``health.Run`` that health judges, and
``attach_health`` judges a page of schedules from one list of runs. Pure
Python over what the api layer fetched.
"""
import functools

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from backup_dashboard import health
from backup_dashboard import schedule as domain

OUTCOMES = ('ok', 'partial', 'failed', 'empty')
# Mistral states of an execution that has not ended.
RUNNING_STATES = ('RUNNING', 'PAUSED', 'IDLE')
COUNTS = ('ok', 'failed', 'skipped', 'created', 'deleted')
# A run's outcome in words, and its label's colour (Bootstrap's).
OUTCOME_WORDS = {
    'ok': (gettext_lazy("Backed up"), 'success'),
    'partial': (gettext_lazy("Partly failed"), 'warning'),
    'failed': (gettext_lazy("Failed"), 'danger'),
    'empty': (gettext_lazy("Nothing to back up"), 'default'),
    'running': (gettext_lazy("Running"), 'info'),
    plans.NOT_DUE: (gettext_lazy("Not due (DST)"), 'default'),
    'unknown': (gettext_lazy("Unknown"), 'default'),
}


class Summary(object):
    """What a run published, read as it is asked for.

    The outcome at once; counts, volumes, error and schedule when first
    read (a chart of a thousand runs reads only their outcomes).
    """

    def __init__(self, execution):
        self.execution = execution
        self._data = domain.as_dict(getattr(execution, 'output', None))
        self.outcome = self._outcome(self._data.get('status'))

    @functools.cached_property
    def known(self):
        # A fire that was not due has empty counts, which are not "0
        # volumes backed up": no run at all.
        return isinstance(self._data.get('counts'), dict) and \
            not self.not_due

    @functools.cached_property
    def counts(self):
        counts = self._data.get('counts')
        counts = counts if isinstance(counts, dict) else {}
        return {k: _int(counts.get(k)) for k in COUNTS}

    @functools.cached_property
    def volumes(self):
        volumes = self._data.get('volumes')
        return [v for v in volumes if isinstance(v, dict)] \
            if isinstance(volumes, list) else []

    @functools.cached_property
    def error(self):
        error = self._data.get('error')
        return error if isinstance(error, str) else None

    @functools.cached_property
    def schedule(self):
        return _name(self._data.get('schedule')) or _name(domain.as_dict(
            getattr(self.execution, 'input', None)).get('schedule'))

    @property
    def not_due(self):
        """A fire its workflow's guard ended at once: no backup was due.

        A fire its workflow's guard ended at once (a schedule read in a zone:
        docs/dst.rst): no backup was due, none was tried.
        """
        return self.outcome == plans.NOT_DUE

    @property
    def targets(self):
        """The volume ids the run listed as its targets.

        None when it published none (it failed before listing them, is still
        running, was not due).
        """
        if self.volumes:
            return frozenset(v.get('volume') for v in self.volumes)
        if self.outcome == 'empty' and self.known:
            return frozenset()
        return None

    @property
    def words(self):
        """The outcome as a page says it, and its label's colour.

        A run that backed nothing up because every volume was skipped (opted
        out, or another backup of it was going) says so: its volumes were
        not nothing to back up.
        """
        words, level = OUTCOME_WORDS.get(self.outcome,
                                         OUTCOME_WORDS['unknown'])
        skipped = self.counts['skipped'] if self.known else 0
        if self.outcome == 'empty' and skipped:
            words = ngettext('Nothing backed up: %d volume skipped',
                             'Nothing backed up: %d volumes skipped',
                             skipped) % skipped
        return words, level

    def why(self, limit=3, say=None):
        """In words, why a failed or partial run did not back up every volume.

        The workflow's own error, else the volumes' distinct reasons (Cinder's
        words, "overlap: ..."). None when there is nothing to say. `say`
        turns an error, a service's text (the run's or a volume's), into the
        user's words (the panels pass api.errors' words); as it is without.
        """
        if self.outcome not in ('failed', 'partial'):
            return None
        say = say or str
        if self.error:
            return say(self.error)
        reasons = []
        for volume in self.volumes:
            if volume.get('status') == 'ok' or str(
                    volume.get('reason')).startswith('opted out'):
                continue
            error = volume.get('error')
            text = say(error) if isinstance(error, str) and error else \
                volume.get('reason')
            if isinstance(text, str) and text and text not in reasons:
                reasons.append(text)
        return '; '.join(reasons[:limit]) or None

    def _outcome(self, status):
        state = getattr(self.execution, 'state', None)
        if state in RUNNING_STATES:
            return 'running'
        if state in ('ERROR', 'CANCELLED'):
            return 'failed' if status != 'partial' else 'partial'
        if status in OUTCOMES or (state == 'SUCCESS' and
                                  status == plans.NOT_DUE):
            return status
        return 'unknown'


def _name(value):
    """A schedule name fit for a link; anything else is not one."""
    if isinstance(value, str) and value.strip() and '/' not in value:
        return value
    return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- which trigger started a run, and how ---------------------------------

def trigger_id_of(execution):
    """The trigger id an execution's description carries, or None."""
    return _triggered_by(getattr(execution, 'description', None))[0]


def started_by(execution):
    """How a run was started.

    'cron_trigger' (its schedule's time), 'backup_dashboard' (Run now), or None
    when its description does not say.
    """
    return _triggered_by(getattr(execution, 'description', None))[1]


def fired_by_cron(execution):
    return started_by(execution) == 'cron_trigger'


def _triggered_by(description):
    return _read_description(description if isinstance(description, str)
                             else '')


@functools.lru_cache(maxsize=4096)
def _read_description(text):
    # Every fire of one trigger carries the same text: read once.
    by = domain.as_dict(text).get('triggered_by')
    if not isinstance(by, dict):
        return None, None
    return by.get('id'), by.get('type')


def runs_by_trigger(runs):
    """{trigger id: its runs, in the order given}.

    Each description read once, for whatever a page then looks up per schedule.
    """
    by_trigger = {}
    for run in runs or ():
        by_trigger.setdefault(trigger_id_of(run), []).append(run)
    return by_trigger


# The `triggered_by` type of a restore drill started from the dashboard
# (``drills.STARTED_BY``): here, where how anything started is read.
DRILL_STARTED_BY = 'backup_dashboard_drill'


def how_started(execution):
    """How a run, or a drill, was started, in words."""
    kind = started_by(execution)
    if kind == 'cron_trigger':
        return _('Schedule')
    if kind in ('backup_dashboard', DRILL_STARTED_BY):
        return _('Run now')
    return _('Unknown')


# --- what health judges ---------------------------------------------------

# A run's Mistral state, when its published result was not fetched (the
# index lists runs without their output to stay one small call).
_STATE_OUTCOME = {'SUCCESS': 'ok', 'ERROR': 'failed', 'CANCELLED': 'failed',
                  'RUNNING': 'running', 'PAUSED': 'running',
                  'IDLE': 'running'}


def not_due_by_time(execution, schedule):
    """Whether a run listed without its output is a fire that was not due.

    Whether a run listed without its output (the index's one small call) is a
    fire the time zone guard ended as not due: a cron fire of the schedule's
    current trigger that its plan says is not due at the time it started. A run
    of an earlier trigger of the schedule cannot be told (its plan is gone) and
    counts as a run.
    """
    if schedule is None or execution.state != 'SUCCESS' or \
            not schedule.plan or \
            trigger_id_of(execution) != schedule.id or \
            not fired_by_cron(execution):
        return False
    started = clock.parse(execution.created_at)
    return started is not None and not schedule.is_due(started)


def facts(execution, with_output=False, schedule=None):
    """A Mistral execution as ``health.Run``.

    With its output, what it published says the outcome and its targets;
    without, its state does, and the `schedule` tells a fire that was not due
    from a run.
    """
    error = getattr(execution, 'state_info', None) or ''
    volumes = None
    if with_output:
        found = Summary(execution)
        outcome = found.outcome
        error = found.error or error
        volumes = found.targets
    elif not_due_by_time(execution, schedule):
        outcome = plans.NOT_DUE
    else:
        outcome = _STATE_OUTCOME.get(execution.state, 'unknown')
    return health.Run(started=clock.parse(execution.created_at),
                      outcome=outcome, cron=fired_by_cron(execution),
                      error=str(error), volumes=volumes)


def attach_health(schedules, runs, workbook_problems, limit=None, now=None,
                  by_trigger=None):
    """Set ``schedule.health`` from runs already fetched for the project.

    No call of its own: ``runs`` is the one project-wide run list the index
    already makes (without outputs, so a partial run counts as ok here; the
    schedule's page tells). ``limit``: the size of that list; when it is
    full, fires older than its oldest run are not judged. ``by_trigger``:
    ``runs_by_trigger(runs)``, when the caller has it already.
    """
    now = now or clock.now()
    since = None if runs is not None else now   # unknown: judge no fire
    runs = list(runs or [])
    if limit and len(runs) >= limit:
        # Mistral writes every created_at alike: the oldest is the least
        # text, and one of them is parsed, not the whole list.
        oldest = min(filter(None, (r.created_at for r in runs)),
                     key=str, default=None)
        since = clock.parse(oldest)
    if by_trigger is None:
        by_trigger = runs_by_trigger(runs)
    for schedule in schedules:
        schedule.health = health.assess(
            schedule,
            [facts(r, schedule=schedule)
             for i in getattr(schedule, 'trigger_ids', [schedule.id])
             for r in by_trigger.get(i, [])], now,
            workbook_problems=workbook_problems or (), history_since=since)
    return schedules
