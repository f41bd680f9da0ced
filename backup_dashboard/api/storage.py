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


# --- Instances integration: attached volumes and their backups --------------

SKIP_KEY = 'backup_dashboard:skip'


def volume_get(request, volume_id):
    """One volume, without the per-attachment server lookups that
    ``openstack_dashboard.api.cinder.volume_get`` makes."""
    return cinder.Volume(cinder.cinderclient(request).volumes.get(volume_id))


def volume_skipped(volume):
    metadata = getattr(volume, 'metadata', None) or {}
    return str(metadata.get(SKIP_KEY, '')).lower() in ('true', '1', 'yes')


def volume_set_skip(request, volume_id, skip):
    """Opt a volume out of (or back into) scheduled backups."""
    if skip:
        cinder.volume_set_metadata(request, volume_id, {SKIP_KEY: 'true'})
    else:
        cinder.volume_delete_metadata(request, volume_id, [SKIP_KEY])


def volume_backups(request, volume_id, limit=5):
    """The newest `limit` backups of one volume, newest first."""
    return [cinder.VolumeBackup(b) for b in
            cinder.cinderclient(request).backups.list(
                search_opts={'volume_id': volume_id}, limit=limit,
                sort='created_at:desc')]


def backup_is_incremental(backup):
    # Horizon's VolumeBackup wrapper hides `is_incremental`.
    raw = getattr(backup, '_apiresource', backup)
    return bool(getattr(raw, 'is_incremental', False))
