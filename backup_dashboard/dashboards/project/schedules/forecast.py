"""What a schedule will hold at steady state, against the project's quota.

Cinder's default quota is only 10 backups per project and every backup,
incremental too, reserves the full volume size: a schedule that cannot fit
fails at 2 a.m. weeks later. Say so before saving instead.
"""
from django.utils.translation import gettext as _

from backup_dashboard import api
from backup_dashboard.api import parallel


def quota_forecast(request, schedule):
    servers, volumes, limits = parallel.call_functions_parallel(
        (api.compute.servers_with_any_tag, [request, [schedule.tag]]),
        (api.storage.volume_list, [request]),
        (api.storage.backup_limits, [request]))
    sizes = {v.id: v.size or 0 for v in volumes}
    volume_ids = {vid for server in servers
                  for vid in api.compute.attached_volume_ids(server)}
    per_volume = schedule.steady_state_backups(1)
    count = per_volume * len(volume_ids)
    gigabytes = per_volume * sum(sizes.get(v, 0) for v in volume_ids)
    max_count, max_gb = limits['max_backups'], limits['max_gigabytes']
    used_count, used_gb = limits['used_backups'], limits['used_gigabytes']
    result = {
        'instances': len(servers), 'volumes': len(volume_ids),
        'backups': count, 'gigabytes': gigabytes,
        'max_backups': max_count, 'max_gigabytes': max_gb,
        'used_backups': used_count, 'used_gigabytes': used_gb,
        'exceeds': False, 'never_fits': False, 'message': '',
    }
    first_run_gb = sum(sizes.get(v, 0) for v in volume_ids)
    if (max_count is not None and len(volume_ids) > max_count) or \
            (max_gb is not None and first_run_gb > max_gb):
        result['never_fits'] = True
        result['message'] = _(
            "This can never fit: one run backs up %(volumes)d volume(s) "
            "(%(gb)d GB), but the project's backup quota is %(max)s backups "
            "and %(max_gb)s GB. Ask your operator to raise it.") % {
                'volumes': len(volume_ids), 'gb': first_run_gb,
                'max': max_count, 'max_gb': max_gb}
        return result
    over_count = max_count is not None and used_count + count > max_count
    over_gb = max_gb is not None and used_gb + gigabytes > max_gb
    if over_count or over_gb:
        result['exceeds'] = True
        result['message'] = _(
            "Quota forecast: for the %(instances)d instance(s) assigned now "
            "(%(volumes)d volume(s)) this schedule will keep about "
            "%(count)d backups and %(gb)d GB, and the project already uses "
            "%(used)d of %(max)s backups and %(used_gb)d of %(max_gb)s GB. "
            "Once the quota is full, new backups fail; lower the retention "
            "or ask for more quota.") % {
                'instances': len(servers), 'volumes': len(volume_ids),
                'count': count, 'gb': gigabytes, 'used': used_count,
                'max': max_count, 'used_gb': used_gb, 'max_gb': max_gb}
    return result
