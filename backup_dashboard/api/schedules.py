"""Backup schedules as a Python API, in the shape of Trove's scheduled-backup spec.

``schedule_create/list/show/update/delete`` and ``execution_list/delete``,
plus ``schedule_run_now``. A schedule is a Mistral cron trigger of the bundled
schedule workflow (see ``backup_dashboard.schedule``); nothing else stores it.
Every call is scoped by Mistral to the request's project, and ``show``
additionally refuses a trigger whose project is not the user's.
"""
import itertools
import logging

from django.utils.translation import gettext as _
from horizon import exceptions

from backup_dashboard.api import errors
from backup_dashboard.api import identity
from backup_dashboard.api import mistral
from backup_dashboard.api import parallel
from backup_dashboard.clock import cron as clock
from backup_dashboard import conf
from backup_dashboard import errors as input_errors
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)

RUNNING_STATES = ('RUNNING', 'PAUSED', 'IDLE')
MANUAL_MARKER = 'backup_dashboard'
# Earlier trigger ids a schedule keeps (only those that still have runs):
# listing its runs costs one Mistral call per id.
MAX_PREVIOUS_IDS = 10


class ScheduleBusy(exceptions.Conflict):
    """A run is in progress; deleting the trigger now would kill it."""


class EditRolledBack(exceptions.RecoverableError):
    """The edit failed and the previous schedule was put back unchanged."""


def _env_name():
    return conf.get('BACKUP_DASHBOARD_MISTRAL_ENV')


def _min_interval():
    return conf.get('BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES')


def schedule_list(request):
    """Every schedule of the project, sorted by name. Other triggers are left
    out: they belong to other workflows and are not ours to show."""
    triggers = mistral.cron_trigger_list(
        request, workflow_name=domain.SCHEDULE_WORKFLOW)
    schedules = [from_trigger(t) for t in triggers]
    return sorted((s for s in schedules if s is not None),
                  key=lambda s: s.name.lower())


def from_trigger(trigger):
    """The schedule a cron trigger stores, or None if it is not ours."""
    return domain.Schedule.from_trigger(trigger)


def schedule_show(request, name):
    """One schedule of the project; a missing one, another project's or a
    trigger of another workflow is "not found", in the same plain words."""
    try:
        trigger = mistral.cron_trigger_get(request, name)
    except exceptions.NotFound:
        raise errors.not_found('schedule', name)
    schedule = from_trigger(trigger)
    project = getattr(request.user, 'tenant_id', None)
    if schedule is None or (schedule.project_id and project
                            and schedule.project_id != project):
        raise errors.not_found('schedule', name)
    return schedule


def schedule_exists(request, name):
    try:
        mistral.cron_trigger_get(request, name)
    except exceptions.NotFound:
        return False
    return True


def schedule_create(request, schedule):
    """Validate and store a new schedule; returns it as Mistral has it."""
    clean = domain.validate(schedule, _min_interval())
    if schedule_exists(request, clean.name):
        raise exceptions.Conflict('A schedule (or another cron trigger) '
                                  'named "%s" already exists in this '
                                  'project.' % clean.name)
    trigger = mistral.cron_trigger_create(request, **identity.with_owner(
        clean.to_trigger(env_name=_env_name()), request.user))
    return domain.Schedule.from_trigger(trigger) or clean


def schedule_update(request, name, schedule):
    """Replace a schedule: Mistral cannot update a trigger, so this deletes
    it and creates the new one, putting the old one back if that fails."""
    old = schedule_show(request, name)
    if schedule.name != old.name:
        raise input_errors.InputError(_(
            'A schedule cannot be renamed: instances are assigned to it by '
            'its name.'), 'name')
    clean = domain.validate(schedule, _min_interval())
    refuse_if_running(request, old)
    old_trigger = mistral.cron_trigger_get(request, name)
    clean.previous_ids = _ids_with_runs(request, old.trigger_ids)
    mistral.cron_trigger_delete(request, name)
    try:
        # The new trigger runs with the editor's trust: they become the owner.
        trigger = mistral.cron_trigger_create(request, **identity.with_owner(
            clean.to_trigger(env_name=_env_name()), request.user))
    except Exception as error:
        LOG.warning('Editing schedule %s failed, restoring it: %s',
                    name, error)
        _restore(request, old_trigger)
        raise EditRolledBack(
            'The schedule could not be saved (%s). The previous version was '
            'put back unchanged.' % errors.explain(error))
    return domain.Schedule.from_trigger(trigger) or clean


