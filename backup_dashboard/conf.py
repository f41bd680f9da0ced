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

"""Operator settings, read from Horizon's settings with safe defaults.

Set them in ``local_settings.py`` (or ``local_settings.d/``) of Horizon.
"""
from django.conf import settings

DEFAULTS = {
    # Schedules may not run more often than this (minutes). The browser
    # tests lower it to 1 so that a cron trigger fires within a minute.
    'BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES': 60,
    # Name of a Mistral environment holding `backup_dashboard_smtp`
    # ({from_addr, smtp_server, smtp_password}); None sends no e-mail.
    'BACKUP_DASHBOARD_MISTRAL_ENV': None,
    # Concurrency and per-backup timeout (s) given to new schedules.
    'BACKUP_DASHBOARD_CONCURRENCY': 4,
    'BACKUP_DASHBOARD_BACKUP_TIMEOUT': 3600,
    # Backups made by a schedule may be deleted by hand in the plugin's
    # views only by users with this role; None: by nobody (the schedule's
    # rotation still deletes them). See docs/restore.rst for Cinder's API.
    'BACKUP_DASHBOARD_PROTECTED_BACKUP_DELETE_ROLE': 'admin',
    # Cinder group types (names or ids) whose groups the backends snapshot
    # at one moment (group spec consistent_group_snapshot_enabled, which
    # only admins can read): restore points taken by a group snapshot of
    # such a group are labelled group-consistent (docs/restore.rst).
    'BACKUP_DASHBOARD_CONSISTENT_GROUP_TYPES': (),
    # Who may place and who may release a legal hold on a backup in the
    # plugin's views: users with this role; None: any project member
    # (docs/governance.rst).
    'BACKUP_DASHBOARD_HOLD_ROLE': None,
    'BACKUP_DASHBOARD_HOLD_RELEASE_ROLE': None,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])
