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

"""The governance state in Mistral: one public environment, admin-owned.

``backup_dashboard.governance`` says what its variables mean. Every user
reads it (it is public); only its owner, the admin project, can change it,
and these writes are made from admin pages only.
"""
from mistralclient.api import base as mistral_base

from backup_dashboard.api import errors
from backup_dashboard.api.errors import translate_errors
from backup_dashboard.api import mistral
from backup_dashboard import governance


def _variables(env):
    found = getattr(env, 'variables', None)
    return found if isinstance(found, dict) else {}


@translate_errors
def variables(request):
    """The environment's variables; {} when no admin has set any."""
    try:
        env = mistral.mistralclient(request).environments.get(
            governance.ENV_NAME)
    except mistral_base.APIException as error:
        if errors.status(error) == 404:
            return {}
        raise
    return _variables(env)


def project_lock(request):
    """The retention lock of the user's project, or None."""
    return governance.lock_for(variables(request), request.user.tenant_id)


@translate_errors
def save_variables(request, new):
    """Replace the variables (admin), creating the environment if needed."""
    client = mistral.mistralclient(request).environments
    try:
        client.get(governance.ENV_NAME)
    except mistral_base.APIException as error:
        if errors.status(error) != 404:
            raise
        return client.create(
            name=governance.ENV_NAME, scope='public', variables=new,
            description='backup-dashboard governance (retention locks); '
                        'edited in the admin Backups Overview')
    return client.update(name=governance.ENV_NAME, variables=new,
                         scope='public')
