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

"""Restore drills against the real local OpenStack.

The workflow: one drill over two volumes of the project ``demo``, one whose
newest backup of the schedule restores, and one whose backup has lost its
data in the backup store (the posix driver's files removed). Every
assertion reads Cinder's own state too: the drill volumes are gone, the
originals and their backups are as they were. The dashboard: "Run Drill
Now" starts a drill that passes and shows under Drills, another project
can neither open nor start it, and a drill the volume quota cannot hold is
refused before anything is created. Drills saved with a schedule fire from
their own cron trigger and show under Drills.
"""

import datetime
import glob
import json
import os

import pytest

from backup_dashboard import drill_schedule
from backup_dashboard import drills
from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud.conftest import STATE
from tests.cloud.conftest import unique
from tests.cloud import horizon
from tests.cloud import test_schedules_panel
from tests.cloud.test_workbooks_cloud import run_wf

pytestmark = pytest.mark.cloud

BACKUP_STORE = os.path.join(STATE, 'data', 'cinder', 'backups')


def schedule_backup(project, volume, schedule):
    """A backup as the schedule's workflow makes it (its metadata)."""
    return project.backup(volume, metadata={
        'backup_dashboard:schedule': schedule,
        'backup_dashboard:automated': 'true'})


def lose_data(backup_id):
    """Remove the backup's data from the posix backup store."""
    chunks = [path for path in glob.glob(
        os.path.join(BACKUP_STORE, '**', '*backup_%s*' % backup_id),
        recursive=True) if not path.endswith('_metadata')]
    assert chunks, 'no data of backup %s in %s' % (backup_id, BACKUP_STORE)
    for path in chunks:
        os.remove(path)


def test_drill_restores_times_and_cleans_up(
        synced_workbooks, demo):  # noqa: F811
    schedule = unique('drill')
    good = demo.volume(size=1, name=schedule + '-good')
    with open(demo.volume_file(good.id), 'r+b') as f:
        f.write(b'backup-dashboard drill ' * 100)
    lost = demo.volume(size=1, name=schedule + '-lost')
    older = schedule_backup(demo, good, schedule)
    newest = schedule_backup(demo, good, schedule)
    broken = schedule_backup(demo, lost, schedule)
    lose_data(broken.id)
    volumes_before = {v.id for v in demo.cinder.volumes.list()}

    state, out, _ = run_wf(demo, 'backup_dashboard_drill',
                           {'schedule': schedule,
                            'volumes': [good.id, lost.id]})

    assert state == 'SUCCESS', out
    assert out['counts'] == {'passed': 1, 'failed': 1, 'skipped': 0}, out
    assert out['status'] == 'partial'
    results = {r['volume']: r for r in out['volumes']}
    passed = results[good.id]
    assert (passed['result'], passed['reason']) == ('passed', None), passed
    assert passed['backup']['id'] == newest.id != older.id
    # Cinder's stamps may be whole seconds: a quick restore may share one.
    assert passed['restore_started'] <= passed['restore_done']
    assert isinstance(passed['rto_seconds'], int), passed
    assert 0 <= passed['rto_seconds'] < 600
    assert out['report'] is None            # no recipients, no e-mail
    failed = results[lost.id]
    assert failed['result'] == 'failed'
    assert 'could not read the backup data' in failed['reason'], failed
    for result in results.values():
        assert result['cleaned'] is True, result
    # Nothing of the drill is left; the originals and backups are untouched.
    assert not demo.volumes_made_since(
        volumes_before, [older.id, newest.id, broken.id])
    for volume in (good, lost):
        assert demo.cinder.volumes.get(volume.id).status == 'available'
    assert {b.id for b in demo.cinder.backups.list()} >= {
        older.id, newest.id, broken.id}


