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

"""The runs of backup schedules (Mistral executions), as a Python API.

``execution_list`` / ``execution_get`` / ``execution_cancel`` /
``execution_delete`` in the shape of Trove's scheduled-backup spec, the
pages the panels show (``run_page``, ``run_history``, ``recent_runs``),
and what the schedules API asks of runs (``in_progress``,
``ids_with_runs``). A schedule's runs are found by the trigger ids their
description carries (``description=has:<id>``), one call per id the
schedule has had; every call is scoped by Mistral to the request's
project, and other workflows' executions are not runs.

Backup Runs also lists restore drills (executions of the drill workflow)
among the runs: ``run_page`` takes the ``kind`` of execution to list
(``KINDS``), and ``execution_get`` the workflows a row may be of. Only
backup runs can be cancelled or deleted here.
"""
import itertools

from django.utils.translation import gettext as _
from horizon import exceptions

from backup_dashboard.api import errors
from backup_dashboard.api import mistral
from backup_dashboard.api import parallel
from backup_dashboard.clock import cron as clock
from backup_dashboard import drill_schedule
from backup_dashboard import drills
from backup_dashboard import executions
from backup_dashboard import schedule as domain

RUNNING_STATES = executions.RUNNING_STATES
# Earlier trigger ids a schedule keeps (only those that still have runs):
# listing its runs costs one Mistral call per id.
MAX_PREVIOUS_IDS = 10
# What Backup Runs lists, by kind: the workflows of its executions.
KINDS = {
    'backup': (domain.SCHEDULE_WORKFLOW,),
    'drill': (drills.DRILL_WORKFLOW,),
    'all': (domain.SCHEDULE_WORKFLOW, drills.DRILL_WORKFLOW),
}


def workflow_filter(workflows):
    """Mistral's ``workflow_name`` filter for executions of `workflows`."""
    if len(workflows) == 1:
        return workflows[0]
    return 'in:%s' % ','.join(workflows)


def recent_runs(request, limit, fields=None):
    """The project's newest `limit` runs of any schedule.

    Newest first, only `fields` of each (not their input or output).
    """
    filters = {'workflow_name': domain.SCHEDULE_WORKFLOW,
               'sort_keys': 'created_at', 'sort_dirs': 'desc',
               'limit': limit}
    if fields:
        filters['fields'] = list(fields)
    return mistral.execution_list(request, **filters)


def in_progress(request, schedule):
    """A run of `schedule` still going, or None (one page of its runs)."""
    return next((e for e in execution_list(request, schedule, limit=20)
                 if e.state in RUNNING_STATES), None)


def drill_in_progress(request, schedule, restoring=False):
    """A restore drill of `schedule` still going, or None.

    A backup run and a drill of one schedule never start together: the
    run's rotation could delete the backup the drill restores. With
    `restoring`, a drill that only keeps its restored volumes for a look
    (its ``release`` task has begun: every restore is done) does not
    count; it still holds back edits, which could stop it.
    """
    filters = {'workflow_name': drills.DRILL_WORKFLOW,
               'sort_keys': 'created_at,id', 'sort_dirs': 'desc,desc',
               'limit': 5, 'fields': ['id', 'state', 'created_at']}
    return next((e for e in executions_of(
        request, schedule, filters, descending=True,
        ids=drill_schedule.trigger_ids(schedule))
        if e.state in RUNNING_STATES and
        not (restoring and _keeping(request, e.id))), None)


def _keeping(request, execution_id):
    return bool(list(mistral.task_list(request, execution_id,
                                       name=drills.RELEASE_TASK,
                                       fields=['id'])))


def started_text(execution):
    """When a run started, with its zone.

    Messages built here carry no viewer's zone, so they say UTC.
    """
    moment = clock.parse(execution.created_at)
    return moment.strftime('%Y-%m-%d %H:%M UTC') if moment else '?'


