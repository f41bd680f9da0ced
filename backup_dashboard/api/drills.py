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

"""Restore drills of a schedule, as a Python API.

``drill_page`` lists a schedule's drills (Mistral executions of the drill
workflow whose description carries one of the schedule's trigger ids, as
its runs do, or of its drill trigger's), ``drill_plan`` says what a drill
would restore and whether the volume quota holds it, and
``drill_run_now`` starts one. Nothing is
stored but the execution: its input says which volumes it took, its output
what it found. The schedule comes from ``schedules.schedule_show``, so a
name from the URL never reaches another project's schedule.
"""
import dataclasses

from django.utils.translation import gettext as _
from horizon import exceptions

from backup_dashboard.api import mistral
from backup_dashboard.api import runs
from backup_dashboard.api import schedules
from backup_dashboard.api import storage
from backup_dashboard import conf
from backup_dashboard import drill_schedule
from backup_dashboard import drills as domain


class DrillRefused(exceptions.Conflict):
    """A drill that cannot start: the message says why; nothing was made."""


@dataclasses.dataclass
class Plan:
    """What a drill of `schedule` would restore, and what it needs."""
    schedule: object
    candidates: dict        # volume id -> GB of its newest good backup
    chosen: list
    turn: int
    room: dict
    problem: str | None
    keep: int = 0           # hours the volumes that passed are kept

    @property
    def needed(self):
        return domain.room_needed([self.candidates[v] for v in self.chosen],
                                  self.keep)


def drill_page(request, schedule, limit=20):
    """The schedule's newest `limit` drills, with what they published."""
    return runs.executions_of(request, schedule, {
        'workflow_name': domain.DRILL_WORKFLOW,
        'sort_keys': 'created_at,id', 'sort_dirs': 'desc,desc',
        'limit': limit, 'include_output': True,
        'nulls': 'task_execution_id'}, descending=True,
        ids=drill_schedule.trigger_ids(schedule))


def candidates(request, schedule):
    """{volume id: GB} of the volumes with an available backup of it.

    The size is the newest such backup's: the one a drill restores.
    """
    found = {}
    for backup in storage.project_backups(request):     # newest first
        if backup.status == 'available' and \
                storage.backup_schedule(backup) == schedule.name and \
                backup.volume_id not in found:
            found[backup.volume_id] = int(backup.size or 0)
    return found


def next_turn(request, schedule):
    """The turn after the schedule's newest drill's, for its sample."""
    previous = drill_page(request, schedule, limit=1)
    turn = domain.Drill(previous[0]).turn if previous else None
    return 0 if turn is None else turn + 1


def drill_plan(request, name, sample=None, keep=None):
    """What a drill of schedule `name` would take, and why it cannot run.

    `keep`: hours to keep the restored volumes that pass; None: as the
    schedule's drill settings say.
    """
    schedule = schedules.schedule_show(request, name)
    if keep is None:
        keep = (schedule.drill or drill_schedule.Settings()).keep_hours
    found = candidates(request, schedule)
    turn = next_turn(request, schedule) if sample else 0
    chosen = domain.choose(found, sample, turn)
    room = storage.volume_room(request)
    if not chosen:
        problem = _('Schedule "%s" has no available backup yet: a drill '
                    'restores the backups a schedule has made.') % name
    else:
        problem = domain.room_problem([found[v] for v in chosen], room,
                                      keep)
    return Plan(schedule, found, chosen, turn, room, problem, keep)


def drill_run_now(request, name, sample=None, keep=0):
    """Start a drill of schedule `name`; returns the execution.

    Refused, before anything is created, while a backup run or another
    drill of the schedule is going (a run's rotation could delete the
    backup being restored), when there is nothing to drill, or when the
    volume quota cannot hold the throwaway volumes.
    """
    plan = drill_plan(request, name, sample, keep)
    schedule = plan.schedule
    running = runs.in_progress(request, schedule)
    if running is not None:
        raise schedules.ScheduleBusy(_(
            'A backup run of schedule "%(name)s" is in progress (started '
            '%(started)s); no drill was started. A drill waits for the '
            'schedule\'s runs to end, so that no backup it restores is '
            'rotated away meanwhile.') % {
                'name': name, 'started': runs.started_text(running)})
    going = runs.drill_in_progress(request, schedule, restoring=True)
    if going is not None:
        raise schedules.ScheduleBusy(_(
            'A drill of schedule "%(name)s" is already in progress (started '
            '%(started)s); no new drill was started.') % {
                'name': name, 'started': runs.started_text(going)})
    if plan.problem:
        raise DrillRefused(plan.problem)
    description = {
        'description': 'Restore drill of backup schedule %s' % name,
        'triggered_by': {'type': domain.STARTED_BY, 'id': schedule.id,
                         'user': request.user.id},
    }
    params = {}
    env = conf.get('BACKUP_DASHBOARD_MISTRAL_ENV')
    if env:
        params['env'] = env
    return mistral.execution_create(
        request, domain.DRILL_WORKFLOW,
        {'schedule': name, 'volumes': plan.chosen, 'turn': plan.turn,
         'concurrency': domain.CONCURRENCY, 'timeout': schedule.timeout,
         'keep': plan.keep * 3600,
         'report_to': list(schedule.report_to)},
        description, **params)
