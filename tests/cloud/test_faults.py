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

"""Faults on the real local OpenStack, and the retention invariant.

Faults on the real local OpenStack, and the retention invariant over real runs
of the schedule workflow.

- ten rotation cycles of one schedule on an instance with two volumes and
  one opted out, the invariant checked in Cinder after each; in one cycle one
  volume's backup fails for real (its file is hidden from the Cinder driver);
  an untagged server is never touched;
- a backup stuck in ``creating`` past the schedule's timeout, and a second
  run of the same schedule overlapping the first;
- the backup quota exhausted (in a project made for the test, so that the
  quotas of the shared demo project are never touched);
- Mistral unreachable: a second Horizon whose Mistral endpoint is a closed
  port; the shared Mistral is never stopped.

Every assertion reads Cinder's, Nova's or Mistral's own state.
"""
import json
import os

import pytest

from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud import horizon
from tests import figures
from tests.figures import robustness_figures  # noqa: F401 (fixture)
from tests.figures import robustness_figures_per_test  # noqa: F401,E501

pytestmark = pytest.mark.cloud


def schedule_input(name, **changes):
    schedule = domain.Schedule(name=name, pattern='0 3 * * *', **changes)
    return schedule.workflow_input()


def start_run(project, wf_input):
    ex = project.mistral.executions.create(
        domain.SCHEDULE_WORKFLOW, workflow_input=json.dumps(wf_input))
    project.record_execution(ex.id)
    return ex


def finish(project, ex, timeout=600):
    def done():
        e = project.mistral.executions.get(ex.id)
        return e if e.state in ('SUCCESS', 'ERROR') else None
    e = conftest.wait_for('run %s' % ex.id, done, timeout=timeout, delay=2)
    return e.state, json.loads(e.output or '{}')


def run(project, wf_input, timeout=600):
    return finish(project, start_run(project, wf_input), timeout)


def by_volume(out):
    return {v['volume']: v for v in out['volumes']}


def backups_of(project, volume_id):
    return sorted(project.cinder.backups.list(
        search_opts={'volume_id': volume_id}), key=lambda b: b.created_at)


def record_backups(project, *volume_ids):
    """Cleanup deletes the runs' backups, newest first."""
    found = [b for v in volume_ids for b in backups_of(project, v)]
    for b in sorted(found, key=lambda b: b.created_at):
        project.record_backup(b.id)


def snapshots_of(project, volume_id):
    return project.cinder.volume_snapshots.list(
        search_opts={'volume_id': volume_id})


def delete_snapshots(project, volume_id):
    for snap in snapshots_of(project, volume_id):
        conftest.wait_status(project.cinder.volume_snapshots.get, snap.id,
                             ('available', 'error'), timeout=900,
                             what='snapshot')
        project.cinder.volume_snapshots.delete(snap.id)
        conftest.wait_gone(project.cinder.volume_snapshots.get, snap.id,
                           what='snapshot')


def boot_volume(server):
    return server._info['os-extended-volumes:volumes_attached'][0]['id']


def owner(backup):
    meta = backup.metadata or {}
    if meta.get('backup_dashboard:automated') == 'true':
        return meta.get('backup_dashboard:schedule')
    return None


def check_invariant(project, volume_id, name, limit, foreign_ids):
    """What the issue promises after every cycle, read from Cinder."""
    backups = backups_of(project, volume_id)
    ours = [b for b in backups if owner(b) == name]
    available = [b for b in backups if b.status == 'available']
    # never more than the policy once the run has rotated
    assert len([b for b in ours if b.status == 'available']) <= limit, \
        [(b.id, b.is_incremental) for b in ours]
    # at least one available full, and the newest backup's chain complete:
    # every backup from the newest full before it to it is available
    assert [b for b in available if not b.is_incremental], 'no full left'
    tip = available[-1]
    start = max(i for i, b in enumerate(backups)
                if not b.is_incremental and b.status == 'available' and
                b.created_at <= tip.created_at)
    chain = backups[start:backups.index(tip) + 1]
    assert all(b.status == 'available' for b in chain), \
        [(b.id, b.status) for b in chain]
    # only the schedule's backups are ever deleted
    left = {b.id for b in backups}
    assert foreign_ids <= left, foreign_ids - left


