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

"""The Mistral client for a request and the calls made with it.

Mistral's errors become Horizon's, in plain words, through ``api.errors``.
"""
import json

from django.conf import settings
from horizon.utils import memoized
from mistralclient.api import client as mistral_client
from openstack_dashboard.api import base

# Importable from here too, next to the calls they wrap.
from backup_dashboard.api.errors import ServiceUnavailable  # noqa: F401
from backup_dashboard.api.errors import translate_errors
from backup_dashboard.api.errors import UNREACHABLE  # noqa: F401

SERVICE_TYPE = 'workflowv2'


@memoized.memoized
def mistralclient(request):
    """One client per request (memoized on the request object)."""
    return mistral_client.client(
        # An operator (or a fault test) may point the plugin elsewhere than
        # the catalog's workflowv2 endpoint.
        mistral_url=(getattr(settings, 'BACKUP_DASHBOARD_MISTRAL_URL', None) or
                     base.url_for(request, SERVICE_TYPE)),
        auth_token=request.user.token.id,
        project_id=request.user.tenant_id,
        user_id=request.user.id,
        cacert=getattr(settings, 'OPENSTACK_SSL_CACERT', None),
        insecure=getattr(settings, 'OPENSTACK_SSL_NO_VERIFY', False),
        enforce_raw_definitions=True,
    )


@translate_errors
def cron_trigger_list(request, **filters):
    return mistralclient(request).cron_triggers.list(**filters)


@translate_errors
def cron_trigger_get(request, name):
    return mistralclient(request).cron_triggers.get(name)


@translate_errors
def cron_trigger_create(request, **kwargs):
    return mistralclient(request).cron_triggers.create(**kwargs)


@translate_errors
def cron_trigger_delete(request, name):
    mistralclient(request).cron_triggers.delete(name)


@translate_errors
def execution_list(request, **kwargs):
    return mistralclient(request).executions.list(**kwargs)


@translate_errors
def execution_get(request, execution_id):
    return mistralclient(request).executions.get(execution_id)


@translate_errors
def execution_create(request, workflow, workflow_input, description,
                     **params):
    return mistralclient(request).executions.create(
        workflow, workflow_input=workflow_input,
        description=json.dumps(description), **params)


@translate_errors
def execution_update(request, execution_id, state):
    return mistralclient(request).executions.update(execution_id, state)


@translate_errors
def execution_delete(request, execution_id):
    mistralclient(request).executions.delete(execution_id)


@translate_errors
def task_list(request, execution_id, **kwargs):
    """The task executions of one workflow execution."""
    return mistralclient(request).tasks.list(
        workflow_execution_id=execution_id, **kwargs)


@translate_errors
def workflow_list(request, **kwargs):
    return mistralclient(request).workflows.list(**kwargs)


@translate_errors
def workflow_problems(request):
    """The bundled workflows this user cannot use as shipped: [] when ready.

    Each item is ``{'name', 'state': 'missing'|'outdated', ...}`` from
    ``backup_dashboard.bundled.check`` (one workflow list call).
    """
    from backup_dashboard import bundled
    return [item for item in bundled.check(mistralclient(request))
            if item['state'] != 'ok']
