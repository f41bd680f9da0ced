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

"""The Restore panel's pages: choose, restore, follow, delete a backup.

The Restore panel: choose an instance or a volume, see the volume's backup
history, pick a point and a target, watch the restore run in Mistral.
"""
import logging

from django import http
from django import shortcuts
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import generic
from horizon import forms
from horizon import messages
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.dashboards.common import backup_point
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import protection
from backup_dashboard.dashboards.project.restore import forms as restore_forms
from backup_dashboard.dashboards.project.restore import history
from backup_dashboard.dashboards.project.restore import instance_points
from backup_dashboard.dashboards.project.restore import page as restore_page
from backup_dashboard.dashboards.project.restore import progress

LOG = logging.getLogger(__name__)
INDEX_URL = reverse_lazy('horizon:project:backup_restore:index')


class IndexView(forms.ModalFormView):
    form_class = restore_forms.RestoreForm
    template_name = 'backup_dashboard/restore/index.html'
    page_title = _("Restore")
    submit_label = _("Restore")

    @memoized.memoized
    def get_page(self):
        return restore_page.load_page(self.request, self.request.GET)

    def post(self, request, *args, **kwargs):
        if self.get_page().step != 'history':
            return shortcuts.redirect(request.get_full_path())
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        if self.get_page().step != 'history':
            return None
        return super().get_form(form_class)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['page'] = self.get_page()
        return kwargs

    def get_initial(self):
        page = self.get_page()
        if page.step != 'history':
            return {}
        point = next((p for p in page.points if p.id == page.selected), None)
        size = max(point.size if point else 0, page.source_size) or None
        volume = page.volume
        volume_type = getattr(volume, 'volume_type', None)
        zone = getattr(volume, 'availability_zone', None)
        return {
            'backup_id': page.selected, 'target': 'new',
            'name': restore_page.default_name(page.volume_name), 'size': size,
            'volume_type': volume_type if volume_type in
            [t.name for t in page.volume_types] else '',
            'availability_zone': zone if zone in page.zones else '',
            'server_id': page.original_server_id if page.original_server_id
            in [s.id for s in page.servers] else '',
        }

    def form_invalid(self, form):
        # The invalid form itself, with its errors and the confirmation it
        # asks for (Horizon's own builds the context with a fresh form).
        return self.render_to_response(self.get_context_data(form=form))

    def get_success_url_from_handled(self, execution):
        return restore_forms.RestoreForm.success_url(execution)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.get_page()
        context['page'] = page
        context['zone'] = display.viewer_zone(self.request)
        context['submit_url'] = self.request.get_full_path()
        if page.step == 'choose':
            context['choose'] = restore_page.choose_rows(page, context['zone'])
        elif page.step == 'server':
            context['server_volumes'] = restore_page.volume_rows(
                page, context['zone'])
            context['instance_points'] = instance_points.rows(
                page.instance_points, page.backups, page.project_volumes,
                context['zone'], lambda volume_id, backup_id:
                restore_page.index_url(server_id=page.instance_id,
                                       backup_id=backup_id),
                page.consistent_groups)
        form = context.get('form')
        if page.step == 'history':
            context['timeline'] = history.timeline(page.chains)
        if form is not None:
            context['confirm_volume'] = getattr(form, 'confirm_needed', None)
            context['sizes'] = {p.id: p.size for p in page.points}
            context['min_size'] = context['sizes'].get(
                form['backup_id'].value(), form.fields['size'].widget
                .attrs.get('min'))
            context['max_size'] = api.storage.VOLUME_SIZE_MAX
        return context


class FollowView(generic.TemplateView):
    """A restore's page, which refreshes itself while it runs.

    restore.js polls it by AJAX and is answered its fragment only.
    `workflow`: the restore workflow its executions must be of (None: a
    single volume's).
    """
    fragment_template = None
    workflow = None

    def get_template_names(self):
        if self.request.headers.get('x-requested-with') == 'XMLHttpRequest':
            return [self.fragment_template]
        return [self.template_name]

    def get_execution(self):
        """The restore of the URL, of the user's project, or a redirect."""
        execution_id = self.kwargs['execution_id']
        kwargs = {'workflow': self.workflow} if self.workflow else {}
        try:
            return api.restores.restore_get(self.request, execution_id,
                                            **kwargs)
        except Exception:
            api.errors.handle(self.request, _('Unable to read restore %s.')
                              % execution_id, redirect=str(INDEX_URL))

    @staticmethod
    def get_tasks(load, execution_id):
        """Its task executions; a failing read is a message, not a 500."""
        return load.call(_('Unable to read the steps of the restore.'),
                         api.restores.restore_tasks, execution_id,
                         default=[])


