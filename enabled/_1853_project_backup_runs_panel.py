# The "Backup Runs" panel: every run of every schedule, and each run's detail.
PANEL = 'backup_runs'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'backup_dashboard'
ADD_PANEL = 'backup_dashboard.dashboards.project.runs.panel.BackupRuns'
