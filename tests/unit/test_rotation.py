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

"""The rotation decision logic, as the workbook has it, over many histories.

The decision (variable ``decision`` of backup_dashboard_volume_backup) and the
rotation plan (publish ``deletions`` of its task ``wait_backup``) are YAQL in
workbooks/volume_backup.yaml.  These tests evaluate those exact strings with
Mistral's own expression evaluator (tests/workbooks/check.py serve, run by
a Python that has Mistral) and check them against a model of Cinder that knows
what the workflow cannot see (each backup's real parent).
"""

import datetime
import os
from pathlib import Path

import pytest
import yaml

hypothesis = pytest.importorskip('hypothesis')
from hypothesis import given  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
from tests.figures import robustness_figures  # noqa: E402,F401 (fixture)
from tests.figures import robustness_figures_per_test  # noqa: E402,F401,E501

WF = yaml.safe_load(
    (REPO / 'workbooks' /
     'volume_backup.yaml').read_text())['backup_dashboard_volume_backup']
DECISION = WF['vars']['decision']
PLAN = WF['tasks']['wait_backup']['publish']['deletions']
SCHED = 'nightly'


# ------------------------------------------------------------- Cinder model
class Cinder(object):
    """Backups of one volume, with the real parent links."""

    def __init__(self, start_days_ago=300):
        self.t = datetime.datetime.utcnow() - datetime.timedelta(
            days=start_days_ago)
        self.backups = [
        ]  # dicts: id, status, is_incremental, created_at, owner, parent
        self.n = 0

    def tick(self, hours=1):
        self.t += datetime.timedelta(hours=hours)

    def create(self, incremental, owner, status='available'):
        parent = None
        if incremental:
            avail = [b for b in self.backups if b['status'] == 'available']
            if not avail:
                raise ValueError(
                    'No backups available to do an incremental backup.')
            parent = max(avail, key=lambda b: b['created_at'])['id']
        self.n += 1
        self.tick(0.01)
        b = {
            'id': 'b%03d' % self.n,
            'status': status,
            'is_incremental': bool(incremental),
            'created_at': self.t.strftime('%Y-%m-%dT%H:%M:%S.%f'),
            'owner': owner,
            'parent': parent
        }
        self.backups.append(b)
        return b

    def history(self):
        return [{
            k: b.get(k, False)
            for k in ('id', 'status', 'is_incremental', 'created_at', 'owner',
                      'hold')
        } for b in self.backups]

    def ancestors(self, bid):
        out = []
        parent = self.get(bid)['parent']
        while parent:
            out.append(parent)
            parent = self.get(parent)['parent']
        return out

    def get(self, bid):
        return next(b for b in self.backups if b['id'] == bid)

    def children(self, bid):
        return [b for b in self.backups if b['parent'] == bid]

    def descendants(self, bid):
        out = []
        for c in self.children(bid):
            out.append(c['id'])
            out.extend(self.descendants(c['id']))
        return out

    def delete(self, bid):
        b = self.get(bid)
        if b['status'] not in ('available', 'error'):
            return 'Invalid backup: Backup status must be available or error'
        if self.children(bid):
            return 'Invalid backup: Incremental backups exist for this backup.'
        self.backups.remove(b)
        return None


def volume(status='in-use', skip=False):
    return {
        'id': 'v1',
        'name': 'data',
        'status': status,
        'size': 1,
        'skip': skip
    }


def decide(ev, cinder, mode, max_incremental, in_use='snapshot',
           chain_on_any=False, vol=None, honour_skip=True):
    data = {
        'volume': vol or volume(),
        'history': cinder.history(),
        'schedule': SCHED,
        'mode': mode,
        'max_incremental': max_incremental,
        'in_use': in_use,
        'chain_on_any': chain_on_any,
        'honour_skip': honour_skip
    }
    return ev(DECISION, data)


def plan(ev, history, new, mode, max_full, keep_days, lock=None):
    data = {
        'history': history,
        'schedule': SCHED,
        'mode': mode,
        'max_full': max_full,
        'keep_days': keep_days,
        'lock': lock
    }
    return ev(PLAN, data, task_result=new)