def test_kept_volumes_stay_marked_then_go_and_a_lost_boot_fails(
        synced_workbooks, demo):  # noqa: F811
    schedule = unique('drillkeep')
    # A volume with metadata of its own: a restore brings it back in place
    # of the drill's marks, which the drill sets again on a kept volume.
    kept = demo.volume(size=1, name=schedule + '-kept',
                       metadata={'owner': 'team-a'})
    kept_backup = schedule_backup(demo, kept, schedule)
    # A backup that says its volume booted from an image, of a volume that
    # did not: its restore comes back not bootable, which the drill fails.
    plain = demo.volume(size=1, name=schedule + '-plain')
    plain_backup = demo.backup(plain, metadata={
        'backup_dashboard:schedule': schedule,
        'backup_dashboard:automated': 'true',
        'backup_dashboard:bootable_image': 'true'})
    volumes_before = {v.id for v in demo.cinder.volumes.list()}
    ex = demo.mistral.executions.create(
        drills.DRILL_WORKFLOW, workflow_input=json.dumps(
            {'schedule': schedule, 'keep': 30}))
    demo.record_execution(ex.id)

    def kept_now():
        found = [v for v in demo.cinder.volumes.list()
                 if v.id not in volumes_before and
                 v.status == 'available' and
                 v.metadata.get('backup_dashboard:drill_of') == kept.id]
        return found or None
    (held,) = conftest.wait_for('the kept drill volume, marked again',
                                kept_now, timeout=300, delay=2)
    assert held.name == 'drill-' + kept_backup.id     # a drill's name
    assert held.metadata['backup_dashboard:drill'] == 'true'
    # The source's own metadata came back with the restore.
    assert held.metadata['owner'] == 'team-a'
    assert demo.mistral.executions.get(ex.id).state == 'RUNNING'

    def done():
        e = demo.mistral.executions.get(ex.id)
        return e if e.state in ('SUCCESS', 'ERROR') else None
    ended = conftest.wait_for('the drill', done, timeout=600, delay=2)
    out = json.loads(ended.output)
    results = {r['volume']: r for r in out['volumes']}
    assert results[kept.id]['result'] == 'passed', results
    assert results[kept.id]['kept'] is True
    assert results[plain.id]['result'] == 'failed'
    assert 'not bootable' in results[plain.id]['reason']
    assert all(r['cleaned'] is True for r in results.values()), results
    assert not demo.volumes_made_since(
        volumes_before, [kept_backup.id, plain_backup.id])


# --------------------------------------------- through the dashboard's form
PANEL = '/project/backup_schedules/'


def _schedule(project, name):
    """A schedule of `project` (its trigger), fired only by hand here."""
    return project.cron_trigger(
        name, domain.SCHEDULE_WORKFLOW, workflow_input=domain.Schedule(
            name=name, pattern='0 3 1 1 *').workflow_input(),
        pattern='0 3 1 1 *')


def _drills(project, trigger):
    return project.mistral.executions.list(
        workflow_name=drills.DRILL_WORKFLOW,
        description='has:%s' % trigger.id)


def test_run_drill_now_from_the_dashboard(
        dashboard, synced_workbooks, demo, alt):  # noqa: F811
    name = unique('drillnow')
    trigger = _schedule(demo, name)
    volume = demo.volume(size=1, name=name + '-data')
    backup = schedule_backup(demo, volume, name)
    url = PANEL + '%s/drill/' % name

    # Another project can neither open the form nor start a drill.
    intruder = horizon.Browser(dashboard, 'alt', 'alt')
    assert intruder.get(url).url.endswith(PANEL)
    intruder.post(url, {'sample': ''})
    assert not _drills(demo, trigger)

    user = horizon.Browser(dashboard, 'demo', 'demo')
    form = user.get(url, ajax=True).text
    assert 'available backup of 1 volume' in form
    res = user.post(url, {'sample': ''})
    assert res.url.endswith('?tab=schedule_details__drills'), \
        horizon.messages(res.text)
    (started,) = _drills(demo, trigger)
    demo.record_execution(started.id)
    drill = conftest.wait_for(
        'the drill to end',
        lambda: (lambda e: e if e.state in ('SUCCESS', 'ERROR') else None)(
            demo.mistral.executions.get(started.id)), timeout=300)
    out = json.loads(drill.output)
    assert out['status'] == 'ok', out
    (result,) = out['volumes']
    assert result['backup']['id'] == backup.id and result['cleaned'], result
    tab = user.get(PANEL + '%s/?tab=schedule_details__drills' % name,
                   ajax=True).text
    assert 'data-outcome="ok"' in tab
    assert '%s-data: passed, restored in' % name in tab
    assert demo.cinder.volumes.get(volume.id).status == 'available'


