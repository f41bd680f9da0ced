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

# The "Data Protection" group in the Admin dashboard (the operator's
# overview); named as the Project dashboard's group is.
from django.utils.translation import gettext_lazy as _

PANEL_GROUP = 'backup_dashboard_admin'
PANEL_GROUP_NAME = _('Data Protection')
PANEL_GROUP_DASHBOARD = 'admin'
