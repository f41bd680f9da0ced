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

"""The pages that restore a whole instance restore point and follow it.

``PointRestoreView`` shows one point (read from the project's own backups:
the instance and run ids in the URL are never trusted beyond that) with the
form of ``point_forms``; ``PointProgressView`` follows the workflow it
started, one row per volume with its restored volume's status.
"""
import dataclasses

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.project.restore import instance_points
from backup_dashboard.dashboards.project.restore import page as restore_page
from backup_dashboard.dashboards.project.restore import point_forms
from backup_dashboard.dashboards.project.restore import views
from backup_dashboard import points


@dataclasses.dataclass
class PointPage:
    point: object
    server: object                  # None: the instance is gone
    names: dict                     # volume id -> its name, where it exists
    flavors: list
    networks: list
    volume_types: list
    zones: list
    volume_room: dict
    server_room: dict


def load_point_page(request, server_id, run_id):
    """The point of `server_id` made by `run_id`, and the form's choices.

    NotFound unless the project's own backups hold that point.
    """
    load = restore_page.Loader(request)
    (backups, volumes, server, flavors, networks, volume_types, zones,
     volume_room, server_room) = load.parallel(
        (_('Unable to list the backups.'), api.storage.project_backups,
         (), None),
        (_('Unable to list the volumes.'), api.storage.project_volumes,
         (), []),
        (_('Unable to read instance %s.') % server_id,
         restore_page.server_or_gone, (server_id,), None),
        (_('Unable to list the flavors.'), api.compute.flavors, (), []),
        (_('Unable to list the networks.'), api.compute.networks, (), []),
        (_('Unable to list the volume types.'), api.storage.volume_types,
         (), []),
        (_('Unable to list the availability zones.'),
         api.storage.availability_zones, (), []),
        (_('Unable to read the volume quota.'), api.storage.volume_room,
         (), None),
        (_('Unable to read the compute quota.'), api.compute.server_room,
         (), None))
    point = next((p for p in instance_points.of_server(backups or [],
                                                       server_id)
                  if p.run == run_id), None)
    if point is None:
        raise exceptions.NotFound(_('Restore point %(run)s of instance '
                                    '%(server)s was not found.') % {
            'run': run_id, 'server': server_id})
    return PointPage(
        point=point,
        server=None if server is restore_page.GONE else server,
        names={v.id: getattr(v, 'name', None) or v.id for v in volumes},
        flavors=flavors, networks=networks, volume_types=volume_types,
        zones=zones, volume_room=volume_room, server_room=server_room)


class PointRestoreView(forms.ModalFormView):
    form_class = point_forms.PointRestoreForm
    template_name = 'backup_dashboard/restore/point.html'
    page_title = _("Restore a whole instance")
    submit_label = _("Restore")

    @memoized.memoized
    def get_page(self):
        try:
            return load_point_page(self.request, self.kwargs['server_id'],
                                   self.kwargs['run_id'])
        except Exception:
            api.errors.handle(
                self.request, _('Unable to read the restore point.'),
                redirect=restore_page.index_url(
                    server_id=self.kwargs['server_id']))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['page'] = self.get_page()
        return kwargs

    def get_initial(self):
        page = self.get_page()
        point = page.point
        flavor = next((f.id for f in page.flavors
                       if point.flavor in (f.name, f.id)), '')
        initial = {
            'target': points.NEW_SERVER,
            'server_name': restore_page.default_name(
                point.server_name or point.server),
            'flavor': flavor}
        for index, member in enumerate(point.restorable):
            initial['name_%d' % index] = point_forms.default_name(
                member, page.names)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.get_page()
        zone = display.viewer_zone(self.request)
        context.update({
            'page': page, 'zone': zone,
            'taken': display.local_text(page.point.created, zone),
            'submit_url': self.request.get_full_path(),
            'cancel_url': restore_page.index_url(
                server_id=page.point.server)})
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form))

    def get_success_url_from_handled(self, execution):
        return point_forms.PointRestoreForm.success_url(execution)


def _latest_volumes(execution, tasks):
    """The workflow's per-volume rows: its output, or the newest published.

    [{backup_id, volume, device, status}] as the workflow last said.
    """
    output = api.restores.as_dict(getattr(execution, 'output', None))
    if output.get('volumes'):
        return output['volumes']
    found = []
    for task in sorted(tasks, key=lambda t: str(
            getattr(t, 'updated_at', None) or '')):
        published = api.restores.as_dict(getattr(task, 'published', None))
        if published.get('volumes'):
            found = published['volumes']
    return found


class PointProgressView(views.FollowView):
    """One whole-point restore: a row per volume, the outcome in words."""
    template_name = 'backup_dashboard/restore/point_progress.html'
    fragment_template = 'backup_dashboard/restore/_point_progress.html'
    workflow = points.RESTORE_WORKFLOW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        execution_id = self.kwargs['execution_id']
        execution = self.get_execution()
        load = restore_page.Loader(request)
        tasks = self.get_tasks(load, execution_id)
        inputs = api.restores.as_dict(getattr(execution, 'input', None))
        output = api.restores.as_dict(getattr(execution, 'output', None))
        said = {row.get('backup_id'): row
                for row in _latest_volumes(execution, tasks)}
        rows = []
        for member in inputs.get('members') or []:
            row = said.get(member.get('backup_id')) or {}
            rows.append({'backup_id': member.get('backup_id'),
                         'name': member.get('name'),
                         'device': member.get('device'),
                         'boot': member.get('boot'),
                         'volume': row.get('volume'),
                         'status': row.get('status') or _('waiting')})
        zone = display.viewer_zone(request)
        running = execution.state in api.restores.RUNNING_STATES
        server = output.get('server') or inputs.get('server_id')
        context.update({
            'execution': execution, 'rows': rows, 'running': running,
            'succeeded': execution.state == 'SUCCESS',
            'failed': execution.state in ('ERROR', 'CANCELLED'),
            'error': output.get('error'), 'inputs': inputs,
            'server_id': server,
            'server_url': reverse('horizon:project:instances:detail',
                                  args=[server]) if server else None,
            'started': display.local_text(execution.created_at, zone),
            'zone': zone, 'index_url': restore_page.index_url(),
            'page_title': _("Restore a whole instance"),
        })
        return context
