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

"""A volume's protection: fresh, waiting for its first backup, or breached.

Generated estates are judged in
tests/unit/dashboards/admin/overview/test_coverage.py; these are the cases
by name.
"""
import datetime

from backup_dashboard import health
from backup_dashboard import rpo
from backup_dashboard import schedule as domain

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def at(day, hour=2, minute=0, second=0):
    return datetime.datetime(2026, 11, day, hour, minute, second,
                             tzinfo=UTC)


def nightly(created='2026-11-01 10:00:00'):
    return domain.Schedule(name='nightly', pattern='0 2 * * *',
                           created_at=created)


def ran(day, volumes=('v1',), cron=True, outcome='ok', **kw):
    return health.Run(at(day, **kw), outcome, cron,
                      volumes=None if volumes is None else frozenset(volumes))


def judge(newest=None, runs=(), since=None, schedule=None, now=NOW):
    return rpo.judge('v1', newest, [(schedule or nightly(),
                                     list(runs))], since, now)


def test_a_backup_within_the_rpo_is_ok():
    assert judge(newest=at(22, minute=4)).state == 'ok'
    assert judge(newest=at(21, hour=11)).state == 'ok'       # 25 h


def test_a_volume_attached_after_the_last_run_waits_for_the_next():
    verdict = judge(since=at(22, hour=9), runs=[ran(21), ran(22)])
    assert verdict == rpo.Verdict('pending', at(23))
    # Its old backup (made elsewhere) is no breach either.
    assert judge(newest=at(2), since=at(22, hour=9)).state == 'pending'


def test_a_volume_a_due_run_did_not_back_up_is_a_breach():
    assert judge(since=at(21, hour=9), runs=[ran(22)]).state == 'breach'
    assert judge(newest=at(20, minute=4), runs=[ran(22)]).state == 'breach'
    # Whatever the volume's times, once the schedule had its chance.
    assert judge().state == 'breach'


def test_a_new_schedule_waits_for_its_first_run():
    verdict = judge(schedule=nightly(created='2026-11-22 09:00:00'))
    assert verdict == rpo.Verdict('pending', at(23))


def test_runs_without_the_volume_say_it_was_tagged_after_them():
    # Nova keeps no tag time: the run of the 22nd found no such volume.
    runs = [ran(20, ()), ran(21, ('v2',)), ran(22, ('v2',))]
    assert judge(runs=runs) == rpo.Verdict('pending', at(23))
    assert rpo.covered_since(nightly(), 'v1', runs) == at(22)


def test_a_run_that_found_the_volume_or_told_nothing_moves_nothing():
    runs = [ran(21, ('v2',)), ran(22, ('v1', 'v2'))]
    assert rpo.covered_since(nightly(), 'v1', runs) == at(21)
    unknown = [ran(21, ('v2',)), ran(22, None, outcome='failed'),
               ran(22, (), outcome='not_due', hour=3)]
    assert rpo.covered_since(nightly(), 'v1', unknown) == at(21)


def test_a_fire_two_seconds_early_without_the_volume_is_its_fire():
    # Tagged at 01:59:59; Mistral fired at 01:59:58: the 02:00 run could
    # not back it up, so the 23rd's is its first.
    runs = [ran(22, ('v2',), hour=1, minute=59, second=58)]
    assert rpo.covered_since(nightly(), 'v1', runs) == at(22)
    assert judge(runs=runs).state == 'pending'
    # "Run now" stands for no fire.
    now_run = [ran(22, ('v2',), cron=False, hour=1, minute=59, second=58)]
    assert judge(runs=now_run, since=at(22, hour=1)).state == 'breach'


def test_a_first_run_still_making_its_backup_is_pending():
    # The run of 02:00 may take its grace (an hour for a daily one).
    assert judge(since=at(21, hour=9), now=at(22, hour=2, minute=50)) == \
        rpo.Verdict('pending', at(22))
    assert judge(since=at(21, hour=9), now=at(22, hour=3,
                                              minute=1)).state == 'breach'


def test_an_instance_is_its_worst_volume_and_waits_for_its_last():
    ok, breach = rpo.Verdict('ok'), rpo.Verdict('breach')
    soon = rpo.Verdict('pending', at(23))
    later = rpo.Verdict('pending', at(24))
    assert rpo.combine([ok, soon, later]) == later
    assert rpo.combine([soon, breach]) == breach
    assert rpo.combine([ok, ok]) == ok
