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

"""What a schedule will hold, per run and at steady state, against the quota.

Cinder's default quota is only 10 backups per project and every backup,
incremental too, reserves the full volume size: a schedule that cannot fit
fails at 2 a.m. weeks later. Say so before saving instead (the form asks
``consequences.gather``, which reads what this needs in one batch). Its
restore drills need volume quota for their throwaway volumes: that is
forecast too (``drill_forecast``), as the drill itself will count it.
"""
from django.utils.translation import gettext as _

from backup_dashboard import api
from backup_dashboard import drills


def target_volume_ids(servers):
    """The volumes a run backs up.

    Every volume attached to the servers, each once (as the workflow's
    targets).
    """
    return list(dict.fromkeys(vid for server in servers
                              for vid in api.compute.attached_volume_ids(
                                  server)))


def drill_forecast(settings, servers, volumes, room):
    """The throwaway volumes the schedule's drills hold at once, or None.

    For the volumes assigned now, a sample being its largest volumes at
    worst (a backup is the size of its volume); `room`: what the volume
    quota still allows (``api.storage.volume_room``). None when drills
    are off.
    """
    if settings is None or not settings.on:
        return None
    sizes = {v.id: v.size or 0 for v in volumes}
    chosen = sorted((sizes.get(v, 0) for v in target_volume_ids(servers)),
                    reverse=True)[:settings.sample or None]
    count, gigabytes = drills.room_needed(chosen, settings.keep_hours)
    return {'volumes': count, 'gigabytes': gigabytes, 'room': room,
            'keep_hours': settings.keep_hours,
            'problem': drills.room_problem(chosen, room, settings.keep_hours,
                                           ahead=True) if chosen else None}


def forecast(schedule, servers, volumes, limits):
    """The forecast for the `servers` carrying the schedule's tag now."""
    sizes = {v.id: v.size or 0 for v in volumes}
    volume_ids = target_volume_ids(servers)
    per_volume = schedule.steady_state_backups(1)
    first_run_gb = sum(sizes.get(v, 0) for v in volume_ids)
    count = per_volume * len(volume_ids)
    gigabytes = per_volume * first_run_gb
    max_count, max_gb = limits['max_backups'], limits['max_gigabytes']
    used_count, used_gb = limits['used_backups'], limits['used_gigabytes']
    result = {
        'instances': len(servers), 'volumes': len(volume_ids),
        'per_volume': per_volume,
        'run_backups': len(volume_ids), 'run_gigabytes': first_run_gb,
        'backups': count, 'gigabytes': gigabytes,
        'max_backups': max_count, 'max_gigabytes': max_gb,
        'used_backups': used_count, 'used_gigabytes': used_gb,
        'exceeds': False, 'never_fits': False, 'message': '',
    }
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