# ------------------------------------------------------------ strategies
EVENTS = st.lists(
    st.one_of(
        st.just(('run', None)),
        st.just(('run', None)),
        st.just(('run', None)),
        st.just(('run_fail', None)),  # the new backup ends in error
        st.tuples(st.just('manual'),
                  st.booleans()),  # another user's backup (full/incr)
        st.tuples(st.just('age'), st.integers(min_value=1,
                                              max_value=10)),  # days pass
    ),
    min_size=1,
    max_size=25)


def check_plan(cinder, new_id, deletions, max_full, keep_days, history_before):
    new = cinder.get(new_id)
    ours = {b['id'] for b in history_before if b['owner'] == SCHED} | {new_id}
    # only this schedule's backups, never the new one, no duplicates
    assert set(deletions) <= ours - {new_id}, deletions
    assert len(deletions) == len(set(deletions))
    # newest available full (of anyone, and of ours) and their chains are kept
    fulls = [
        b for b in cinder.backups
        if not b['is_incremental'] and b['status'] == 'available'
    ]
    for group in (fulls, [b for b in fulls if b['owner'] == SCHED]):
        if group:
            head = max(group, key=lambda b: b['created_at'])
            # (a failed backup hanging in the chain holds no data: it may go)
            chain = {head['id']} | {d for d in cinder.descendants(head['id'])
                                    if cinder.get(d)['status'] != 'error'}
            assert not chain & set(deletions), (head['id'], deletions)
    assert new_id not in deletions and new['status'] == 'available'
    # the chain of the new backup is kept
    p = new['parent']
    while p:
        assert p not in deletions
        p = cinder.get(p)['parent']
    # newest first inside a chain: a descendant is always deleted before its
    # ancestor
    pos = {d: i for i, d in enumerate(deletions)}
    for d in deletions:
        for desc in cinder.descendants(d):
            if desc in pos:
                assert pos[desc] < pos[d], (desc, d, deletions)


def apply(cinder, deletions):
    refused = []
    for d in deletions:
        err = cinder.delete(d)
        if err:
            refused.append((d, err))
    return refused


