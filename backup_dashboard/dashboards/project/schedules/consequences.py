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

"""What saving or deleting a schedule does, said before it is done.

The schedule form shows it live and checks it on save: the quota forecast
(``forecast``) for the instances carrying the schedule's tag now and, on an
edit, the backups the next run deletes with the new settings, per volume,
marking those the stored settings keep (``backup_dashboard.retention``
answers as the workflow will). The Delete action says what becomes of a
schedule's backups. The project's backups are read in one call.
"""
import dataclasses
import hashlib
import logging

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backup_dashboard import api
from backup_dashboard.api import parallel
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import protection
from backup_dashboard.dashboards.project.schedules import forecast
from backup_dashboard import holds
from backup_dashboard import retention

LOG = logging.getLogger(__name__)
_FAILED = object()


@dataclasses.dataclass
class Found:
    """What the form shows under the schedule and checks on save."""
    schedule: object
    forecast: dict = None           # None: the quota could not be read
    named: bool = True              # False: no valid name (no tag) yet
    editing: bool = False
    at: object = None               # the next run; None: times not valid
    volumes: list = dataclasses.field(default_factory=list)
    lost: list = dataclasses.field(default_factory=list)
    backups_unknown: bool = False   # instances, volumes or backups unread
    held: tuple = None              # (backups, GB) the schedule has now
    # what its drills hold in volume quota (forecast.drill_forecast); None:
    # drills off, or the quota could not be read
    drill: dict = None
    # the project's retention lock (governance.Lock or None); unknown when
    # it could not be read (rotation then deletes nothing)
    lock: object = None
    lock_unknown: bool = False

    @property
    def digest(self):
        """Names what the user confirms: the backups the change deletes."""
        if self.backups_unknown:
            return 'unknown'
        text = ','.join(sorted(self.lost))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _attempt(call, *args):
    try:
        return call(*args)
    except Exception:
        LOG.info('Unable to read %s', getattr(call, '__name__', call),
                 exc_info=True)
        return _FAILED


def _no_servers():
    return []


def gather(request, schedule, before=None, named=True, at=None):
    """The consequences of saving `schedule`, whose next run is `at`.

    The consequences of saving `schedule` (`before`: the stored one, on an
    edit) whose next run is `at`. One batch of calls in parallel; a failing one
    leaves its part unknown, never the whole.
    """
    calls = [(_attempt, [api.compute.servers_with_any_tag, request,
                         [schedule.tag]]) if named else _no_servers,
             (_attempt, [api.storage.volume_list, request]),
             (_attempt, [api.storage.backup_limits, request]),
             (_attempt, [api.governance.project_lock, request])]
    drilled = schedule.drill is not None and schedule.drill.on
    if drilled:
        calls.append((_attempt, [api.storage.volume_room, request]))
    if before is not None:
        calls.append((_attempt, [api.storage.project_backups, request]))
    results = list(parallel.call_functions_parallel(*calls))
    servers, volumes, limits, lock = results[:4]
    room = results.pop(4) if drilled else None
    found = Found(schedule=schedule, named=named, at=at,
                  editing=before is not None,
                  lock=None if lock is _FAILED else lock,
                  lock_unknown=lock is _FAILED)
    if _FAILED not in (servers, volumes, limits):
        found.forecast = forecast.forecast(schedule, servers, volumes,
                                           limits)
    if drilled and _FAILED not in (servers, volumes, room):
        found.drill = forecast.drill_forecast(schedule.drill, servers,
                                              volumes, room)
    if before is None:
        return found
    backups = results[4]
    if backups is _FAILED or servers is _FAILED or volumes is _FAILED:
        found.backups_unknown = True
        return found
    found.held = held_by(backups, [schedule.name]).get(schedule.name)
    if at is not None:
        _deletions(found, request, before, servers, volumes, backups)
    return found


def compact(backup):
    """A Cinder backup as the workflow reads it (list_backups' history)."""
    return {'id': backup.id, 'status': backup.status,
            'is_incremental': api.storage.backup_is_incremental(backup),
            'created_at': backup.created_at,
            'owner': api.storage.backup_schedule(backup),
            'hold': holds.hold_of(
                api.storage.backup_metadata(backup)) is not None}


