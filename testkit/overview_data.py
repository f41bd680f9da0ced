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

"""An estate of two projects for the overview, from real client classes."""
import datetime
import json

from cinderclient.v3 import volume_backups
from cinderclient.v3 import volumes as cinder_volumes
from keystoneclient.v3 import role_assignments
from mistralclient.api.v2 import cron_triggers
from mistralclient.api.v2 import executions
from novaclient.v2 import servers as nova_servers

from backup_dashboard.api import identity
from backup_dashboard import drill_schedule
from backup_dashboard import schedule as domain
from testkit import data

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
DEMO, ALT = '1', '3'     # Horizon's test projects "test_tenant", "云规则"


LONG_AGO = '2026-10-01T08:00:00'


def server(server_id, name, project, tags=(), volume_ids=(),
           created=LONG_AGO + 'Z'):
    return nova_servers.Server(nova_servers.ServerManager(None), {
        'id': server_id, 'name': name, 'status': 'ACTIVE',
        'tenant_id': project, 'tags': list(tags), 'created': created,
        'os-extended-volumes:volumes_attached': [{'id': v}
                                                 for v in volume_ids]})


def volume(volume_id, project, skip=False, server_id=None,
           attached=LONG_AGO + '.000000'):
    """An attachment of a volume, as Cinder lists it.

    In use by `server_id` (default: the server 's-<name>' of volume 'v-<name>')
    since `attached`, as Cinder lists its attachments.
    """
    server_id = server_id or 's-' + volume_id.split('-', 1)[-1]
    return cinder_volumes.Volume(cinder_volumes.VolumeManager(None), {
        'id': volume_id, 'name': volume_id.split('-', 1)[-1] + '-disk',
        'size': 1, 'status': 'in-use',
        'os-vol-tenant-attr:tenant_id': project,
        'metadata': {'backup_dashboard:skip': 'true'} if skip else {},
        'attachments': [{'id': volume_id, 'volume_id': volume_id,
                         'server_id': server_id, 'attached_at': attached,
                         'attachment_id': 'att-' + volume_id}]})


def backup(backup_id, volume_id, project, created, status='available',
           size=1, metadata=None, name=None):
    return volume_backups.VolumeBackup(
        volume_backups.VolumeBackupManager(None), {
            'id': backup_id, 'volume_id': volume_id, 'status': status,
            'size': size, 'created_at': created, 'name': name,
            'metadata': dict(metadata or {}),
            'os-backup-project-attr:project_id': project})


def assignment(user_id, project, role):
    return role_assignments.RoleAssignment(None, {
        'user': {'id': user_id}, 'scope': {'project': {'id': project}},
        'role': {'id': role, 'name': role}})


def trigger(name, project, pattern='0 2 * * *', owner=('1', 'test_user'),
            created='2026-11-01 10:00:00', next_time='2026-11-23 02:00:00'):
    schedule = domain.Schedule(name=name, pattern=pattern)
    params = {}
    if owner:
        params[identity.OWNER_KEY] = {'id': owner[0], 'name': owner[1]}
    return data.trigger(schedule, trigger_id='trig-' + name,
                        project_id=project, created_at=created,
                        next_execution_time=next_time,
                        workflow_params=json.dumps(params))


def run(trigger_id, day, project, state='SUCCESS', status='ok', hour=2,
        error=None, run_id=None, volume_ids=()):
    """A cron run; `volume_ids`: the targets its result lists."""
    output = {'status': status, 'counts': {}, 'error': error,
              'volumes': [{'volume': v, 'status': 'ok'} for v in volume_ids]}
    return executions.Execution(executions.ExecutionManager(None), {
        'id': run_id or 'run-%s-%d-%d' % (trigger_id, day, hour),
        'workflow_name': domain.SCHEDULE_WORKFLOW, 'state': state,
        'state_info': error, 'project_id': project,
        'created_at': '2026-11-%02d %02d:00:03' % (day, hour),
        'updated_at': '2026-11-%02d %02d:05:00' % (day, hour),
        'description': json.dumps({'triggered_by': {
            'type': 'cron_trigger', 'id': trigger_id}}),
        'output': json.dumps(output), 'input': '{}', 'params': '{}'})


