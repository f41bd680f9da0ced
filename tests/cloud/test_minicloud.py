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

"""First tests against the real local OpenStack (tools/minicloud).

Run: .venv/bin/pytest -m cloud tests/cloud   (brings the cloud up if needed)
"""

import json
import os
import time

import pytest

from cinderclient import exceptions as cinder_exc
from novaclient import api_versions as nova_versions

from tests.cloud.conftest import file_digest
from tests.cloud.conftest import unique
from tests.cloud.conftest import wait_for
from tests.cloud.conftest import wait_status

pytestmark = pytest.mark.cloud

MiB = 1024 * 1024


def write_at(path, offset, data):
    """Write into a volume's file (the driver's sparse file) directly."""
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


@pytest.mark.cloud
def test_catalog_projects_and_isolation(demo, alt):
    catalog = {e["type"] for e in demo.session.auth.get_access(
        demo.session).service_catalog.catalog}
    assert {"identity", "compute", "placement", "volumev3", "block-storage",
            "workflowv2", "network"} <= catalog
    assert demo.project_id != alt.project_id
    # the seeded servers, each booted from its volume with a data volume
    names = {s.name for s in demo.nova.servers.list()}
    assert {"demo-web", "demo-db"} <= names
    assert "alt-app" not in names
    assert "alt-app" in {s.name for s in alt.nova.servers.list()}
    assert not {v.name for v in alt.cinder.volumes.list()} & {
        "demo-web-boot", "demo-web-data"}


@pytest.mark.cloud
def test_volume_attached_to_server_and_tags(demo):
    server = demo.server()
    assert server.image == ""  # booted from volume, no Glance
    vol = demo.volume()
    vol = demo.attach(server, vol)
    assert vol.attachments[0]["server_id"] == server.id
    attached = {a.volumeId for a in
                demo.nova.volumes.get_server_volumes(server.id)}
    assert vol.id in attached and len(attached) == 2
    server = demo.nova.servers.get(server.id)
    assert {v["id"] for v in getattr(
        server, "os-extended-volumes:volumes_attached")} == attached
    # server tags: microversion 2.26+
    assert demo.nova.api_version >= nova_versions.APIVersion("2.26")
    tag = unique("tag")
    server.add_tag(tag)
    assert tag in server.tag_list()
    found = demo.nova.servers.list(search_opts={"tags": tag})
    assert [s.id for s in found] == [server.id]
    # detach: the volume is available again
    demo.detach(server.id, vol.id)
    assert demo.cinder.volumes.get(vol.id).status == "available"


@pytest.mark.cloud
def test_full_then_incremental_backup_refused_delete_and_restore(demo):
    vol = demo.volume(size=1)
    path = demo.volume_file(vol.id)
    assert os.path.exists(path), "volume file of the minicloud driver"
    write_at(path, 0, b"full backup data " * 4096)
    full = demo.backup(vol)
    assert full.is_incremental is False

    write_at(path, 300 * MiB, os.urandom(2 * MiB))
    incr = demo.backup(vol, incremental=True)
    assert incr.is_incremental is True
    assert demo.cinder.backups.get(full.id).has_dependent_backups is True

    # Cinder refuses to delete the full while the incremental exists
    with pytest.raises(cinder_exc.BadRequest) as err:
        demo.cinder.backups.delete(full.id)
    assert "Incremental backups exist for this backup" in str(err.value)
    assert demo.cinder.backups.get(full.id).status == "available"

    # restore the incremental (its whole chain) to a new volume
    restore = demo.cinder.restores.restore(incr.id, name=unique())
    demo.cleanup.add("delete volume %s" % restore.volume_id,
                     demo.delete_volume, restore.volume_id)
    wait_status(demo.cinder.volumes.get, restore.volume_id, "available",
                what="restored volume", timeout=300)
    wait_status(demo.cinder.backups.get, incr.id, "available", what="backup")
    restored = demo.volume_file(restore.volume_id)
    assert os.path.getsize(restored) == os.path.getsize(path)
    assert file_digest(restored) == file_digest(path)


WORKFLOW = """
version: '2.0'
%(name)s:
  description: back up one volume (minicloud cloud test)
  input:
    - volume_id
    - backup_name
  output:
    backup_id: <%% $.backup_id %%>
    status: <%% $.status %%>
  tasks:
    create_backup:
      action: cinder.backups_create volume_id=<%% $.volume_id %%>
        name=<%% $.backup_name %%> force=true
      publish:
        backup_id: <%% task().result.id %%>
      on-success: poll_backup
    poll_backup:
      action: cinder.backups_get backup_id=<%% $.backup_id %%>
      retry:
        delay: 3
        count: 100
        continue-on: <%% isDict(task().result) and
          task().result.status = 'creating' %%>
      publish:
        status: <%% task().result.status %%>
      on-complete:
        - fail: <%% $.status != 'available' %%>
"""


@pytest.mark.cloud
def test_cron_trigger_as_member_backs_up_a_volume(demo):
    vol = demo.volume()
    wf_name = unique("cloudtest_wf").replace("-", "_")
    backup_name = unique("cloudtest-cron")
    demo.workflow(WORKFLOW % {"name": wf_name})
    trigger_name = unique("cloudtest-trigger")
    trigger = demo.cron_trigger(
        trigger_name, wf_name, pattern="* * * * *", count=1,
        workflow_input={"volume_id": vol.id, "backup_name": backup_name})
    assert trigger.remaining_executions == 1
    t0 = time.time()

    def execution():
        found = demo.mistral.executions.list(workflow_name=wf_name)
        return found[0] if found else None
    ex = wait_for("the cron trigger to fire", execution, timeout=150,
                  delay=2)
    demo.record_execution(ex.id)
    fired_after = time.time() - t0
    description = json.loads(ex.description)
    assert description["triggered_by"] == {"type": "cron_trigger",
                                           "id": trigger.id}

    def finished():
        e = demo.mistral.executions.get(ex.id)
        return e if e.state in ("SUCCESS", "ERROR", "CANCELLED") else None
    ex = wait_for("execution %s to finish" % ex.id, finished, timeout=300,
                  delay=2)
    output = json.loads(ex.output or "{}")
    if output.get("backup_id"):
        demo.record_backup(output["backup_id"])
    assert ex.state == "SUCCESS", ex.state_info
    assert output["status"] == "available"
    backup = demo.cinder.backups.get(output["backup_id"])
    assert backup.volume_id == vol.id
    assert backup.name == backup_name
    assert backup.status == "available"
    # count=1: the trigger is gone after its one run
    assert trigger_name not in {t.name for t in
                                demo.mistral.cron_triggers.list()}
    print("cron trigger fired after %.0f s" % fired_after)
