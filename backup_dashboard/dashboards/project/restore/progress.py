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

"""Where a restore is and what came of it, in words.

Where a restore is (checking, restoring, available, attaching, done) and what
came of it, in words, from its Mistral execution and task executions.
"""
import dataclasses

from django.utils.translation import gettext as _

from backup_dashboard.api import restores

PHASE_TASKS = {
    'checking': ('get_backup', 'check_target'),
    'restoring': ('create_volume', 'restore', 'wait_volume'),
    'attaching': ('attach', 'wait_attached'),
}


@dataclasses.dataclass
class Step:
    key: str
    label: str
    state: str = 'pending'      # pending | current | done | failed


def _steps(attach):
    steps = [Step('checking', _("Checking")),
             Step('restoring', _("Restoring")),
             Step('available', _("Available"))]
    if attach:
        steps.append(Step('attaching', _("Attaching")))
    steps.append(Step('done', _("Done")))
    return steps


def _current(execution, tasks, attach):
    names = {t.name: t.state for t in tasks}
    if execution.state == 'SUCCESS':
        return 'done'
    if any(n in names for n in PHASE_TASKS['attaching']):
        return 'attaching'
    if names.get('wait_volume') == 'SUCCESS':
        # The volume is there; the workflow ends or attaches next.
        return 'attaching' if attach else 'available'
    if any(n in names for n in PHASE_TASKS['restoring']):
        return 'restoring'
    return 'checking'


def steps(execution, tasks):
    """The steps of a restore with their states, and the current key."""
    attach = bool(restores.restore_input(execution)['server_id'])
    found = _steps(attach)
    current = _current(execution, tasks, attach)
    keys = [s.key for s in found]
    position = keys.index(current) if current in keys else 0
    for i, step in enumerate(found):
        if execution.state == 'SUCCESS' or i < position:
            step.state = 'done'
        elif i == position:
            step.state = 'failed' if execution.state in (
                'ERROR', 'CANCELLED') else 'current'
    return found, current


def restored_volume_id(execution, tasks):
    """The id of the volume being written, once it is known."""
    output = restores.as_dict(getattr(execution, 'output', None))
    if output.get('volume'):
        return output['volume']
    inputs = restores.restore_input(execution)
    if inputs['target'] == 'existing' and inputs['volume_id']:
        return inputs['volume_id']
    for task in tasks:
        if task.name == 'create_volume':
            published = restores.as_dict(getattr(task, 'published', None))
            if published.get('volume'):
                return published['volume']
    return None


def outcome(execution, names):
    """The result in words.

    `names`: {'backup', 'volume', 'server', 'device'} as the user knows them
    (ids where a name is unknown).
    """
    state = execution.state
    inputs = restores.restore_input(execution)
    output = restores.as_dict(getattr(execution, 'output', None))
    values = dict(names)
    if state in restores.RUNNING_STATES:
        if inputs['target'] == 'new':
            text = _('Restoring backup %(backup)s to a new volume') % values
        else:
            text = _('Restoring backup %(backup)s into volume %(volume)s, '
                     'overwriting its data') % values
        if inputs['server_id']:
            text += _(', then attaching it to instance %(server)s') % values
        return text + '.'
    if state == 'CANCELLED':
        return _('The restore was cancelled. Check the state of volume '
                 '%(volume)s before using it.') % values
    if state == 'SUCCESS':
        if inputs['target'] == 'new':
            text = _('Done: backup %(backup)s was restored to the new volume '
                     '%(volume)s.') % values
        else:
            text = _('Done: backup %(backup)s was restored into volume '
                     '%(volume)s; its previous data was overwritten.') \
                % values
        if output.get('attached'):
            if values.get('device'):
                text += ' ' + _('It is attached to instance %(server)s as '
                                '%(device)s.') % values
            else:
                text += ' ' + _('It is attached to instance %(server)s.') \
                    % values
        else:
            text += ' ' + _('It is available, not attached to any '
                            'instance.')
        return text
    error = output.get('error') or getattr(execution, 'state_info', None) \
        or _('unknown error (see the workflow execution in Mistral)')
    text = _('The restore failed: %s.') % str(error).rstrip('.')
    if str(error).startswith('restored, but'):
        text += ' ' + _('The data was restored; only the attachment failed.')
    elif inputs['target'] == 'new' and output.get('volume'):
        text += ' ' + _('The new volume %(volume)s is not usable; delete it '
                        'from the Volumes panel.') % values
    elif inputs['target'] == 'existing' and output.get('status') and \
            output.get('status') != 'available':
        text += ' ' + _('Volume %(volume)s may hold partial data now.') \
            % values
    return text