def _deletions(found, request, before, servers, volumes, backups):
    """Per volume the next run backs up.

    What it deletes (newest first), each marked when the stored settings keep
    it.
    """
    zone = display.viewer_zone(request)
    by_volume = {}
    for backup in backups:
        by_volume.setdefault(backup.volume_id, []).append(backup)
    known = {v.id: v for v in volumes}
    server_of = {}
    for server in servers:
        for vid in api.compute.attached_volume_ids(server):
            server_of.setdefault(vid, server.name)
    for vid in forecast.target_volume_ids(servers):
        volume = known.get(vid)
        state = None if volume is None else {
            'status': volume.status,
            'skip': api.storage.volume_skipped(volume)}
        made = {b.id: b for b in by_volume.get(vid, [])}
        history = [compact(b) for b in made.values()]
        deleted, lost = retention.compare(
            state, history, before, found.schedule, found.at,
            retention.UNREADABLE if found.lock_unknown else
            found.lock and found.lock.as_input())
        lost_ids = {b['id'] for b in lost}
        found.lost.extend(lost_ids)
        if deleted:
            found.volumes.append({
                'name': getattr(volume, 'name', None) or vid,
                'server': server_of.get(vid),
                'backups': [_row(made[b['id']], b['id'] in lost_ids, zone)
                            for b in deleted]})


def _row(backup, lost, zone):
    if backup.status == 'error':
        kind = _('failed')
    elif api.storage.backup_is_incremental(backup):
        kind = _('incremental')
    else:
        kind = _('full')
    return {'name': backup.name or backup.id, 'kind': kind,
            'made': display.time_html(backup.created_at, zone),
            'size': backup.size, 'lost': lost}


def held_by(backups, names=None):
    """{schedule name: (its backups, their GB)}.

    For the `names` given or every schedule; every backup, incremental too,
    counts its volume's size in GB.
    """
    wanted = None if names is None else set(names)
    held = {}
    for backup in backups:
        owner = api.storage.backup_schedule(backup)
        if owner is not None and (wanted is None or owner in wanted):
            count, gigabytes = held.get(owner, (0, 0))
            held[owner] = (count + 1, gigabytes + (backup.size or 0))
    return held


def held_backups(request):
    """The backups each schedule of the project holds, or None.

    {schedule name: (backups, GB)} of the project (one call), or None when they
    cannot be read: Delete then says they are kept, uncounted.
    """
    found = _attempt(api.storage.project_backups, request)
    return None if found is _FAILED else held_by(found)


# --- in words --------------------------------------------------------------

def _quota(value):
    if value is None:
        return '?'
    return _('unlimited') if value == float('inf') else str(value)


def forecast_rows(result):
    """(label, backups, GB) rows of a forecast's table.

    For the volumes assigned now, or for one volume when there are none.
    """
    if result['volumes']:
        rows = [(_('Each run'), result['run_backups'],
                 result['run_gigabytes']),
                (_('At steady state'), result['backups'],
                 result['gigabytes'])]
    else:
        per_volume = result['per_volume']
        rows = [(_('Each run, per volume'), 1, _('its size')),
                (_('At steady state, per volume'), per_volume,
                 _('%d x its size') % per_volume)]
    return rows + [(
        _('Project quota in use'),
        _('%(used)s of %(max)s') % {'used': result['used_backups'],
                                    'max': _quota(result['max_backups'])},
        _('%(used)s of %(max)s') % {'used': result['used_gigabytes'],
                                    'max': _quota(result['max_gigabytes'])})]


def forecast_intro(found):
    """Whose backups the forecast counts."""
    result = found.forecast
    if result['volumes']:
        return ngettext(
            'For the %(instances)d instance carrying the tag %(tag)s now '
            '(%(volumes)d volume(s)):',
            'For the %(instances)d instances carrying the tag %(tag)s now '
            '(%(volumes)d volume(s)):', result['instances']) % {
                'instances': result['instances'], 'tag': found.schedule.tag,
                'volumes': result['volumes']}
    tag = found.schedule.tag if found.named else 'backup:NAME'
    if result['instances']:
        text = _('The instance(s) carrying the tag %s have no volume '
                 'attached.') % tag
    else:
        text = _('No instance carries the tag %s yet: instances join the '
                 'schedule by it, set from "Configure backups" in the '
                 'Instances row actions.') % tag
    return ' '.join(t for t in (text, _room(result), _('Per volume:')) if t)


