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

"""What a schedule's next run does to a volume's backups, before it runs.

The workflow decides and rotates in YAQL (``workbooks/volume_backup.yaml``:
the variable ``decision`` says whether the run backs a volume up and whether
incrementally; the publish ``deletions`` of task ``wait_backup`` lists the
backups it then deletes). Horizon cannot evaluate Mistral's YAQL, so this
module says the same in Python, step for step, over the same compact
history the workflow reads (dicts: id, status, is_incremental, created_at,
owner, hold), and tests/unit/test_retention.py proves both answer alike. Change
the workbook and this module together.

Times are Cinder's own text (``TIME_FORMAT``) and compared as text, as the
workflow compares them.
"""
import dataclasses
import datetime

from backup_dashboard.clock import cron as clock

# How Cinder writes created_at, and how the workflow writes its keep_days
# cutoff: the two are compared as text.
TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'
NEW_ID = 'next-run'
# The lock a run passes on when it could not read the project's: rotation
# then deletes nothing (governance.py).
UNREADABLE = 'unreadable'


@dataclasses.dataclass(frozen=True)
class Decision:
    """The workflow's ``decision`` for one volume.

    'backup', 'skip' (the volume opted out, is being backed up or is in no
    state to be) or 'fail' (the volume or its backups could not be read).
    """
    action: str
    incremental: bool = False


def decide(volume, history, schedule, mode, max_incremental,
           chain_on_any=False, honour_skip=True):
    """Whether the next run backs the volume up, and incrementally.

    `volume`: {status, skip} (the workflow's compact volume), or anything
    else when it could not be read; `history`: the volume's backups, or
    anything else when they could not be listed.
    """
    if not isinstance(volume, dict) or not isinstance(history, list):
        return Decision('fail')
    status = volume.get('status')
    mine = [b for b in history if b.get('owner') == schedule]
    if (honour_skip and volume.get('skip') is True) or \
            status == 'backing-up' or \
            any(b['status'] == 'creating' for b in mine) or \
            status not in ('available', 'in-use'):
        return Decision('skip')
    avail = sorted((b for b in history if b['status'] == 'available'),
                   key=lambda b: b['created_at'])
    tip = avail[-1] if avail else None
    heads = [b for b in avail if b['is_incremental'] is not True]
    head = heads[-1] if heads else None
    incremental = (
        mode != 'full' and tip is not None and head is not None and
        (chain_on_any or (tip.get('owner') == schedule and
                          head.get('owner') == schedule)) and
        (max_incremental is None or len(
            [b for b in avail if b['is_incremental'] is True and
             b['created_at'] > head['created_at']]) < max_incremental))
    return Decision('backup', bool(incremental))


