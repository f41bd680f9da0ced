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

"""Is a schedule really protecting anything? Its health, in plain Python.

A schedule can look fine in Mistral and still back up nothing:

* **missed**: a time it should have run passed with no run near it (Mistral
  or its periodic service was down, or Mistral could not start the run: a
  cron fire whose trust fails is dropped without an execution);
* **failing**: its last runs failed or only partly succeeded;
* **broken**: its owner's trust no longer works (the owner was deleted, or
  removed from the project, or lost the role), seen in Keystone when the
  viewer may ask it, or in the runs' own errors;
* **outdated**: the bundled workflows in Mistral are missing or older than
  the plugin's (``backup_dashboard.bundled``);
* **unanchored**: its time zone plan no longer matches the zone's rules
  (``clock.plans.anchor_problem``), so it will not run at its local time.

The expected times are the schedule's real runs (``Schedule.runs_between``):
a fire its workflow's guard ended as not due is no run. A schedule none of
whose runs is due yet is "new" and says when it first runs.

Every problem says what to do. Nothing here calls a service: callers pass
what they fetched (one list call per service for any number of schedules),
and these functions are tested on their own.
"""
import dataclasses
import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans

# "Failing" once this many of the newest finished runs in a row failed (or
# every finished run, when the schedule has fewer).
FAILING_RUNS = 2
# How many of the most recent expected fires are checked for a run.
LOOKBACK_FIRES = 3
# A run counts as "the" fire when it started within half an interval of the
# expected time, never more than this (Mistral fires ~2 s early, and late
# when busy).
MAX_TOLERANCE = datetime.timedelta(minutes=15)
# Any of these roles in the project lets the owner's trust back up volumes.
REQUIRED_ROLES = frozenset(['member', 'admin'])
# Words Keystone and the services use when a trust or token is refused.
TRUST_ERROR_RE = re.compile(
    r'trust|unauthori[sz]ed|not authori[sz]ed|forbidden|\b40[13]\b|'
    r'has no access|delegated role|could not find token', re.I)
BAD_OUTCOMES = ('failed', 'partial')
ORDER = ('broken', 'missed', 'failing', 'unanchored', 'outdated')
SEVERITY = {'broken': 'danger', 'missed': 'danger', 'failing': 'danger',
            'unanchored': 'warning', 'outdated': 'warning', 'ok': 'success',
            'new': 'info'}
LABELS = {'broken': gettext_lazy('Broken'), 'missed': gettext_lazy('Missed'),
          'failing': gettext_lazy('Failing'),
          'unanchored': gettext_lazy('Time zone plan outdated'),
          'outdated': gettext_lazy('Workflow outdated'),
          'ok': gettext_lazy('Healthy'), 'new': gettext_lazy('Not run yet')}
# A clock change moves a run by at most this much in UTC: the gap between
# two real runs of an anchored schedule may be this much longer than its
# local pattern's.
DST_SHIFT = datetime.timedelta(hours=1)


@dataclasses.dataclass(frozen=True)
class Run:
    """What health needs of one execution of a schedule."""
    started: datetime.datetime          # aware, UTC
    outcome: str                        # ok/partial/failed/empty/running/...
    cron: bool = True                   # fired by the trigger, not "Run now"
    error: str = ''
    # Ids of the volumes the run listed as its targets (its published
    # result), None when it did not get that far or was not read.
    volumes: frozenset | None = None

    @property
    def real(self):
        """False for a fire the DST guard ended as not due: no run."""
        return self.outcome != plans.NOT_DUE


def real_runs(runs):
    return [r for r in runs if r.real]


class _Worded:
    """The words and severity of a ``code`` (a problem's or a schedule's)."""

    @property
    def label(self):
        return str(LABELS[self.code])

    @property
    def severity(self):
        return SEVERITY[self.code]


@dataclasses.dataclass(frozen=True)
class Problem(_Worded):
    code: str                           # one of ORDER
    detail: str                         # what is wrong, with the facts
    action: str                         # what to do about it


@dataclasses.dataclass
class Health(_Worded):
    problems: list
    # False when the owner could not be checked in Keystone (unknown owner,
    # or a viewer who may not list role assignments).
    owner_checked: bool = False
    due: bool = True                    # has any run been due yet?
    first_run: datetime.datetime | None = None  # when not: its first run

    @property
    def code(self):
        if self.problems:
            return self.problems[0].code
        return 'ok' if self.due else 'new'

    @property
    def codes(self):
        return [p.code for p in self.problems]

    def text(self):
        """One line: every problem's label, or "Healthy"."""
        return ', '.join(p.label for p in self.problems) or self.label


