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

"""An instance's restore points, read back from Cinder's backups alone.

A schedule run that backs up an instance's volumes records in each backup's
metadata whose restore point it is part of (``backup_dashboard:point_*``,
written by workbooks/volume_backup.yaml): the instance's id, name and
flavor, the volume's device and whether the instance boots from it, how
many volumes the instance had, the run, and, when the run snapshotted the
instance's volumes together, how (crash-consistent: snapshots taken at
once; group: one Cinder group snapshot of the group holding them all,
recorded) and the spread of those snapshots. The backups one run made of one
instance are one point. ``points_of`` groups a project's backups into
points, newest first; nothing else stores them, so a point outlives its
instance. Pure Python over what the api layer fetched.
"""
import dataclasses

from backup_dashboard.clock import cron as clock

PREFIX = 'backup_dashboard:point_'
# who made the backup (as api.storage reads it)
SCHEDULE_KEY = 'backup_dashboard:schedule'
RESTORABLE = 'available'
RESTORE_WORKFLOW = 'backup_dashboard_point_restore'
NEW_SERVER, INSTANCE = 'new_server', 'instance'
GROUP_CONSISTENT, CRASH_CONSISTENT = 'group-consistent', 'crash-consistent'
# what the workflow records for a point one group snapshot took
GROUP_SNAPSHOT = 'group'


@dataclasses.dataclass
class Member:
    """One volume's backup in a point."""
    backup: object
    volume: str
    device: str | None
    boot: bool

    @property
    def status(self):
        return getattr(self.backup, 'status', None)

    @property
    def restorable(self):
        return self.status == RESTORABLE


@dataclasses.dataclass
class Point:
    """The backups one run made of one instance's volumes."""
    server: str
    server_name: str | None
    flavor: str | None
    run: str
    # how many volumes the instance had when the run backed it up (None:
    # not recorded)
    expected: int | None
    # 'crash-consistent' when the run snapshotted the instance's volumes
    # together (points: instance), 'group' when one group snapshot of
    # `group` took them, with the spread in seconds of their snapshots'
    # creation times; None: each volume at its own moment
    consistency: str | None = None
    spread: float | None = None
    group: str | None = None
    members: list = dataclasses.field(default_factory=list)
    # the schedule whose run took it (an instance may have several)
    schedule: str | None = None

    def label(self, consistent_groups=()):
        """What the point promises, or None: each volume at its own moment.

        A group snapshot is group-consistent only when its group is of a
        type the operator declared consistent (consistent_groups: those
        groups' ids); any other group snapshot Cinder takes volume by
        volume, which is no more than crash-consistent.
        """
        if self.group_snapshot:
            return GROUP_CONSISTENT if self.group in consistent_groups \
                else CRASH_CONSISTENT
        if self.consistency == CRASH_CONSISTENT:
            return CRASH_CONSISTENT
        return None

    @property
    def group_snapshot(self):
        """Whether one Cinder group snapshot took its volumes."""
        return self.consistency == GROUP_SNAPSHOT

    @property
    def created(self):
        """When the point was taken: its first backup's creation."""
        times = [clock.parse(getattr(m.backup, 'created_at', None))
                 for m in self.members]
        return min((t for t in times if t is not None), default=None)

    @property
    def restorable(self):
        return [m for m in self.members if m.restorable]

    @property
    def missing(self):
        """Volumes of the instance without a restorable backup here."""
        expected = self.expected if self.expected is not None \
            else len(self.members)
        return max(0, expected - len(self.restorable))

    @property
    def complete(self):
        """Every volume the instance had has a restorable backup here.

        An incomplete point restores only with the user's consent: what it
        lacks is said, never made up.
        """
        return self.missing == 0 and bool(self.members)

    @property
    def boot(self):
        """The member the instance boots from, or None.

        None: it booted from an image, or its boot volume's backup is not
        here.
        """
        return next((m for m in self.members if m.boot), None)


def _not_negative(value, kind=int):
    """A recorded count (or with kind=float, seconds), None if unreadable."""
    try:
        number = kind(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _text(value):
    return value if isinstance(value, str) and value else None


def _order(member):
    # the boot volume first, then by device; unknown devices last
    return (not member.boot, member.device is None, member.device or '',
            member.volume)


def points_of(backups, metadata_of, server_id=None):
    """The restore points among `backups`, newest first.

    `metadata_of(backup)`: its metadata dict; `server_id`: only that
    instance's points. A backup without point keys (made by hand, by the
    seeds' workflows, or before points were recorded) is in none.
    """
    found = {}
    for backup in backups:
        metadata = metadata_of(backup) or {}
        server = _text(metadata.get(PREFIX + 'server'))
        run = _text(metadata.get(PREFIX + 'run'))
        if server is None or run is None or \
                (server_id is not None and server != server_id):
            continue
        point = found.get((server, run))
        if point is None:
            point = found[(server, run)] = Point(
                server=server,
                server_name=_text(metadata.get(PREFIX + 'server_name')),
                flavor=_text(metadata.get(PREFIX + 'flavor')),
                run=run,
                expected=_not_negative(metadata.get(PREFIX + 'volumes')),
                consistency=_text(metadata.get(PREFIX + 'consistency')),
                spread=_not_negative(metadata.get(PREFIX + 'spread'),
                                     float),
                group=_text(metadata.get(PREFIX + 'group')),
                schedule=_text(metadata.get(SCHEDULE_KEY)))
        point.members.append(Member(
            backup=backup, volume=getattr(backup, 'volume_id', None),
            device=_text(metadata.get(PREFIX + 'device')),
            boot=str(metadata.get(PREFIX + 'boot', '')).lower() == 'true'))
    for point in found.values():
        point.members.sort(key=_order)
    return sorted(found.values(), key=lambda p: (
        p.created is not None, p.created or 0, p.run), reverse=True)


def members_to_restore(point, target):
    """(the members a whole-point restore brings back, why not or None).

    A new server needs the point's boot volume; the same instance takes the
    data volumes only, since its boot volume cannot be swapped in place.
    Members whose backup is not restorable are left out (an incomplete
    point restores only with the user's consent, which the form asks).
    """
    members = point.restorable
    if target == NEW_SERVER:
        if point.boot is None or not point.boot.restorable:
            return [], 'no_boot'
        return members, None
    data = [m for m in members if not m.boot]
    return data, None if data else 'no_data'


def needs(members, flavor=None):
    """What the restore takes from the quotas: volumes, GB, and the server.

    `flavor`: the new server's (vcpus, ram), or None for no new server.
    """
    found = {'volumes': len(members),
             'gigabytes': sum(getattr(m.backup, 'size', 0) or 0
                              for m in members)}
    if flavor is not None:
        found.update(instances=1, cores=flavor[0], ram=flavor[1])
    return found


def shortfall(need, room):
    """[(what, needed, left)] the quotas in `room` cannot hold."""
    return [(key, need[key], room[key]) for key in sorted(need)
            if room.get(key) is not None and need[key] > room[key]]