def deletions(history, new, schedule, mode, max_full, keep_days, now,
              lock=None):
    """The ids the workflow deletes once the run's backup `new` exists.

    The ids the workflow deletes once the run's backup `new` ({id, status,
    is_incremental, created_at}) exists, newest first.

    Only the schedule's own backups; never one on legal hold (history
    entries with 'hold': True) or younger than the retention `lock`'s
    days, nor the older part of their chains; at least the lock's count of
    fulls ({count, days}; UNREADABLE: nothing is deleted); never the
    newest available full (of anyone, and of the schedule) nor the new
    backup's chain; whole chains
    past `max_full` or older than `keep_days` at `now`; in 'rotation' mode
    every incremental outside those chains; the schedule's failed backups.
    """
    if not isinstance(new, dict):
        new = {'status': 'unknown', 'id': None}
    locked = lock if isinstance(lock, dict) else {}
    if max_full is not None and locked.get('count') is not None:
        max_full = max(int(max_full), int(locked['count']))
    if keep_days is not None and locked.get('days') is not None:
        keep_days = max(int(keep_days), int(locked['days']))
    young = None if locked.get('days') is None else (
        clock.parse(now) - datetime.timedelta(days=int(locked['days']))
    ).strftime(TIME_FORMAT)
    if new.get('status') != 'available' or new.get('id') is None or \
            not isinstance(history, list):
        return []
    if lock == UNREADABLE:
        return []
    if not (mode == 'rotation' or max_full is not None or
            keep_days is not None):
        return []
    every = [b for b in history if b['id'] != new['id']] + [{
        'id': new['id'], 'status': 'available',
        'is_incremental': new.get('is_incremental') is True,
        'created_at': new['created_at'], 'owner': schedule}]
    live = [b for b in every if b['status'] != 'error']
    heads = sorted((b for b in live if b['is_incremental'] is not True),
                   key=lambda b: b['created_at'])

    def head_of(backup):
        found = [h['id'] for h in heads
                 if h['created_at'] <= backup['created_at']]
        return found[-1] if found else None
    members = [{'id': b['id'], 'status': b['status'],
                'inc': b['is_incremental'] is True, 'at': b['created_at'],
                'mine': b.get('owner') == schedule,
                'keep': b.get('hold') is True or (
                    young is not None and b['created_at'] >= young),
                'head': head_of(b)}
               for b in live]
    # A held backup, one the lock's days keep, and the older part of their
    # chains, which restoring them needs, stay whatever the policy says.
    pinned = {m['id'] for m in members
              if any(h['keep'] and h['head'] == m['head'] and
                     m['at'] <= h['at'] for h in members)}
    available = [h for h in heads if h['status'] == 'available']
    ours = [h for h in available if h.get('owner') == schedule]
    protected = {x for x in (
        available[-1]['id'] if available else None,
        ours[-1]['id'] if ours else None,
        next(m['head'] for m in members if m['id'] == new['id']))
        if x is not None}
    chains = [h['id'] for h in sorted(
        (h for h in heads if h.get('owner') == schedule),
        key=lambda h: h['created_at'], reverse=True)]
    doomed = []
    if max_full is not None:
        doomed += chains[max(int(max_full), 1):]
    if keep_days is not None:
        cutoff = (clock.parse(now) - datetime.timedelta(
            days=int(keep_days))).strftime(TIME_FORMAT)
        # the lock's count of newest chains stays, however old
        for chain in chains[int(locked.get('count') or 0):]:
            # A full made in the same second as a later-listed one heads a
            # chain without members: doomed, with nothing in it to delete.
            ats = [m['at'] for m in members if m['head'] == chain]
            if max(ats, default='') < cutoff:
                doomed.append(chain)
    going = [(m['id'], m['at']) for m in members
             if m['mine'] and m['id'] != new['id'] and
             m['status'] == 'available' and m['head'] is not None and
             m['head'] not in protected and m['id'] not in pinned and
             ((mode == 'rotation' and m['inc']) or m['head'] in doomed)]
    going += [(b['id'], b['created_at']) for b in every
              if b['status'] == 'error' and b.get('owner') == schedule and
              b.get('hold') is not True]
    return [i for i, _at in sorted(going, key=lambda g: g[1], reverse=True)]


def next_run(volume, history, schedule, at, lock=None):
    """The backups of `history` that `schedule`'s next run deletes.

    The backups of `history` that `schedule`'s next run, at `at`, deletes from
    this volume, newest first: [] when it will not back the volume up. Assumes
    its backup succeeds (nothing is deleted otherwise).
    """
    decision = decide(volume, history, schedule.name, schedule.mode,
                      schedule.max_incremental)
    if decision.action != 'backup':
        return []
    new = {'id': NEW_ID, 'status': 'available',
           'is_incremental': decision.incremental,
           'created_at': clock.parse(at).strftime(TIME_FORMAT)}
    ids = deletions(history, new, schedule.name, schedule.mode,
                    schedule.max_full, schedule.keep_days, at, lock)
    by_id = {b['id']: b for b in history}
    return [by_id[i] for i in ids]


def compare(volume, history, before, after, at, lock=None):
    """What the next run deletes, and the part the stored settings keep.

    (what the next run deletes with the settings `after`, the part of it the
    settings `before` keep): two schedules of one name under the same
    retention `lock`, both lists newest first.
    """
    kept = {b['id'] for b in next_run(volume, history, before, at, lock)}
    deleted = next_run(volume, history, after, at, lock)
    return deleted, [b for b in deleted if b['id'] not in kept]


def keeps_less(before, after):
    """Whether `after` may keep fewer backups than `before`.

    What to ask about when the backups themselves cannot be read.
    """
    def days(schedule):
        return schedule.keep_days or float('inf')
    return (after.mode != before.mode or after.max_full < before.max_full or
            (after.mode != 'full' and
                after.max_incremental < before.max_incremental) or
            days(after) < days(before))
