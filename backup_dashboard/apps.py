from django.apps import AppConfig


class BackupDashboardConfig(AppConfig):
    name = 'backup_dashboard'
    label = 'backup_dashboard'
    verbose_name = 'Backup dashboard'
