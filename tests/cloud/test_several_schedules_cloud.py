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

"""Two schedules on one instance, on the real local OpenStack (issue 22).

Run: .venv/bin/pytest -m cloud tests/cloud/test_several_schedules_cloud.py

A daily schedule (one chain: a full and one incremental) and a monthly one
(fulls only, twelve kept) tag the same instance. Their runs start at the
same moment: a volume one run is backing up is skipped by the other with an
'overlap' reason, never failed. Then they run one after the other: each
rotation deletes only its own backups, and no incremental chains onto the
other schedule's backup. Everything is read from Cinder.

The volumes are backed up directly (in_use: force): Cinder marks the volume
'backing-up' for the whole backup, so two backups of it never run at once
(docs/workflows.rst, several schedules per instance).
"""

import pytest

from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud.test_faults import backups_of
from tests.cloud.test_faults import boot_volume
from tests.cloud.test_faults import by_volume
from tests.cloud.test_faults import finish
from tests.cloud.test_faults import owner
from tests.cloud.test_faults import record_backups
from tests.cloud.test_faults import run
from tests.cloud.test_faults import schedule_input
from tests.cloud.test_faults import snapshots_of
from tests.cloud.test_faults import start_run

pytestmark = pytest.mark.cloud


def check_chains(project, volume_id):
    """Every incremental's parent is a backup of its own schedule.

    Cinder makes an incremental of the newest backup of the volume made
    before it (backed up directly: by creation time), and refuses to delete
    a parent while its child exists: the parent is the newest listed backup
    older than the incremental.
    """
    backups = backups_of(project, volume_id)
    for i, backup in enumerate(backups):
        if not backup.is_incremental:
            continue
        assert i > 0, 'incremental %s without a parent' % backup.id
        parent = backups[i - 1]
        assert owner(parent) == owner(backup), \
            (backup.id, owner(backup), parent.id, owner(parent))


def test_two_schedules_on_one_instance_never_collide_and_rotate_their_own(
        synced_workbooks, demo):  # noqa: F811
    daily = conftest.unique('bd22-daily')
    monthly = conftest.unique('bd22-monthly')
    server = demo.server()
    boot = boot_volume(server)
    data = demo.volume()
    demo.attach(server, data)
    for name in (daily, monthly):
        demo.nova.servers.add_tag(server.id, domain.tag_for(name))
    tags = demo.nova.servers.tag_list(server.id)
    assert {domain.tag_for(daily), domain.tag_for(monthly)} <= set(tags)
    daily_in = schedule_input(daily, mode='rotation', max_full=1,
                              max_incremental=1, in_use='force',
                              timeout=600)
    monthly_in = schedule_input(monthly, mode='rotation', max_full=12,
                                max_incremental=0, in_use='force',
                                timeout=600)
    daily_limit = 2      # max_full x (1 + max_incremental)
    volumes = (boot, data.id)
    made = {}            # backup id -> the schedule that made it
    deleted = {}         # backup id -> the schedule whose run deleted it

    def note(name, out):
        for volume_id in volumes:
            for b in backups_of(demo, volume_id):
                made.setdefault(b.id, owner(b))
        for record in out['volumes']:
            for backup_id in record.get('deleted') or []:
                deleted[backup_id] = name

    try:
        # 1. Both triggers fire at the same moment.
        started = [(daily, start_run(demo, daily_in)),
                   (monthly, start_run(demo, monthly_in))]
        results = [(name, finish(demo, ex)) for name, ex in started]
        for name, (state, out) in results:
            assert state == 'SUCCESS' and out['status'] != 'failed', out
            note(name, out)
        for volume_id in volumes:
            records = [by_volume(out)[volume_id] for _, (_, out) in results]
            for record in records:
                # a volume the other run was backing up is skipped with
                # the reason recorded, never failed
                assert record['status'] in ('ok', 'skipped'), record
                if record['status'] == 'skipped':
                    assert record['reason'].startswith('overlap'), record
                    assert record['error'] is None, record
            assert 'ok' in [r['status'] for r in records], records
            assert not [b for b in backups_of(demo, volume_id)
                        if b.status != 'available'], 'a backup failed'
        # the instance's status is not spoilt by a skip for an overlap
        meta = demo.nova.servers.get(server.id).metadata
        assert meta['backup_dashboard:last_status'] == 'ok', meta

        # 2. Then each on its own, a few cycles interleaved.
        # (three daily runs: a new full chain, whichever run won above)
        for name, wf_input in ((monthly, monthly_in), (daily, daily_in),
                               (daily, daily_in), (daily, daily_in)):
            state, out = run(demo, wf_input)
            assert state == 'SUCCESS' and out['status'] == 'ok', out
            note(name, out)
            for volume_id in volumes:
                backups = backups_of(demo, volume_id)
                ours = [b for b in backups if owner(b) == daily]
                assert len(ours) <= daily_limit, \
                    [(b.id, b.is_incremental) for b in ours]
                check_chains(demo, volume_id)
                assert not snapshots_of(demo, volume_id)

        # each rotation deleted only its own backups ...
        assert deleted, 'the daily rotation deleted nothing'
        assert {made[b] for b in deleted} == {daily}, \
            {b: made[b] for b in deleted}
        assert set(deleted.values()) == {daily}
        # ... and the monthly backups are all still there
        left = {b.id for v in volumes for b in backups_of(demo, v)}
        monthly_ids = {b for b, name in made.items() if name == monthly}
        assert monthly_ids <= left, monthly_ids - left
        # both schedules backed up both volumes
        for volume_id in volumes:
            owners = [owner(b) for b in backups_of(demo, volume_id)]
            assert owners.count(monthly) >= 1, owners
            assert owners.count(daily) >= 1, owners
    finally:
        record_backups(demo, boot, data.id)
