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

"""Fixtures for tests against the real local OpenStack (tools/minicloud).

Tests marked ``@pytest.mark.cloud`` get:

- ``minicloud`` (session): brings the cloud up once (``minicloud up`` reuses a
  running one) and gives every user's credentials.  A cloud that cannot be
  brought up or reached makes the tests FAIL, never skip.
- ``admin``, ``demo``, ``alt``: a :class:`Project` per user with
  authenticated clients (keystoneauth session, novaclient and cinderclient at
  the highest microversion both sides know, mistralclient) and helpers that
  create volumes, servers, backups... and record them for cleanup.
- ``cleanup``: the per-test recorder; what a test made is deleted newest-first
  after it, and a failed deletion is reported as an error of that test.

Nothing here is global: no hooks, no autouse fixtures, no Django.  These run
in the plugin's virtualenv (.venv), not in the services' one.
"""

import hashlib
import json
import os
import subprocess
import time
import uuid

import pytest

from cinderclient import exceptions as cinder_exc
from mistralclient.api import base as mistral_base
from novaclient import exceptions as nova_exc

from testkit.cloud import Clients
# One Horizon and one workbook sync for the whole session: a session fixture
# imported by each test module would be one per module, each kept running.
from tests.cloud.horizon import dashboard  # noqa: F401 (fixture)
from tests.cloud.horizon import synced_workbooks  # noqa: F401 (fixture)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
MINICLOUD = os.path.join(REPO, "tools", "minicloud", "minicloud")
STATE = os.environ.get("MINICLOUD_STATE", os.path.join(REPO, ".minicloud"))
VOLUME_DIR = os.path.join(STATE, "data", "cinder", "volumes")
UP_TIMEOUT = int(os.environ.get("MINICLOUD_UP_TIMEOUT", "900"))


# ----------------------------------------------------------------- waiting
def wait_for(what, check, timeout=120, delay=1.0):
    """Call check() until it returns something truthy; fail on timeout."""
    t0 = time.time()
    while True:
        result = check()
        if result:
            return result
        if time.time() - t0 > timeout:
            pytest.fail("timed out after %d s waiting for %s" %
                        (timeout, what))
        time.sleep(delay)


def wait_status(get, obj_id, wanted, timeout=180, what="resource",
                errors=("error", "error_restoring", "error_deleting",
                        "error_extending", "ERROR")):
    """Poll get(obj_id) until .status is in wanted; fail on an error status."""
    wanted = (wanted,) if isinstance(wanted, str) else tuple(wanted)

    def check():
        obj = get(obj_id)
        if obj.status in errors and obj.status not in wanted:
            reason = (getattr(obj, "fail_reason", None) or
                      getattr(obj, "fault", None) or "")
            pytest.fail("%s %s went to %s %s" % (what, obj_id, obj.status,
                                                 reason))
        return obj if obj.status in wanted else None
    return wait_for("%s %s to be %s" % (what, obj_id, "/".join(wanted)),
                    check, timeout)


def wait_gone(get, obj_id, timeout=180, what="resource"):
    def check():
        try:
            obj = get(obj_id)
        except (cinder_exc.NotFound, nova_exc.NotFound):
            return True
        if getattr(obj, "status", "").lower() in ("deleted",):
            return True
        if getattr(obj, "status", "") in ("error_deleting",):
            pytest.fail("%s %s: error_deleting" % (what, obj_id))
        return False
    wait_for("%s %s to be deleted" % (what, obj_id), check, timeout)


