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

"""The Instances integration against the real local OpenStack.

Assign a real instance to a schedule through "Configure backups", see the tag
in Nova, run the schedule, and see the backups of all its volumes, the metadata
written back, the Backups tab and the "Backup" indicator.
"""
import json

import pytest

from backup_dashboard import points
from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud import horizon

pytestmark = pytest.mark.cloud
PANEL = '/project/backup_schedules/'


SCHEDULE = {
    'description': 'made by the instances cloud test', 'kind': 'cron',
    'timezone': 'UTC',
    'minute': '0', 'hour': '2', 'weekday': '1', 'day': '1',
    'cron': '0 3 * * *', 'mode': 'rotation', 'max_full': '2',
    'max_incremental': '2', 'keep_days': '', 'in_use': 'force',
    'report_to': '',
}


def configure_url(server_id):
    return PANEL + 'instances/%s/configure/' % server_id


def test_configure_backups_tags_runs_and_shows(
        dashboard, synced_workbooks, demo):  # noqa: F811
    name = conftest.unique('inst')
    server = demo.server()
    data_volume = demo.volume(name=name + '-data')
    demo.attach(server, data_volume)
    demo.nova.servers.add_tag(server.id, 'team:cloudtest')
    boot_id = [a['id'] for a in getattr(
        server, 'os-extended-volumes:volumes_attached')][0]

    user = horizon.Browser(dashboard, 'demo', 'demo')
    # The row action is on the Instances page, the indicator says "not yet".
    index = user.get('/project/instances/').text
    assert configure_url(server.id) in index
    assert 'backup-dashboard-unprotected' in index
    # ... and in the instance detail page's header menu.
    assert configure_url(server.id) in user.get(
        '/project/instances/%s/' % server.id).text

    # "Create a new schedule" from the form, and come back to it.
    form = user.get(configure_url(server.id))
    assert 'next=' in form.text
    demo.cleanup.add('delete trigger %s' % name,
                     demo.mistral.cron_triggers.delete, name)
    res = user.post(PANEL + 'create/?next=' + configure_url(server.id),
                    dict(SCHEDULE, name=name))
    assert res.url.endswith(configure_url(server.id)), \
        horizon.messages(res.text)

    form = user.get(configure_url(server.id))
    assert name in form.text
    assert data_volume.id in form.text
    res = user.post(configure_url(server.id), {'schedules': [name]})
    assert res.url.endswith('/project/instances/'), \
        horizon.messages(res.text)
    tags = demo.nova.servers.tag_list(server.id)
    assert sorted(tags) == sorted(['backup:' + name, 'team:cloudtest'])
    assert 'backup-dashboard-protected' in user.get(
        '/project/instances/').text

    # Run the schedule now (the panel's "Run now") and wait for the end.
    trigger = [t for t in demo.mistral.cron_triggers.list()
               if t.name == name][0]
    run = run_now(user, demo, name, trigger.id)
    backups = {}
    for volume_id in (boot_id, data_volume.id):
        found = demo.cinder.backups.list(search_opts={'volume_id': volume_id})
        for backup in found:
            demo.record_backup(backup.id)
        backups[volume_id] = found
    assert run.state == 'SUCCESS', run.state_info
    output = json.loads(run.output)
    assert output['status'] == 'ok', output
    for volume_id, found in backups.items():
        assert [b.status for b in found] == ['available'], (volume_id, found)
    # The run recorded the instance's restore point in the backups alone.
    found = [b for volume_backups in backups.values() for b in volume_backups]
    point, = points.points_of(found, lambda b: b.metadata, server.id)
    assert (point.run, point.server_name, point.flavor, point.expected) == (
        run.id, server.name, 'm1.tiny', 2)
    assert point.complete
    devices = {v: demo.cinder.volumes.get(v).attachments[0]['device']
               for v in (boot_id, data_volume.id)}
    assert [(m.volume, m.device, m.boot) for m in point.members] == [
        (boot_id, devices[boot_id], True),
        (data_volume.id, devices[data_volume.id], False)]
    # ... and the Restore page's instance step lists it from them.
    page = user.get('/project/backup_restore/?server_id=%s' % server.id).text
    assert 'data-run="%s"' % run.id in page
    for member in point.members:
        assert 'data-backup-id="%s"' % member.backup.id in page
    assert 'complete' in page and 'incomplete' not in page
    metadata = demo.nova.servers.get(server.id).metadata
    assert metadata['backup_dashboard:last_status'] == 'ok'
    assert metadata['backup_dashboard:last_backup']

    tab = user.get('/project/instances/%s/?tab=instance_details__%s'
                   % (server.id, 'backup_dashboard_backups')).text
    assert name in tab
    for found in backups.values():
        assert '/project/backup_restore/?backup_id=%s' % found[0].id in tab
    assert 'OK: every volume was backed up' in tab

    # Opt the data volume out: the next run backs up the boot volume only.
    res = user.post(configure_url(server.id),
                    {'schedules': [name], 'skip_volumes': [data_volume.id]})
    assert res.url.endswith('/project/instances/'), \
        horizon.messages(res.text)
    volume = demo.cinder.volumes.get(data_volume.id)
    assert volume.metadata.get('backup_dashboard:skip') == 'true'
    first = run.id
    run = run_now(user, demo, name, trigger.id, known={first})
    for volume_id in (boot_id, data_volume.id):
        for backup in demo.cinder.backups.list(
                search_opts={'volume_id': volume_id}):
            if backup.id not in [b.id for b in backups[volume_id]]:
                demo.record_backup(backup.id)
    assert run.state == 'SUCCESS', run.state_info
    assert len(demo.cinder.backups.list(
        search_opts={'volume_id': boot_id})) == 2
    assert len(demo.cinder.backups.list(
        search_opts={'volume_id': data_volume.id})) == 1
    assert demo.nova.servers.get(server.id).metadata[
        'backup_dashboard:last_status'] == 'ok'

    # Leave the schedule and opt back in: other tags stay.
    res = user.post(configure_url(server.id), {'schedules': []})
    assert res.url.endswith('/project/instances/'), \
        horizon.messages(res.text)
    assert demo.nova.servers.tag_list(server.id) == ['team:cloudtest']
    volume = demo.cinder.volumes.get(data_volume.id)
    assert 'backup_dashboard:skip' not in volume.metadata


def run_now(user, project, name, trigger_id, known=()):
    """Start the schedule with the panel's "Run now"; wait for the end."""
    user.post(PANEL, {'action': 'schedules__run_now__%s' % name})
    runs = [r for r in project.mistral.executions.list(
        workflow_name=domain.SCHEDULE_WORKFLOW,
        description='has:%s' % trigger_id) if r.id not in known]
    assert len(runs) == 1
    project.record_execution(runs[0].id)
    return conftest.wait_for(
        'the run to end',
        lambda: (lambda e: e if e.state in ('SUCCESS', 'ERROR') else None)(
            project.mistral.executions.get(runs[0].id)), timeout=300,
        delay=3)


def test_refusals_on_a_real_instance(
        dashboard, synced_workbooks, demo):  # noqa: F811
    server = demo.server()
    user = horizon.Browser(dashboard, 'demo', 'demo')
    # A schedule that does not exist (deleted meanwhile) is refused.
    res = user.post(configure_url(server.id), {'schedules': ['no-such']})
    assert 'no longer exists' in res.text
    assert demo.nova.servers.tag_list(server.id) == []
    # An instance that does not exist.
    res = user.get(configure_url('00000000-0000-0000-0000-000000000000'))
    assert 'was not found' in ' '.join(horizon.messages(res.text)) or \
        res.url.endswith('/project/instances/')
