# The "Data Protection" group in the Project dashboard (slug unchanged, so
# URLs are too): not "Backups", which reads like Horizon's own
# Volumes > Backups (Cinder's backups one by one). This is the one file
# that adds the plugin's Django app: ADD_INSTALLED_APPS may appear only once.
from django.utils.translation import gettext_lazy as _

PANEL_GROUP = 'backup_dashboard'
PANEL_GROUP_NAME = _('Data Protection')
PANEL_GROUP_DASHBOARD = 'project'

ADD_INSTALLED_APPS = ['backup_dashboard']
ADD_JS_FILES = ['backup_dashboard/js/schedule_form.js',
                'backup_dashboard/js/limits.js']
ADD_SCSS_FILES = ['backup_dashboard/scss/backup_dashboard.scss']
