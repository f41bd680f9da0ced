# The "Backups" group in the Project dashboard. This is the one file that
# adds the plugin's Django app: ADD_INSTALLED_APPS may appear only once.
PANEL_GROUP = 'backup_dashboard'
PANEL_GROUP_NAME = 'Backups'
PANEL_GROUP_DASHBOARD = 'project'

ADD_INSTALLED_APPS = ['backup_dashboard']
ADD_JS_FILES = ['backup_dashboard/js/schedule_form.js',
                'backup_dashboard/js/limits.js']
ADD_SCSS_FILES = ['backup_dashboard/scss/backup_dashboard.scss']
