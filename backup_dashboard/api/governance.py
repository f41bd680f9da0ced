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

"""The governance state in Mistral: one public workflow, admin-owned.

``backup_dashboard.governance`` says what it holds and why a workflow.
Every user reads it (it is public); only its owner, the admin project, can
change it, and these writes are made from admin pages only.
"""
from mistralclient.api import base as mistral_base

from backup_dashboard.api import errors
from backup_dashboard.api.errors import translate_errors
from backup_dashboard.api import mistral
from backup_dashboard import governance


def _definition(request):
    """WORKFLOW's definition as this user gets it; None when there is none."""
    try:
        found = mistral.mistralclient(request).workflows.get(
            governance.WORKFLOW)
    except mistral_base.APIException as error:
        if errors.status(error) == 404:
            return None
        raise
    return getattr(found, 'definition', None) or ''


@translate_errors
def variables(request):
    """What the admins set; {} when nothing is."""
    return governance.variables_of(_definition(request))


def project_lock(request):
    """The retention lock of the user's project, or None."""
    return governance.lock_for(variables(request), request.user.tenant_id)


@translate_errors
def save_variables(request, new):
    """Replace what the admins set (admin), creating WORKFLOW if needed.

    One call when it exists (the form read it already): Mistral's 404 says
    it does not, and only then is it created.
    """
    text = governance.definition(new)
    workflows = mistral.mistralclient(request).workflows
    try:
        return workflows.update(text, scope='public')
    except mistral_base.APIException as error:
        if errors.status(error) != 404:
            raise
    return workflows.create(text, scope='public')
