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

"""An instance's backup state, from the server object alone (no API call).

Enrolment is the ``backup:<schedule>`` Nova tags; the outcome of the last run
is the ``backup_dashboard:*`` metadata the schedule workflow writes back.
"""
import dataclasses

from openstack_dashboard.api import base as api_base

from backup_dashboard import schedule as domain

LAST_STATUS = 'backup_dashboard:last_status'
LAST_BACKUP = 'backup_dashboard:last_backup'
LAST_RUN = 'backup_dashboard:last_run'

PROTECTED = 'protected'
FAILED = 'failed'
UNPROTECTED = 'unprotected'
UNKNOWN = 'unknown'


@dataclasses.dataclass
class BackupState:
    state: str
    schedules: list
    last_status: str | None
    last_backup: str | None
    last_run: str | None


def fields(server):
    """The server's fields as Nova sent them.

    Never ``getattr`` on the novaclient object for a field it may lack: an
    absent attribute makes novaclient lazy-load the whole server (one GET per
    row of the Instances table).
    """
    raw = server._apiresource if isinstance(
        server, api_base.APIResourceWrapper) else server
    attrs = getattr(raw, '__dict__', {})
    info = attrs.get('_info')
    if isinstance(info, dict):
        return info
    return {k: v for k, v in attrs.items() if not k.startswith('_')}


def tags(server):
    return list(fields(server).get('tags') or ())


def volume_ids(server):
    """Ids of the attached volumes, from the server detail."""
    attached = fields(server).get('os-extended-volumes:volumes_attached')
    return [a['id'] for a in attached or () if isinstance(a, dict) and
            a.get('id')]


def schedule_names(server):
    """Names of the schedules the server is tagged for, in tag order."""
    return [tag[len(domain.TAG_PREFIX):] for tag in tags(server)
            if tag.startswith(domain.TAG_PREFIX) and
            len(tag) > len(domain.TAG_PREFIX)]


def backup_state(server):
    info = fields(server)
    metadata = info.get('metadata') or {}
    if not isinstance(metadata, dict):
        metadata = {}
    last_status = metadata.get(LAST_STATUS)
    names = schedule_names(server)
    if 'tags' not in info:
        # Read below microversion 2.26: the tags are not known.
        state = UNKNOWN
    elif not names:
        state = UNPROTECTED
    elif last_status in ('failed', 'partial'):
        state = FAILED
    else:
        state = PROTECTED
    return BackupState(state=state, schedules=names,
                       last_status=last_status,
                       last_backup=metadata.get(LAST_BACKUP),
                       last_run=metadata.get(LAST_RUN))
