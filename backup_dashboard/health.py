"""Is a schedule really protecting anything? Its health, in plain Python.

A schedule can look fine in Mistral and still back up nothing:

* **missed**: a time it should have fired passed with no run near it (Mistral
  or its periodic service was down, or Mistral could not start the run: a
  cron fire whose trust fails is dropped without an execution);
* **failing**: its last runs failed or only partly succeeded;
* **broken**: its owner's trust no longer works (the owner was deleted, or
  removed from the project, or lost the role), seen in Keystone when the
  viewer may ask it, or in the runs' own errors;
* **outdated**: the bundled workflows in Mistral are missing or older than
  the plugin's (``backup_dashboard.workbooks``);
* **unanchored**: saved in a time zone with daylight saving time without a
  valid plan (``dst.anchor_state``), so it will not run at its local time.

A schedule saved in such a zone fires on a union UTC pattern and its first
task ends each fire that is not due with status ``not_due`` (docs/dst.rst):
such an execution is not a run. It never counts as failing, as the fire of
an expected time, or as the "last run"; the expected times are the
schedule's real runs (``dst.runs_between``), not every fire of its pattern.

Every problem says what to do. Nothing here calls a service: callers pass
what they fetched (one list call per service for any number of schedules),
and these functions are tested on their own.
"""
import dataclasses
import datetime
import functools
import re

import croniter

from backup_dashboard import dst
from backup_dashboard import schedule as domain

UTC = datetime.timezone.utc
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
LABELS = {'broken': 'Broken', 'missed': 'Missed', 'failing': 'Failing',
          'unanchored': 'Not anchored for DST',
          'outdated': 'Workflow outdated', 'ok': 'Healthy',
          'new': 'No run due yet'}
# A clock change moves a run by at most this much in UTC: the gap between
# two real runs of an anchored schedule may be this much longer than its
# local pattern's.
DST_SHIFT = datetime.timedelta(hours=1)
# Real runs of an anchored schedule are looked for this far at a time.
_DST_WINDOW = datetime.timedelta(days=40)
# The first window: "has it been due at all yet?" (the index asks it of
# every schedule without a recent run) needs a day or two of a daily one.
_FIRST_WINDOW = datetime.timedelta(days=2)


@dataclasses.dataclass(frozen=True)
class Run:
    """What health needs of one execution of a schedule."""
    started: datetime.datetime          # aware, UTC
    outcome: str                        # ok/partial/failed/empty/running/...
    cron: bool = True                   # fired by the trigger, not "Run now"
    error: str = ''

    @property
    def real(self):
        """False for a fire the DST guard ended as not due: no run."""
        return self.outcome != dst.NOT_DUE


def real_runs(runs):
    return [r for r in runs if r.real]


@dataclasses.dataclass(frozen=True)
class Problem:
    code: str                           # one of ORDER
    detail: str                         # what is wrong, with the facts
    action: str                         # what to do about it

    @property
    def label(self):
        return LABELS[self.code]

    @property
    def severity(self):
        return SEVERITY[self.code]


@dataclasses.dataclass
class Health:
    problems: list
    # False when the owner could not be checked in Keystone (unknown owner,
    # or a viewer who may not list role assignments).
    owner_checked: bool = False
    due: bool = True                    # has any fire been due yet?

    @property
    def code(self):
        if self.problems:
            return self.problems[0].code
        return 'ok' if self.due else 'new'

    @property
    def label(self):
        return LABELS[self.code]

    @property
    def severity(self):
        return SEVERITY[self.code]

    @property
    def codes(self):
        return [p.code for p in self.problems]

    def text(self):
        """One line: every problem's label, or "Healthy"."""
        return ', '.join(p.label for p in self.problems) or self.label


# --- time

_FORMATS = ('%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S',
            '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M')


def parse_utc(value):
    """Mistral's and Cinder's naive UTC timestamps as aware datetimes."""
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).rstrip('Z')
    fast = domain.stamp(text)
    if fast is not None:
        return fast.replace(tzinfo=UTC)
    if '+' in text[10:]:
        text = text[:10] + text[10:].split('+')[0]
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _fires(pattern, start, count):
    try:
        return _walked_fires(pattern, start, count)
    except (ValueError, TypeError):
        pass                    # a pattern only croniter reads
    it = croniter.croniter(pattern, start.astimezone(UTC).replace(
        tzinfo=None))
    return [it.get_next(datetime.datetime).replace(tzinfo=UTC)
            for _ in range(count)]


