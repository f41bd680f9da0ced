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

"""Who may delete a backup by hand, or hold one, in the plugin's views.

A backup a schedule made (metadata ``backup_dashboard:automated``) belongs to
the schedule's rotation: deleting it by hand could break the chain the
schedule keeps. Only users with the operator's role
(``BACKUP_DASHBOARD_PROTECTED_BACKUP_DELETE_ROLE``) may; nobody when the
setting is None. Cinder's own API is not covered by this: see
docs/restore.rst for the policy rule an operator adds there.
"""
from django.utils.translation import gettext as _

from backup_dashboard import api
from backup_dashboard import conf
from backup_dashboard import holds

SETTING = 'BACKUP_DASHBOARD_PROTECTED_BACKUP_DELETE_ROLE'
DELETABLE_STATUSES = ('available', 'error')


def protected_role():
    return conf.get(SETTING) or None


def has_role(request, role):
    # openstack_auth turns each role into the permission
    # 'openstack.roles.<lower-cased name>'.
    return bool(role) and request.user.has_perms(
        ('openstack.roles.%s' % role.lower(),))


def why_not_deletable(request, backup):
    """None if the user may delete the backup here, else the reason."""
    hold = holds.hold_of(api.storage.backup_metadata(backup))
    if hold is not None:
        return _('On legal hold since %(at)s by %(by)s: "%(reason)s". '
                 'Release the hold first.') % {
            'at': hold.at or '?', 'by': hold.by or '?',
            'reason': hold.reason}
    schedule = api.storage.backup_schedule(backup)
    if schedule is not None:
        role = protected_role()
        if role is None:
            return _('Made by schedule "%s": automated backups are deleted '
                     'only by the schedule\'s rotation.') % schedule
        if not has_role(request, role):
            return _('Made by schedule "%(schedule)s": only users with the '
                     'role "%(role)s" may delete automated backups by hand; '
                     'the schedule\'s rotation deletes it in time.') % {
                'schedule': schedule, 'role': role}
    if backup.status not in DELETABLE_STATUSES:
        return _('The backup is %s; only an available or failed backup can '
                 'be deleted.') % backup.status
    if api.storage.backup_attr(backup, 'has_dependent_backups'):
        return _('Incremental backups depend on it: delete them first '
                 '(newest first).')
    return None


HOLD_SETTING = 'BACKUP_DASHBOARD_HOLD_ROLE'
RELEASE_SETTING = 'BACKUP_DASHBOARD_HOLD_RELEASE_ROLE'


def why_not_holdable(request, backup):
    """None if the user may place a legal hold on the backup, else why."""
    role = conf.get(HOLD_SETTING) or None
    if role and not has_role(request, role):
        return _('Only users with the role "%s" may place legal holds.') % role
    if holds.hold_of(api.storage.backup_metadata(backup)) is not None:
        return _('The backup is already on hold.')
    if backup.status not in holds.HOLDABLE_STATUSES:
        return _('The backup is %s; only an available backup can be '
                 'held.') % backup.status
    return None


def why_not_releasable(request, backup):
    """None if the user may release the backup's hold, else why."""
    role = conf.get(RELEASE_SETTING) or None
    if role and not has_role(request, role):
        return _('Only users with the role "%s" may release legal '
                 'holds.') % role
    if holds.hold_of(api.storage.backup_metadata(backup)) is None:
        return _('The backup is not on hold.')
    return None
