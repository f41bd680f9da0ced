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

"""Restores as executions of the bundled restore workflow in Mistral.

The browser never waits on Cinder: ``restore_start`` creates one execution
of ``backup_dashboard_restore`` (the user's values travel as workflow input
values only, never inside an expression), and the progress page reads it
back with ``restore_get`` and ``restore_tasks``. Only executions of that
workflow in the user's own project are restores; any other id is "not
found", whatever Mistral would show an admin.
"""
import json

from horizon import exceptions

from backup_dashboard.api import errors
from backup_dashboard.api import mistral
from backup_dashboard.api import runs
from backup_dashboard import conf
from backup_dashboard import executions
from backup_dashboard import points
from backup_dashboard import schedule as domain

RUNNING_STATES = executions.RUNNING_STATES
MARKER = 'backup_dashboard_restore'
INPUT_KEYS = ('backup_id', 'target', 'volume_id', 'name', 'volume_type',
              'availability_zone', 'size', 'server_id', 'device')


def restore_start(request, backup_id, target, volume_id=None, name=None,
                  volume_type=None, availability_zone=None, size=None,
                  server_id=None, device=None):
    """Start a restore; returns the Mistral execution."""
    if target not in ('new', 'existing'):
        raise ValueError('target must be "new" or "existing"')
    workflow_input = {
        'backup_id': backup_id, 'target': target,
        'volume_id': volume_id if target == 'existing' else None,
        'name': name or None, 'volume_type': volume_type or None,
        'availability_zone': availability_zone or None,
        'size': int(size) if size and target == 'new' else None,
        'server_id': server_id or None,
        'device': (device or None) if server_id else None,
        'timeout': int(conf.get('BACKUP_DASHBOARD_BACKUP_TIMEOUT')),
    }
    # Mistral keeps at most 255 characters of description: ids only.
    description = {
        'description': 'Restore of backup %s' % backup_id,
        'triggered_by': {'type': MARKER, 'user': request.user.id},
    }
    return mistral.execution_create(request, domain.RESTORE_WORKFLOW,
                                    workflow_input, description)


def point_restore_start(request, members, target, server_id=None,
                        server_name=None, flavor=None, network_id=None):
    """Start the restore of a whole instance point; the execution.

    members: [{backup_id, device, boot, name, volume_type,
    availability_zone, size}] in device order (points.members_to_restore);
    target: points.NEW_SERVER (server_name, flavor, network_id) or
    points.INSTANCE (server_id).
    """
    if target not in (points.NEW_SERVER, points.INSTANCE):
        raise ValueError('target must be %r or %r'
                         % (points.NEW_SERVER, points.INSTANCE))
    new = target == points.NEW_SERVER
    workflow_input = {
        'members': members, 'target': target,
        'server_id': None if new else server_id,
        'server_name': server_name if new else None,
        'flavor': flavor if new else None,
        'network_id': (network_id or None) if new else None,
        'timeout': int(conf.get('BACKUP_DASHBOARD_BACKUP_TIMEOUT')),
    }
    description = {
        'description': 'Restore of %d volumes of a restore point'
                       % len(members),
        'triggered_by': {'type': points.RESTORE_WORKFLOW,
                         'user': request.user.id},
    }
    return mistral.execution_create(request, points.RESTORE_WORKFLOW,
                                    workflow_input, description)


def restore_get(request, execution_id, workflow=domain.RESTORE_WORKFLOW):
    """One restore of the user's project (NotFound for anything else).

    workflow: the restore workflow it must be an execution of (a volume's,
    or a whole point's).
    """
    try:
        execution = mistral.execution_get(request, execution_id)
    except exceptions.NotFound:
        execution = None
    project = getattr(request.user, 'tenant_id', None)
    if execution is None or \
            getattr(execution, 'workflow_name', None) != workflow or \
            getattr(execution, 'project_id', None) != project:
        raise errors.not_found('restore', execution_id)
    return execution


def restore_list(request, limit=10):
    """The project's latest restores, newest first (one call).

    Of single volumes and of whole instance points alike.
    """
    project = getattr(request.user, 'tenant_id', None)
    found = mistral.execution_list(
        request, workflow_name=runs.workflow_filter(
            (domain.RESTORE_WORKFLOW, points.RESTORE_WORKFLOW)),
        sort_keys='created_at', sort_dirs='desc', limit=limit,
        include_output=True, nulls='task_execution_id')
    return [e for e in found if getattr(e, 'project_id', project) == project]


@mistral.translate_errors
def restore_tasks(request, execution_id):
    """The task executions of one restore (call ``restore_get`` first)."""
    return mistral.mistralclient(request).tasks.list(
        workflow_execution_id=execution_id)


def as_dict(text):
    """Mistral's JSON strings (input, output, published) as dicts."""
    if isinstance(text, dict):
        return text
    try:
        value = json.loads(text or '{}')
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def restore_input(execution):
    """What a restore was asked: INPUT_KEYS, and `members` of a point's."""
    data = as_dict(getattr(execution, 'input', None))
    found = {key: data.get(key) for key in INPUT_KEYS}
    found['members'] = data.get('members') \
        if is_point_restore(execution) else None
    return found


def is_point_restore(execution):
    return getattr(execution, 'workflow_name', None) == \
        points.RESTORE_WORKFLOW