def _walked_fires(pattern, start, count, years=30):
    """croniter's next `count` fires after `start`, by ``dst._walk`` (a
    hundred times faster) for the patterns it reads: numbers, lists, "*"
    and "L", every month, and not both a day of the month and a weekday
    (cron runs either; the walk would ask for both). ValueError otherwise.
    """
    fields = pattern.split()
    if len(fields) != 5 or '*' not in (fields[2], fields[4]):
        raise ValueError('not a pattern the walk reads: %s' % pattern)
    start = start.astimezone(UTC)
    fires, low = [], start
    while len(fires) < count:
        if low - start > datetime.timedelta(days=366 * years):
            raise ValueError('no fire for %d years: %s' % (years, pattern))
        high = low + datetime.timedelta(days=400)
        fires.extend(wall.replace(tzinfo=UTC)
                     for wall in dst._walk(pattern, low, high))
        low = high
    return fires[:count]


@functools.lru_cache(maxsize=4096)   # 200 fires: once per pattern
def intervals(pattern, samples=200):
    """(shortest, longest) gap between two fires over the next `samples`."""
    runs = _fires(pattern, datetime.datetime(2026, 1, 1, tzinfo=UTC),
                  samples)
    gaps = [b - a for a, b in zip(runs, runs[1:])]
    return min(gaps), max(gaps)


def tolerance(pattern, trigger=None):
    """How far from the expected time a run still counts as that fire."""
    return min(MAX_TOLERANCE, _gaps(pattern, trigger)[0] / 2)


def expected_fires(pattern, after, until, limit=10000, trigger=None):
    """Fires strictly after `after` and no later than `until`, oldest first.

    For a `trigger` carrying a DST plan, its real runs: its union pattern
    also fires at times that are not due (see the module's docstring).
    """
    if dst.plan_of(trigger):
        return _planned_runs(trigger, after, until, limit)
    fires = []
    it = croniter.croniter(pattern, after.astimezone(UTC).replace(
        tzinfo=None))
    for _ in range(limit):
        fire = it.get_next(datetime.datetime).replace(tzinfo=UTC)
        if fire > until:
            break
        fires.append(fire)
    return fires


def _planned_runs(trigger, after, until, limit):
    """dst.runs_between in windows: only as far as `limit` runs need. The
    windows grow from _FIRST_WINDOW to _DST_WINDOW: a small `limit` is
    answered without working out weeks of fires."""
    runs = []
    window = _FIRST_WINDOW
    while after < until and len(runs) < limit:
        end = min(until, after + window)
        runs.extend(dst.runs_between(trigger, after, end))
        after = end
        window = min(window * 2, _DST_WINDOW)
    return runs[:limit]


def _gaps(pattern, trigger=None):
    """(shortest, longest) gap between two real runs. An anchored trigger's
    pattern is a union (two fires a day for a daily schedule): its local
    pattern says the gaps, the longest one stretched by a clock change."""
    plan = dst.plan_of(trigger)
    if plan and plan.get('local_pattern'):
        shortest, longest = intervals(plan['local_pattern'])
        return shortest, longest + DST_SHIFT
    return intervals(pattern)


def missed_fires(pattern, created_at, runs, now, history_since=None,
                 lookback=LOOKBACK_FIRES, trigger=None):
    """The latest `lookback` expected fires that no cron-fired run matches.

    Fires before the trigger was created, before the fetched run history
    starts (``history_since``), or too recent for a run to be expected yet
    are not judged. With a `trigger` carrying a DST plan, the expected fires
    are its real runs; a fire its guard ended as not due matches none.
    Without the plan (a caller that did not pass the trigger), every fire of
    the pattern is expected, the union's not-due times included, and an
    execution the guard ended is the fire of its own time: Mistral did fire.
    (Never near a real run's time: the union's fires are at least half an
    hour apart, twice the largest tolerance.)
    """
    tol = tolerance(pattern, trigger)
    start = created_at
    if history_since is not None and history_since > start:
        start = history_since
    # Only the latest `lookback` fires are judged: skip the older ones.
    start = max(start, now - tol - (lookback + 1) * _gaps(pattern, trigger)[1])
    fires = expected_fires(pattern, start, now - tol, trigger=trigger)
    if len(fires) > lookback:
        fires = fires[-lookback:]
    planned = bool(dst.plan_of(trigger))
    started = [r.started for r in runs if r.cron and (r.real or not planned)]
    return [f for f in fires if not any(abs(s - f) <= tol for s in started)]


def rpo(pattern, trigger=None):
    """The backup age this schedule promises: its longest gap between fires,
    plus a grace for the run itself (half that gap, at most one hour).
    Pass the `trigger` of an anchored schedule: its pattern is a union."""
    longest = _gaps(pattern, trigger)[1]
    return longest + min(longest / 2, datetime.timedelta(hours=1))


# --- runs

