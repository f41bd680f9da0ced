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

"""Keeping schedules anchored to their local time (see docs/dst.rst).

There is no maintenance workflow: a cron-fired workflow cannot recreate a
cron trigger (Keystone refuses the trust). A schedule saved through
``schedules.schedule_create/update`` carries a time zone plan for ten
years (``Schedule.anchor_problem`` says when it no longer fits the zone's
rules); ``reanchor`` is the one action that fixes it, done by the user at
the dashboard.
"""
from backup_dashboard.api import schedules


def reanchor(request, name):
    """Save a schedule again, unchanged, for a fresh UTC pattern and plan.

    Save a schedule again, unchanged, so that its trigger gets a fresh UTC
    pattern and plan. Like any edit it deletes and recreates the trigger
    (restored if that fails), refuses while a run is in progress, and the user
    doing it becomes its owner.
    """
    return schedules.schedule_update(
        request, name, schedules.schedule_show(request, name))
