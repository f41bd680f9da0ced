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

"""Coverage, RPO and schedule health of every project.

From the list calls of ``backup_dashboard.api.overview.collect`` (no further
backend call).

``build(parts)`` joins the lists in memory: instances to schedules by their
``backup:<name>`` tags within their project, volumes to backups by volume id
and to their attachments (when each was attached), runs to schedules by the
trigger id in their description, owners to their effective roles by (user,
project). Everything is keyed by id, so the work is linear in the number of
resources. Whether a volume is protected, or newly under a schedule and
waiting for its first backup, is ``backup_dashboard.rpo``'s answer.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime

from backup_dashboard.api import compute
from backup_dashboard.api import identity
from backup_dashboard.api import overview as overview_api
from backup_dashboard.api import storage
from backup_dashboard.clock import cron as clock
from backup_dashboard import drill_schedule
from backup_dashboard import drills
from backup_dashboard import executions
from backup_dashboard import health
from backup_dashboard import rpo
from backup_dashboard import schedule as domain


@dataclasses.dataclass
class ScheduleRow:
    id: str
    name: str
    project_id: str
    project_name: str
    owner: dict
    owner_name: str
    schedule: domain.Schedule
    last_run_at: datetime.datetime = None
    last_outcome: str = ''
    instances: int = 0
    health: health.Health = None
    rpo: datetime.timedelta = None
    created: datetime.datetime = None
    next_run: datetime.datetime = None
    runs: list = None           # health.Run of its runs; None: not listed
    # With no run listed: since when, and whether one was due since then.
    quiet_since: datetime.datetime = None
    run_was_due: bool = False
    drills: drills.Standing = None     # None: drills not listed

    @property
    def describe(self):
        return self.schedule.describe()


@dataclasses.dataclass
class InstanceRow:
    id: str
    name: str
    project_id: str
    project_name: str
    status: str
    schedules: list
    volumes: int = 0
    newest_backup: datetime.datetime = None
    age: datetime.timedelta = None
    rpo: datetime.timedelta = None
    state: str = ''          # unprotected / ok / breach / pending / novolume
    first_backup: datetime.datetime = None      # pending: when it is

    @property
    def protected(self):
        return bool(self.schedules)

    @property
    def breach(self):
        return self.state == 'breach'


@dataclasses.dataclass
class ProjectRow:
    id: str
    name: str
    instances: int = 0
    assigned: int = 0
    unprotected: int = 0
    schedules: int = 0
    unhealthy: int = 0
    breaches: int = 0
    failed_runs: int = 0
    backups: int = 0
    backup_gb: int = 0
    quota: dict = None
    drills: drills.Standing = None

    @property
    def coverage(self):
        """Percent of instances assigned to a schedule (None: no instance)."""
        if not self.instances:
            return None
        return round(100.0 * self.assigned / self.instances)


@dataclasses.dataclass
class Overview:
    projects: list
    schedules: list
    instances: list
    errors: list
    workbook_problems: list
    since: datetime.datetime
    now: datetime.datetime


def _attr(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _raw(obj):
    return getattr(obj, '_apiresource', obj)


def _assignment_index(assignments):
    """{(user id, project id): {role names}} from effective assignments."""
    roles = collections.defaultdict(set)
    for a in assignments:
        user = _attr(a, 'user') or {}
        scope = _attr(a, 'scope') or {}
        role = _attr(a, 'role') or {}
        project = scope.get('project') if isinstance(scope, dict) else None
        if not user or not project:
            continue
        roles[(user.get('id'), project.get('id'))].add(
            role.get('name') or role.get('id'))
    return roles


def _attachments(volumes):
    """{(volume id, server id): when Cinder attached it}."""
    found = {}
    for volume in volumes:
        for item in _attr(_raw(volume), 'attachments') or []:
            if isinstance(item, dict):
                found[(_raw(volume).id, item.get('server_id'))] = \
                    item.get('attached_at')
    return found


def backup_project(backup, volume_projects):
    raw = _raw(backup)
    return getattr(raw, storage.BACKUP_PROJECT_ATTR, None) or \
        volume_projects.get(_attr(raw, 'volume_id'))


def build(parts, errors=(), now=None, quotas=None):
    """The Overview of every project from ``collect``'s parts."""
    now = now or parts.get('now') or clock.now()
    since = parts.get('since')
    projects = {}
    for p in parts.get('projects') or []:
        projects[p.id] = ProjectRow(id=p.id, name=p.name)

    def project_row(pid):
        if pid not in projects:
            projects[pid] = ProjectRow(id=pid, name=pid or '-')
        return projects[pid]

    user_ids = None
    if parts.get('users') is not None:
        user_ids = {u.id for u in parts['users']}
    roles = None
    if parts.get('assignments') is not None:
        roles = _assignment_index(parts['assignments'])

    # Runs by trigger id; the history is complete since `since` unless the
    # call hit its limit, in which case only what it covers is judged.
    runs_by_trigger = collections.defaultdict(list)
    run_list = parts.get('runs')
    history_since = since
    if run_list:
        if len(run_list) >= overview_api.RUNS_LIMIT:
            history_since = max(clock.parse(_attr(r, 'created_at'))
                                for r in run_list[-1:]) or since
        for execution in run_list:
            trigger_id = executions.trigger_id_of(execution)
            if trigger_id:
                runs_by_trigger[trigger_id].append(
                    executions.facts(execution, with_output=True))
    workbook_problems = parts.get('workbook_problems') or []
    drill_list = parts.get('drills')
    by_trigger = collections.defaultdict(list)
    by_project = collections.defaultdict(list)
    for execution in drill_list or []:
        drill = drills.Drill(execution)
        by_trigger[executions.trigger_id_of(execution)].append(drill)
        by_project[_attr(execution, 'project_id')].append(drill)
    drill_known = parts.get('drill_triggers') is not None
    drill_settings = {}     # (project id, schedule name): its Settings
    for trigger in parts.get('drill_triggers') or []:
        settings = drill_schedule.Settings.from_trigger(trigger)
        drill_settings[(_attr(trigger, 'project_id'), domain.as_dict(
            _attr(trigger, 'workflow_input')).get('schedule'))] = settings

    # Schedules
    schedules = []
    by_tag = {}
    for trigger in parts.get('triggers') or []:
        schedule = domain.Schedule.from_trigger(trigger)
        if schedule is None:
            continue
        pid = schedule.project_id
        schedule.drill = drill_settings.get((pid, schedule.name))
        row = project_row(pid)
        owner = identity.owner_of(trigger)
        facts = [f for i in schedule.trigger_ids
                 for f in runs_by_trigger.get(i, [])]
        if run_list is None:
            facts = []
        result = health.assess(
            schedule, facts, now, owner=owner, project_name=row.name,
            user_exists=(None if owner is None or user_ids is None
                         else owner['id'] in user_ids),
            roles=(None if owner is None or roles is None
                   else roles.get((owner['id'], pid), set())),
            workbook_problems=workbook_problems,
            history_since=history_since if run_list is not None else now)
        # a fire the time zone guard ended as not due backed nothing up
        real = [r for r in facts if r.real]
        last = max(real, key=lambda r: r.started) if real else None
        next_runs = schedule.next_runs(1, at=now)
        srow = ScheduleRow(
            id=schedule.id, name=schedule.name, project_id=pid,
            project_name=row.name, owner=owner,
            owner_name=(owner or {}).get('name') or 'unknown',
            schedule=schedule,
            last_run_at=last.started if last else None,
            last_outcome=last.outcome if last else '',
            health=result,
            rpo=health.rpo(schedule),
            created=clock.parse(schedule.created_at),
            next_run=next_runs[0] if next_runs else None,
            runs=facts if run_list is not None else None,
            drills=None if drill_list is None else drills.Standing.of(
                [d for i in drill_schedule.trigger_ids(schedule)
                 for d in by_trigger.get(i, [])], now,
                scheduled=bool(schedule.drill and schedule.drill.on)
                if drill_known else None))
        if last is None and run_list is not None:
            srow.quiet_since = rpo.latest(history_since,
                                          srow.created)
            srow.run_was_due = bool(srow.quiet_since and health.expected_runs(
                schedule, srow.quiet_since, now - health.tolerance(schedule)))
        schedules.append(srow)
        by_tag[(pid, schedule.tag)] = srow
        row.schedules += 1
        if result.problems:
            row.unhealthy += 1
        row.failed_runs += sum(1 for r in facts
                               if r.outcome in health.BAD_OUTCOMES)

    # Volumes: project, skipped ones; backups: newest available per volume
    skipped = set()
    volume_projects = {}
    attached = _attachments(parts.get('volumes') or [])
    for volume in parts.get('volumes') or []:
        raw = _raw(volume)
        volume_projects[raw.id] = getattr(
            raw, storage.VOLUME_PROJECT_ATTR, None)
        if storage.volume_skipped(raw):
            skipped.add(raw.id)
    newest = {}
    backups_known = parts.get('backups') is not None
    for backup in parts.get('backups') or []:
        raw = _raw(backup)
        pid = backup_project(raw, volume_projects)
        if pid is not None:
            row = project_row(pid)
            row.backups += 1
            row.backup_gb += _attr(raw, 'size') or 0
        if _attr(raw, 'status') != 'available':
            continue
        created = clock.parse(_attr(raw, 'created_at'))
        volume_id = _attr(raw, 'volume_id')
        if created and (volume_id not in newest or
                        created > newest[volume_id]):
            newest[volume_id] = created

    # Instances
    instances = []
    for server in parts.get('servers') or []:
        raw = _raw(server)
        pid = getattr(raw, 'tenant_id', None)
        row = project_row(pid)
        tags = compute.server_tags(raw)
        mine = [by_tag[(pid, t)] for t in tags if (pid, t) in by_tag]
        volume_ids = [v for v in compute.attached_volume_ids(raw)
                      if v not in skipped]
        irow = InstanceRow(
            id=raw.id, name=getattr(raw, 'name', raw.id), project_id=pid,
            project_name=row.name, status=getattr(raw, 'status', ''),
            schedules=sorted(s.name for s in mine), volumes=len(volume_ids))
        for srow in mine:
            srow.instances += 1
        created = getattr(raw, 'created', None)
        _judge_instance(irow, mine, {
            v: rpo.latest(created, attached.get((v, raw.id)))
            for v in volume_ids}, newest, now, backups_known)
        row.instances += 1
        if mine:
            row.assigned += 1
        else:
            row.unprotected += 1
        if irow.breach:
            row.breaches += 1
        instances.append(irow)

    if drill_list is not None:
        for pid, row in projects.items():
            row.drills = drills.Standing.of(by_project.get(pid, []), now,
                                            expected=row.schedules > 0)
    for pid, quota in (quotas or {}).items():
        if pid in projects:
            projects[pid].quota = quota
    return Overview(
        projects=sorted(projects.values(), key=lambda p: p.name.lower()),
        schedules=sorted(schedules, key=_schedule_order),
        instances=sorted(instances, key=_instance_order),
        errors=list(errors), workbook_problems=workbook_problems,
        since=since, now=now)


