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

"""backup_dashboard.retention: what a schedule's next run deletes.

First on its own, over small histories whose answer is worked out by hand;
then against the workbook itself: over generated histories, its Python
answer must equal what Mistral's own evaluator makes of the YAQL in
workbooks/volume_backup.yaml (variable ``decision``, publish ``deletions``
of task ``wait_backup``), run through tests/workbooks/bridge.py.
"""
import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
import pytest
import yaml

from backup_dashboard.clock import cron as clock
from backup_dashboard import retention
from backup_dashboard import schedule as domain
from tests.simulations import require_mistral
from tests.workbooks import bridge

REPO = Path(__file__).resolve().parents[2]

WF = yaml.safe_load((REPO / 'workbooks' / 'volume_backup.yaml').read_text()
                    )['backup_dashboard_volume_backup']
DECISION = WF['vars']['decision']
PLAN = WF['tasks']['wait_backup']['publish']['deletions']
SCHED = 'nightly'
AT = datetime.datetime(2026, 11, 21, 1, 0, tzinfo=datetime.timezone.utc)
IN_USE = {'status': 'in-use', 'skip': False}


def made(kinds, owner=SCHED, start=AT - datetime.timedelta(days=30),
         prefix='b'):
    """A volume's backups, one a day from `start`, oldest first.

    F a full, i an incremental, X a failed full; ids say the day and kind.
    """
    out = []
    for day, kind in enumerate(kinds):
        out.append({
            'id': '%s%02d%s' % (prefix, day, kind), 'owner': owner,
            'status': 'error' if kind == 'X' else 'available',
            'is_incremental': kind == 'i',
            'created_at': (start + datetime.timedelta(days=day)).strftime(
                retention.TIME_FORMAT)})
    return out


def policy(**fields):
    fields.setdefault('mode', 'rotation')
    return domain.Schedule(name=SCHED, **fields)


def ids(backups):
    return [b['id'] for b in backups]


# --- on its own -------------------------------------------------------------

def test_a_full_chain_makes_a_full_and_rotation_drops_the_old_incrementals():
    history = made('Fii')
    assert retention.decide(IN_USE, history, SCHED, 'rotation',
                            2).incremental is False
    assert ids(retention.next_run(IN_USE, history,
                                  policy(max_full=2, max_incremental=2),
                                  AT)) == ['b02i', 'b01i']
    # Room left in the chain: an incremental, and nothing goes.
    assert retention.decide(IN_USE, history, SCHED, 'rotation',
                            3).incremental is True
    assert retention.next_run(IN_USE, history,
                              policy(max_full=2, max_incremental=3),
                              AT) == []


def test_lowering_the_fulls_deletes_whole_old_chains_newest_first():
    history = made('FiFiFi')
    before = policy(mode='incremental', max_full=3, max_incremental=1)
    after = policy(mode='incremental', max_full=2, max_incremental=1)
    # The chain is full: the next run makes a full, the newest of three
    # chains with the current settings, of two with the new ones.
    deleted, lost = retention.compare(IN_USE, history, before, after, AT)
    assert ids(deleted) == ['b03i', 'b02F', 'b01i', 'b00F']
    assert ids(lost) == ['b03i', 'b02F']
    # Raising it loses nothing the current settings keep.
    assert retention.compare(IN_USE, history, after, before, AT)[1] == []


def test_keep_days_counts_from_the_next_run():
    history = made('FiFi', start=AT - datetime.timedelta(days=20))
    short = policy(mode='incremental', max_full=5, max_incremental=6,
                   keep_days=19)
    # The old chain's newest backup is 19 days old at the next run: kept.
    assert retention.next_run(IN_USE, history, short, AT) == []
    later = AT + datetime.timedelta(hours=1)
    assert ids(retention.next_run(IN_USE, history, short, later)) == [
        'b01i', 'b00F']


def test_only_the_schedules_own_backups_and_its_failed_ones_go():
    history = made('Fi', owner='other', prefix='o') + made(
        'FiX', start=AT - datetime.timedelta(days=10))
    deleted = retention.next_run(IN_USE, history,
                                 policy(max_full=1, max_incremental=1), AT)
    assert ids(deleted) == ['b02X', 'b01i', 'b00F']