def test_real_cycles_keep_the_invariant_through_a_failing_volume(
        synced_workbooks, demo):  # noqa: F811
    name = conftest.unique('bd9-cycles')
    server = demo.server()
    boot = boot_volume(server)
    data = demo.volume()
    demo.attach(server, data)
    # a volume its owner opted out of backups (staffeln's per-volume flag)
    optout = demo.volume(metadata={'backup_dashboard:skip': 'true'})
    demo.attach(server, optout)
    # someone's own backup of the boot volume: never deleted by the schedule
    foreign = demo.backup(demo.cinder.volumes.get(boot), force=True)
    demo.nova.servers.add_tag(server.id, domain.tag_for(name))
    untagged = demo.server()                  # not in the schedule
    # From temporary snapshots: the hidden file makes Cinder put the
    # snapshot in error at once. (Backing the attached volume up directly
    # instead leaves the backup in 'creating' for ever: the volume service
    # fails get_backup_device and nobody tells the backup.)
    policy = dict(mode='rotation', max_full=1, max_incremental=1,
                  in_use='snapshot', timeout=600)
    limit = policy['max_full'] * (1 + policy['max_incremental'])
    wf_input = schedule_input(name, **policy)
    # the failing volume in the middle: fulls and incrementals before it,
    # and the chain taken up again after it
    broken_cycle, cycles = 2, 4
    try:
        for cycle in range(cycles):
            path = demo.volume_file(data.id)
            if cycle == broken_cycle:
                os.rename(path, path + '.hidden')
            try:
                state, out = run(demo, wf_input)
            finally:
                if cycle == broken_cycle:
                    os.rename(path + '.hidden', path)
            vols = by_volume(out)
            assert vols[optout.id]['status'] == 'skipped', vols[optout.id]
            # the boot volume never fails: full, incremental, full, ...
            assert vols[boot]['kind'] == ('incremental' if cycle % 2
                                          else 'full'), (cycle, vols[boot])
            last_status = demo.nova.servers.get(server.id).metadata[
                'backup_dashboard:last_status']
            if cycle == broken_cycle:
                # the others succeed, the run says which failed and why
                assert state == 'SUCCESS' and out['status'] == 'partial', out
                assert vols[boot]['status'] == 'ok', vols[boot]
                assert vols[data.id]['status'] == 'failed'
                assert vols[data.id]['error'], vols[data.id]
                assert vols[data.id]['deleted'] == []
                assert last_status == 'partial'
                figures.record('faults_survived')
            else:
                assert state == 'SUCCESS' and out['status'] == 'ok', out
                assert last_status == 'ok'
                assert not [b for b in backups_of(demo, data.id)
                            if b.status == 'error'], 'error backup kept'
            for volume_id in (boot, data.id):
                assert not snapshots_of(demo, volume_id), \
                    'temporary snapshot left'
            check_invariant(demo, boot, name, limit, {foreign.id})
            check_invariant(demo, data.id, name, limit, set())
            figures.record('real_cycles')
        kinds = [b.is_incremental for b in backups_of(demo, data.id)]
        assert kinds == [False, True] or kinds == [False], kinds
        assert not backups_of(demo, optout.id)
        assert not backups_of(demo, boot_volume(untagged))
        assert demo.nova.servers.get(untagged.id).metadata == {}
    finally:
        record_backups(demo, boot, data.id)


def test_stuck_backup_and_an_overlapping_run(
        synced_workbooks, demo, admin):  # noqa: F811
    """A backup that never leaves 'creating'.

    With the volume's file hidden, Cinder's volume service fails
    get_backup_device and nothing ever tells the backup (real Cinder behaviour,
    not a test double).
    """
    name = conftest.unique('bd9-stuck')
    server = demo.server()
    boot = boot_volume(server)
    demo.nova.servers.add_tag(server.id, domain.tag_for(name))
    wf_input = schedule_input(name, mode='full', max_full=1, in_use='force',
                              timeout=10)
    path = demo.volume_file(boot)
    os.rename(path, path + '.hidden')
    try:
        state1, out1 = run(demo, wf_input)
        # the next run, while that backup is still 'creating'
        state2, out2 = run(demo, wf_input)
    finally:
        os.rename(path + '.hidden', path)
    try:
        ours = [b for b in backups_of(demo, boot) if owner(b) == name]
        (stuck,) = ours                            # no duplicate backup
        assert demo.cinder.backups.get(stuck.id).status == 'creating'
        vol1 = by_volume(out1)[boot]
        assert vol1['status'] == 'failed', vol1
        assert vol1['error'].startswith(
            'timed out after 10 s: backup %s is still creating' % stuck.id), \
            vol1['error']
        # the overlapping run skips the volume, says why, and is no error
        vol2 = by_volume(out2)[boot]
        assert vol2['status'] == 'skipped', vol2
        assert vol2['reason'].startswith('overlap'), vol2
        assert state2 == 'SUCCESS' and out2['status'] != 'failed', out2
        # the operator resets what Cinder left behind; the next run backs
        # the volume up and removes the failed backup record
        admin.cinder.backups.reset_state(stuck.id, 'error')
        admin.cinder.volumes.reset_state(boot, 'in-use')
        state3, out3 = run(demo, dict(wf_input, timeout=600))
        vol3 = by_volume(out3)[boot]
        assert state3 == 'SUCCESS' and vol3['status'] == 'ok', out3
        assert vol3['deleted'] == [stuck.id], vol3
        assert [b.id for b in backups_of(demo, boot)] == [vol3['backup']]
        figures.record('faults_survived', 2)
    finally:
        for b in backups_of(demo, boot):
            if b.status == 'creating':
                admin.cinder.backups.reset_state(b.id, 'error')
        if demo.cinder.volumes.get(boot).status == 'backing-up':
            admin.cinder.volumes.reset_state(boot, 'in-use')
        record_backups(demo, boot)


