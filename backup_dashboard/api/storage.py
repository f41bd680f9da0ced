"""Cinder calls the plugin needs, through Horizon's own wrappers."""
from openstack_dashboard.api import cinder


def volume_list(request):
    return cinder.volume_list(request)


def backup_limits(request):
    """Backup quota and usage of the project: count and gigabytes."""
    limits = cinder.tenant_absolute_limits(request)
    return {
        'max_backups': limits.get('maxTotalBackups'),
        'used_backups': limits.get('totalBackupsUsed', 0),
        'max_gigabytes': limits.get('maxTotalBackupGigabytes'),
        'used_gigabytes': limits.get('totalBackupGigabytesUsed', 0),
    }