def failing_runs(runs, limit=FAILING_RUNS):
    """The newest finished runs in a row that failed or were partial, if
    they are at least `limit` (or all of them when fewer finished)."""
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
    """The newest finished run's error if it says a trust or token was
    refused; a later good run means it was fixed."""
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
        return '%s, whose trust the schedule runs with, no longer exists.' \
            % name
    if roles is None:
        return None
    if not roles:
        return ('%s, whose trust the schedule runs with, is no longer a '
                'member of project %s.' % (name, project_name))
    if not REQUIRED_ROLES.intersection(r.lower() for r in roles):
        return ('%s, whose trust the schedule runs with, no longer has the '
                'member role in project %s (only: %s).'
                % (name, project_name, ', '.join(sorted(roles))))
    return None


# --- all together

REANCHOR = ('Use "Re-anchor" among the schedule\'s actions, or edit it and '
            'save it unchanged: saving computes its daylight saving time '
            'plan for ten years (you become its owner; refused while a run '
            'is in progress).')


def anchor_problem(trigger, now):
    """The "unanchored" Problem of a stored trigger, or None: pure
    computation (``dst.anchor_state``, milliseconds, and nothing at all for
    a schedule entered in UTC)."""
    try:
        state = dst.anchor_state(trigger, now)
    except ValueError:          # not a backup schedule's trigger
        return None
    if state.state == dst.OK:
        return None
    return Problem('unanchored', state.message, REANCHOR)


REOWN = ('Re-own it (the schedule\'s owner or an admin recreates it under '
         'their own identity; its name and runs are kept), or give %s the '
         'member role in the project again.')


def assess(pattern, created_at, runs, now, next_execution_time=None,
           owner=None, project_name='', user_exists=None, roles=None,
           workbook_problems=(), history_since=None, trigger=None):
    """The Health of one schedule from what was fetched for it.

    ``runs`` are the schedule's runs (any order) since ``history_since``
    (None: all of its runs); ``workbook_problems`` the items of
    ``workbooks.check`` that are not "ok". ``trigger``: the stored cron
    trigger, when the caller has it. A trigger with a DST plan is judged
    on its real runs, and any trigger on whether it is anchored; without
    it, on `pattern` alone.
    """
    problems = []
    created = parse_utc(created_at) or now
    owner_name = (owner or {}).get('name') or 'its owner'

    why = owner_problem(owner, project_name, user_exists, roles)
    error = trust_error(runs)
    if why:
        problems.append(Problem('broken', why, REOWN % owner_name))
    elif error:
        problems.append(Problem(
            'broken', 'The last run was refused: %s' % _short(error),
            REOWN % owner_name))

    missed = missed_fires(pattern, created, runs, now, history_since,
                          trigger=trigger)
    runs = real_runs(runs)
    next_time = parse_utc(next_execution_time)
    overdue = next_time is not None and \
        next_time < now - tolerance(pattern, trigger)
    if missed or overdue:
        if missed:
            detail = ('No run started near %s (UTC), when it should have '
                      'fired.' % ', '.join(f.strftime('%Y-%m-%d %H:%M')
                                            for f in missed))
        else:
            detail = ('Mistral has not fired it since %s (UTC).'
                      % next_time.strftime('%Y-%m-%d %H:%M'))
        action = ('Check that Mistral\'s engine and periodic services are '
                  'running (their logs say why a fire was dropped). If they '
                  'are, Mistral probably refused the owner\'s trust (owner '
                  'removed from the project or without the member role): '
                  're-own the schedule. Then use "Run now" for a backup at '
                  'once.')
        if why or error:
            action = 'Fix the owner first (see "Broken"): Mistral cannot ' \
                     'start a run with a refused trust.'
        problems.append(Problem('missed', detail, action))

    streak = failing_runs(runs)
    if streak:
        outcomes = ', '.join(r.outcome for r in streak)
        problems.append(Problem(
            'failing', 'The last %d run(s) did not back up every volume '
            '(%s)%s.' % (len(streak), outcomes,
                         (': ' + _short(streak[0].error))
                         if streak[0].error else ''),
            'Open the last run in Backup Runs to see which volumes failed '
            'and Cinder\'s reason (backup quota full, volume in error...), '
            'fix it, then use "Run now".'))

    unanchored = anchor_problem(trigger, now) if trigger is not None \
        else None
    if unanchored:
        problems.append(unanchored)

    if workbook_problems:
        problems.append(Problem(
            'outdated', 'The workflows it runs are not ready in Mistral: %s.'
            % ', '.join('%s is %s' % (p['name'], p['state'])
                        for p in workbook_problems),
            'An admin runs backup-dashboard-sync-workbooks (from the '
            'plugin\'s '
            'package) to load the bundled workflows.'))

    problems.sort(key=lambda p: ORDER.index(p.code))
    due = bool(runs) or bool(expected_fires(
        pattern, created, now - tolerance(pattern, trigger), 1,
        trigger=trigger))
    return Health(problems, owner_checked=roles is not None, due=due)


def _short(text, limit=200):
    text = ' '.join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + '\u2026'
