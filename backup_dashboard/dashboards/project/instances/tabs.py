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

"""The "Backups" tab on Horizon's instance detail page (via EXTRA_TABS).

Times are in the viewer's zone (``display.time_html``); a volume of a tagged
instance with no backup yet says when its first backup is: the soonest next
run of the instance's schedules. An instance may have several schedules
(docs/workflows.rst): each backup says which one made it.
"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import tabs

from backup_dashboard import api
from backup_dashboard.dashboards.common import backup_point
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import links
from backup_dashboard.dashboards.project.instances import extend
from backup_dashboard.dashboards.project.instances import status

RECENT_BACKUPS = 5
STATUS_TEXT = {'ok': _('OK: every volume was backed up'),
               'partial': _('Partly failed: some volumes were not backed up'),
               'failed': _('Failed: no volume was backed up')}


def _volume_ids(instance):
    ids = status.volume_ids(instance)
    if not ids:
        # Horizon's detail view lists them as `instance.volumes`.
        ids = [getattr(v, 'volumeId', None) or getattr(v, 'id', None)
               for v in getattr(instance, 'volumes', None) or []]
    return [i for i in dict.fromkeys(ids) if i]


class BackupsTab(tabs.Tab):
    name = _("Backups")
    slug = 'backup_dashboard_backups'
    template_name = 'backup_dashboard/instances/_detail_backups.html'
    preload = False

    def allowed(self, request):
        return extend.mistral_in_catalog(request)

    def get_context_data(self, request):
        instance = self.tab_group.kwargs['instance']
        zone = display.viewer_zone(request)
        state = status.backup_state(instance)
        schedules, schedules_error = self._schedules(request, state)
        next_runs = {name: schedules[name].next_run
                     for name in state.schedules if name in schedules}
        first = min(((t, n) for n, t in next_runs.items() if t),
                    default=None)
        return {
            'instance': instance,
            'zone': zone,
            'state': state,
            'schedules': [
                {'name': name, 'schedule': schedules.get(name),
                 'next_run': display.time_html(next_runs.get(name), zone)}
                for name in state.schedules],
            'schedules_error': schedules_error,
            'last_backup': display.time_html(state.last_backup, zone)
            if state.last_backup else _('Never'),
            'last_run': display.time_html(state.last_run, zone)
            if state.last_run else _('Never'),
            'last_status': STATUS_TEXT.get(state.last_status,
                                           state.last_status or '-'),
            'volumes': [self._volume(request, vid, zone, first)
                        for vid in _volume_ids(instance)],
            'restore_url': links.restore_url(server_id=instance.id),
            'configure_url': reverse(
                'horizon:project:backup_schedules:instance_configure',
                args=[instance.id]),
        }

    def _schedules(self, request, state):
        if not state.schedules:
            return {}, None
        try:
            found = api.schedules.schedule_list(request)
        except Exception as error:
            return {}, _('The schedules cannot be listed right now: %s') % (
                api.errors.explain(error))
        return {s.name: s for s in found}, None

    def _volume(self, request, volume_id, zone, first=None):
        """The soonest next run of the instance's schedules.

        `first`: (the soonest next run of the instance's schedules, the
        schedule's name), None when it has none.
        """
        row = {'id': volume_id, 'name': volume_id, 'skip': False,
               'backups': [], 'error': None, 'first_backup': None,
               'history_url': links.restore_url(
                   server_id=self.tab_group.kwargs['instance'].id,
                   volume_id=volume_id)}
        try:
            volume = api.storage.volume_get(request, volume_id)
            row['name'] = volume.name or volume_id
            row['skip'] = api.storage.volume_skipped(volume)
            backups = api.storage.volume_backups(request, volume_id,
                                                 limit=RECENT_BACKUPS)
        except Exception as error:
            row['error'] = _('Cannot read this volume or its backups: %s') \
                % api.errors.explain(error)
            return row
        if not backups and not row['skip'] and first:
            row['first_backup'] = {'time': display.time_html(first[0], zone),
                                   'schedule': first[1]}
        for backup in backups:
            # the restore page's own reading of a backup: kind, schedule
            # (several may back the volume up), legal hold
            point = backup_point.point(backup, zone)
            row['backups'].append({
                'point': point,
                'time': display.time_html(backup.created_at, zone),
                'restore_url': links.restore_url(backup.id)
                if point.restorable else None,
            })
        return row
