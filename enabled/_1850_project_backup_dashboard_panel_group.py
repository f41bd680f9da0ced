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

# The "Data Protection" group in the Project dashboard (slug unchanged, so
# URLs are too): not "Backups", which reads like Horizon's own
# Volumes > Backups (Cinder's backups one by one). This is the one file
# that adds the plugin's Django app: ADD_INSTALLED_APPS may appear only once.
from django.utils.translation import gettext_lazy as _

from backup_dashboard import exceptions

PANEL_GROUP = 'backup_dashboard'
PANEL_GROUP_NAME = _('Data Protection')
PANEL_GROUP_DASHBOARD = 'project'

ADD_INSTALLED_APPS = ['backup_dashboard']
ADD_JS_FILES = ['backup_dashboard/js/schedule_form.js',
                'backup_dashboard/js/limits.js']
ADD_SCSS_FILES = ['backup_dashboard/scss/backup_dashboard.scss']

# The Mistral, Cinder, Nova and Keystone client errors Horizon handles.
ADD_EXCEPTIONS = {
    'recoverable': exceptions.RECOVERABLE,
    'not_found': exceptions.NOT_FOUND,
    'unauthorized': exceptions.UNAUTHORIZED,
}
