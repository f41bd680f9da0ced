# The "Backups" group in the Admin dashboard (the operator's overview).
PANEL_GROUP = 'backup_dashboard_admin'
PANEL_GROUP_NAME = 'Backups'
PANEL_GROUP_DASHBOARD = 'admin'
