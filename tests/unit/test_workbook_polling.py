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

"""When the bundled workflows look at Cinder again: their polling policies.

The expressions of the polling tasks' ``wait-before`` and ``retry`` are
evaluated as written, with Mistral's own evaluator (tests/workbooks/check.py):
a backup's first look comes a little before Cinder's time for the volume's
last backup of that kind says it should be done, then every fifth of the
time waited so far, 1 to 30 s, until the timeout; and ``took``, that time,
from Cinder's listing.
"""
import datetime
from pathlib import Path
import time

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


def _workflows(name):
    return yaml.safe_load((REPO / 'workbooks' / name).read_text())


VOLUME = _workflows('volume_backup.yaml')
WAIT = VOLUME['backup_dashboard_volume_backup']['tasks']['wait_backup']
BACKUP = VOLUME['backup_dashboard_volume_backup']['tasks']['backup']
# every polling task of the scheduled run backs off the same way; the
# backup's request is asked again while its snapshot is being made
POLLING = [
    VOLUME['backup_dashboard_volume_backup']['tasks']['wait_backup'],
    BACKUP,
    VOLUME['backup_dashboard_delete_backup']['tasks']['wait_gone'],
    _workflows('schedule.yaml')['backup_dashboard_schedule']['tasks'][
        'wait_together'],
]
HISTORY = _workflows('schedule.yaml')['backup_dashboard_schedule']['tasks'][
    'list_backups']['publish']['histories']


def _started(seconds_ago):
    """task().created_at as Mistral gives it: UTC, no zone, a space."""
    at = datetime.datetime.utcnow() - datetime.timedelta(seconds=seconds_ago)
    return at.isoformat(' ')


def _delay_after(ev, task, waited):
    """The task's retry delay once it has waited `waited` seconds.

    From an evaluation that took under a second: the evaluator's own time
    counts as waited too, and on a loaded machine its first answer (Mistral
    loading) can take longer than a fifth of a bucket.
    """
    for _attempt in range(5):
        start = time.monotonic()
        delay = ev(task['retry']['delay'], {'timeout': 3600},
                   task_created_at=_started(waited))
        if time.monotonic() - start < 1:
            return delay
    raise AssertionError('no evaluation took under a second')


@pytest.mark.parametrize('waited, delay', [
    (0, 1), (4, 1), (12, 2), (62, 12), (147, 29), (400, 30), (3000, 30)])
def test_looks_again_after_a_fifth_of_the_time_waited(ev, waited, delay):
    for task in POLLING:
        assert _delay_after(ev, task, waited) == delay


def test_looks_again_until_the_timeout_and_not_after(ev):
    for task in POLLING:
        count = task['retry']['count']
        assert ev(count, {'timeout': 600},
                  task_created_at=_started(0)) > 600
        assert ev(count, {'timeout': 600},
                  task_created_at=_started(590)) > 0
        assert ev(count, {'timeout': 600},
                  task_created_at=_started(601)) == 0


def _refused(status):
    """A backup request Cinder refused, as Mistral gives the task's result."""
    return ("The action raised an exception [action_ex_id=1, "
            "msg='CinderAction.backups.create failed: Invalid snapshot: "
            "Snapshot to be backed up must be available, but the current "
            "status is \"%s\". (HTTP 400) (Request-ID: req-1)', "
            "params='{}']" % status)


def test_asks_for_the_backup_again_while_its_snapshot_is_made(ev):
    def breaks(result):
        return ev(BACKUP['retry']['break-on'], {}, task_result=result)
    assert breaks(_refused('creating')) is False
    # any other refusal is an answer: the run reports it (or an overlap)
    assert breaks(_refused('error')) is True
    assert breaks("The action raised an exception [msg='Invalid volume: "
                  "Volume to be backed up must be available or in-use, but "
                  "the current status is \"backing-up\". (HTTP 400)']") \
        is True
    assert breaks({'id': 'b-1', 'status': 'creating'}) is True


def _backup(took, incremental=False, status='available', at='2026-01-01'):
    return {'id': at, 'status': status, 'is_incremental': incremental,
            'created_at': at + 'T00:00:00.000000', 'took': took}


def _first_look(ev, history, incremental, timeout=3600):
    return ev(WAIT['wait-before'], {
        'history': history, 'timeout': timeout,
        'decision': {'incremental': incremental}})


def test_first_look_from_the_same_kind_of_backup(ev):
    history = [_backup(100, at='2026-01-01'),
               _backup(20, incremental=True, at='2026-01-02')]
    assert _first_look(ev, history, incremental=False) == 80
    assert _first_look(ev, history, incremental=True) == 16


def test_a_full_looks_first_after_its_newest_incremental_took(ev):
    # a full reads and writes at least what an incremental does
    incrementals = [_backup(25, incremental=True)]
    assert _first_look(ev, incrementals, incremental=False) == 20


def test_an_incremental_after_a_full_looks_at_once(ev):
    # a full's time is no lower bound for an incremental's
    assert _first_look(ev, [_backup(100)], incremental=True) == 0


def test_first_look_from_the_newest_and_never_after_the_timeout(ev):
    history = [_backup(10, at='2026-01-01'), _backup(50, at='2026-01-03'),
               _backup(30, at='2026-01-02')]
    assert _first_look(ev, history, incremental=False) == 40
    assert _first_look(ev, history, incremental=False, timeout=25) == 25


def test_first_look_at_once_without_a_known_time(ev):
    assert _first_look(ev, [], incremental=False) == 0
    unknown = [_backup(None), _backup(70, status='error', at='2026-01-02')]
    assert _first_look(ev, unknown, incremental=False) == 0
    assert _first_look(ev, 'cannot list the backups', incremental=False) == 0


def test_took_from_cinders_listing(ev):
    def listed(status='available', children=False, updated='00:00:12.700000'):
        return {'id': 'b', 'status': status, 'is_incremental': False,
                'created_at': '2026-01-01T00:00:00.000000',
                'updated_at': '2026-01-01T' + updated,
                'has_dependent_backups': children, 'metadata': {}}
    took = ev(HISTORY, {}, task_result=[[
        listed(), listed(children=True), listed(status='creating'),
        dict(listed(), updated_at=None)]])
    assert [b['took'] for b in took[0]] == [12, None, None, None]
