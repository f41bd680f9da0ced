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

"""One backup as every page shows it: kind, time, schedule, legal hold.

The restore history, the instance's Backups tab and the forms that act on
one backup read a Cinder backup through ``point`` alone, so that whether
it can be restored, which schedule made it and its hold read the same
everywhere.
"""
import dataclasses

from django.utils.translation import gettext_lazy as _

from backup_dashboard import api
from backup_dashboard.dashboards.common import display
from backup_dashboard import holds

RESTORABLE = 'available'
WHY_NOT = {
    'creating': _("still being created"),
    'restoring': _("being restored right now; wait until it is done"),
    'deleting': _("being deleted"),
    'error': _("failed: nothing to restore"),
    'error_deleting': _("failed to delete: nothing to restore"),
}


def local_time(value, zone):
    """Cinder's '2026-11-21T01:00:05.000000' (UTC) in the user's zone."""
    return display.local_text(value, zone)


@dataclasses.dataclass
class Point:
    id: str
    name: str
    incremental: bool
    size: int
    status: str
    created_at: str
    time: str                      # in the user's zone
    schedule: str | None           # the schedule that made it, if any
    description: str = ''
    fail_reason: str | None = None
    why_not: str | None = None     # why it cannot be restored, or None
    index: int | None = 0          # position in its chain (0: the full;
    #                                None: its full is on an older page)
    selected: bool = False
    delete_refusal: str | None = None
    hold: holds.Hold | None = None  # its legal hold, if any

    @property
    def restorable(self):
        return self.why_not is None

    @property
    def kind(self):
        return _("incremental") if self.incremental else _("full")


def point(backup, zone):
    status = backup.status
    why = None
    if status != RESTORABLE:
        why = WHY_NOT.get(status, _("its status is %s") % status)
    created = backup.created_at
    return Point(
        id=backup.id, name=getattr(backup, 'name', None) or backup.id,
        incremental=api.storage.backup_is_incremental(backup),
        size=backup.size, status=status, created_at=str(created or ''),
        time=local_time(created, zone),
        schedule=api.storage.backup_schedule(backup),
        description=getattr(backup, 'description', None) or '',
        fail_reason=getattr(backup, 'fail_reason', None), why_not=why,
        hold=holds.hold_of(api.storage.backup_metadata(backup)))
