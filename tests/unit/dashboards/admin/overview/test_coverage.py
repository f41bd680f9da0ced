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

"""What the overview says of generated estates.

An instance is "RPO breached" only after a due run passed with no run near it,
"First backup at" the schedule's run that will make it while no run could have
made one yet, and a schedule's "No run since" only when a run was due.
"""
from django.utils.html import strip_tags
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings

from backup_dashboard.dashboards.admin.overview import coverage
from backup_dashboard.dashboards.admin.overview import tables
from backup_dashboard.dashboards.common import display
from backup_dashboard import health
from tests import histories


def _fresh(estate, volume, rpo):
    newest = estate.newest(volume)
    return newest is not None and estate.history.now - newest <= rpo


@settings(max_examples=200, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(estate=histories.estates(),
       zone=histories.st.sampled_from(('UTC', 'Asia/Tokyo')))
def test_instance_words_over_generated_estates(estate, zone):
    history = estate.history
    schedule, now = history.schedule, history.now
    overview = coverage.build(estate.parts())
    rows = {r.id: r for r in overview.instances}
    rpo, grace = health.rpo(schedule), health.run_grace(schedule)
    tol = history.tolerance
    for instance in estate.instances:
        row = rows[instance.id]
        words = strip_tags(tables._state(row, zone))
        stale = [v for v in instance.volumes if not _fresh(estate, v, rpo)]
        # A due run, after a volume came under the schedule (as far as the
        # services tell), that no run was near.
        missed = [f for v in stale for f in history.missed(
            instance.known(v, schedule), now - grace)]
        if not stale:
            assert row.state == 'ok' and 'Within RPO' in words
            continue
        assert row.state != 'ok'
        if row.state == 'breach':
            assert missed and 'RPO breached' in words
        if not missed:
            assert row.state == 'pending'
        # Had the time to back up a volume that was surely under it.
        if any(history.due_in(instance.covered(v, schedule) + tol,
                              now - grace) for v in stale):
            assert row.state == 'breach'
        if row.state == 'pending':
            # The run that makes it: the next, or one making it now.
            upcoming = schedule.runs_between(
                now - grace, schedule.next_runs(1, at=now)[0])
            assert row.first_backup in upcoming
            assert 'First backup at %s' % display.local_text(
                row.first_backup, zone) in words
            assert 'RPO breached' not in words


@settings(max_examples=100, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(estate=histories.estates())
def test_schedule_words_over_generated_estates(estate):
    history = estate.history
    schedule, now = history.schedule, history.now
    overview = coverage.build(estate.parts())
    row = overview.schedules[0]
    zone = schedule.timezone
    last = strip_tags(tables._last_run(row, zone))
    due = history.due_in(history.created, now - history.tolerance)
    real = history.real_runs()
    assert row.next_run == schedule.next_runs(1, at=now)[0]
    if real:
        newest = max(r.started for r in real)
        assert row.last_run_at == newest
        assert display.local_text(newest, zone) in last
    elif due:
        assert 'No run since' in last
        assert row.health.code == 'missed'
    else:
        assert 'No run since' not in last
        assert last == 'Not run yet'
        assert 'First run %s' % display.local_text(
            schedule.next_runs(1, at=history.created)[0], zone) in \
            strip_tags(display.health_badge(row.health, zone))
