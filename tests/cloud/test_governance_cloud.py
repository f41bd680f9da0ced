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

"""Legal holds and retention locks on the local cloud, through the dashboard.

A hold placed in the Restore panel survives the schedule's rotation and a
delete there, until it is released; an admin's lock (the public Mistral
workflow) on a project made for the test refuses a low schedule in the
form, keeps rotation above it for that project only, and cannot be changed
by a project member.
"""
import contextlib
import fcntl
import json
import os

import pytest

from backup_dashboard import governance
from backup_dashboard import holds
from tests.cloud import conftest
from tests.cloud import horizon
from tests.cloud.test_schedules_panel import FORM
from tests.cloud.test_schedules_panel import PANEL
from tests.cloud.test_workbooks_cloud import backups_of
from tests.cloud.test_workbooks_cloud import record_backups
from tests.cloud.test_workbooks_cloud import run_wf

pytestmark = pytest.mark.cloud
RESTORE = '/project/backup_restore/'


def run(project, volume, schedule, max_full=1):
    state, out, _ = run_wf(project, 'backup_dashboard_volume_by_id', {
        'volume_id': volume.id, 'schedule': schedule, 'mode': 'full',
        'max_full': max_full, 'in_use': 'force'})
    assert state == 'SUCCESS' and out['status'] == 'ok', out
    return out


def run_started(project, volume, schedule):
    ex = project.mistral.executions.create(
        'backup_dashboard_volume_by_id', workflow_input=json.dumps({
            'volume_id': volume.id, 'schedule': schedule, 'mode': 'full',
            'max_full': 1, 'in_use': 'force'}))
    project.record_execution(ex.id)
    return project, ex


def both(*started):
    """Wait for runs started together; each must have backed up."""
    for project, ex in started:
        def done(project=project, ex=ex):
            e = project.mistral.executions.get(ex.id)
            return e if e.state in ('SUCCESS', 'ERROR') else None
        e = conftest.wait_for('run %s' % ex.id, done, timeout=600, delay=2)
        out = json.loads(e.output or '{}')
        assert e.state == 'SUCCESS' and out['status'] == 'ok', out


def test_a_held_backup_survives_rotation_and_delete_until_released(
        dashboard, synced_workbooks, demo):  # noqa: F811
    volume = demo.volume()
    schedule = conftest.unique('hold')
    try:
        first = run(demo, volume, schedule)['backup']
        user = horizon.Browser(dashboard, 'demo', 'demo')
        res = user.post(RESTORE + 'backups/%s/hold/' % first,
                        {'reason': 'dispute <42>'})
        assert 'On legal hold' in ' '.join(horizon.messages(res.text))
        hold = holds.hold_of(demo.cinder.backups.get(first).metadata)
        assert (hold.reason, hold.by) == ('dispute <42>', 'demo')
        # the history shows the lock, escaped
        page = user.get(RESTORE + '?volume_id=%s' % volume.id).text
        assert 'Legal hold: dispute &lt;42&gt; (demo' in page
        out = run(demo, volume, schedule)
        assert first not in out['deleted']
        ids = [b.id for b in backups_of(demo, volume.id)]
        assert ids[0] == first and len(ids) == 2, ids
        # a delete in the dashboard is refused
        res = user.post(RESTORE + 'backups/%s/delete/' % first, {})
        assert 'Release the hold first' in ' '.join(
            horizon.messages(res.text))
        assert demo.cinder.backups.get(first).status == 'available'
        # released (logged), the next run rotates it away
        user.post(RESTORE + 'backups/%s/release/' % first,
                  {'reason': 'settled'})
        metadata = demo.cinder.backups.get(first).metadata
        assert holds.hold_of(metadata) is None
        assert [e.action for e in holds.log_of(metadata)] == [
            'placed', 'released']
        out = run(demo, volume, schedule)
        assert first in out['deleted'], out
    finally:
        record_backups(demo, volume.id)


@contextlib.contextmanager
def governance_alone():
    """This test alone changes the cloud's governance workflow meanwhile.

    Every write reads the whole definition, changes one entry and writes it
    back (Mistral has no compare-and-swap), so two tests writing at once
    can undo each other's lock: the cloud and browser tests take turns.
    """
    with open(os.path.join(conftest.STATE, 'governance-test.lock'),
              'a') as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(turn, fcntl.LOCK_UN)


def variables(workflows):
    """The governance variables as stored in Mistral now."""
    return governance.variables_of(workflows.get(
        governance.WORKFLOW).definition)


def set_lock(workflows, project_id, count, days=None):
    """Set (or, with neither count nor days, remove) one project's lock.

    Only that project's entry changes: the cloud and browser tests lock
    projects of their own side by side.
    """
    workflows.update(governance.definition(governance.with_lock(
        variables(workflows), project_id, count, days)), scope='public')


@pytest.fixture
def locked(clients, admin, minicloud, cleanup,
           synced_workbooks):  # noqa: F811
    """An admin's lock of two fulls for a project made for the test.

    Its member, login and the lock as read back. Not demo: the browser
    tests make demo's schedules meanwhile, and a lock there would refuse
    them.
    """
    temp = conftest.TempProject(admin, minicloud['demo'], 'bd-lock')
    workflows = clients('admin').mistral.workflows
    with governance_alone():
        set_lock(workflows, temp.project_id, 2)
        try:
            yield (conftest.Project(conftest.Clients(temp.creds), cleanup),
                   (temp.name, temp.password),
                   governance.lock_for(variables(workflows),
                                       temp.project_id))
        finally:
            set_lock(workflows, temp.project_id, None)


def test_a_lock_refuses_a_low_schedule_and_stops_rotation_below_it(
        dashboard, synced_workbooks, alt, locked):  # noqa: F811
    member, login, lock = locked
    assert lock.count == 2
    user = horizon.Browser(dashboard, *login)
    name = conftest.unique('locked')
    member.cleanup.add('delete trigger %s' % name,
                       member.mistral.cron_triggers.delete, name)
    res = user.post(PANEL + 'create/', dict(FORM, name=name, max_full='1'))
    assert 'retention lock of this project' in res.text
    assert not [t for t in member.mistral.cron_triggers.list()
                if t.name == name]
    assert 'at least 2 full backups' in user.get(PANEL).text
    volume = member.volume()
    other = alt.volume()
    try:
        for _ in range(3):
            both(run_started(member, volume, name),
                 run_started(alt, other, name))
        # the lock keeps two; alt, without one, keeps what it asks
        assert len(backups_of(member, volume.id)) == 2
        assert len(backups_of(alt, other.id)) == 1
    finally:
        record_backups(member, volume.id)
        record_backups(alt, other.id)
    # a project member can read the lock but neither change nor remove it
    workflows = member.mistral.workflows
    for change in (lambda: workflows.update(governance.definition({}),
                                            scope='public'),
                   lambda: workflows.delete(governance.WORKFLOW)):
        with pytest.raises(Exception):
            change()
    assert governance.lock_for(variables(workflows),
                               member.project_id) == lock
