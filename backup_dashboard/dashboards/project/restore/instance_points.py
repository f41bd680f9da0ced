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

"""An instance's restore points as the Restore page shows them.

The domain (``backup_dashboard.points``) groups the project's backups into
points; this module turns them into rows: each point newest first, with
every volume's device, backup and its place in the volume's chain, and the
instances that are gone but still have points. It reads nothing itself: the
page has already listed the project's backups and volumes.
"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backup_dashboard import api
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.project.restore import history
from backup_dashboard import holds
from backup_dashboard import points as domain


def of_server(backups, server_id=None):
    """The project's restore points (of one instance), newest first."""
    return domain.points_of(backups, api.storage.backup_metadata, server_id)


def _positions(backups, volume_ids, zone):
    """{backup id: its backup_point.Point} for the volumes' whole histories.

    A point's chain position is the one the volume's history shows.
    """
    found = {}
    for volume_id in volume_ids:
        own = [b for b in backups if b.volume_id == volume_id]
        for chain in history.chains(own, zone):
            for point in chain.points:
                found[point.id] = point
    return found


def _position_text(point):
    if point is None:
        return '-'
    if not point.incremental:
        return str(_("full"))
    if point.index is None:
        return str(_("incremental (its full is gone)"))
    return str(_("incremental %(n)d after its full") % {'n': point.index})


def rows(found, backups, volumes, zone, url_of, consistent_groups=()):
    """One dict per point for the template.

    url_of(volume_id, backup_id): the history page with that backup chosen;
    consistent_groups: see points.Point.label.
    """
    names = {v.id: getattr(v, 'name', None) or v.id for v in volumes}
    positions = _positions(
        backups, {m.volume for p in found for m in p.members}, zone)
    result = []
    for point in found:
        members = []
        for member in point.members:
            backup = member.backup
            place = positions.get(backup.id)
            hold = holds.hold_of(api.storage.backup_metadata(backup))
            members.append({
                'hold': hold,
                'device': member.device or '-', 'boot': member.boot,
                'volume': names.get(member.volume, member.volume),
                'volume_gone': member.volume not in names,
                'backup': getattr(backup, 'name', None) or backup.id,
                'backup_id': backup.id, 'status': member.status,
                'restorable': member.restorable,
                'position': _position_text(place),
                'url': url_of(member.volume, backup.id)})
        result.append({
            'run': point.run, 'time': display.local_text(point.created, zone),
            'schedule': point.schedule,
            'complete': point.complete, 'missing': point.missing,
            'expected': point.expected, 'flavor': point.flavor or '-',
            'members': members, 'restorable': bool(point.restorable),
            'consistency': point.label(consistent_groups),
            'group_snapshot': point.group_snapshot,
            'spread': None if point.spread is None
            else '%g' % round(point.spread, 1),
            'held': sum(1 for m in members if m['hold']),
            'holdable': any(not m['hold'] and m['status'] == 'available'
                            for m in members),
            'hold_url': reverse('horizon:project:backup_restore:point_hold',
                                args=[point.server, point.run]),
            'release_url': reverse(
                'horizon:project:backup_restore:point_release',
                args=[point.server, point.run]),
            'restore_url': reverse('horizon:project:backup_restore:point',
                                   args=[point.server, point.run])})
    return result


def gone_servers(backups, servers, zone, url_of):
    """Instances that no longer exist but have restore points.

    Rows of {id, name, points, latest, url}; url_of(server_id) opens them.
    """
    existing = {s.id for s in servers}
    gone = {}
    for point in of_server(backups):
        if point.server in existing:
            continue
        row = gone.setdefault(point.server, {
            'id': point.server, 'name': point.server_name or point.server,
            'points': 0, 'latest': display.local_text(point.created, zone),
            'url': url_of(point.server)})
        row['points'] += 1
    return list(gone.values())