# --------------------------------------------------------- quota exhausted
def test_backup_quota_exhausted_deletes_nothing_and_says_why(
        synced_workbooks, admin, minicloud, cleanup):  # noqa: F811
    temp = conftest.TempProject(admin, minicloud['demo'], 'bd9-quota')
    member = conftest.Project(conftest.Clients(temp.creds), cleanup)
    name = conftest.unique('bd9-quota')
    server = member.server()
    boot = boot_volume(server)
    member.nova.servers.add_tag(server.id, domain.tag_for(name))
    # keeps one full: without the quota a run would make a new one and then
    # delete the old one
    wf_input = schedule_input(name, mode='full', max_full=1, in_use='force',
                              timeout=600)
    try:
        state, out = run(member, wf_input)
        assert state == 'SUCCESS' and out['status'] == 'ok', out
        (kept,) = backups_of(member, boot)
        admin.cinder.quotas.update(temp.project_id, backups=1)
        state, out = run(member, wf_input)
        vol = by_volume(out)[boot]
        assert out['status'] == 'failed' and vol['status'] == 'failed', out
        # Cinder's own words, and nothing deleted to make room
        assert 'Maximum number of backups allowed (1) exceeded' in \
            vol['error'], vol['error']
        assert vol['deleted'] == [] and out['counts']['deleted'] == 0
        assert [b.id for b in backups_of(member, boot)] == [kept.id]
        assert member.cinder.backups.get(kept.id).status == 'available'
        meta = member.nova.servers.get(server.id).metadata
        assert meta['backup_dashboard:last_status'] == 'failed'
        figures.record('faults_survived')
    finally:
        admin.cinder.quotas.update(temp.project_id, backups=10)
        record_backups(member, boot)


# --------------------------------------------------------- Mistral unreachable
@pytest.fixture
def horizon_without_mistral(minicloud, tmp_path, monkeypatch):
    # A closed port: nothing listens there.
    dead = 'http://127.0.0.1:%d/v2' % horizon.free_port()
    monkeypatch.setenv('BACKUP_DASHBOARD_MISTRAL_URL', dead)
    server = horizon.HorizonServer(str(tmp_path / 'horizon.log'))
    monkeypatch.delenv('BACKUP_DASHBOARD_MISTRAL_URL')
    yield server
    server.stop()


def test_mistral_unreachable_pages_say_so_and_nothing_is_lost(
        synced_workbooks, horizon_without_mistral, demo):  # noqa: F811
    from tests.plugin_urls import plugin_urls
    name = conftest.unique('bd9-down')
    trigger = demo.cron_trigger(name, domain.SCHEDULE_WORKFLOW,
                                workflow_input=schedule_input(name),
                                pattern='0 3 * * *')
    server = demo.nova.servers.find(name='demo-web')
    user = horizon.Browser(horizon_without_mistral, 'demo', 'demo')
    panel = '/project/backup_schedules/'

    page = user.get(panel)
    assert page.status_code == 200
    shown = horizon.messages(page.text)
    assert any('cannot be reached' in m for m in shown), shown
    runs = user.get('/project/backup_runs/')
    assert runs.status_code == 200 and horizon.messages(runs.text)
    detail = user.get(panel + '%s/' % name)
    assert detail.url.endswith(panel), detail.url
    configure = user.get(panel + 'instances/%s/configure/' % server.id)
    assert configure.status_code == 200
    assert 'cannot be listed right now' in configure.text
    # every plugin URL, with real ids: a page or a redirect, never a 500
    ids = {'name': name, 'instance_id': server.id, 'execution_id': trigger.id}
    for url, _, _ in plugin_urls(lambda group: ids.get(group, trigger.id)):
        user.get(url)          # Browser.get asserts status < 500
    # what a user would try: save, edit, run now, delete
    form = {'name': name + '-new', 'description': '', 'kind': 'cron',
            'cron': '0 4 * * *', 'timezone': 'UTC', 'mode': 'rotation',
            'max_full': '2',
            'max_incremental': '3', 'keep_days': '', 'in_use': 'snapshot',
            'report_to': '', 'minute': '0', 'hour': '2', 'weekday': '1',
            'day': '1'}
    user.post(panel + 'create/', form)
    user.post(panel + '%s/update/' % name, dict(form, name=name))
    for action in ('run_now', 'delete'):
        res = user.post(panel, {'action': 'schedules__%s__%s'
                                % (action, name)})
        assert res.status_code < 500
    # nothing lost, nothing half-done: the schedule is as it was
    (kept,) = [t for t in demo.mistral.cron_triggers.list() if t.name == name]
    assert (kept.id, kept.pattern) == (trigger.id, '0 3 * * *')
    assert not [t for t in demo.mistral.cron_triggers.list()
                if t.name == name + '-new']
    assert not demo.mistral.executions.list(
        workflow_name=domain.SCHEDULE_WORKFLOW,
        description='has:%s' % trigger.id)
    figures.record('faults_survived')
