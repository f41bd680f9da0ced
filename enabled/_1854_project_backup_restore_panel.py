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

# The "Restore" panel: a volume's backup history as a picture, and a restore
# of any point of it to a new or an existing volume, run by Mistral.
PANEL = 'backup_restore'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'backup_dashboard'
ADD_PANEL = 'backup_dashboard.dashboards.project.restore.panel.BackupRestore'
ADD_JS_FILES = ['backup_dashboard/js/restore.js']
