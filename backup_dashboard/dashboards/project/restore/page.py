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

"""What the Restore page shows, read in one place.

``load_page`` reads what the query asks for (an instance, a volume or a
backup) through the api layer, project-scoped, and answers a ``Page``: the
step to show, the volume's backup history a page at a time, its chains and
points; ``volume_rows`` and ``choose_rows`` are the rows of the instance's
and the project's volumes.
"""
import dataclasses
import logging

from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import messages
from horizon.utils import functions as horizon_utils
from openstack_dashboard import exceptions as os_exceptions

from backup_dashboard import api
from backup_dashboard.api import parallel
from backup_dashboard import conf
from backup_dashboard.dashboards.common import backup_point
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import protection
from backup_dashboard.dashboards.project.restore import history
from backup_dashboard.dashboards.project.restore import instance_points

LOG = logging.getLogger(__name__)
INDEX_URL = reverse_lazy('horizon:project:backup_restore:index')
RECENT_RESTORES = 10
GONE = object()     # an instance not found: only its points are left


def index_url(**params):
    params = {k: v for k, v in params.items() if v}
    return '%s?%s' % (INDEX_URL, urlencode(params)) if params \
        else str(INDEX_URL)


def name_of(obj):
    return getattr(obj, 'name', None) or obj.id


def default_name(volume_name, suffix='-restored'):
    """The new volume's name, filled in before the form is shown.

    The source's name and a suffix, the name cut to leave room for it within
    Cinder's limit.
    """
    keep = api.storage.VOLUME_NAME_MAX - len(suffix)
    return '%s%s' % (volume_name[:keep], suffix)


@dataclasses.dataclass
class Page:
    """What the restore page shows; `step` says which part."""
    step: str = 'choose'            # choose | server | history
    server: object = None           # the instance chosen (?server_id=)
    volume_id: str = None
    volume: object = None           # None once the volume is deleted
    chains: list = dataclasses.field(default_factory=list)
    points: list = dataclasses.field(default_factory=list)
    # the chosen instance's restore points (instance_points.of_server); an
    # instance that is gone is shown by them alone
    instance_points: list = dataclasses.field(default_factory=list)
    # ids of the project's groups the operator's settings make
    # group-consistent (points.Point.label), read only for group points
    consistent_groups: set = dataclasses.field(default_factory=set)
    gone_server_id: str = None
    project_volumes: list = dataclasses.field(default_factory=list)
    selected: str = None
    servers: list = dataclasses.field(default_factory=list)
    volumes: list = dataclasses.field(default_factory=list)
    backups: list = dataclasses.field(default_factory=list)
    volume_types: list = dataclasses.field(default_factory=list)
    zones: list = dataclasses.field(default_factory=list)
    room: dict = None
    restores: list = dataclasses.field(default_factory=list)
    older_url: str = None           # the next page of a long history
    newest_url: str = None          # on any page but the newest

    @property
    def source_size(self):
        return getattr(self.volume, 'size', 0) or 0

    @property
    def volume_name(self):
        return name_of(self.volume) if self.volume else self.volume_id

    @property
    def instance_id(self):
        return self.server.id if self.server is not None \
            else self.gone_server_id

    @property
    def instance_name(self):
        if self.server is not None:
            return self.server.name
        recorded = [p.server_name for p in self.instance_points
                    if p.server_name]
        return recorded[0] if recorded else self.gone_server_id

    @property
    def original_server_id(self):
        if self.server is not None:
            return self.server.id
        for attachment in getattr(self.volume, 'attachments', None) or []:
            if attachment.get('server_id'):
                return attachment['server_id']
        return None


class Loader(object):
    """Backend reads for one page.

    A failing one is a message, never a 500, and leaves its part of the page
    empty.
    """

    def __init__(self, request):
        self.request = request

    def call(self, message, func, *args, default=None):
        try:
            return func(self.request, *args)
        except Exception as error:
            try:
                api.errors.handle(self.request, message)
            except exceptions.NotAuthorized:
                raise       # an expired session: Horizon logs the user out
            except Exception:
                # Not one of the errors Horizon knows: still a message.
                LOG.warning('%s', message, exc_info=True)
                messages.error(self.request, '%s %s' % (
                    message, api.errors.explain(error)))
            return default

    def parallel(self, *calls):
        """calls: (message, func, args, default) run at once."""
        return parallel.call_functions_parallel(*[
            (self.call, (message, func) + tuple(args),
             {'default': default})
            for message, func, args, default in calls])


