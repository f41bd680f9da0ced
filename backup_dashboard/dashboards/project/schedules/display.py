"""Turning Mistral's UTC strings and states into what a person reads."""
import functools
import json

from django.utils.translation import gettext as _
from horizon import tables
from horizon.utils import functions as horizon_utils

from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans


def viewer_zone(request):
    """The time zone the person at the dashboard chose in their settings."""
    return horizon_utils.get_timezone(request) or 'UTC'


class ZonedColumn(tables.Column):
    """A column whose cell shows times: ``transform(datum, zone)`` with the
    viewer's zone, read once per table."""

    def get_raw_data(self, datum):
        zone = getattr(self.table, '_viewer_zone', None)
        if zone is None:
            zone = self.table._viewer_zone = viewer_zone(self.table.request)
        return self.transform(datum, zone)


def local_text(value, zone_name, fmt='%Y-%m-%d %H:%M %Z'):
    """A time in `zone_name`, its zone's abbreviation at the end; '-' when
    there is none."""
    moment = clock.in_zone(value, zone_name)
    return '-' if moment is None else moment.strftime(fmt)


def time_html(value, zone_name, fmt='%Y-%m-%d %H:%M %Z'):
    """``local_text`` in a <time> element: ISO 8601 in its datetime, UTC
    on hover."""
    from django.utils.html import format_html
    moment = clock.parse(value)
    if moment is None:
        return '-'
    return format_html('<time datetime="{}" title="{}">{}</time>',
                       clock.iso(moment), moment.strftime('%Y-%m-%d %H:%M UTC'),
                       local_text(moment, zone_name, fmt))


def duration_text(start, end):
    start, end = clock.parse(start), clock.parse(end)
    if not start or not end:
        return '-'
    seconds = int((end - start).total_seconds())
    if seconds < 60:
        return '%ds' % seconds
    if seconds < 3600:
        return '%dm %02ds' % divmod(seconds, 60)
    return '%dh %02dm' % (seconds // 3600, seconds % 3600 // 60)


def last_run_html(schedule, zone_name):
    from django.utils.html import format_html
    run = getattr(schedule, 'last_run', None)
    if run is None:
        return _('No run yet')
    return format_html('{} ({})', run.state,
                       time_html(run.created_at, zone_name))


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

def health_badge(health, zone_name='UTC'):
    """A coloured label; hovering it says what is wrong and what to do. A
    schedule not run yet says when its first run is."""
    from django.utils.html import format_html
    from django.utils.html import format_html_join
    if health is None:
        return '-'
    title = ' '.join('%s: %s %s' % (p.label, p.detail, p.action)
                     for p in health.problems)
    label = health.label
    if health.code == 'new' and health.first_run is not None:
        label = _('First run %s') % local_text(health.first_run, zone_name)
        title = _('No run is due yet.')
    return format_html(
        '<span class="label label-{} backup-health" data-health="{}" '
        'title="{}">{}</span>', health.severity, health.code, title,
        format_html_join(', ', '{}', ((p.label,) for p in health.problems))
        if health.problems else label)


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


def not_due_by_time(execution, schedule):
    """Whether a run listed without its output (the index's one small call)
    is a fire the time zone guard ended as not due: a cron fire of the
    schedule's current trigger that its plan says is not due at the time it
    started. A run of an earlier trigger of the schedule cannot be told
    (its plan is gone) and counts as a run."""
    if schedule is None or execution.state != 'SUCCESS' or \
            not schedule.plan or \
            trigger_id_of(execution) != schedule.id or \
            not _fired_by_cron(execution):
        return False
    started = clock.parse(execution.created_at)
    return started is not None and not schedule.is_due(started)


def run_facts(execution, with_output=False, schedule=None):
    """A Mistral execution as ``health.Run``; without its output, the
    `schedule` tells a fire that was not due from a run."""
    from backup_dashboard.dashboards.project.runs import summary
    from backup_dashboard import health
    error = getattr(execution, 'state_info', None) or ''
    if with_output:
        found = summary.Summary(execution)
        outcome = found.outcome
        error = found.error or error
    elif not_due_by_time(execution, schedule):
        outcome = plans.NOT_DUE
    else:
        outcome = _STATE_OUTCOME.get(execution.state, 'unknown')
    return health.Run(started=clock.parse(execution.created_at),
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
            [run_facts(r, schedule=schedule)
             for i in getattr(schedule, 'trigger_ids', [schedule.id])
             for r in by_trigger.get(i, [])], now,
            workbook_problems=workbook_problems or (), history_since=since)
    return schedules