def test_a_held_backup_and_the_chain_it_needs_stay():
    history = made('FiiiFiiFii')
    held = history[2]
    held['hold'] = True
    deleted = ids(retention.next_run(
        IN_USE, history, policy(max_full=1, max_incremental=6), AT))
    # the older chains go, newest first, but for the held incremental, the
    # one before it and their full; the one after it goes
    assert deleted == ['b06i', 'b05i', 'b04F', 'b03i']
    history[0]['hold'] = True
    history[2]['hold'] = False
    assert ids(retention.next_run(
        IN_USE, history, policy(max_full=1, max_incremental=6), AT)) == [
        'b06i', 'b05i', 'b04F', 'b03i', 'b02i', 'b01i']


def test_a_lock_keeps_its_count_of_fulls_and_its_days():
    history = made('FiFiFiFi')
    plain = ids(retention.next_run(IN_USE, history, policy(max_full=1), AT))
    assert plain == ['b05i', 'b04F', 'b03i', 'b02F', 'b01i', 'b00F']
    # three fulls kept whatever the schedule says
    assert ids(retention.next_run(IN_USE, history, policy(max_full=1), AT,
                                  {'count': 3, 'days': None})) == [
        'b05i', 'b03i', 'b01i', 'b00F']
    # nothing younger than 27 days (b03 on), nor what b03i needs (b02F)
    assert ids(retention.next_run(IN_USE, history, policy(max_full=1), AT,
                                  {'count': None, 'days': 27})) == [
        'b01i', 'b00F']
    assert retention.next_run(IN_USE, history, policy(max_full=1), AT,
                              retention.UNREADABLE) == []


def test_a_held_failed_backup_stays():
    history = made('FiX')
    history[2]['hold'] = True
    assert retention.next_run(IN_USE, history, policy(max_full=1), AT) == []


def test_a_volume_the_next_run_does_not_back_up_loses_nothing():
    history = made('Fii')
    strict = policy(max_full=1, max_incremental=0)
    assert retention.next_run(IN_USE, history, strict, AT)
    for volume in ({'status': 'in-use', 'skip': True},
                   {'status': 'error', 'skip': False}, None):
        assert retention.next_run(volume, history, strict, AT) == []
    creating = history + [dict(made('i')[0], id='new', status='creating')]
    assert retention.decide(IN_USE, creating, SCHED, 'rotation',
                            6).action == 'skip'


def test_keeps_less():
    base = policy(max_full=2, max_incremental=6)
    assert not retention.keeps_less(base, policy(max_full=3,
                                                 max_incremental=6))
    assert not retention.keeps_less(base, base)
    for lower in (policy(max_full=1, max_incremental=6),
                  policy(max_full=2, max_incremental=5),
                  policy(max_full=2, max_incremental=6, keep_days=30),
                  policy(mode='full', max_full=2, max_incremental=6)):
        assert retention.keeps_less(base, lower)
    kept = policy(max_full=2, max_incremental=6, keep_days=30)
    assert retention.keeps_less(kept, policy(max_full=2, max_incremental=6,
                                             keep_days=10))
    assert not retention.keeps_less(kept, base)


# --- equal to the workbook ---------------------------------------------------

@pytest.fixture(scope='module')
def ev():
    require_mistral()
    evaluator = bridge.Evaluator()
    yield evaluator
    evaluator.close()


# Backups at whole minutes plus 30 s before the start of an example (two
# may share one: Cinder writes whole seconds): the
# workbook's keep_days cutoff is taken from the clock when Mistral
# evaluates it, a moment after this test's, and never lands on a backup.
HISTORIES = st.lists(st.tuples(
    st.integers(min_value=1, max_value=40 * 1440),
    st.sampled_from(['available'] * 4 + ['error', 'creating', 'deleting']),
    st.booleans(),
    st.sampled_from([SCHED, SCHED, 'other', None]),
    st.sampled_from([False] * 5 + [True])),
    max_size=14)
MODES = st.sampled_from(['rotation', 'incremental', 'full'])
KEEP_DAYS = st.one_of(st.none(), st.integers(min_value=1, max_value=30))


def history_of(start, drawn):
    return [{'id': 'b%d' % i, 'status': status, 'is_incremental': inc,
             'owner': owner, 'hold': hold,
             'created_at': (start - datetime.timedelta(
                 minutes=minutes, seconds=30)).strftime(
                     retention.TIME_FORMAT)}
            for i, (minutes, status, inc, owner, hold) in enumerate(drawn)]


