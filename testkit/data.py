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

"""Test data made with the real client resource classes.

Test data made with the real client resource classes (mistralclient,
novaclient, cinderclient), so attribute access behaves as in production.
"""
import datetime
import json

from cinderclient.v3 import volume_backups as cinder_backups
from cinderclient.v3 import volumes as cinder_volumes
from mistralclient.api.v2 import cron_triggers
from mistralclient.api.v2 import executions
from novaclient.v2 import servers as nova_servers
from openstack_dashboard.api import cinder as cinder_api
from openstack_dashboard.api import nova as nova_api
from openstack_dashboard.test.test_data import utils

from backup_dashboard import drills
from backup_dashboard import schedule as domain

PROJECT = '1'   # Horizon's test tenant id


def trigger(schedule, trigger_id=None, project_id=PROJECT, **extra):
    info = {
        'id': trigger_id or 'trig-%s' % schedule.name.replace(' ', '-'),
        'name': schedule.name,
        'pattern': schedule.pattern,
        'workflow_name': domain.SCHEDULE_WORKFLOW,
        'workflow_id': 'wf-1',
        'workflow_input': json.dumps(schedule.workflow_input()),
        'workflow_params': json.dumps(
            schedule.to_trigger()['workflow_params'] or {}),
        'scope': 'private',
        'project_id': project_id,
        'created_at': '2026-11-20 10:00:00',
        'updated_at': None,
        'next_execution_time': '2026-11-23 01:00:00',
        'first_execution_time': None,
        'remaining_executions': None,
    }
    info.update(extra)
    return cron_triggers.CronTrigger(cron_triggers.CronTriggerManager(None),
                                     info)


def foreign_trigger(name='other-cron', workflow='std.echo'):
    return cron_triggers.CronTrigger(
        cron_triggers.CronTriggerManager(None),
        {'id': 'trig-foreign', 'name': name, 'pattern': '0 * * * *',
         'workflow_name': workflow, 'workflow_input': '{"output": "x"}',
         'workflow_params': '{}', 'project_id': PROJECT})


def execution(trigger_id, state='SUCCESS', exec_id='ex-1',
              created_at='2026-11-21 01:00:00',
              updated_at='2026-11-21 01:02:05', kind='cron_trigger',
              output=None, state_info=None):
    return executions.Execution(executions.ExecutionManager(None), {
        'id': exec_id,
        'workflow_name': domain.SCHEDULE_WORKFLOW,
        'state': state,
        'state_info': state_info,
        'created_at': created_at,
        'updated_at': updated_at,
        'description': json.dumps({
            'description': 'Workflow execution created by cron trigger.',
            'triggered_by': {'type': kind, 'id': trigger_id}}),
        'output': json.dumps(output) if output is not None else '{}',
        'input': '{}',
        'params': '{}',
        'project_id': PROJECT,
    })


def drill(trigger_id, volumes=(), state='SUCCESS', exec_id='drill-1',
          output=None, created_at='2026-11-22 09:00:00',
          updated_at='2026-11-22 09:01:40', project_id=PROJECT):
    """A drill execution of `volumes`, as Mistral lists it."""
    return executions.Execution(executions.ExecutionManager(None), {
        'id': exec_id,
        'workflow_name': drills.DRILL_WORKFLOW,
        'state': state,
        'state_info': None,
        'created_at': created_at,
        'updated_at': updated_at,
        'description': json.dumps({
            'description': 'Restore drill',
            'triggered_by': {'type': drills.STARTED_BY, 'id': trigger_id}}),
        'output': json.dumps(output) if output is not None else '{}',
        'input': json.dumps({'schedule': 'nightly',
                             'volumes': list(volumes)}),
        'params': '{}',
        'project_id': project_id,
    })


def backup(backup_id, volume_id, size=1, schedule='nightly',
           status='available', created='2026-11-22 01:00:00'):
    """A backup of `volume_id`, made by `schedule` (None: by hand)."""
    metadata = {'backup_dashboard:automated': 'true',
                'backup_dashboard:schedule': schedule} if schedule else {}
    return cinder_api.VolumeBackup(cinder_backups.VolumeBackup(
        cinder_backups.VolumeBackupManager(None), {
            'id': backup_id, 'name': backup_id, 'volume_id': volume_id,
            'size': size, 'status': status, 'created_at': created,
            'metadata': metadata,
            'os-backup-project-attr:project_id': PROJECT}))


def server(server_id, name, tags=(), volume_ids=(), metadata=None):
    raw = nova_servers.Server(nova_servers.ServerManager(None), {
        'id': server_id, 'name': name, 'status': 'ACTIVE',
        'tenant_id': PROJECT, 'tags': list(tags),
        'metadata': metadata or {},
        'os-extended-volumes:volumes_attached': [{'id': v}
                                                 for v in volume_ids],
    })
    return nova_api.Server(raw, None)


def volume(volume_id, size=1, name=None):
    return cinder_api.Volume(cinder_volumes.Volume(
        cinder_volumes.VolumeManager(None),
        {'id': volume_id, 'name': name or volume_id, 'size': size,
         'status': 'in-use'}))


SAVED = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.timezone.utc)


def nightly():
    """Daily at 02:00 Paris time, saved on SAVED.

    Its trigger fires at 00:00 and 01:00 UTC and its plan says which is due.
    """
    return domain.validate_timing(domain.Schedule(
        name='nightly', description='Nightly backups',
        timezone='Europe/Paris', local_pattern='0 2 * * *',
        max_full=2, max_incremental=6, report_to=['ops@example.com']),
        at=SAVED)


def zoned(name, local_pattern, zone, at=None, **fields):
    """A schedule entered as `local_pattern` in `zone`, saved `at`.

    A schedule entered as `local_pattern` in `zone`, saved `at` (now by
    default): its trigger's UTC pattern and time zone plan worked out.
    """
    return domain.validate_timing(domain.Schedule(
        name=name, local_pattern=local_pattern, timezone=zone, **fields),
        at=at)


def load(test):
    test.schedules = utils.TestDataContainer()
    test.triggers = utils.TestDataContainer()
    weekly = domain.Schedule(name='weekly db', pattern='30 3 * * 0',
                             mode='full', max_full=4)
    for schedule in (nightly(), weekly):
        test.schedules.add(schedule)
        test.triggers.add(trigger(schedule))