def _room(result):
    """How many volumes the backups left in the quota hold, by count."""
    left = result['max_backups']
    if left is None or left == float('inf'):
        return ''
    volumes = max(0, int(left - result['used_backups'])) // \
        result['per_volume']
    return ngettext('The backups left in the quota hold about %d volume.',
                    'The backups left in the quota hold about %d volumes.',
                    volumes) % volumes


def held_text(held):
    count, gigabytes = held
    return ngettext('This schedule has %(count)d backup (%(gb)d GB) now, '
                    'counted in the quota in use.',
                    'This schedule has %(count)d backups (%(gb)d GB) now, '
                    'counted in the quota in use.', count) % {
        'count': count, 'gb': gigabytes}


def lost_text(found):
    count = len(found.lost)
    return ngettext(
        'With these settings the next run deletes %(count)d backup that '
        'the current settings keep (marked below).',
        'With these settings the next run deletes %(count)d backups that '
        'the current settings keep (marked below).', count) % {
            'count': count}


def context(found, zone):
    """The template's context for ``_consequences.html``.

    Times in the viewer's `zone`.
    """
    data = {'found': found, 'next_run': display.time_html(found.at, zone)}
    if found.forecast is not None:
        data.update(rows=forecast_rows(found.forecast),
                    intro=forecast_intro(found))
    if found.held:
        data['held'] = held_text(found.held)
    if found.lost:
        data['lost'] = lost_text(found)
    if found.drill:
        data['drill'] = drill_text(found.drill)
    return data


def drill_text(result):
    """What the schedule's drills hold in volume quota, in words."""
    if not result['volumes']:
        return _('Restore drills: no volume is assigned yet, so a drill '
                 'would restore nothing.')
    held = ngettext(
        'Restore drills hold up to %(count)d throwaway volume at once, '
        '%(gb)d GB in all',
        'Restore drills hold up to %(count)d throwaway volumes at once, '
        '%(gb)d GB in all', result['volumes']) % {
            'count': result['volumes'], 'gb': result['gigabytes']}
    if result['keep_hours']:
        held += ngettext(
            ', for %d hour after the last restore',
            ', for %d hours after the last restore',
            result['keep_hours']) % result['keep_hours']
    room = result['room']
    volumes = _('any number of volumes') if room.get('volumes') is None \
        else ngettext('%d more volume', '%d more volumes',
                      room['volumes']) % max(room['volumes'], 0)
    gigabytes = _('any size') if room.get('gigabytes') is None \
        else _('%d more GB') % max(room['gigabytes'], 0)
    left = _('the volume quota has room for %(volumes)s and %(gb)s') % {
        'volumes': volumes, 'gb': gigabytes}
    return _('%(held)s; %(left)s.') % {'held': held, 'left': left}


def fate_text(request, held):
    """What deleting a schedule does to its backups, for the confirmation.

    `held` is its (backups, GB), None when they could not be counted.
    """
    tag = _('Instances keep their backup tag until you change them.')
    if held is not None and not held[0]:
        return ' '.join((_('It has no backup now.'), tag))
    if held is None:
        kept = _('The backups it made are kept (they could not be counted '
                 'now).')
    else:
        kept = ngettext(
            'Its %(count)d backup (%(gb)d GB of backup quota) is kept.',
            'Its %(count)d backups (%(gb)d GB of backup quota) are kept.',
            held[0]) % {'count': held[0], 'gb': held[1]}
    role = protection.protected_role()
    if role is None:
        guarded = _('They stay protected: nobody can delete them by hand '
                    'in the dashboard.')
    elif protection.has_role(request, role):
        guarded = _('They stay protected: only users with the role "%s", '
                    'as you, can delete them by hand (in Restore).') % role
    else:
        guarded = _('They stay protected: only users with the role "%s" '
                    'can delete them by hand.') % role
    rotation = _('No rotation deletes them any more, unless a new schedule '
                 'of the same name takes them over.')
    return ' '.join((kept, guarded, rotation, tag))