def _judge_instance(irow, schedules, volumes, newest, now, backups_known):
    """Age of the instance's newest backup against its schedules' RPO.

    An instance is as old as its least recently backed-up volume: its
    "newest backup" is the oldest of its volumes' newest available backups.
    ``volumes``: {volume id: since when it is on the instance (None:
    unknown)}. A volume newly under a schedule is pending, not a breach
    (``rpo.judge``).
    """
    volume_ids = list(volumes)
    if volume_ids and backups_known:
        ages = [newest.get(v) for v in volume_ids]
        if all(ages):
            irow.newest_backup = min(ages)
            irow.age = now - irow.newest_backup
    if not schedules:
        irow.state = 'unprotected'
        return
    if not volume_ids:
        irow.state = 'novolume'
        return
    irow.rpo = min(s.rpo for s in schedules)
    if not backups_known:
        irow.state = 'unknown'
        return
    under = [(s.schedule, s.runs or []) for s in schedules]
    verdict = rpo.combine([
        rpo.judge(v, newest.get(v), under, since, now)
        for v, since in volumes.items()])
    irow.state, irow.first_backup = verdict.state, verdict.first_backup


_SEVERITY_ORDER = {'danger': 0, 'warning': 1, 'info': 2, 'success': 3}


def _schedule_order(row):
    return (_SEVERITY_ORDER.get(row.health.severity, 9),
            row.project_name.lower(), row.name.lower())


_STATE_ORDER = {'breach': 0, 'unprotected': 1, 'unknown': 2, 'pending': 3,
                'novolume': 4, 'ok': 5}


def _instance_order(row):
    return (_STATE_ORDER.get(row.state, 9), row.project_name.lower(),
            row.name.lower())


def for_project(overview, project_id):
    """The same Overview narrowed to one project."""
    return dataclasses.replace(
        overview,
        projects=[p for p in overview.projects if p.id == project_id],
        schedules=[s for s in overview.schedules
                   if s.project_id == project_id],
        instances=[i for i in overview.instances
                   if i.project_id == project_id])