def unique(prefix="cloudtest"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


# ----------------------------------------------------------------- cleanup
class Cleanup(object):
    """Records what a test created; deletes it newest-first afterwards."""

    def __init__(self):
        self._steps = []

    def add(self, description, fn, *args, **kwargs):
        self._steps.append((description, fn, args, kwargs))

    def run(self):
        errors = []
        while self._steps:
            description, fn, args, kwargs = self._steps.pop()
            try:
                fn(*args, **kwargs)
            except (cinder_exc.NotFound, nova_exc.NotFound):
                pass
            except mistral_base.APIException as e:
                if getattr(e, "error_code", None) != 404:
                    errors.append("%s: %s" % (description, e))
            except BaseException as e:  # includes pytest.fail's exception
                errors.append("%s: %s" % (description, e))
        if errors:
            pytest.fail("cleanup failed:\n  " + "\n  ".join(errors))


class Project(object):
    """One user's clients plus helpers that record what they create."""

    def __init__(self, clients, cleanup):
        self.c = clients
        self.cleanup = cleanup
        self.session = clients.session
        self.nova = clients.nova
        self.cinder = clients.cinder
        self.mistral = clients.mistral
        self.project_id = clients.project_id
        self.user = clients.user

    # volumes
    def volume(self, size=1, name=None, wait=True, **kwargs):
        vol = self.cinder.volumes.create(size, name=name or unique(), **kwargs)
        self.cleanup.add("delete volume %s" % vol.id, self.delete_volume,
                         vol.id)
        if wait:
            vol = wait_status(self.cinder.volumes.get, vol.id, "available",
                              what="volume")
        return vol

    def volumes_made_since(self, before, marks):
        """Volumes not in ``before`` (ids) whose names hold one of ``marks``.

        Not every new volume: the cloud and browser tests share demo and
        make its volumes meanwhile. Restores name theirs after a backup id
        or a name the test chose.
        """
        return [v for v in self.cinder.volumes.list() if v.id not in before
                if any(m in (v.name or '') for m in marks)]

    def delete_volume(self, volume_id):
        vol = self.cinder.volumes.get(volume_id)
        if vol.status in ("creating", "attaching", "detaching", "backing-up",
                          "restoring-backup", "downloading"):
            vol = wait_status(self.cinder.volumes.get, volume_id,
                              ("available", "in-use", "error"),
                              what="volume")
        for att in getattr(vol, "attachments", []) or []:
            self.detach(att["server_id"], volume_id)
        self.cinder.volumes.delete(volume_id)
        wait_gone(self.cinder.volumes.get, volume_id, what="volume")

    def volume_file(self, volume_id):
        """Path of the volume's file (the minicloud driver's sparse file)."""
        return os.path.join(VOLUME_DIR, "volume-%s" % volume_id)

    # volume groups
    def group(self, volumes, group_type="consistent-snapshots", name=None):
        """A Cinder group of `group_type` holding `volumes` (any status).

        The seed's type is one whose groups the minicloud's driver
        snapshots at one moment.
        """
        gtype = [t for t in self.cinder.group_types.list()
                 if t.name == group_type][0]
        group = self.cinder.groups.create(
            gtype.id, self.cinder.volume_types.default().id,
            name=name or unique())
        self.cleanup.add("delete group %s" % group.id, self.delete_group,
                         group.id)
        wait_status(self.cinder.groups.get, group.id, "available",
                    what="group")
        self.cinder.groups.update(
            group.id, add_volumes=",".join(v.id for v in volumes))
        return wait_status(self.cinder.groups.get, group.id, "available",
                           what="group")

    def delete_group(self, group_id):
        """Its group snapshots, its volumes out (kept), then the group."""
        for snap in self.cinder.group_snapshots.list(
                search_opts={"group_id": group_id}):
            if snap.group_id == group_id:
                self.cinder.group_snapshots.delete(snap)
                wait_gone(self.cinder.group_snapshots.get, snap.id,
                          what="group snapshot")
        members = [v.id for v in self.cinder.volumes.list()
                   if getattr(v, "group_id", None) == group_id]
        if members:
            self.cinder.groups.update(group_id,
                                      remove_volumes=",".join(members))
            wait_status(self.cinder.groups.get, group_id, "available",
                        what="group")
        self.cinder.groups.delete(group_id)
        wait_gone(self.cinder.groups.get, group_id, what="group")

    # servers
    def server(self, name=None, flavor="m1.tiny", boot_volume=None, **kw):
        """A server booted from a (new) 1 GiB bootable volume, no network."""
        name = name or unique()
        if boot_volume is None:
            boot_volume = self.volume(name=name + "-boot")
        self.cinder.volumes.set_bootable(boot_volume, True)
        fl = self.nova.flavors.find(name=flavor)
        srv = self.nova.servers.create(
            name, image=None, flavor=fl.id, nics="none",
            block_device_mapping_v2=[{
                "boot_index": 0, "uuid": boot_volume.id,
                "source_type": "volume", "destination_type": "volume",
                "delete_on_termination": False}], **kw)
        self.cleanup.add("delete server %s" % srv.id, self.delete_server,
                         srv.id)
        return wait_status(self.nova.servers.get, srv.id, "ACTIVE",
                           what="server")

    def delete_server(self, server_id):
        self.nova.servers.delete(server_id)
        wait_gone(self.nova.servers.get, server_id, what="server")

    def attach(self, server, volume):
        self.nova.volumes.create_server_volume(server.id, volume.id)
        self.cleanup.add("detach volume %s" % volume.id, self.detach,
                         server.id, volume.id)
        return wait_status(self.cinder.volumes.get, volume.id, "in-use",
                           what="volume")

    def detach(self, server_id, volume_id):
        try:
            self.nova.volumes.delete_server_volume(server_id, volume_id)
        except nova_exc.NotFound:
            return
        wait_status(self.cinder.volumes.get, volume_id, "available",
                    what="volume")

    # backups
    def backup(self, volume, wait=True, **kwargs):
        kwargs.setdefault("name", unique("cloudtest-backup"))
        b = self.cinder.backups.create(volume.id, **kwargs)
        self.cleanup.add("delete backup %s" % b.id, self.delete_backup, b.id)
        if wait:
            b = wait_status(self.cinder.backups.get, b.id, "available",
                            what="backup")
        return b

    def delete_backup(self, backup_id):
        b = self.cinder.backups.get(backup_id)
        if b.status in ("creating", "restoring", "deleting"):
            wait_status(self.cinder.backups.get, backup_id,
                        ("available", "error", "deleted"), what="backup")
        self.cinder.backups.delete(backup_id)
        wait_gone(self.cinder.backups.get, backup_id, what="backup")

    def record_backup(self, backup_id):
        """Record a backup made by someone else (a workflow) for cleanup."""
        self.cleanup.add("delete backup %s" % backup_id, self.delete_backup,
                         backup_id)

    # mistral
    def workflow(self, definition):
        wfs = self.mistral.workflows.create(definition)
        for wf in wfs:
            self.cleanup.add("delete workflow %s" % wf.name,
                             self.mistral.workflows.delete, wf.name)
        return wfs

    def cron_trigger(self, name, workflow, **kwargs):
        t = self.mistral.cron_triggers.create(name, workflow, **kwargs)
        self.cleanup.add("delete cron trigger %s" % name,
                         self.mistral.cron_triggers.delete, name)
        return t

    def record_execution(self, execution_id):
        self.cleanup.add("delete execution %s" % execution_id,
                         self.mistral.executions.delete, execution_id,
                         force=True)


class TempProject(object):
    """A project and member user the admin makes for one test.

    ``template`` is a user's credentials (the cloud's addresses), and
    ``prefix`` starts the project's and user's names.
    """

    def __init__(self, admin, template, prefix):
        self.admin = admin
        self.name = unique(prefix)
        self.password = uuid.uuid4().hex
        session = admin.session
        identity = {'service_type': 'identity', 'interface': 'public'}
        project = session.post('/projects', endpoint_filter=identity,
                               json={'project': {'name': self.name,
                                                 'domain_id': 'default'}})
        self.project_id = project.json()['project']['id']
        admin.cleanup.add('delete project %s' % self.name, session.delete,
                          '/projects/%s' % self.project_id,
                          endpoint_filter=identity)
        user = session.post('/users', endpoint_filter=identity, json={
            'user': {'name': self.name, 'password': self.password,
                     'domain_id': 'default',
                     'default_project_id': self.project_id}})
        self.user_id = user.json()['user']['id']
        admin.cleanup.add('delete user %s' % self.name, session.delete,
                          '/users/%s' % self.user_id,
                          endpoint_filter=identity)
        roles = session.get('/roles', endpoint_filter=identity,
                            params={'name': 'member'}).json()['roles']
        session.put('/projects/%s/users/%s/roles/%s'
                    % (self.project_id, self.user_id, roles[0]['id']),
                    endpoint_filter=identity)
        self.creds = dict(template, OS_USERNAME=self.name,
                          OS_PASSWORD=self.password,
                          OS_PROJECT_NAME=self.name)


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def minicloud():
    """Bring the local cloud up once (reusing a running one); credentials."""
    try:
        proc = subprocess.run([MINICLOUD, "up"], capture_output=True,
                              text=True, timeout=UP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail("`minicloud up` took more than %d s" % UP_TIMEOUT)
    if proc.returncode != 0:
        pytest.fail("`minicloud up` failed (exit %d):\n%s\n%s" % (
            proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
    env = subprocess.run([MINICLOUD, "env", "--json"], capture_output=True,
                         text=True)
    if env.returncode != 0:
        pytest.fail("`minicloud env --json` failed: %s" % env.stderr)
    return json.loads(env.stdout)


@pytest.fixture(scope="session")
def clients(minicloud):
    """user name -> Clients, created lazily and kept for the session."""
    cache = {}

    def get(user):
        if user not in cache:
            try:
                cache[user] = Clients(minicloud[user])
            except Exception as e:  # unreachable cloud: fail, never skip
                pytest.fail("cannot reach the minicloud as %s: %s: %s"
                            % (user, type(e).__name__, e))
        return cache[user]
    return get


@pytest.fixture
def cleanup():
    c = Cleanup()
    yield c
    c.run()


@pytest.fixture
def admin(clients, cleanup):
    return Project(clients("admin"), cleanup)


@pytest.fixture
def demo(clients, cleanup):
    return Project(clients("demo"), cleanup)


@pytest.fixture
def alt(clients, cleanup):
    return Project(clients("alt"), cleanup)