def load_page(request, params):
    """The page for the query's instance, volume or backup.

    The page for ?server_id=, ?volume_id=, ?backup_id= (any of them), and
    ?older= (a backup of the volume: the history older than it).

    Every id is read back through the user's own scoped API first; one
    that is not the project's is reported as not found.
    """
    load = Loader(request)
    page = Page()
    server_id = params.get('server_id')
    volume_id = params.get('volume_id')
    backup_id = params.get('backup_id')
    chosen = None
    if server_id:
        page.server = load.call(
            _('Unable to read instance %s.') % server_id,
            server_or_gone, server_id)
        if page.server is GONE:
            page.server, page.gone_server_id = None, server_id
    if backup_id:
        chosen = load.call(_('Unable to read backup %s.') % backup_id,
                           api.storage.backup_get_own, backup_id)
        if chosen is not None:
            page.selected = chosen.id
            volume_id = chosen.volume_id
    older = _older_marker(request, load, params.get('older'), volume_id)
    if volume_id and _load_history(request, load, page, volume_id,
                                   older=older, chosen=chosen):
        return page
    if page.instance_id is not None and _load_server(request, load, page):
        return page
    page.servers, page.volumes, page.backups, page.restores = load.parallel(
        (_('Unable to list the instances.'), api.compute.project_servers,
         (), []),
        (_('Unable to list the volumes.'), api.storage.project_volumes,
         (), []),
        (_('Unable to list the backups.'), api.storage.project_backups,
         (), []),
        (_('Unable to list the recent restores.'),
         api.restores.restore_list, (RECENT_RESTORES,), []))
    return page


def server_or_gone(request, server_id):
    try:
        return api.compute.server_get_own(request, server_id)
    except (exceptions.NotFound,) + os_exceptions.NOT_FOUND:
        return GONE     # deleted (or not ours): its points decide


def _load_server(request, load, page):
    """The instance's volumes and restore points (the 'server' step).

    An instance that is gone is shown when the project's backups hold
    points of it; the backups are listed project-scoped, so another
    project's instance has none here.
    """
    page.project_volumes, page.backups = load.parallel(
        (_('Unable to list the volumes.'), api.storage.project_volumes,
         (), []),
        (_('Unable to list the backups.'), api.storage.project_backups,
         (), []))
    page.instance_points = instance_points.of_server(page.backups,
                                                     page.instance_id)
    if any(p.group_snapshot for p in page.instance_points):
        page.consistent_groups = load.call(
            _('Unable to tell which volume groups are consistent.'),
            api.storage.consistent_groups,
            conf.get('BACKUP_DASHBOARD_CONSISTENT_GROUP_TYPES'),
            default=set())
    if page.server is None:
        page.volumes = []
        if not page.instance_points:
            messages.error(request, api.errors.missing(
                'instance', page.gone_server_id))
            page.gone_server_id = None
            return False
    else:
        attached = api.compute.attached_volume_ids(page.server)
        page.volumes = [v for v in page.project_volumes if v.id in attached]
    page.step = 'server'
    return True


def _volume_or_none(request, volume_id):
    try:
        return api.storage.volume_get_own(request, volume_id)
    except (exceptions.NotFound,) + os_exceptions.NOT_FOUND:
        return None     # deleted (or not ours): its backups decide


def _older_marker(request, load, backup_id, volume_id):
    """The backup ?older= names, read back through the scoped API.

    ?older=: a backup of this volume read back through the scoped API (another
    project's, or another volume's, is not found), or None.
    """
    if not backup_id or not volume_id:
        return None
    backup = load.call(_('Unable to read backup %s.') % backup_id,
                       api.storage.backup_get_own, backup_id)
    if backup is not None and backup.volume_id != volume_id:
        messages.error(request, api.errors.missing('backup', backup_id))
        return None
    return backup.id if backup is not None else None


