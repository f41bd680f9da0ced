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

"""The executions browser against the real local OpenStack.

A schedule made and assigned through the plugin's pages is fired once by
Mistral's REAL cron trigger; its run is read back through the Backup Runs
index, the schedule's own runs list and the run's detail page, survives an edit
of the schedule (which re-creates the trigger under a new id) and is deleted
through the page.

The pattern names one minute of one day (the next minute boundary), so the
trigger fires exactly once: with an every-minute pattern the next fire
starts while the first run is still backing the volumes up, skips them all
("overlap") and ends in ERROR, and deleting the trigger (cleanup) while a
run is going revokes its trust and kills it.
"""
import datetime
import html as html_lib
import json
import re

import pytest

from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud import horizon

pytestmark = pytest.mark.cloud
SCHEDULES = '/project/backup_schedules/'
RUNS = '/project/backup_runs/'
FORM = {
    'description': 'made by the runs browser cloud test', 'kind': 'cron',
    'timezone': 'UTC',
    'minute': '0', 'hour': '2', 'weekday': '1', 'day': '1',
    'mode': 'rotation', 'max_full': '2', 'max_incremental': '2',
    'keep_days': '', 'in_use': 'force', 'report_to': '',
}
ENDED = ('SUCCESS', 'ERROR', 'CANCELLED')


def once_pattern(margin=25):
    """A UTC cron pattern naming the next minute boundary.

    A UTC cron pattern naming the next minute boundary at least `margin`
    seconds away: Mistral fires it once (then not for a year).
    """
    now = datetime.datetime.now(datetime.timezone.utc)
    at = (now + datetime.timedelta(seconds=margin + 60)).replace(
        second=0, microsecond=0)
    return '%d %d %d %d *' % (at.minute, at.hour, at.day, at.month), at


def row_cells(page, table, obj_id):
    """The texts of the cells of one row of a Horizon table, or None."""
    match = re.search(r'<tr[^>]*id="%s__row__%s"[^>]*>(.*?)</tr>'
                      % (table, re.escape(obj_id)), page, re.S)
    if match is None:
        return None
    cells = re.findall(r'<td[^>]*>(.*?)</td>', match.group(1), re.S)
    return [html_lib.unescape(re.sub(r'<[^>]+>|\s+', ' ', c)).strip()
            for c in cells]


def saved(res, where):
    """A form POST answered by a redirect to `where`.

    A form POST answered by a redirect to `where` (not followed: the pages
    behind it cost seconds and are not what this test reads).
    """
    assert res.status_code == 302, horizon.messages(res.text)
    assert res.headers['Location'].endswith(where), res.headers['Location']


def runs_of(project, trigger_id):
    return project.mistral.executions.list(
        workflow_name=domain.SCHEDULE_WORKFLOW,
        description='has:%s' % trigger_id)


def clean_runs(project, name, trigger_ids, volume_ids):
    """After the test: delete the runs' executions and backups.

    After the test: let the runs end (deleting the trigger would kill them),
    then delete their executions and the backups they made.
    """
    def all_runs():
        return [r for t in trigger_ids() for r in runs_of(project, t)]
    conftest.wait_for('the runs of %s to end' % name, lambda: all(
        r.state in ENDED for r in all_runs()), timeout=240, delay=3)
    for run in all_runs():
        project.mistral.executions.delete(run.id, force=True)
    for volume_id in volume_ids:
        for backup in project.cinder.backups.list(
                search_opts={'volume_id': volume_id}):
            if backup.metadata.get('backup_dashboard:schedule') == name:
                project.delete_backup(backup.id)


