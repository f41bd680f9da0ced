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

"""The "Configure backups" modal of one instance.

Reads the instance, its attached volumes and the project's schedules for the
form, and says in plain words when one of them cannot be read.
"""
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import messages

from backup_dashboard import api
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.project.instances \
    import forms as instance_forms
from backup_dashboard.dashboards.project.instances import status

INSTANCES_URL = reverse_lazy('horizon:project:instances:index')


def load_volumes(request, server):
    """[{id, name, label, skip, volume}] of the server's attached volumes.

    `volume` is None for one that cannot be read.
    """
    rows = []
    for volume_id in status.volume_ids(server):
        try:
            volume = api.storage.volume_get(request, volume_id)
        except Exception as error:
            rows.append({'id': volume_id, 'name': volume_id,
                         'label': volume_id, 'skip': False, 'volume': None,
                         'error': api.errors.explain(error)})
            continue
        name = volume.name or volume_id
        rows.append({'id': volume_id, 'name': name,
                     'label': _('%(name)s (%(size)s GB)') % {
                         'name': name, 'size': volume.size},
                     'skip': api.storage.volume_skipped(volume),
                     'volume': volume, 'error': None})
    return rows


class ConfigureView(forms.ModalFormView):
    form_class = instance_forms.ConfigureBackupsForm
    template_name = 'backup_dashboard/instances/configure.html'
    modal_id = 'configure_backups_modal'
    form_id = 'configure_backups_form'
    modal_header = _("Configure backups")
    page_title = _("Configure backups")
    submit_label = _("Save")
    success_url = INSTANCES_URL

    def _server(self):
        if not hasattr(self, '_server_cache'):
            self._server_cache = self._read_server()
        return self._server_cache

    def _read_server(self):
        instance_id = self.kwargs['instance_id']
        try:
            return api.compute.server_get(self.request, instance_id)
        except Exception as error:
            gone = api.errors.is_not_found(error)
            if self.request.method == 'POST' and gone:
                # The form says so, and changes nothing.
                return None
            message = (api.errors.missing('instance', instance_id) if gone
                       else _('Unable to retrieve instance "%(id)s": '
                              '%(reason)s') % {
                           'id': instance_id,
                           'reason': api.errors.explain(error)})
            # Any error (Nova down included) is a message, never a 500.
            messages.error(self.request, message)
            raise exceptions.Http302(str(INSTANCES_URL))

    def _schedules(self):
        if not hasattr(self, '_schedules_cache'):
            self._schedules_cache = self._read_schedules()
        return self._schedules_cache

    def _read_schedules(self):
        try:
            return api.schedules.schedule_list(self.request), None
        except Exception as error:
            if isinstance(error, api.mistral.ServiceUnavailable):
                return None, str(error)
            return None, _('The backup schedules cannot be listed right '
                           'now (%s), so they cannot be changed.') % (
                api.errors.reason(error))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        server = self._server()
        schedules, error = self._schedules()
        kwargs.update(
            server=server, schedules=schedules, schedules_error=error,
            volumes=load_volumes(self.request, server) if server else [],
            zone=display.viewer_zone(self.request))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instance_id = self.kwargs['instance_id']
        here = reverse('horizon:project:backup_schedules:instance_configure',
                       args=[instance_id])
        context['submit_url'] = here
        context['create_url'] = '%s?%s' % (
            reverse('horizon:project:backup_schedules:create'),
            urlencode({'next': here}))
        instance = context['instance'] = self._server()
        state = (getattr(instance, 'status', '') or '').upper()
        context['tags_blocked'] = bool(
            instance is not None and
            state not in api.compute.TAGGABLE_STATUSES)
        context['instance_status'] = state.replace('_', ' ').title()
        context['schedules_error'] = self._schedules()[1]
        form = context.get('form')
        context['unreadable_volumes'] = [
            v for v in getattr(form, 'volumes', []) if v['volume'] is None]
        return context
