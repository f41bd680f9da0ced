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

"""When schedules run: the one home of time in backup-dashboard.

A schedule is a cron pattern read in a time zone, exactly as the user typed
or picked it. ``cron`` reads patterns, zones and instants (the only code in
backup-dashboard that imports croniter and zoneinfo); ``plans`` turns a
pattern in a zone into the trigger Mistral stores and answers when a stored
trigger really runs. Pages, exports and health ask these and nothing else.
"""