class ProgressView(FollowView):
    """One restore: its steps, its volume's status, the outcome in words."""
    template_name = 'backup_dashboard/restore/progress.html'
    fragment_template = 'backup_dashboard/restore/_progress.html'

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        execution_id = self.kwargs['execution_id']
        execution = self.get_execution()
        load = restore_page.Loader(request)
        tasks = self.get_tasks(load, execution_id)
        inputs = api.restores.restore_input(execution)
        volume_id = progress.restored_volume_id(execution, tasks)
        calls = [(_('Unable to read the backup.'),
                  api.storage.backup_get_own, (inputs['backup_id'],), None)]
        calls.append((_('Unable to read the volume.'),
                      api.storage.volume_get_own, (volume_id,), None)
                     if volume_id else (None, _nothing, (), None))
        calls.append((_('Unable to read the instance.'),
                      api.compute.server_get_own, (inputs['server_id'],),
                      None) if inputs['server_id']
                     else (None, _nothing, (), None))
        backup, volume, server = load.parallel(*calls)
        steps, current = progress.steps(execution, tasks)
        device = None
        for attachment in getattr(volume, 'attachments', None) or []:
            if attachment.get('server_id') == inputs['server_id']:
                device = attachment.get('device')
        quoted = '\u201c%s\u201d'
        names = {
            'backup': quoted % (restore_page.name_of(backup) if backup
                                else inputs['backup_id']),
            'volume': quoted % (restore_page.name_of(volume) if volume
                                else volume_id or _('(not created)')),
            'server': quoted % (server.name if server
                                else inputs['server_id']),
            'device': device,
        }
        zone = display.viewer_zone(request)
        running = execution.state in api.restores.RUNNING_STATES
        context.update({
            'execution': execution, 'inputs': inputs, 'steps': steps,
            'current': current, 'running': running,
            'outcome': progress.outcome(execution, names),
            'succeeded': execution.state == 'SUCCESS',
            'failed': execution.state in ('ERROR', 'CANCELLED'),
            'volume': volume, 'volume_id': volume_id, 'server': server,
            'backup': backup, 'device': device,
            'started': display.local_text(execution.created_at, zone),
            'updated': display.local_text(execution.updated_at, zone),
            'zone': zone,
            'again_url': restore_page.index_url(backup_id=inputs['backup_id']),
            'index_url': str(INDEX_URL),
            'page_title': _("Restore"),
        })
        return context


def _nothing(request):
    return None


class DeleteBackupView(generic.TemplateView):
    """Delete one backup from the history, if the protection rule allows.

    GET asks for confirmation; POST (CSRF-checked) deletes.
    """
    template_name = 'backup_dashboard/restore/delete_backup.html'

    def _backup(self):
        backup_id = self.kwargs['backup_id']
        try:
            return api.storage.backup_get_own(self.request, backup_id)
        except Exception:
            api.errors.handle(self.request, _('Unable to read backup %s.')
                              % backup_id, redirect=str(INDEX_URL))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        backup = self._backup()
        zone = display.viewer_zone(self.request)
        context.update({
            'point': backup_point.point(backup, zone),
            'refusal': protection.why_not_deletable(self.request, backup),
            'back_url': restore_page.index_url(volume_id=backup.volume_id),
            'page_title': _("Delete backup"),
        })
        return context

    def post(self, request, *args, **kwargs):
        backup = self._backup()
        back = restore_page.index_url(volume_id=backup.volume_id)
        refusal = protection.why_not_deletable(request, backup)
        if refusal:
            messages.error(request, _('Backup %(name)s was not deleted: '
                                      '%(why)s') % {
                'name': restore_page.name_of(backup), 'why': refusal})
            return http.HttpResponseRedirect(back)
        try:
            api.storage.backup_delete(request, backup.id)
        except Exception:
            api.errors.handle(request, _('Unable to delete backup %s.')
                              % restore_page.name_of(backup), redirect=back)
        messages.success(request, _('Backup %s is being deleted.')
                         % restore_page.name_of(backup))
        return http.HttpResponseRedirect(back)
