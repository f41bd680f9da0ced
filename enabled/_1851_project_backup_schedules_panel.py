# The "Backup Schedules" panel. It is listed only for users whose catalog
# has Mistral (workflowv2): see the panel's `permissions`.
PANEL = 'backup_schedules'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'backup_dashboard'
ADD_PANEL = ('backup_dashboard.dashboards.project.schedules.panel.'
             'BackupSchedules')