def ids_with_runs(request, trigger_ids):
    """The earlier trigger ids some runs still carry.

    The trigger ids (newest first) some runs still carry, at most
    MAX_PREVIOUS_IDS: the ids an edited schedule keeps so that its runs list
    goes on showing the runs made before the edit.
    """
    def has_runs(trigger_id):
        return bool(list(mistral.execution_list(
            request, workflow_name=domain.SCHEDULE_WORKFLOW,
            description='has:%s' % trigger_id, limit=1, fields=['id'])))
    found = parallel.call_functions_parallel(
        *[(has_runs, [i]) for i in trigger_ids]) if trigger_ids else ()
    return [i for i, runs in zip(trigger_ids, found)
            if runs][:MAX_PREVIOUS_IDS]


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
    return executions_of(request, schedule, filters, descending=True)


def executions_of(request, schedule, filters, descending, ids=None):
    """One page of executions of `schedule`, whatever trigger id they carry.

    Its backup runs, or its drills: `filters` name the workflow.

    Mistral can only filter executions on a substring of their description
    (``has:``), one value per call; the workflow input is not filterable.
    An edit re-creates the trigger under a new id, so there is one call per
    id the schedule has had (in parallel), each a page after the same
    marker in the same order; merged, their first ``limit`` rows are the
    page. The number of runs never changes the number of calls.
    """
    ids = schedule.trigger_ids if ids is None else ids
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


def execution_get(request, execution_id, workflows=KINDS['backup']):
    """One run of a schedule; other workflows' executions are not runs.

    `workflows`: the workflows the execution may be of (``KINDS['all']``
    for a row of Backup Runs, which may be a drill); any other is not
    found, as a missing one is.
    """
    try:
        execution = mistral.execution_get(request, execution_id)
    except exceptions.NotFound:
        raise errors.not_found('run', execution_id)
    if getattr(execution, 'workflow_name', None) not in workflows:
        raise errors.not_found('run', execution_id)
    return execution


def run_page(request, schedule=None, marker=None, reverse=False, limit=20,
             state=None, kind='backup'):
    """One page of runs, newest first, with their published results.

    ``schedule`` narrows to one schedule's runs (server-side, by the trigger
    ids it has had); ``reverse`` pages backwards from ``marker``. One call
    whatever the number of runs in Mistral (one per trigger id of an edited
    schedule): one more than the page is fetched to know whether there is a
    next page. ``kind`` (a key of KINDS): backup runs, restore drills, or
    both in one call; a schedule's drills also carry its drill trigger's
    ids (``drill_schedule.trigger_ids``).
    """
    direction = 'asc' if reverse else 'desc'
    filters = {
        'workflow_name': workflow_filter(KINDS[kind]),
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
        ids = None if kind == 'backup' else \
            drill_schedule.trigger_ids(schedule)
        runs = executions_of(request, schedule, filters,
                             descending=not reverse, ids=ids)
    more = len(runs) > limit
    runs = runs[:limit]
    if reverse:
        runs.reverse()
    return runs, more


# What run_history fetches of each run (Mistral adds the id).
HISTORY_FIELDS = ('created_at', 'state', 'output')


def run_history(request, since, schedule=None, limit=1000):
    """Runs started since `since` (UTC datetime), newest first.

    One call, or one per trigger id of `schedule` when narrowed to it (see
    executions_of). Each run carries only its start, state and published
    result (``HISTORY_FIELDS``), what a summary of it reads: not its input,
    parameters and description, most of a listed run's bytes.
    """
    filters = {
        'workflow_name': domain.SCHEDULE_WORKFLOW,
        'created_at': 'gte:%s' % since.strftime('%Y-%m-%d %H:%M:%S'),
        'sort_keys': 'created_at,id',
        'sort_dirs': 'desc,desc',
        'limit': limit,
        'fields': list(HISTORY_FIELDS),
        'nulls': 'task_execution_id',
    }
    if schedule is None:
        return list(mistral.execution_list(request, **filters))
    return executions_of(request, schedule, filters, descending=True)


def execution_cancel(request, execution_id):
    execution = execution_get(request, execution_id)
    if execution.state not in RUNNING_STATES:
        raise exceptions.Conflict(_('Run %s has already ended.') %
                                  execution_id)
    mistral.execution_update(request, execution_id, 'CANCELLED')


def execution_delete(request, execution_id):
    execution = execution_get(request, execution_id)
    if execution.state in RUNNING_STATES:
        raise exceptions.Conflict(_('Run %s is still running and cannot be '
                                    'deleted.') % execution_id)
    mistral.execution_delete(request, execution_id)
