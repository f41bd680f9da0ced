"""Turning Mistral's UTC strings and states into what a person reads."""
import datetime
import functools
import json

from django.utils.translation import gettext as _

from backup_dashboard import dst
from backup_dashboard import schedule as domain

_FORMATS = ('%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S',
            '%Y-%m-%d %H:%M')


def parse_utc(text):
    """Mistral's naive UTC timestamps as aware datetimes (None if absent)."""
    if not text:
        return None
    if isinstance(text, datetime.datetime):
        value = text
    else:
        value = domain.stamp(str(text).rstrip('Z'))
        for fmt in _FORMATS if value is None else ():
            try:
                value = datetime.datetime.strptime(str(text).rstrip('Z'), fmt)
                break
            except ValueError:
                continue
        if value is None:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def local_text(text, zone_name):
    value = parse_utc(text)
    if value is None:
        return '-'
    zone = domain.get_zone(zone_name)
    return value.astimezone(zone).strftime('%Y-%m-%d %H:%M %Z')


def duration_text(start, end):
    start, end = parse_utc(start), parse_utc(end)
    if not start or not end:
        return '-'
    seconds = int((end - start).total_seconds())
    if seconds < 60:
        return '%ds' % seconds
    if seconds < 3600:
        return '%dm %02ds' % divmod(seconds, 60)
    return '%dh %02dm' % (seconds // 3600, seconds % 3600 // 60)


def last_run_text(schedule):
    run = getattr(schedule, 'last_run', None)
    if run is None:
        return _('No run yet')
    return '%s (%s)' % (run.state, getattr(run, 'started_local', ''))


def trigger_id_of(execution):
    """The trigger id an execution's description carries, or None."""
    return _triggered_by(getattr(execution, 'description', None))[0]


def _triggered_by(description):
    """(trigger id, how it was started: 'cron_trigger'...) that a
    description says, each None when it does not."""
    return _read_description(description if isinstance(description, str)
                             else '')


@functools.lru_cache(maxsize=4096)
def _read_description(text):
    # Every fire of one trigger carries the same text: read once.
    try:
        data = json.loads(text or '')
    except ValueError:
        return None, None
    by = data.get('triggered_by') if isinstance(data, dict) else None
    if not isinstance(by, dict):
        return None, None
    return by.get('id'), by.get('type')


def runs_by_trigger(runs):
    """{trigger id: its runs, in the order given}: each description read
    once, for whatever a page then looks up per schedule."""
    by_trigger = {}
    for run in runs or ():
        by_trigger.setdefault(trigger_id_of(run), []).append(run)
    return by_trigger


def how_started(execution):
    try:
        data = json.loads(getattr(execution, 'description', '') or '')
        kind = (data.get('triggered_by') or {}).get('type')
    except (ValueError, AttributeError):
        kind = None
    if kind == 'cron_trigger':
        return _('Schedule')
    if kind == 'backup_dashboard':
        return _('Run now')
    return _('Unknown')


# --- health and ages (project and admin tables) ---------------------------------

def health_badge(health):
    """A coloured label; hovering it says what is wrong and what to do."""
    from django.utils.html import format_html
    from django.utils.html import format_html_join
    if health is None:
        return '-'
    title = ' '.join('%s: %s %s' % (p.label, p.detail, p.action)
                     for p in health.problems)
    return format_html(
        '<span class="label label-{} backup-health" data-health="{}" '
        'title="{}">{}</span>', health.severity, health.code, title,
        format_html_join(', ', '{}', ((p.label,) for p in health.problems))
        if health.problems else health.label)


def age_text(delta):
    """A timedelta as "3d 4h", "5h 02m", "12m"; '-' for None."""
    if delta is None:
        return '-'
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        return '0m'
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return '%dd %dh' % (days, hours)
    if hours:
        return '%dh %02dm' % (hours, minutes)
    return '%dm' % minutes


# A run's Mistral state, when its published result was not fetched (the
# index lists runs without their output to stay one small call).
_STATE_OUTCOME = {'SUCCESS': 'ok', 'ERROR': 'failed', 'CANCELLED': 'failed',
                  'RUNNING': 'running', 'PAUSED': 'running',
                  'IDLE': 'running'}


def _fired_by_cron(execution):
    return _triggered_by(
        getattr(execution, 'description', None))[1] == 'cron_trigger'


def not_due_by_time(execution, trigger):
    """Whether a run listed without its output (the index's one small call)
    is a fire the DST guard ended as not due: a cron fire of `trigger`, the
    schedule's current trigger, that its plan says is not due at the time
    it started (``dst.due``, the guard's Python twin, at the same minute).
    A run of an earlier trigger of the schedule cannot be told (its plan is
    gone) and counts as a run, as it did before."""
    if execution.state != 'SUCCESS' or \
            trigger_id_of(execution) != getattr(trigger, 'id', None) or \
            not _fired_by_cron(execution):
        return False
    plan = dst.plan_of(trigger)
    if not plan:
        return False
    started = parse_utc(execution.created_at)
    return started is not None and not dst.due(plan, started)


def run_facts(execution, with_output=False, trigger=None):
    """A Mistral execution as ``health.Run``; without its output, `trigger`
    (the schedule's) tells a fire that was not due (DST) from a run."""
    from backup_dashboard.dashboards.project.runs import summary
    from backup_dashboard import health
    error = getattr(execution, 'state_info', None) or ''
    if with_output:
        found = summary.Summary(execution)
        outcome = found.outcome
        error = found.error or error
    elif not_due_by_time(execution, trigger):
        outcome = dst.NOT_DUE
    else:
        outcome = _STATE_OUTCOME.get(execution.state, 'unknown')
    return health.Run(started=health.parse_utc(execution.created_at),
                      outcome=outcome, cron=_fired_by_cron(execution),
                      error=str(error))


def attach_health(schedules, runs, workbook_problems, limit=None, now=None,
                  by_trigger=None):
    """Set ``schedule.health`` from runs already fetched for the project.

    No call of its own: ``runs`` is the one project-wide run list the index
    already makes (without outputs, so a partial run counts as ok here; the
    schedule's page tells). ``limit``: the size of that list; when it is
    full, fires older than its oldest run are not judged. ``by_trigger``:
    ``runs_by_trigger(runs)``, when the caller has it already.
    """
    from backup_dashboard import health
    now = now or datetime.datetime.now(datetime.timezone.utc)
    since = None if runs is not None else now   # unknown: judge no fire
    runs = list(runs or [])
    if limit and len(runs) >= limit:
        # Mistral writes every created_at alike: the oldest is the least
        # text, and one of them is parsed, not the whole list.
        oldest = min(filter(None, (r.created_at for r in runs)),
                     key=str, default=None)
        since = health.parse_utc(oldest)
    if by_trigger is None:
        by_trigger = runs_by_trigger(runs)
    for schedule in schedules:
        # The stored trigger (api.schedules.from_trigger): its DST plan
        # says which fires are runs, and whether it is anchored.
        trigger = getattr(schedule, 'trigger', None)
        schedule.health = health.assess(
            schedule.pattern, schedule.created_at,
            [run_facts(r, trigger=trigger)
             for i in getattr(schedule, 'trigger_ids', [schedule.id])
             for r in by_trigger.get(i, [])], now,
            next_execution_time=schedule.next_execution_time,
            workbook_problems=workbook_problems or (), history_since=since,
            trigger=trigger)
    return schedules
