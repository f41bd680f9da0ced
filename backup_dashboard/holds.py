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

"""Legal holds on backups: what a hold is and how a backup records it.

A hold lives in the backup's own Cinder metadata, as everything else the
plugin knows: ``backup_dashboard:hold`` (the reason), ``..._by`` (who) and
``..._at`` (when, UTC). Rotation in the bundled workflows never deletes a
held backup nor what it needs to be restored (workbooks/volume_backup.yaml,
publish ``deletions``; ``retention.deletions`` here), and the plugin's
delete page refuses one (dashboards/common/protection.py). Placing and
releasing are each logged in numbered entries (``backup_dashboard:hold_log_N``:
what, when, who, why) that stay after the release. Pure functions over a
metadata dict; the views write the result back (api.storage).
"""
import dataclasses

from backup_dashboard.clock import cron as clock

HOLD_KEY = 'backup_dashboard:hold'
BY_KEY = 'backup_dashboard:hold_by'
AT_KEY = 'backup_dashboard:hold_at'
LOG_PREFIX = 'backup_dashboard:hold_log_'
PLACED, RELEASED = 'placed', 'released'
# Cinder keeps at most 255 characters per metadata value; a log entry is
# "released 2026-12-06T04:40:00Z by <user>: <reason>".
REASON_MAX = 160
USER_MAX = 60
# The placement statuses: a hold on a backup still being made or failed
# would protect nothing restorable.
HOLDABLE_STATUSES = ('available',)


@dataclasses.dataclass(frozen=True)
class Hold:
    reason: str
    by: str | None
    at: str | None


@dataclasses.dataclass(frozen=True)
class Entry:
    """One logged placement or release."""
    action: str
    at: str
    by: str
    reason: str


def hold_of(metadata):
    """The backup's hold, or None when it has none."""
    reason = (metadata or {}).get(HOLD_KEY)
    if not reason:
        return None
    return Hold(reason, metadata.get(BY_KEY), metadata.get(AT_KEY))


def _number(key):
    try:
        return int(key[len(LOG_PREFIX):])
    except ValueError:
        return None


def log_of(metadata):
    """The backup's logged placements and releases, oldest first."""
    found = []
    for key, text in (metadata or {}).items():
        number = _number(key) if key.startswith(LOG_PREFIX) else None
        if number is None:
            continue
        head, _sep, reason = str(text).partition(': ')
        parts = head.split(' ', 3)
        if len(parts) == 4 and parts[2] == 'by':
            found.append((number, Entry(parts[0], parts[1], parts[3],
                                        reason)))
    return [entry for _n, entry in sorted(found, key=lambda f: f[0])]


def _logged(metadata, action, reason, user, at):
    numbers = [_number(k) for k in metadata if k.startswith(LOG_PREFIX)]
    following = max([n for n in numbers if n is not None], default=0) + 1
    stamp = clock.parse(at).strftime('%Y-%m-%dT%H:%M:%SZ')
    metadata['%s%d' % (LOG_PREFIX, following)] = '%s %s by %s: %s' % (
        action, stamp, user[:USER_MAX], reason)
    return stamp


def placed(metadata, reason, user, at):
    """`metadata` with a hold for `reason` by `user` at `at` (UTC)."""
    new = dict(metadata or {})
    stamp = _logged(new, PLACED, reason, user, at)
    new.update({HOLD_KEY: reason, BY_KEY: user[:USER_MAX], AT_KEY: stamp})
    return new


def released(metadata, reason, user, at):
    """`metadata` without its hold, the release logged with `reason`."""
    new = {k: v for k, v in (metadata or {}).items()
           if k not in (HOLD_KEY, BY_KEY, AT_KEY)}
    _logged(new, RELEASED, reason, user, at)
    return new
