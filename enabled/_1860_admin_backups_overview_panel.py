# The "Backups Overview" panel (Admin > Data Protection): coverage, RPO and
# schedule health of every project, a page per project and a CSV report.
# Admins only: see the panel's `permissions`.
PANEL = 'backups_overview'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'backup_dashboard_admin'
ADD_PANEL = ('backup_dashboard.dashboards.admin.overview.panel.'
             'BackupsOverview')