def _ids_with_runs(request, trigger_ids):
    """The trigger ids (newest first) some runs still carry, at most
    MAX_PREVIOUS_IDS: the ids an edited schedule keeps so that its runs
    list goes on showing the runs made before the edit."""
    def has_runs(trigger_id):
        return bool(list(mistral.execution_list(
            request, workflow_name=domain.SCHEDULE_WORKFLOW,
            description='has:%s' % trigger_id, limit=1, fields=['id'])))
    found = parallel.call_functions_parallel(
        *[(has_runs, [i]) for i in trigger_ids]) if trigger_ids else ()
    return [i for i, runs in zip(trigger_ids, found)
            if runs][:MAX_PREVIOUS_IDS]


def _restore(request, trigger):
    """Put a deleted trigger back (it gets a new id, so the old id joins its
    earlier ids; without them if the deployed workflow predates that input).
    """
    workflow_input = domain.as_dict(trigger.workflow_input)
    kwargs = dict(
        name=trigger.name,
        workflow_identifier=trigger.workflow_name,
        workflow_params=domain.as_dict(trigger.workflow_params) or None,
        pattern=trigger.pattern,
    )
    earlier = [trigger.id] + [i for i in workflow_input.get('previous_ids')
                              or [] if i != trigger.id]
    try:
        mistral.cron_trigger_create(
            request, workflow_input=dict(
                workflow_input, previous_ids=earlier[:MAX_PREVIOUS_IDS]),
            **kwargs)
    except exceptions.BadRequest:
        mistral.cron_trigger_create(request, workflow_input=workflow_input,
                                    **kwargs)


def schedule_delete(request, name):
    schedule = schedule_show(request, name)
    refuse_if_running(request, schedule)
    mistral.cron_trigger_delete(request, name)


def _run_in_progress(request, schedule):
    """A run of `schedule` still going, or None (one page of its runs)."""
    return next((e for e in execution_list(request, schedule, limit=20)
                 if e.state in RUNNING_STATES), None)


def refuse_if_running(request, schedule):
    running = _run_in_progress(request, schedule)
    if running is not None:
        raise ScheduleBusy(_(
            'A run of schedule "%(name)s" is in progress (started '
            '%(started)s). Changing or deleting the schedule now would stop '
            'that run, because Mistral revokes the schedule\'s trust. Try '
            'again when it has finished.') % {
                'name': schedule.name, 'started': _started(running)})


def _started(execution):
    """When a run started, with its zone: these messages carry no viewer's
    zone, so they say UTC."""
    moment = clock.parse(execution.created_at)
    return moment.strftime('%Y-%m-%d %H:%M UTC') if moment else '?'


def schedule_run_now(request, name):
    """Start the schedule's workflow now, with the schedule's own input.

    The description carries the trigger id, like a cron-fired run's, so the
    run shows among the schedule's runs, and a marker saying it was manual.
    Refused while a run of the schedule is in progress, as edits and
    deletes are: a second run would only find the same volumes being backed
    up and skip them as overlaps, and says nothing the first will not.
    """
    schedule = schedule_show(request, name)
    running = _run_in_progress(request, schedule)
    if running is not None:
        raise ScheduleBusy(_(
            'A run of schedule "%(name)s" is already in progress (started '
            '%(started)s); no new run was started. Use "Run now" again when '
            'it has finished.') % {'name': schedule.name,
                                   'started': _started(running)})
    description = {
        'description': 'Run now of backup schedule %s' % schedule.name,
        'triggered_by': {'type': MANUAL_MARKER, 'id': schedule.id,
                         'user': request.user.id},
    }
    params = {}
    if _env_name():
        params['env'] = _env_name()
    return mistral.execution_create(
        request, domain.SCHEDULE_WORKFLOW, schedule.workflow_input(),
        description, **params)


