from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupDashboardConfig(AppConfig):
    name = 'backup_dashboard'
    label = 'backup_dashboard'
    verbose_name = _('Backup dashboard')

    def ready(self):
        # "Configure Backups" and the "Backup" column on Horizon's Instances
        # table; idempotent, so a second ready() (tests) changes nothing.
        from backup_dashboard.dashboards.project.instances import extend
        extend.install()
