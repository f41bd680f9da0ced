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

"""Who owns a schedule, recorded where Mistral keeps it.

Mistral runs a cron trigger with a Keystone trust of the user who created it,
but its API never says who that was. The plugin therefore records the owner
in the trigger's ``workflow_params`` (free-form: Mistral stores them, passes
them to each execution's ``params`` and returns them with the trigger), next
to the ``env`` the schedule may use. Triggers saved before this was recorded
have no owner: they are shown as "unknown" until someone saves them again.
"""
from backup_dashboard import schedule as domain

OWNER_KEY = 'backup_dashboard_owner'


def with_owner(trigger_kwargs, user):
    """``cron_triggers.create`` keyword arguments, the owner recorded."""
    kwargs = dict(trigger_kwargs)
    params = dict(domain.as_dict(kwargs.get('workflow_params')))
    params[OWNER_KEY] = {'id': user.id,
                         'name': getattr(user, 'username', None) or user.id}
    kwargs['workflow_params'] = params
    return kwargs


def owner_of(trigger):
    """{'id', 'name'} of the user a trigger runs as, or None if unknown."""
    params = domain.as_dict(getattr(trigger, 'workflow_params', None))
    owner = params.get(OWNER_KEY)
    if isinstance(owner, dict) and isinstance(owner.get('id'), str):
        return {'id': owner['id'], 'name': str(owner.get('name') or
                                               owner['id'])}
    return None


def is_admin(user):
    """Whether the user has the admin role in their current scope."""
    roles = getattr(user, 'roles', None) or []
    return bool(getattr(user, 'is_superuser', False)) or any(
        (r.get('name') if isinstance(r, dict) else r) == 'admin'
        for r in roles)