def execution_list(request, schedule, marker=None, limit=20, state=None,
                   fields=None):
    """Root executions of one schedule, newest first, one page.

    Both cron-fired and "Run now" executions carry the trigger id in their
    description, so Mistral filters them server-side (see ``run_page``).
    ``fields``: only these (with ``id`` and ``created_at``, which order
    the page), not each run's whole input.
    """
    filters = {
        'workflow_name': domain.SCHEDULE_WORKFLOW,
        'sort_keys': 'created_at,id',
        'sort_dirs': 'desc,desc',
        'limit': limit,
    }
    if marker:
        filters['marker'] = marker
    if state:
        filters['state'] = state
    if fields:
        filters['fields'] = sorted(set(fields) | {'id', 'created_at'})
    return _runs_of(request, schedule, filters, descending=True)


def _runs_of(request, schedule, filters, descending):
    """One page of the runs of `schedule`, whatever trigger id they carry.

    Mistral can only filter executions on a substring of their description
    (``has:``), one value per call; the workflow input is not filterable.
    An edit re-creates the trigger under a new id, so there is one call per
    id the schedule has had (in parallel), each a page after the same
    marker in the same order; merged, their first ``limit`` rows are the
    page. The number of runs never changes the number of calls.
    """
    ids = schedule.trigger_ids
    if not ids:
        return []

    def page(trigger_id):
        return list(mistral.execution_list(
            request, description='has:%s' % trigger_id, **filters))
    if len(ids) == 1:
        return page(ids[0])
    pages = parallel.call_functions_parallel(
        *[(page, [i]) for i in ids])
    runs = {run.id: run for run in itertools.chain(*pages)}.values()
    return sorted(runs, key=lambda run: (run.created_at or '', run.id),
                  reverse=descending)[:filters['limit']]


def execution_get(request, execution_id):
    """One run of a schedule; other workflows' executions are not runs."""
    try:
        execution = mistral.execution_get(request, execution_id)
    except exceptions.NotFound:
        raise errors.not_found('run', execution_id)
    if getattr(execution, 'workflow_name', None) != domain.SCHEDULE_WORKFLOW:
        raise errors.not_found('run', execution_id)
    return execution


def run_page(request, schedule=None, marker=None, reverse=False, limit=20,
             state=None):
    """One page of runs, newest first, with their published results.

    ``schedule`` narrows to one schedule's runs (server-side, by the trigger
    ids it has had); ``reverse`` pages backwards from ``marker``. One call
    whatever the number of runs in Mistral (one per trigger id of an edited
    schedule): one more than the page is fetched to know whether there is a
    next page.
    """
    direction = 'asc' if reverse else 'desc'
    filters = {
        'workflow_name': domain.SCHEDULE_WORKFLOW,
        'sort_keys': 'created_at,id',
        'sort_dirs': '%s,%s' % (direction, direction),
        'limit': limit + 1,
        'include_output': True,
        'nulls': 'task_execution_id',
    }
    if marker:
        filters['marker'] = marker
    if state:
        filters['state'] = state
    if schedule is None:
        runs = list(mistral.execution_list(request, **filters))
    else:
        runs = _runs_of(request, schedule, filters, descending=not reverse)
    more = len(runs) > limit
    runs = runs[:limit]
    if reverse:
        runs.reverse()
    return runs, more


def run_history(request, since, schedule=None, limit=1000):
    """Runs started since `since` (UTC datetime), newest first: one call, or
    one per trigger id of `schedule` when narrowed to it (see _runs_of)."""
    filters = {
        'workflow_name': domain.SCHEDULE_WORKFLOW,
        'created_at': 'gte:%s' % since.strftime('%Y-%m-%d %H:%M:%S'),
        'sort_keys': 'created_at,id',
        'sort_dirs': 'desc,desc',
        'limit': limit,
        'include_output': True,
        'nulls': 'task_execution_id',
    }
    if schedule is None:
        return list(mistral.execution_list(request, **filters))
    return _runs_of(request, schedule, filters, descending=True)


def execution_cancel(request, execution_id):
    execution = execution_get(request, execution_id)
    if execution.state not in RUNNING_STATES:
        raise exceptions.Conflict('Run %s has already ended.' % execution_id)
    mistral.execution_update(request, execution_id, 'CANCELLED')


def execution_delete(request, execution_id):
    execution = execution_get(request, execution_id)
    if execution.state in RUNNING_STATES:
        raise exceptions.Conflict('Run %s is still running and cannot be '
                                  'deleted.' % execution_id)
    mistral.execution_delete(request, execution_id)
