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

"""Retention locks: the minimum an admin makes every schedule keep.

A lock is a count of full backups and/or a number of days. It lives where
both Horizon and the workflows can read it and only admins can write it:
the output of one public Mistral workflow, WORKFLOW, that the admin pages
write (Mistral lets no other project change or delete a workflow; a public
environment, by contrast, any project may rewrite). Its output is
``{"retention_lock": {"default": {count, days}, "projects": {<project id>:
{count, days}}}}``; a project's own entry replaces the cloud default. The
schedule workflow runs it at every run and passes the lock to rotation
(workbooks/volume_backup.yaml, ``lock``), so a trigger's input cannot lower
it; the forms refuse a schedule below it (``refusal``). Pure functions.
"""
import dataclasses
import re

from django.utils.translation import gettext as _
import yaml

from backup_dashboard import errors
from backup_dashboard import guardrails

WORKFLOW = 'backup_dashboard_governance'
LOCK_KEY = 'retention_lock'
DEFAULT, PROJECT = 'default', 'project'
COUNT_MAX = 1000
DAYS_MAX = 36500


@dataclasses.dataclass(frozen=True)
class Lock:
    count: int | None
    days: int | None
    # DEFAULT (the cloud's) or PROJECT (set for this project)
    source: str = DEFAULT

    def text(self):
        parts = []
        if self.count:
            parts.append(_('at least %d full backups') % self.count)
        if self.days:
            parts.append(_('every backup for at least %d days') % self.days)
        return _(' and ').join(parts)

    def as_input(self):
        """What the workflow's rotation reads (volume_backup's ``lock``)."""
        return {'count': self.count, 'days': self.days}


def _number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _lock(entry, source):
    if not isinstance(entry, dict):
        return None
    lock = Lock(_number(entry.get('count')), _number(entry.get('days')),
                source)
    return lock if lock.count or lock.days else None


def _locks(variables):
    found = (variables or {}).get(LOCK_KEY)
    return found if isinstance(found, dict) else {}


def lock_for(variables, project_id):
    """The lock of `project_id` (its own, else the default), or None."""
    locks = _locks(variables)
    projects = locks.get('projects')
    own = projects.get(project_id) if isinstance(projects, dict) else None
    if own is not None:
        return _lock(own, PROJECT)
    return _lock(locks.get('default'), DEFAULT)


def default_lock(variables):
    """The cloud default lock (a project without its own has it), or None."""
    return _lock(_locks(variables).get('default'), DEFAULT)


def lowered(before, after):
    """Which of 'count', 'days' `after` keeps less of than `before`.

    Either may be None (no lock). A limit `before` sets and `after` drops
    or sets lower is lowered; one it raises or adds is not. () when
    nothing is lowered.
    """
    found = []
    for field in ('count', 'days'):
        old = getattr(before, field, None)
        new = getattr(after, field, None)
        if old and (not new or new < old):
            found.append(field)
    return tuple(found)


def project_locks(variables):
    """{project id: Lock} of the projects that have their own."""
    projects = _locks(variables).get('projects')
    if not isinstance(projects, dict):
        return {}
    return {pid: lock for pid, lock in
            ((pid, _lock(entry, PROJECT)) for pid, entry in projects.items())
            if lock is not None}


def validate(count, days):
    """(count, days) as numbers or None, refused beyond their limits."""
    checked = []
    for value, field, top in ((count, 'count', COUNT_MAX),
                              (days, 'days', DAYS_MAX)):
        if value in (None, ''):
            checked.append(None)
            continue
        number = _number(value)
        if number is None or number > top or str(value).strip() != str(
                number):
            raise errors.InputError(_('Enter a whole number from 1 to %d, '
                                      'or leave it empty.') % top, field)
        checked.append(number)
    return tuple(checked)


def with_lock(variables, project_id, count, days):
    """`variables` with the lock of `project_id` (None: the default) set.

    Neither count nor days: the project's own lock is removed (the default
    applies again), or the default is.
    """
    new = dict(variables or {})
    locks = dict(_locks(new))
    entry = {'count': count, 'days': days} if count or days else None
    if project_id is None:
        if entry:
            locks['default'] = entry
        else:
            locks.pop('default', None)
    else:
        projects = dict(locks.get('projects') or {})
        if entry:
            projects[project_id] = entry
        else:
            projects.pop(project_id, None)
        locks['projects'] = projects
    new[LOCK_KEY] = locks
    return new


def refusal(schedule, lock):
    """Why `schedule` keeps less than `lock` allows, or None."""
    if lock is None:
        return None
    why = []
    if lock.count and schedule.max_full < lock.count:
        why.append(_('keep at least %d full backups') % lock.count)
    if lock.days and schedule.keep_days is not None and \
            schedule.keep_days < lock.days:
        why.append(_('keep backups for at least %d days') % lock.days)
    if not why:
        return None
    return _('The retention lock of this project (%(source)s) requires '
             'every schedule to %(what)s.') % {
        'source': _('set by an administrator for it')
        if lock.source == PROJECT else _('the cloud default'),
        'what': _(' and to ').join(why)}


_PROJECT_ID = re.compile(r'^[0-9a-zA-Z_-]{1,64}$')


def definition(variables):
    """The Mistral definition of WORKFLOW that outputs `variables`.

    Only numbers, Keystone project ids and checked templates (names without
    ``guardrails.EXPRESSION_MARKS``, patterns and zones the clock reads) go
    in: nothing Mistral would read as an expression. ValueError otherwise.
    """
    locks = _locks(variables)
    entries = {'default': locks.get('default'),
               'projects': dict(locks.get('projects') or {})}
    for pid, entry in [(None, entries['default'])] + list(
            entries['projects'].items()):
        if pid is not None and not _PROJECT_ID.match(str(pid)):
            raise ValueError('not a project id: %r' % pid)
        if entry is not None and (not isinstance(entry, dict) or any(
                v is not None and not isinstance(v, int)
                for v in entry.values())):
            raise ValueError('not a lock: %r' % entry)
    output = dict(guardrails.stored(variables), **{LOCK_KEY: entries})
    return yaml.safe_dump({'version': '2.0', WORKFLOW: {
        'description': 'backup-dashboard retention locks, schedule '
                       'templates and bounds, written by the admin Backups '
                       'Overview; do not edit by hand.',
        'output': output,
        'tasks': {'done': {'action': 'std.noop'}}}}, sort_keys=True)


def variables_of(text):
    """What `definition` wrote, read back from WORKFLOW's definition."""
    try:
        doc = yaml.safe_load(text or '') or {}
        output = doc[WORKFLOW]['output']
    except (yaml.YAMLError, KeyError, TypeError):
        return {}
    return output if isinstance(output, dict) else {}