def test_a_cron_fired_run_read_back_through_the_runs_pages(
        dashboard, synced_workbooks, demo):  # noqa: F811
    name = conftest.unique('runs')
    server = demo.server(name=name)
    volume_id = [a['id'] for a in getattr(
        server, 'os-extended-volumes:volumes_attached')][0]
    user = horizon.Browser(dashboard, 'demo', 'demo')

    # The schedule, through the panel's form, and the trigger it makes.
    pattern, fire_at = once_pattern()
    triggers = []
    demo.cleanup.add('delete trigger %s' % name,
                     demo.mistral.cron_triggers.delete, name)
    demo.cleanup.add('end, delete the runs and backups of %s' % name,
                     clean_runs, demo, name, lambda: triggers, [volume_id])
    saved(user.post(SCHEDULES + 'create/', dict(FORM, name=name, cron=pattern),
                    allow_redirects=False), SCHEDULES)
    trigger = demo.mistral.cron_triggers.get(name)
    triggers.append(trigger.id)
    assert trigger.pattern == pattern

    # Assigned to the server through "Configure backups".
    saved(user.post(SCHEDULES + 'instances/%s/configure/' % server.id,
                    {'schedules': [name]}, allow_redirects=False),
          '/project/instances/')
    assert demo.nova.servers.tag_list(server.id) == ['backup:' + name]

    # Mistral's cron trigger fires (once) and the run ends.
    started = conftest.wait_for(
        'the trigger to fire at %s' % fire_at,
        lambda: runs_of(demo, trigger.id), timeout=150, delay=2)
    assert len(started) == 1
    run_id = started[0].id
    run = conftest.wait_for(
        'the run to end', lambda: (lambda e: e if e.state in ENDED else None)(
            demo.mistral.executions.get(run_id)), timeout=240, delay=3)
    assert json.loads(run.description)['triggered_by'] == {
        'type': 'cron_trigger', 'id': trigger.id}
    assert run.state == 'SUCCESS', (run.state_info, run.output)

    # The backup exists in Cinder, made for this schedule.
    backups = demo.cinder.backups.list(search_opts={'volume_id': volume_id})
    assert [b.status for b in backups] == ['available'], backups
    backup = backups[0]
    assert backup.metadata['backup_dashboard:schedule'] == name

    # The project-wide index: the row says what happened.
    index = user.get(RUNS).text
    cells = row_cells(index, 'runs', run_id)
    assert cells is not None, 'run %s not on the index' % run_id
    assert name in cells and 'SUCCESS' in cells and 'Backed up' in cells, \
        cells
    # Backed up, failed, skipped, created, deleted (then the row actions).
    assert cells[-6:-1] == ['1', '0', '0', '1', '0'], cells
    assert RUNS + '%s/' % run_id in index

    # The schedule's own list, filtered by state (Mistral filters both).
    own = user.get(RUNS, params={'schedule': name, 'state': 'SUCCESS'}).text
    assert 'Runs of schedule <strong>%s</strong>' % name in own
    assert row_cells(own, 'runs', run_id) is not None
    assert row_cells(user.get(RUNS, params={
        'schedule': name, 'state': 'ERROR'}).text, 'runs', run_id) is None

    # The run's detail: the volume, the backup Cinder has, links.
    detail = user.get(RUNS + '%s/' % run_id).text
    cells = row_cells(detail, 'volumes', '0')
    assert cells is not None, detail
    assert cells[:3] == [name, name + '-boot', 'Backed up'], cells
    assert cells[3] == backup.id and cells[4] == 'full', cells
    assert '/project/backups/%s/' % backup.id in detail
    assert '/project/volumes/%s/' % volume_id in detail
    assert '/project/instances/%s/' % server.id in detail
    assert '/project/backup_restore/?backup_id=%s' % backup.id in detail
    assert '1 backed up, 0 failed, 0 skipped; 1 backups created' in detail

    # An edit re-creates the trigger; the run stays the schedule's.
    saved(user.post(SCHEDULES + '%s/update/' % name,
                    dict(FORM, name=name, cron='0 3 1 1 *'),
                    allow_redirects=False), SCHEDULES)
    edited = demo.mistral.cron_triggers.get(name)
    triggers.append(edited.id)
    assert edited.id != trigger.id
    assert json.loads(edited.workflow_input)['previous_ids'] == [trigger.id]
    assert row_cells(user.get(RUNS, params={'schedule': name}).text,
                     'runs', run_id) is not None

    # Deleted through the page (which comes back without it): gone from
    # Mistral too.
    res = user.post(RUNS + '?schedule=%s' % name,
                    {'action': 'runs__delete__%s' % run_id})
    assert any('Deleted Run' in m for m in horizon.messages(res.text)), \
        horizon.messages(res.text)
    assert row_cells(res.text, 'runs', run_id) is None
    with pytest.raises(Exception) as gone:
        demo.mistral.executions.get(run_id)
    assert getattr(gone.value, 'error_code', None) == 404, gone.value
