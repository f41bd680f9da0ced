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

"""What the plugin's table actions share."""
from django.utils.translation import gettext_lazy as _
# Eager ngettext in action names: Horizon calls them while rendering each
# row, inside the request's language (see schedules/tables.py).
from django.utils.translation import ngettext
from horizon import exceptions
from horizon import tables

from backup_dashboard import api


class reasons_shown(object):
    """Show why an action failed on one schedule ("a run is in progress").

    A BatchAction only says which objects failed; ``escalate=True`` makes
    ``exceptions.handle`` add the reason as a message and tell the batch
    the failure is already reported.
    """

    def __init__(self, request, message):
        self.request, self.message = request, message

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if error is not None and isinstance(error, Exception) and \
                not isinstance(error, exceptions.HandledException):
            api.errors.handle(self.request, '%s: %s' % (
                self.message, api.errors.reason(error)), escalate=True)
        return False


class ReownSchedule(tables.BatchAction):
    """Recreate a schedule under the current user's identity.

    The project panel and the admin overview offer it to different people
    (see their ``allowed``); both recreate the trigger the same way, so
    it keeps its name, settings and runs.
    """
    name = 'reown'
    icon = 'user'

    @staticmethod
    def action_present(count):
        return ngettext("Re-own Schedule", "Re-own Schedules", count)

    @staticmethod
    def action_past(count):
        return ngettext("Re-owned Schedule", "Re-owned Schedules", count)

    def schedule_of(self, request, obj_id):
        """(project id, schedule name) of the row ``obj_id``."""
        return request.user.tenant_id, obj_id

    def action(self, request, obj_id):
        project_id, name = self.schedule_of(request, obj_id)
        with reasons_shown(request, _('Unable to re-own schedule "%s"')
                           % name):
            api.schedules.schedule_reown(request, project_id, name)
