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

# The "Backups Overview" panel (Admin > Data Protection): coverage, RPO and
# schedule health of every project, a page per project and a CSV report.
# Admins only: see the panel's `permissions`.
PANEL = 'backups_overview'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'backup_dashboard_admin'
ADD_PANEL = ('backup_dashboard.dashboards.admin.overview.panel.'
             'BackupsOverview')