def _load_history(request, load, page, volume_id, older=None, chosen=None):
    """One page of the volume's history (history.page_of).

    The newest, the one older than the backup `older`, or, for a `chosen`
    backup that is not on the newest page, the one it starts. One or two list
    calls whatever the length of the history.
    """
    size = horizon_utils.get_page_size(request)
    volume, backups = load.parallel(
        (_('Unable to read volume %s.') % volume_id, _volume_or_none,
         (volume_id,), None),
        (_('Unable to list the backups of volume %s.') % volume_id,
         api.storage.backup_history_page, (volume_id, size + 1, older),
         None))
    if backups is None:
        return False
    if volume is None and not backups and older is None:
        messages.error(request, api.errors.missing('volume', volume_id))
        return False
    shown, marker = history.page_of(backups, size)
    if chosen is not None and older is None and \
            chosen.id not in {b.id for b in shown}:
        from_chosen = load.call(
            _('Unable to list the backups of volume %s.') % volume_id,
            api.storage.backup_history_page, volume_id, size, chosen.id)
        if from_chosen is not None:
            shown, marker = history.page_of([chosen] + from_chosen, size)
            older = chosen.id
    page.step = 'history'
    page.volume_id, page.volume = volume_id, volume
    server_id = page.instance_id
    if marker:
        page.older_url = index_url(server_id=server_id, volume_id=volume_id,
                                   older=marker)
    if older:
        page.newest_url = index_url(server_id=server_id,
                                    volume_id=volume_id)
    _history_points(request, page, shown, older=marker is not None)
    _history_choices(request, load, page)
    return True


def _history_points(request, page, backups, older):
    zone = display.viewer_zone(request)
    if page.selected not in {b.id for b in backups}:
        # The newest restorable point of this page.
        restorable = [b for b in backups if b.status == 'available']
        page.selected = max(restorable, key=lambda b: str(
            b.created_at or '')).id if restorable else None
    page.chains = history.chains(backups, zone, selected=page.selected,
                                 older=older)
    page.points = history.points(page.chains)
    raw = {b.id: b for b in backups}
    for point in page.points:
        point.delete_refusal = protection.why_not_deletable(request,
                                                            raw[point.id])


def _history_choices(request, load, page):
    """What the restore form offers besides the points: targets, quota."""
    (page.volumes, page.servers, page.volume_types, page.zones,
     page.room) = load.parallel(
        (_('Unable to list the volumes.'), api.storage.project_volumes,
         (), []),
        (_('Unable to list the instances.'), api.compute.project_servers,
         (), []),
        (_('Unable to list the volume types.'), api.storage.volume_types,
         (), []),
        (_('Unable to list the availability zones.'),
         api.storage.availability_zones, (), []),
        (_('Unable to read the volume quota.'), api.storage.volume_room,
         (), None))
    page.servers = sorted(page.servers, key=lambda s: s.name.lower())
    page.volumes = sorted(page.volumes, key=lambda v: name_of(v).lower())


def _backup_counts(backups):
    counts, latest = {}, {}
    for backup in backups:       # newest first
        counts[backup.volume_id] = counts.get(backup.volume_id, 0) + 1
        latest.setdefault(backup.volume_id, backup)
    return counts, latest


def volume_rows(page, zone='UTC'):
    counts, latest = _backup_counts(page.backups)
    return [{'id': v.id, 'name': name_of(v), 'size': v.size,
             'status': v.status, 'backups': counts.get(v.id, 0),
             'latest': backup_point.local_time(latest[v.id].created_at, zone)
             if v.id in latest else None,
             'url': index_url(server_id=page.instance_id,
                              volume_id=v.id)}
            for v in page.volumes]


def choose_rows(page, zone):
    counts, latest = _backup_counts(page.backups)
    existing = {v.id for v in page.volumes}
    servers = []
    for server in sorted(page.servers, key=lambda s: s.name.lower()):
        attached = api.compute.attached_volume_ids(server)
        servers.append({
            'id': server.id, 'name': server.name, 'status': server.status,
            'volumes': len(attached),
            'backups': sum(counts.get(v, 0) for v in attached),
            'url': index_url(server_id=server.id)})
    deleted = [{'id': vid, 'backups': counts[vid],
                'latest': backup_point.local_time(latest[vid].created_at,
                                                  zone),
                'url': index_url(volume_id=vid)}
               for vid in counts if vid not in existing]
    restores = []
    backup_names = {b.id: name_of(b) for b in page.backups}
    for execution in page.restores:
        inputs = api.restores.restore_input(execution)
        whole = inputs['members'] is not None
        restores.append({
            'id': execution.id, 'state': execution.state,
            'started': display.local_text(execution.created_at, zone),
            'backup': backup_names.get(inputs['backup_id'],
                                       inputs['backup_id']),
            'volumes': len(inputs['members'] or []),
            'target': inputs['target'], 'whole': whole,
            'url': reverse('horizon:project:backup_restore:%s' % (
                'point_progress' if whole else 'progress'),
                args=[execution.id])})
    return {'servers': servers, 'volumes': volume_rows(page, zone),
            'deleted': deleted, 'restores': restores,
            'gone_servers': instance_points.gone_servers(
                page.backups, page.servers, zone,
                lambda server_id: index_url(server_id=server_id))}