def workbook_decision(ev, volume, history, mode, max_incremental,
                      chain_on_any=False, honour_skip=True):
    return ev(DECISION, {
        'volume': volume, 'history': history, 'schedule': SCHED,
        'mode': mode, 'max_incremental': max_incremental,
        'in_use': 'snapshot', 'chain_on_any': chain_on_any,
        'honour_skip': honour_skip})


def workbook_deletions(ev, history, new, mode, max_full, keep_days,
                       lock=None):
    return ev(PLAN, {'history': history, 'schedule': SCHED, 'mode': mode,
                     'max_full': max_full, 'keep_days': keep_days,
                     'lock': lock},
              task_result=new)


LOCKS = st.one_of(
    st.none(), st.just(retention.UNREADABLE),
    st.fixed_dictionaries({
        'count': st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
        'days': st.one_of(st.none(), st.integers(min_value=1,
                                                 max_value=30))}))


@settings(max_examples=300, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(drawn=HISTORIES, mode=MODES,
       max_full=st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
       keep_days=KEEP_DAYS,
       new_status=st.sampled_from(['available'] * 4 + ['error', 'creating']),
       new_incremental=st.booleans(), lock=LOCKS)
def test_deletions_equal_the_workbooks(ev, drawn, mode, max_full, keep_days,
                                       new_status, new_incremental, lock):
    now = clock.now()
    history = history_of(now, drawn)
    new = {'id': 'new', 'status': new_status,
           'is_incremental': new_incremental,
           'created_at': (now - datetime.timedelta(seconds=10)).strftime(
               retention.TIME_FORMAT)}
    expected = workbook_deletions(ev, history, new, mode, max_full,
                                  keep_days, lock)
    assert retention.deletions(history, new, SCHED, mode, max_full,
                               keep_days, now, lock) == expected


@settings(max_examples=300, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(drawn=HISTORIES, mode=MODES,
       volume=st.one_of(
           st.fixed_dictionaries({
               'id': st.just('v1'), 'skip': st.booleans(),
               'status': st.sampled_from(['in-use', 'available', 'error',
                                          'backing-up', 'creating'])}),
           st.just('CinderAction.volumes.get failed: gone (HTTP 404)')),
       listed=st.booleans(),
       max_incremental=st.one_of(st.none(),
                                 st.integers(min_value=0, max_value=4)),
       chain_on_any=st.booleans(), honour_skip=st.booleans())
def test_the_decision_equals_the_workbooks(ev, drawn, mode, volume, listed,
                                           max_incremental, chain_on_any,
                                           honour_skip):
    history = history_of(clock.now(), drawn) if listed else \
        'CinderAction.backups.list failed: boom (HTTP 500)'
    expected = workbook_decision(ev, volume, history, mode, max_incremental,
                                 chain_on_any, honour_skip)
    found = retention.decide(volume, history, SCHED, mode, max_incremental,
                             chain_on_any, honour_skip)
    assert (found.action, found.incremental) == (expected['action'],
                                                 expected['incremental'])


@settings(max_examples=200, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(drawn=HISTORIES, mode=MODES,
       max_full=st.integers(min_value=1, max_value=4),
       max_incremental=st.integers(min_value=0, max_value=4),
       keep_days=KEEP_DAYS,
       volume=st.sampled_from([IN_USE, {'status': 'available', 'skip': False},
                               {'status': 'in-use', 'skip': True}]))
def test_the_next_run_equals_the_workbooks_decision_then_plan(
        ev, drawn, mode, max_full, max_incremental, keep_days, volume):
    now = clock.now()
    history = history_of(now, drawn)
    schedule = policy(mode=mode, max_full=max_full,
                      max_incremental=max_incremental, keep_days=keep_days)
    decision = workbook_decision(ev, volume, history, mode, max_incremental)
    expected = []
    if decision['action'] == 'backup':
        new = {'id': retention.NEW_ID, 'status': 'available',
               'is_incremental': decision['incremental'],
               'created_at': now.strftime(retention.TIME_FORMAT)}
        expected = workbook_deletions(ev, history, new, mode, max_full,
                                      keep_days)
    assert ids(retention.next_run(volume, history, schedule,
                                  now)) == expected