def test_a_drill_the_volume_quota_cannot_hold_is_refused(
        dashboard, synced_workbooks, admin, minicloud, cleanup):  # noqa: F811
    temp = conftest.TempProject(admin, minicloud['demo'], 'bd-drillquota')
    member = conftest.Project(conftest.Clients(temp.creds), cleanup)
    name = unique('drillquota')
    trigger = _schedule(member, name)
    volume = member.volume(size=1, name=name + '-data')
    schedule_backup(member, volume, name)
    # Every volume the quota allows is in use: the throwaway one has no room.
    admin.cinder.quotas.update(temp.project_id, volumes=1)
    user = horizon.Browser(dashboard, temp.name, temp.password)
    url = PANEL + '%s/drill/' % name
    assert 'allows only' in user.get(url, ajax=True).text
    res = user.post(url, {'sample': ''})
    assert 'No drill was started:' in res.text
    assert 'volume quota allows only' in res.text
    assert not _drills(member, trigger)
    assert [v.id for v in member.cinder.volumes.list()] == [volume.id]


def test_a_schedules_own_drill_fires_from_its_trigger(
        dashboard, synced_workbooks, demo):  # noqa: F811
    """Weekly drills saved with the schedule fire from their own trigger."""
    name = unique('drillcron')
    volume = demo.volume(size=1, name=name + '-data')
    schedule_backup(demo, volume, name)
    demo.cleanup.add('delete schedule %s' % name,
                     demo.mistral.cron_triggers.delete, name)
    demo.cleanup.add('delete drills of %s' % name,
                     _delete_if_there, demo, drill_schedule.trigger_name(name))
    user = horizon.Browser(dashboard, 'demo', 'demo')
    # The next minute that begins at least 20 s from now (saving the
    # schedule takes a few seconds), on that instant's weekday (UTC).
    now = datetime.datetime.now(datetime.timezone.utc)
    at = now + datetime.timedelta(minutes=1 if now.second < 40 else 2)
    res = user.post(PANEL + 'create/', dict(
        test_schedules_panel.FORM, name=name, cron='0 3 1 1 *',
        drill='weekly', drill_weekday=str((at.weekday() + 1) % 7),
        drill_hour=str(at.hour), drill_minute=str(at.minute),
        drill_sample='1'))
    assert res.url.endswith(PANEL), horizon.messages(res.text)
    trigger = demo.mistral.cron_triggers.get(
        drill_schedule.trigger_name(name))
    assert trigger.pattern == '%d %d * * %d' % (
        at.minute, at.hour, (at.weekday() + 1) % 7)
    assert json.loads(trigger.workflow_input)['sample'] == 1
    # saved in time to fire at `at`, not a week later
    assert trigger.next_execution_time.startswith(
        at.strftime('%Y-%m-%d %H:%M')), trigger.next_execution_time

    def fired():
        found = demo.mistral.executions.list(
            workflow_name=drills.DRILL_WORKFLOW,
            description='has:%s' % trigger.id)
        for execution in found:
            demo.record_execution(execution.id)
            if execution.state in ('SUCCESS', 'ERROR'):
                return demo.mistral.executions.get(execution.id)
    drill = conftest.wait_for('the drill trigger to fire and end', fired,
                              timeout=420, delay=5)
    out = json.loads(drill.output)
    assert (drill.state, out['status']) == ('SUCCESS', 'ok'), out
    assert out['chosen'] == [volume.id]
    assert out['turn'] == drills.turn_at(at)
    tab = user.get(PANEL + '%s/?tab=schedule_details__drills' % name,
                   ajax=True).text
    assert 'data-outcome="ok"' in tab
    assert 'Scheduled drills: Weekly on' in tab


def _delete_if_there(project, name):
    try:
        project.mistral.cron_triggers.delete(name)
    except Exception:
        pass