# --- time

def gaps(schedule):
    """(shortest, longest) gap between two runs.

    Read in a zone with clock changes, the longest is stretched by the change
    (DST_SHIFT).
    """
    found = schedule.gaps or (
        datetime.timedelta(days=366), datetime.timedelta(days=366))
    if schedule.plan:
        return found[0], found[1] + DST_SHIFT
    return found


def tolerance(schedule):
    """How far from the expected time a run still counts as that fire."""
    return min(MAX_TOLERANCE, gaps(schedule)[0] / 2)


def expected_runs(schedule, after, until):
    """The schedule's runs strictly after `after`, up to `until`.

    The fires its trigger makes that are due (not the not-due ones of a zoned
    one).
    """
    if until <= after:
        return []
    return schedule.runs_between(after, until)


def missed_fires(schedule, runs, now, history_since=None,
                 lookback=LOOKBACK_FIRES):
    """The latest `lookback` expected runs that no cron-fired run matches.

    Times before the trigger was created, before the fetched run history
    starts (``history_since``), or too recent for a run to be expected yet
    are not judged; a fire the guard ended as not due matches none.
    """
    tol = tolerance(schedule)
    start = clock.parse(schedule.created_at) or now
    if history_since is not None and history_since > start:
        start = history_since
    # Only the latest `lookback` fires are judged: skip the older ones.
    start = max(start, now - tol - (lookback + 1) * gaps(schedule)[1])
    fires = expected_runs(schedule, start, now - tol)[-lookback:]
    started = [r.started for r in runs if r.cron and r.real]
    return [f for f in fires if not any(abs(s - f) <= tol for s in started)]


def first_run(schedule, now, since=None, grace=None):
    """The schedule's first run after `since` while it is not due yet.

    The schedule's first run after `since` (default: its creation) while that
    run is not due yet (`grace`, default its tolerance, after its time), or
    None once it is (or it never runs).
    """
    since = clock.parse(since) or clock.parse(schedule.created_at) or now
    found = schedule.next_runs(1, at=since)
    late = tolerance(schedule) if grace is None else grace
    return found[0] if found and found[0] > now - late else None


def run_grace(schedule):
    """How long after its time a run may take to make its backups.

    Half the longest gap between runs, at most one hour.
    """
    return min(gaps(schedule)[1] / 2, datetime.timedelta(hours=1))


def rpo(schedule):
    """The backup age this schedule promises.

    Its longest gap between runs, plus the grace for the run itself
    (``run_grace``).
    """
    return gaps(schedule)[1] + run_grace(schedule)


# --- runs

def failing_runs(runs, limit=FAILING_RUNS):
    """The newest finished runs in a row that failed or were partial.

    If they are at least `limit` (or all of them when fewer finished).
    """
    finished = sorted((r for r in real_runs(runs)
                       if r.outcome not in ('running',)),
                      key=lambda r: r.started, reverse=True)
    streak = []
    for run in finished:
        if run.outcome not in BAD_OUTCOMES:
            break
        streak.append(run)
    if streak and len(streak) >= min(limit, len(finished)):
        return streak
    return []


def trust_error(runs):
    """The newest finished run's error if a trust or token was refused.

    The newest finished run's error if it says a trust or token was refused; a
    later good run means it was fixed.
    """
    finished = sorted((r for r in real_runs(runs)
                       if r.outcome not in ('running',)),
                      key=lambda r: r.started, reverse=True)
    if finished and finished[0].error and \
            TRUST_ERROR_RE.search(finished[0].error):
        return finished[0].error
    return None


# --- the owner