@settings(max_examples=80, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(events=EVENTS, mode=st.sampled_from(['rotation', 'incremental',
                                            'full']),
       max_full=st.integers(min_value=1, max_value=3),
       max_incremental=st.integers(min_value=0, max_value=3),
       keep_days=st.one_of(st.none(), st.integers(min_value=1, max_value=15)))
def test_policy_over_generated_histories(ev, events, mode, max_full,
                                         max_incremental, keep_days):
    cinder = Cinder()
    for kind, arg in events:
        if kind == 'age':
            cinder.tick(24 * arg)
            continue
        if kind == 'manual':
            try:
                cinder.create(arg, owner=None)
            except ValueError:
                pass
            continue
        d = decide(ev, cinder, mode, max_incremental)
        assert d['action'] == 'backup', d
        if mode == 'full':
            assert d['incremental'] is False
        if d['incremental']:
            # we only chain onto our own chain, and it is below the limit
            avail = sorted(
                (b for b in cinder.backups if b['status'] == 'available'),
                key=lambda b: b['created_at'])
            assert avail and avail[-1]['owner'] == SCHED
        history_before = cinder.history()
        new = cinder.create(
            d['incremental'], owner=SCHED,
            status='error' if kind == 'run_fail' else 'available')
        chain_len = 0
        p = new['parent']
        while p:
            chain_len += 1 if cinder.get(p)['is_incremental'] else 0
            p = cinder.get(p)['parent']
        if new['is_incremental']:
            assert chain_len + 1 <= max_incremental, \
                'incremental chain over the limit'
        result = {
            k: new[k] for k in ('id', 'status', 'is_incremental', 'created_at')
        }
        dels = plan(ev, history_before, result, mode, max_full, keep_days)
        if new['status'] != 'available':
            assert dels == [], \
                'deleted although the new backup is not available'
            continue
        check_plan(cinder, new['id'], dels, max_full, keep_days,
                   history_before)
        refused = apply(cinder, dels)
        # refusals only come from other people's backups hanging off ours
        for bid, err in refused:
            assert any(c['owner'] != SCHED for c in cinder.children(bid)) or \
                any(cinder.get(c)['owner'] != SCHED
                    for c in cinder.descendants(bid)), (bid, err)
        if not refused:
            our_fulls = [
                b for b in cinder.backups if b['owner'] == SCHED and
                not b['is_incremental'] and b['status'] == 'available'
            ]
            assert len(
                our_fulls
            ) <= max_full, 'more fulls than the policy after rotation'
            if mode == 'rotation':
                newest_full = max(our_fulls, key=lambda b: b['created_at'])
                keep = {newest_full['id']} | set(
                    cinder.descendants(newest_full['id']))
                stray = [
                    b['id'] for b in cinder.backups if b['owner'] == SCHED and
                    b['is_incremental'] and b['id'] not in keep
                ]
                others = [
                    b for b in cinder.backups
                    if b['owner'] != SCHED and not b['is_incremental']
                ]
                if not others:
                    assert not stray, 'old incrementals survived a rotation'
        # our error backups are cleaned up after a good run
        assert not [
            b for b in cinder.backups
            if b['owner'] == SCHED and b['status'] == 'error'
        ]
    from tests import figures
    figures.record('generated_histories')
    figures.record('rotation_cycles',
                   len([e for e in events if e[0] in ('run', 'run_fail')]))


def test_nothing_deleted_unless_new_backup_available(ev):
    c = Cinder()
    for _ in range(4):
        c.create(False, SCHED)
    h = c.history()
    for status in ('creating', 'error', 'deleting'):
        new = {'id': 'new', 'status': status, 'is_incremental': False,
               'created_at': '2999-01-01T00:00:00.000000'}
        assert plan(ev, h, new, 'rotation', 1, 1) == []
    assert plan(ev, h, 'CinderAction.backups.get failed: boom (HTTP 500)',
                'rotation', 1, 1) == []


def test_full_limit_oldest_chains_go_newest_first(ev):
    c = Cinder()
    f1 = c.create(False, SCHED)
    i1 = c.create(True, SCHED)
    c.create(False, SCHED)
    i2 = c.create(True, SCHED)
    before = c.history()
    new = c.create(False, SCHED)
    dels = plan(
        ev, before,
        {k: new[k] for k in ('id', 'status', 'is_incremental', 'created_at')},
        'incremental', 2, None)
    assert dels == [i1['id'], f1['id']]
    dels = plan(
        ev, before,
        {k: new[k] for k in ('id', 'status', 'is_incremental', 'created_at')},
        'rotation', 2, None)
    assert dels == [i2['id'], i1['id'], f1['id']]


def test_other_owners_never_deleted(ev):
    c = Cinder()
    c.create(False, 'other')
    c.create(True, 'other')
    c.create(False, None)
    c.create(False, SCHED)
    before = c.history()
    new = c.create(False, SCHED)
    dels = plan(
        ev, before,
        {k: new[k] for k in ('id', 'status', 'is_incremental', 'created_at')},
        'rotation', 1, 1)
    assert all(c.get(d)['owner'] == SCHED for d in dels)


def test_keep_days_removes_whole_old_chains_only(ev):
    c = Cinder(start_days_ago=30)
    old_f = c.create(False, SCHED)
    old_i = c.create(True, SCHED)
    c.tick(24 * 25)
    cur_f = c.create(False, SCHED)
    before = c.history()
    new = c.create(True, SCHED)
    dels = plan(
        ev, before,
        {k: new[k] for k in ('id', 'status', 'is_incremental', 'created_at')},
        'incremental', 10, 7)
    assert dels == [old_i['id'], old_f['id']]
    assert cur_f['id'] not in dels


def test_decision_skips_and_overlap(ev):
    c = Cinder()
    assert decide(ev, c, 'rotation', 3,
                  vol=volume(skip=True))['action'] == 'skip'
    assert decide(ev, c, 'rotation', 3, vol=volume(skip=True),
                  honour_skip=False)['action'] == 'backup'
    assert 'backing-up' in decide(ev, c, 'rotation', 3,
                                  vol=volume('backing-up'))['reason']
    assert decide(ev, c, 'rotation', 3,
                  vol=volume('error'))['reason'] == 'volume status is error'
    c.create(False, SCHED, status='creating')
    d = decide(ev, c, 'rotation', 3)
    assert d['action'] == 'skip' and d['reason'].startswith('overlap')
    d = decide(ev, Cinder(), 'rotation', 3,
               vol='CinderAction.volumes.get failed: gone (HTTP 404)')
    assert d['action'] == 'fail' and 'HTTP 404' in d['error']


def test_decision_in_use_strategy_and_chaining(ev):
    c = Cinder()
    d = decide(ev, c, 'rotation', 3, in_use='snapshot')
    assert (d['snapshot'], d['force'], d['incremental']) == (True, False,
                                                             False)
    d = decide(ev, c, 'rotation', 3, in_use='force')
    assert (d['snapshot'], d['force']) == (False, True)
    d = decide(ev, c, 'rotation', 3, vol=volume('available'), in_use='force')
    assert (d['snapshot'], d['force']) == (False, False)
    c.create(False, None)  # someone else's full: we do not chain onto it...
    assert decide(ev, c, 'incremental', 3)['incremental'] is False
    # ...unless asked to, like the seeds' full_incremental / fuel sample
    assert decide(ev, c, 'incremental', 3,
                  chain_on_any=True)['incremental'] is True
    c.create(False, SCHED)
    assert decide(ev, c, 'incremental', 3)['incremental'] is True
    assert decide(ev, c, 'incremental', 0)['incremental'] is False
    assert decide(ev, c, 'incremental', None)['incremental'] is True


# ------------------------------------------- the invariant, long histories
# At least 100 rotation cycles per generated history, each with its own policy,
# legal holds placed and released along the way and a retention lock (the
# shorter histories above have neither); a handful of histories by default
# (each cycle is two evaluations of the workbook's YAQL by Mistral), more with
# BD_ROTATION_HISTORIES=n.
LONG_HISTORIES = int(os.environ.get('BD_ROTATION_HISTORIES', '4'))
# One item per cycle: what happens before it (nothing; someone else makes a
# full - never an incremental hanging off our chain, which makes Cinder refuse
# to rotate it, covered above and exactly what the count cannot promise; days
# pass; a hold is placed on one of the volume's available backups, the
# schedule's or another's, or a held one released: the drawn number picks
# which), then the run, which may end with its backup in error.
LONG_EVENTS = st.lists(st.tuples(
    st.sampled_from([None, None, None, 'manual', 'age', 'age', 'hold',
                     'hold', 'release']),
    st.integers(min_value=0, max_value=1000),
    st.sampled_from(['run', 'run', 'run', 'run', 'run_fail'])),
    min_size=100, max_size=110)


def policy_limit(mode, max_full, max_incremental):
    """Backups of the schedule kept for one volume once a run has rotated."""
    return max_full * (1 if mode == 'full' else 1 + max_incremental)


def restorable_chain(cinder):
    """The newest available backup's chain, full first, if all available."""
    avail = [b for b in cinder.backups if b['status'] == 'available']
    if not avail:
        return None
    tip = max(avail, key=lambda b: b['created_at'])
    chain = [tip]
    while chain[-1]['parent']:
        chain.append(cinder.get(chain[-1]['parent']))
    if chain[-1]['is_incremental'] or \
            any(b['status'] != 'available' for b in chain):
        return None
    return chain[::-1]


def _before_run(cinder, before, n, held, foreign):
    """What happens to the volume's backups between two runs."""
    available = [b for b in cinder.backups if b['status'] == 'available']
    if before == 'age':
        cinder.tick(24 * (n % 5 + 1))
    elif before == 'manual':
        foreign.add(cinder.create(False, owner=None)['id'])
    elif before == 'hold' and available:
        chosen = available[n % len(available)]
        chosen['hold'] = True
        held.add(chosen['id'])
    elif before == 'release' and held:
        released = sorted(held)[n % len(held)]
        cinder.get(released)['hold'] = False
        held.discard(released)


def _kept_by(cinder, held, lock):
    """What rotation must not delete.

    The held backups, the backups younger than the lock's days (a failed one
    holds no data), and the chains they need to be restored.
    """
    kept = [b for b in cinder.backups if b['id'] in held]
    if lock['days']:
        young = (datetime.datetime.utcnow() - datetime.timedelta(
            days=lock['days'])).strftime('%Y-%m-%dT%H:%M:%S.%f')
        kept += [b for b in cinder.backups if b['created_at'] >= young and
                 b['status'] == 'available']
    return {b['id'] for b in kept} | {
        a for b in kept for a in cinder.ancestors(b['id'])}


# Half the histories have a lock whose count is above the schedule's own
# max_full (and maybe days too), half a lock of days only. (About a week at
# most: each cycle is a day or more, and a longer lock keeps more backups in
# every history, which slows each evaluation without telling more.)
@pytest.mark.parametrize('guard', ['count', 'days'])
@settings(max_examples=max(1, LONG_HISTORIES // 2), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(events=LONG_EVENTS,
       mode=st.sampled_from(['rotation', 'incremental', 'full']),
       max_full=st.integers(min_value=1, max_value=3),
       max_incremental=st.integers(min_value=0, max_value=3),
       keep_days=st.one_of(st.none(), st.integers(min_value=2, max_value=20)),
       above=st.integers(min_value=1, max_value=2),
       days=st.one_of(st.none(), st.integers(min_value=2, max_value=8)))
def test_retention_holds_and_locks_over_100_cycles(
        ev, guard, events, mode, max_full, max_incremental, keep_days, above,
        days):
    """Over 100+ runs: the policy is kept, and a lock's minimum held.

    Held backups, a lock's minimum and others' backups are never deleted; a
    restorable chain always stays.
    """
    from tests import figures
    lock = {'count': max_full + above if guard == 'count' else None,
            'days': days or 5 if guard == 'days' else days}
    # A daily schedule. The workbook counts the lock's days back from the
    # real clock: the history ends a day before now, so that its last days
    # are young.
    cinder = Cinder(start_days_ago=1 + len(events) + sum(
        n % 5 + 1 for before, n, _kind in events if before == 'age'))
    held, foreign = set(), set()
    count = lock['count']
    # what the schedule keeps outside holds and young backups: its own
    # policy, with at least the lock's count of full backups
    limit = policy_limit(mode, max(max_full, count or 0), max_incremental)
    cycles = 0
    for before, n, kind in events:
        cinder.tick(24)
        _before_run(cinder, before, n, held, foreign)
        d = decide(ev, cinder, mode, max_incremental)
        assert d['action'] == 'backup', d
        history_before = cinder.history()
        new = cinder.create(
            d['incremental'], owner=SCHED,
            status='error' if kind == 'run_fail' else 'available')
        result = {
            k: new[k] for k in ('id', 'status', 'is_incremental', 'created_at')
        }
        fulls_before = [b['id'] for b in cinder.backups
                        if b['owner'] == SCHED and not b['is_incremental'] and
                        b['status'] == 'available']
        dels = plan(ev, history_before, result, mode, max_full, keep_days,
                    lock)
        needed = _kept_by(cinder, held, lock)
        assert not needed & set(dels), (needed & set(dels), dels)
        if new['status'] != 'available':
            assert dels == []
        refused = apply(cinder, dels)
        assert not refused, refused
        cycles += 1
        left = {b['id'] for b in cinder.backups}
        # the lock's count of full backups stays
        if count is not None:
            kept_fulls = [b for b in fulls_before if b in left]
            assert len(kept_fulls) >= min(count, len(fulls_before)), (
                len(kept_fulls), count, len(fulls_before))
        # never more than the policy once the run has rotated, besides what
        # holds and the lock's days keep
        free = [b for b in cinder.backups
                if b['owner'] == SCHED and b['status'] == 'available' and
                b['id'] not in needed]
        # (a failed run rotates nothing: a hold released before it waits)
        if new['status'] == 'available':
            assert len(free) <= limit, (len(free), limit, mode, max_full,
                                        max_incremental, lock)
        # only the schedule's own backups are ever deleted
        assert foreign <= left
        # the volume always keeps an available full and the whole chain of
        # its newest backup, once any backup succeeded
        if any(b['status'] == 'available' for b in cinder.backups):
            assert restorable_chain(cinder), 'no restorable chain left'
            assert [b for b in cinder.backups if not b['is_incremental'] and
                    b['status'] == 'available']
    assert held <= {b['id'] for b in cinder.backups}
    assert cycles >= 100
    figures.record('generated_histories')
    figures.record('rotation_cycles', cycles)