def estate(test):
    """Two projects, demo and alt, with schedules in every state.

    demo: web (nightly, fresh backup), db (nightly, backup too old), tmp (no
    schedule), cache (its volume skipped: nothing to back up); schedule
    'nightly' healthy, 'weekly db' owned by a removed user, 'late' missed its
    last fire. alt: app (unprotected) and a failing schedule.
    """
    return {
        'projects': [t for t in test.tenants.list() if t.id in (DEMO, ALT)],
        'users': test.users.list(),
        'assignments': [assignment('1', DEMO, 'member'),
                        assignment('1', ALT, 'member'),
                        assignment('2', DEMO, 'reader')],
        'servers': [
            server('s-web', 'web', DEMO, ['backup:nightly'], ['v-web']),
            server('s-db', 'db', DEMO, ['backup:nightly', 'other'],
                   ['v-db']),
            server('s-tmp', 'tmp', DEMO, ['backup:gone'], ['v-tmp']),
            server('s-cache', 'cache', DEMO, ['backup:late'],
                   ['v-cache']),
            server('s-app', '=HYPERLINK("x")', ALT, [], ['v-app']),
        ],
        'volumes': [volume('v-web', DEMO), volume('v-db', DEMO),
                    volume('v-tmp', DEMO), volume('v-cache', DEMO, True),
                    volume('v-app', ALT)],
        'backups': [
            backup('b1', 'v-web', DEMO, '2026-11-22T02:04:00.000000'),
            backup('b2', 'v-web', DEMO, '2026-11-21T02:04:00.000000'),
            backup('b3', 'v-db', DEMO, '2026-11-20T02:04:00.000000'),
            backup('b4', 'v-db', DEMO, '2026-11-22T02:04:00.000000',
                   status='error'),
            backup('b5', 'v-app', ALT, '2026-11-22T02:04:00.000000',
                   size=3),
        ],
        'triggers': [
            trigger('nightly', DEMO),
            trigger('weekly db', DEMO, pattern='30 3 * * 0',
                    owner=('2', 'user_two')),
            trigger('late', DEMO),
            trigger('=cmd', ALT),
        ],
        'runs': [
            run('trig-nightly', d, DEMO) for d in (20, 21, 22)] + [
            run('trig-late', d, DEMO) for d in (19, 20)] + [
            run('trig-=cmd', 20, ALT),
            run('trig-=cmd', 21, ALT, state='ERROR', status='failed',
                error='Quota exceeded for backups'),
            run('trig-=cmd', 22, ALT, status='partial')],
        # nightly: a good drill 3 days ago after a failed one; =cmd: its
        # last drill failed; the others never had one.
        'drills': [
            data.drill('trig-nightly', ['v-web'], exec_id='d-old',
                       created_at='2026-11-18 09:00:00',
                       output={'status': 'failed', 'volumes': [
                           {'volume': 'v-web', 'result': 'failed'}]}),
            data.drill('trig-nightly', ['v-web', 'v-db'], exec_id='d-good',
                       created_at='2026-11-19 12:00:00',
                       updated_at='2026-11-19 12:03:00',
                       output={'status': 'ok', 'volumes': [
                           drill_volume('v-web', 30),
                           drill_volume('v-db', 90)]}),
            data.drill('trig-=cmd', ['v-app'], exec_id='d-alt',
                       project_id=ALT, output={'status': 'failed',
                                               'volumes': []}),
        ],
        # Only nightly has drills of its own.
        'drill_triggers': [drill_trigger('nightly', DEMO)],
        'workbook_problems': [],
    }


def drill_trigger(schedule_name, project):
    """A schedule's weekly drill trigger, as Mistral lists it."""
    settings = drill_schedule.Settings(frequency='weekly').validate('UTC')
    kwargs = settings.to_trigger(domain.Schedule(name=schedule_name))
    return cron_triggers.CronTrigger(cron_triggers.CronTriggerManager(None), {
        'id': 'drill-' + schedule_name, 'name': kwargs['name'],
        'workflow_name': kwargs['workflow_identifier'],
        'workflow_input': json.dumps(kwargs['workflow_input']),
        'workflow_params': '{}', 'pattern': kwargs['pattern'],
        'project_id': project})


def drill_volume(volume_id, seconds):
    """A volume a drill restored in `seconds`, by Cinder's stamps."""
    return {'volume': volume_id, 'result': 'passed', 'cleaned': True,
            'restore_started': '2026-11-19T12:00:00.000000',
            'restore_done': '2026-11-19T12:%02d:%02d.000000'
            % divmod(seconds, 60), 'rto_seconds': seconds}
