#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Cinder calls the plugin needs, through Horizon's own wrappers."""
from cinderclient import exceptions as cinder_exceptions
from openstack_dashboard.api import cinder

from backup_dashboard.api import errors
from backup_dashboard.api import quota


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
    """One volume, without Horizon's per-attachment server lookups.

    One volume, without the per-attachment server lookups that
    ``openstack_dashboard.api.cinder.volume_get`` makes.
    """
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
    """The newest `limit` backups of one volume, newest first.

    With their metadata (``backup_schedule``: which schedule made each).
    """
    return backup_history_page(request, volume_id, limit)


def backup_is_incremental(backup):
    # Horizon's VolumeBackup wrapper hides `is_incremental`.
    raw = getattr(backup, '_apiresource', backup)
    return bool(getattr(raw, 'is_incremental', False))


# --- Restore: a volume's whole backup history, targets, deletion ------------

# Cinder's own limits on a new volume: its name's length and its size (GB,
# the largest its database column holds).
VOLUME_NAME_MAX = 255
VOLUME_SIZE_MAX = 2147483647
# Every backup call asks for 3.43: backup metadata (which schedule made a
# backup) is returned from 3.43 on, each backup's project from 3.18 on.
BACKUP_MICROVERSION = '3.43'
AUTOMATED_KEY = 'backup_dashboard:automated'
SCHEDULE_KEY = 'backup_dashboard:schedule'
VOLUME_PROJECT_ATTR = 'os-vol-tenant-attr:tenant_id'
BACKUP_PROJECT_ATTR = 'os-backup-project-attr:project_id'
_PROJECT_ATTRS = {'volume': VOLUME_PROJECT_ATTR,
                  'backup': BACKUP_PROJECT_ATTR}


def _backup_client(request):
    return cinder.cinderclient(request, BACKUP_MICROVERSION)


def _raw(resource):
    return getattr(resource, '_apiresource', resource)


def _own(request, kind, resource_id, get):
    """`get(request, resource_id)`, of the user's project only.

    Cinder scopes ids to the token's project, except for admins, who see every
    project's: another project's object is "not found" here too, in the same
    plain words as a missing one (``errors.not_found``).
    """
    try:
        resource = get(request, resource_id)
    except cinder_exceptions.NotFound:
        raise errors.not_found(kind, resource_id)
    owner = getattr(_raw(resource), _PROJECT_ATTRS[kind], None)
    if owner and owner != request.user.tenant_id:
        raise errors.not_found(kind, resource_id)
    return resource


def volume_get_own(request, volume_id):
    """One volume of the user's project (NotFound otherwise)."""
    return _own(request, 'volume', volume_id, volume_get)


def project_volumes(request):
    """Every volume of the project (one call; no per-volume lookups)."""
    return [cinder.Volume(v) for v in
            cinder.cinderclient(request).volumes.list(detailed=True)]


def backup_get_own(request, backup_id):
    """One backup of the user's project, with its metadata."""
    return _own(request, 'backup', backup_id, _backup_get)


def _backup_get(request, backup_id):
    return cinder.VolumeBackup(_backup_client(request).backups.get(
        backup_id))


def backup_history_page(request, volume_id, limit, marker=None):
    """Up to `limit` backups of one volume, newest first.

    Up to `limit` backups of one volume (the volume may be deleted), newest
    first; with `marker` (a backup id), those older than it. Cinder sorts,
    pages and lists only the project's own backups.
    """
    found = _backup_client(request).backups.list(
        search_opts={'volume_id': volume_id}, marker=marker, limit=limit,
        sort='created_at:desc')
    return [cinder.VolumeBackup(b) for b in found]


def project_backups(request):
    """Every backup of the project, newest first (one call)."""
    found = _backup_client(request).backups.list(sort='created_at:desc')
    return [cinder.VolumeBackup(b) for b in found]


def backup_set_metadata(request, backup_id, metadata):
    """Replace a backup's metadata with `metadata` (Cinder 3.43 and later)."""
    _backup_client(request).backups.update(backup_id, metadata=metadata)


def backup_delete(request, backup_id):
    cinder.volume_backup_delete(request, backup_id)


def consistent_groups(request, declared):
    """Ids of the project's Cinder groups of the `declared` group types.

    declared: group type names or ids (the operator's setting); none
    declared costs no call.
    """
    declared = set(declared or ())
    if not declared:
        return set()
    types = {t.id for t in cinder.group_type_list(request)
             if t.id in declared or t.name in declared}
    return {g.id for g in cinder.group_list(request)
            if g.group_type in types}


def backup_metadata(backup):
    return dict(getattr(_raw(backup), 'metadata', None) or {})


def backup_schedule(backup):
    """The schedule that made a backup, or None for a hand-made one."""
    metadata = backup_metadata(backup)
    if str(metadata.get(AUTOMATED_KEY, '')).lower() == 'true':
        return metadata.get(SCHEDULE_KEY) or '?'
    return None


def backup_attr(backup, name, default=None):
    """An attribute Horizon's VolumeBackup wrapper does not list."""
    return getattr(_raw(backup), name, default)


def volume_types(request):
    return cinder.volume_type_list(request)


def availability_zones(request):
    """Names of the volume availability zones that are up."""
    return [zone.zoneName for zone in cinder.availability_zone_list(request)
            if (getattr(zone, 'zoneState', None) or {}).get('available',
                                                            True)]


def volume_room(request):
    """What the volume quota still allows.

    {'volumes', 'gigabytes'}, None where unlimited or unknown.
    """
    limits = cinder.tenant_absolute_limits(request)
    return {'volumes': quota.left(limits, 'maxTotalVolumes',
                                  'totalVolumesUsed'),
            'gigabytes': quota.left(limits, 'maxTotalVolumeGigabytes',
                                    'totalGigabytesUsed')}


# --- every project at once (the admin overview) ---------------------------

def all_volumes(request):
    return cinder.cinderclient(request).volumes.list(
        search_opts={'all_tenants': 1})


def all_backups(request):
    return _backup_client(request).backups.list(
        search_opts={'all_tenants': 1})


def backup_quota(request, project_id):
    """One project's backup quota: backups and gigabytes, in use and limit.

    {'backups': (in use, limit), 'gigabytes': (in use, limit)} of one project
    (-1: unlimited). One call per project: the CSV report and the project page
    only, never per instance.
    """
    quotas = cinder.cinderclient(request).quotas.get(project_id, usage=True)
    result = {}
    for key, name in (('backups', 'backups'),
                      ('gigabytes', 'backup_gigabytes')):
        value = getattr(quotas, name, None)
        if isinstance(value, dict):
            result[key] = (value.get('in_use'), value.get('limit'))
        else:
            result[key] = (None, value)
    return result
