# The "Restore" panel: a volume's backup history as a picture, and a restore
# of any point of it to a new or an existing volume, run by Mistral.
PANEL = 'backup_restore'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'backup_dashboard'
ADD_PANEL = 'backup_dashboard.dashboards.project.restore.panel.BackupRestore'
ADD_JS_FILES = ['backup_dashboard/js/restore.js']
