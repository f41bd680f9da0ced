"""Who owns a schedule, recorded where Mistral keeps it.

Mistral runs a cron trigger with a Keystone trust of the user who created it,
but its API never says who that was. The plugin therefore records the owner
in the trigger's ``workflow_params`` (free-form: Mistral stores them, passes
them to each execution's ``params`` and returns them with the trigger), next
to the ``env`` the schedule may use. Triggers saved before this was recorded
have no owner: they are shown as "unknown" until someone saves them again.
"""
import json

OWNER_KEY = 'backup_dashboard_owner'


def with_owner(trigger_kwargs, user):
    """``cron_triggers.create`` keyword arguments, the owner recorded."""
    kwargs = dict(trigger_kwargs)
    params = dict(_as_dict(kwargs.get('workflow_params')))
    params[OWNER_KEY] = {'id': user.id,
                         'name': getattr(user, 'username', None) or user.id}
    kwargs['workflow_params'] = params
    return kwargs


def owner_of(trigger):
    """{'id', 'name'} of the user a trigger runs as, or None if unknown."""
    params = _as_dict(getattr(trigger, 'workflow_params', None))
    owner = params.get(OWNER_KEY)
    if isinstance(owner, dict) and isinstance(owner.get('id'), str):
        return {'id': owner['id'], 'name': str(owner.get('name') or
                                                owner['id'])}
    return None


def _as_dict(value):
    if isinstance(value, dict):
        return value
    try:
        data = json.loads(value) if value else {}
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
