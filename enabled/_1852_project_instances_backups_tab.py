# The "Backups" tab on the instance detail page (Project > Compute >
# Instances > an instance). The app itself is added by _1850 only; a file
# with no panel or group must say FEATURE, or Horizon skips it.
FEATURE = 'backup_dashboard_instances'
EXTRA_TABS = {
    'openstack_dashboard.dashboards.project.instances.tabs.'
    'InstanceDetailTabs': (
        'backup_dashboard.dashboards.project.instances.tabs.BackupsTab',
    ),
}
