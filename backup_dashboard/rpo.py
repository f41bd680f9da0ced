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

"""Is a volume protected: its newest backup against its schedules' promise.

A schedule promises a backup no older than its RPO (``health.rpo``), but
only once it has had the chance to make one. A volume comes under a
schedule at the latest of: the schedule's creation, its instance's creation,
its attachment to that instance (Cinder's ``attached_at``), and the tagging
of its instance for the schedule. Nova keeps no time for a tag: the
schedule's runs tell instead, since a run whose published targets leave the
volume out started before the volume was under it. Until the schedule's
first run after that has had its time (``health.run_grace``), a volume
without a backup in its RPO is *pending* and says when its first backup
is; only after that is it a *breach*, so a breach always follows a run that
was due and made no backup of it.

Nothing here calls a service; ``judge`` works on what the caller fetched.
"""
import dataclasses
import datetime

from backup_dashboard.clock import cron as clock
from backup_dashboard import health

OK, PENDING, BREACH = 'ok', 'pending', 'breach'


@dataclasses.dataclass(frozen=True)
class Verdict:
    state: str                                      # OK, PENDING, BREACH
    first_backup: datetime.datetime | None = None   # PENDING: when it is


def latest(*times):
    """The latest of some times, None for none known.

    The latest of some times (services' text or datetimes), None for none
    known.
    """
    found = [t for t in (clock.parse(t) for t in times) if t is not None]
    return max(found) if found else None


def covered_since(schedule, volume_id, runs, since=None):
    """When a volume came under a schedule, as far as its runs tell.

    When a volume came under a schedule as far as its `runs` (``health.Run``)
    tell: the latest of `since` and of the runs whose listed targets leave it
    out. A cron run stands for its fire, which may be a little after it started
    (Mistral fires up to 2 s early).
    """
    without = [r for r in runs if r.real and r.volumes is not None and
               volume_id not in r.volumes]
    found = [clock.parse(since)] + [r.started for r in without
                                    if not r.cron]
    last_fired = max((r.started for r in without if r.cron), default=None)
    if last_fired is not None:
        tol = health.tolerance(schedule)
        fires = schedule.runs_between(last_fired - tol, last_fired + tol)
        found.append(min(fires, default=last_fired,
                         key=lambda f: abs(f - last_fired)))
        found.append(last_fired)
    return latest(*found)


def first_backup(schedule, since, now):
    """When the schedule's first run after `since` backs a volume up.

    While that run may still be making it; None once it has had its time.
    """
    if since is None:
        return None
    return health.first_run(schedule, now, since=since,
                            grace=health.run_grace(schedule))


def judge(volume_id, newest_backup, schedules, since, now):
    """The Verdict of one volume.

    ``schedules``: the (Schedule, runs) it is under (at least one);
    ``since``: the latest of its attachment and its instance's creation
    (None: unknown); ``newest_backup``: its newest available backup's time.
    """
    rpo = min(health.rpo(s) for s, _ in schedules)
    if newest_backup is not None and now - newest_backup <= rpo:
        return Verdict(OK)
    firsts = []
    for schedule, runs in schedules:
        start = covered_since(schedule, volume_id, runs,
                              latest(since, schedule.created_at))
        first = first_backup(schedule, start, now)
        if first is None:
            # This schedule had its chance to back the volume up.
            return Verdict(BREACH)
        firsts.append(first)
    return Verdict(PENDING, min(firsts))


def combine(verdicts):
    """An instance's Verdict from its volumes'.

    A breach if any is, else pending until its last volume's first backup, else
    ok.
    """
    states = {v.state for v in verdicts}
    if BREACH in states:
        return Verdict(BREACH)
    if PENDING in states:
        return Verdict(PENDING, max(v.first_backup for v in verdicts
                                    if v.state == PENDING))
    return Verdict(OK)