def owner_problem(owner, project_name, user_exists=None, roles=None):
    """Why the owner's trust cannot work, or None (also when unknown).

    ``user_exists`` and ``roles`` (the owner's effective role names in the
    schedule's project) are None when the viewer could not ask Keystone.
    """
    if owner is None:
        return None
    name = owner.get('name') or owner.get('id')
    if user_exists is False:
        return _('%s, whose trust the schedule runs with, no longer '
                 'exists.') % name
    if roles is None:
        return None
    if not roles:
        return _('%(name)s, whose trust the schedule runs with, is no '
                 'longer a member of project %(project)s.') % {
                     'name': name, 'project': project_name}
    if not REQUIRED_ROLES.intersection(r.lower() for r in roles):
        return _('%(name)s, whose trust the schedule runs with, no longer '
                 'has the member role in project %(project)s (only: '
                 '%(roles)s).') % {'name': name, 'project': project_name,
                                   'roles': ', '.join(sorted(roles))}
    return None


# --- all together

def _reanchor():
    return _('Use "Re-anchor" among the schedule\'s actions, or edit it and '
             'save it unchanged: saving works out its time zone plan for '
             'ten years (you become its owner; refused while a run is in '
             'progress).')


def _reown(owner_name):
    return _('Re-own it (the schedule\'s owner or an admin recreates it '
             'under their own identity; its name and runs are kept), or '
             'give %s the member role in the project again.') % owner_name


def assess(schedule, runs, now, owner=None, project_name='',
           user_exists=None, roles=None, workbook_problems=(),
           history_since=None):
    """The Health of one schedule from what was fetched for it.

    The Health of one schedule (as read back from its trigger) from what was
    fetched for it.

    ``runs`` are the schedule's runs (any order) since ``history_since``
    (None: all of its runs); ``workbook_problems`` the items of
    ``bundled.check`` that are not "ok".
    """
    problems = []
    owner_name = (owner or {}).get('name') or _('its owner')

    why = owner_problem(owner, project_name, user_exists, roles)
    error = trust_error(runs)
    if why:
        problems.append(Problem('broken', why, _reown(owner_name)))
    elif error:
        problems.append(Problem(
            'broken', _('The last run was refused: %s') % _short(error),
            _reown(owner_name)))

    missed = missed_fires(schedule, runs, now, history_since)
    runs = real_runs(runs)
    next_time = clock.parse(schedule.next_execution_time)
    overdue = next_time is not None and \
        next_time < now - tolerance(schedule)
    if missed or overdue:
        if missed:
            detail = _('No run started near %s, when it should have run.') \
                % ', '.join(f.strftime('%Y-%m-%d %H:%M UTC') for f in missed)
        else:
            detail = _('Mistral has not fired it since %s.') % \
                next_time.strftime('%Y-%m-%d %H:%M UTC')
        action = _('Check that Mistral\'s engine and periodic services are '
                   'running (their logs say why a fire was dropped). If they '
                   'are, Mistral probably refused the owner\'s trust (owner '
                   'removed from the project or without the member role): '
                   're-own the schedule. Then use "Run now" for a backup at '
                   'once.')
        if why or error:
            action = _('Fix the owner first (see "Broken"): Mistral cannot '
                       'start a run with a refused trust.')
        problems.append(Problem('missed', detail, action))

    streak = failing_runs(runs)
    if streak:
        problems.append(Problem(
            'failing', ngettext(
                'The last %(count)d run(s) did not back up every volume '
                '(%(outcomes)s)%(error)s.',
                'The last %(count)d run(s) did not back up every volume '
                '(%(outcomes)s)%(error)s.', len(streak)) % {
                'count': len(streak),
                'outcomes': ', '.join(r.outcome for r in streak),
                'error': (': ' + _short(streak[0].error))
                if streak[0].error else ''},
            _('Open the last run in Backup Runs to see which volumes failed '
              'and Cinder\'s reason (backup quota full, volume in error...), '
              'fix it, then use "Run now".')))

    unanchored = schedule.anchor_problem(now)
    if unanchored:
        problems.append(Problem('unanchored', unanchored, _reanchor()))

    if workbook_problems:
        problems.append(Problem(
            'outdated', _('The workflows it runs are not ready in Mistral: '
                          '%s.') % ', '.join(
                _('%(name)s is %(state)s') % {'name': p['name'],
                                              'state': p['state']}
                for p in workbook_problems),
            _('An admin runs backup-dashboard-sync-workbooks (from the '
              'plugin\'s package) to load the bundled workflows.')))

    problems.sort(key=lambda p: ORDER.index(p.code))
    first = None if runs else first_run(schedule, now)
    return Health(problems, owner_checked=roles is not None,
                  due=first is None, first_run=first)


def _short(text, limit=200):
    text = ' '.join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + '\u2026'
