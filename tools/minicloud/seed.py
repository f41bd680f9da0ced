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

"""Seed the minicloud (run by `minicloud up` in the services' venv).

    seed.py identity        service users, catalog, projects, users, roles
    seed.py wait-services   wait for compute, volume and backup services
    seed.py resources       flavor, quotas, bootable volumes, servers

Every phase is idempotent: it looks things up by name and only adds what is
missing.  Credentials come from MINICLOUD_CONFIG (config.json).
"""

import json
import os
import sys
import time

from cinderclient import api_versions as cinder_versions
from cinderclient import client as cinder_client
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading
from keystoneauth1 import session as ks_session
from keystoneclient.v3 import client as keystone_client
from novaclient import api_versions as nova_versions
from novaclient import client as nova_client
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

AUTH_URL = "http://127.0.0.1:5000/v3"
CONF = json.load(open(os.environ["MINICLOUD_CONFIG"]))
REGION = CONF["region"]

CATALOG = [  # (service name, type, description, URL)
    ("nova", "compute", "Compute", "http://127.0.0.1:8774/v2.1"),
    ("placement", "placement", "Placement", "http://127.0.0.1:8778"),
    ("cinderv3", "volumev3", "Block Storage v3",
     "http://127.0.0.1:8776/v3/%(project_id)s"),
    ("cinder", "block-storage", "Block Storage",
     "http://127.0.0.1:8776/v3/%(project_id)s"),
    ("mistral", "workflowv2", "Workflow", "http://127.0.0.1:8989/v2"),
    ("neutron", "network", "Network (read-only minicloud stand-in)",
     "http://127.0.0.1:9696"),
]
SERVICE_USERS = ["nova", "cinder", "mistral", "placement"]
MEMBERS = [u for u in CONF["users"] if u != "admin"]  # demo, alt
FLAVOR = {"name": "m1.tiny", "ram": 512, "vcpus": 1, "disk": 1}
# (project user, server name): each gets a 1 GiB boot volume and a data volume
# a public group type with consistent group snapshots (the driver's)
GROUP_TYPE = "consistent-snapshots"
SERVERS = [("demo", "demo-web"), ("demo", "demo-db"), ("alt", "alt-app")]


def say(msg):
    print("%s %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def session(user):
    u = CONF["users"][user]
    auth = loading.get_plugin_loader("password").load_from_options(
        auth_url=AUTH_URL, username=user, password=u["password"],
        project_name=u["project"], user_domain_name="Default",
        project_domain_name="Default")
    sess = ks_session.Session(auth=auth)
    # The APIs, just started, may close a kept-alive connection as it is
    # reused ("Remote end closed connection without response"): reads and
    # deletes are tried again; a create is never sent twice.
    retries = Retry(total=3, read=3, connect=3, backoff_factor=0.5,
                    allowed_methods=frozenset(["GET", "HEAD", "DELETE"]))
    for scheme in ("http://", "https://"):
        sess.session.mount(scheme, HTTPAdapter(max_retries=retries))
    return sess


def nova(user):
    """A novaclient at the highest microversion both sides know."""
    sess = session(user)
    base = nova_client.Client("2.1", session=sess, region_name=REGION)
    version = nova_versions.discover_version(
        base, nova_versions.APIVersion("2.latest"))
    return nova_client.Client(version, session=sess, region_name=REGION)


def cinder(user):
    return cinder_client.Client(cinder_versions.MAX_VERSION,
                                session=session(user), region_name=REGION)


def wait(what, check, timeout=300, delay=1.0):
    t0 = time.time()
    while True:
        result = check()
        if result:
            if time.time() - t0 >= 1:   # what `up` spends its time on
                say("waited %.1f s for %s" % (time.time() - t0, what))
            return result
        if time.time() - t0 > timeout:
            raise SystemExit("timed out after %d s waiting for %s"
                             % (timeout, what))
        time.sleep(delay)


# ------------------------------------------------------------ identity
def password_works(name, password):
    auth = loading.get_plugin_loader("password").load_from_options(
        auth_url=AUTH_URL, username=name, password=password,
        user_domain_name="Default")
    try:
        ks_session.Session(auth=auth).get_token()
        return True
    except ks_exc.Unauthorized:
        return False


def identity():
    def connect():
        try:
            ks = keystone_client.Client(session=session("admin"))
            ks.projects.list()
            return ks
        except (ks_exc.ConnectFailure, ks_exc.ServiceUnavailable):
            return None
    ks = wait("keystone", connect, 60)
    domain = ks.domains.get("default")

    def role(name):
        found = ks.roles.list(name=name)
        return found[0] if found else ks.roles.create(name)

    def project(name, description):
        found = ks.projects.list(name=name, domain=domain)
        if found:
            return found[0]
        say("project %s" % name)
        return ks.projects.create(name, domain, description=description)

    def user(name, password, proj):
        found = ks.users.list(name=name, domain=domain)
        if found:
            if not password_works(name, password):
                say("password of %s reset from config.json" % name)
                ks.users.update(found[0], password=password)
            return found[0]
        say("user %s" % name)
        return ks.users.create(name, domain=domain, password=password,
                               default_project=proj)

    def grant(r, u, p):
        try:
            ks.roles.check(r, user=u, project=p)
        except ks_exc.NotFound:
            ks.roles.grant(r, user=u, project=p)

    roles = {n: role(n) for n in ("admin", "member", "reader", "service")}
    service_project = project("service", "minicloud service users")
    for name in SERVICE_USERS:
        u = user(name, CONF["service_password"], service_project)
        grant(roles["admin"], u, service_project)
        grant(roles["service"], u, service_project)
    for name in MEMBERS:
        p = project(CONF["users"][name]["project"],
                    "minicloud project of user %s" % name)
        u = user(name, CONF["users"][name]["password"], p)
        grant(roles["member"], u, p)
        grant(roles["reader"], u, p)

    services = {(s.name, s.type): s for s in ks.services.list()}
    endpoints = ks.endpoints.list()
    for name, stype, desc, url in CATALOG:
        svc = services.get((name, stype))
        if svc is None:
            say("service %s (%s)" % (name, stype))
            svc = ks.services.create(name, stype, description=desc)
        for iface in ("public", "internal", "admin"):
            have = [e for e in endpoints if e.service_id == svc.id and
                    e.interface == iface and e.region == REGION]
            if have and have[0].url == url:
                continue
            for e in have:
                ks.endpoints.delete(e)
            ks.endpoints.create(svc, url, interface=iface, region=REGION)
    say("identity and catalog ready")


# ------------------------------------------------------ wait-services
def wait_services():
    """Wait until the RPC services report up.

    Services that `up` has just (re)started (MINICLOUD_FRESH, since
    MINICLOUD_SINCE) must have reported after their start: a heartbeat left
    from before a restart says "up" while the new process does not consume
    its queue yet, and a message cast to it then is lost.
    """
    nv, cv = nova("admin"), cinder("admin")
    fresh = set(filter(None, os.environ.get("MINICLOUD_FRESH", "").split(",")))
    since = os.environ.get("MINICLOUD_SINCE", "")

    def ok(svc):
        if svc.state != "up":
            return False
        if svc.binary in fresh:
            return (svc.updated_at or "")[:19] >= since[:19]
        return True

    wanted = {"nova-compute", "nova-conductor", "nova-scheduler"}

    def nova_up():
        return wanted <= {s.binary for s in nv.services.list() if ok(s)}
    wait("nova compute, conductor and scheduler to report up", nova_up, 180)

    wanted_c = {"cinder-volume", "cinder-backup", "cinder-scheduler"}

    def cinder_up():
        return wanted_c <= {s.binary for s in cv.services.list() if ok(s)}
    wait("cinder volume, backup and scheduler to report up", cinder_up, 180)

    # "up" is a heartbeat in the database; the scheduler places a volume only
    # once cinder-volume's capabilities reached it (a fanout that a scheduler
    # started later misses until the next periodic report). A volume created
    # before that goes to error ("No valid backend was found"); the first
    # volume of a fresh CI machine went to error seconds after the services
    # reported up. So wait until the scheduler lists the pool.
    def pool_known():
        return [p for p in cv.pools.list(detailed=True)
                if getattr(p, "free_capacity_gb", 0)]
    wait("the cinder scheduler to know the volume backend's pool",
         pool_known, 180)
    say("compute, volume and backup services up")


# ----------------------------------------------------------- resources
def revive_forgotten_servers(nv_admin):
    """Hard-reboot ACTIVE servers that the fake virt driver forgot.

    nova-compute's fake driver keeps its guests in memory: after a restart
    they are ACTIVE with power state 0 (NOSTATE) and stop fails; a hard
    reboot recreates them, volumes and all.
    """
    if os.environ.get("MINICLOUD_COMPUTE_RESTARTED") != "1":
        return
    # the API still says Running (no power-state sync here): reboot all
    lost = [s for s in nv_admin.servers.list(search_opts={"all_tenants": 1})
            if s.status == "ACTIVE"]
    for s in lost:
        say("hard reboot %s (forgotten by the restarted fake driver)" % s.name)
        s.reboot("HARD")
    for s in lost:
        def back(sid=s.id):
            x = nv_admin.servers.get(sid)
            if x.status == "ERROR":
                raise SystemExit("server %s went to ERROR on reboot" % x.name)
            return x.status == "ACTIVE" and not getattr(
                x, "OS-EXT-STS:task_state", None)
        wait("server %s back from hard reboot" % s.name, back, 120)


def resources():
    nv_admin, cv_admin = nova("admin"), cinder("admin")
    # not detailed: the detail view asks nova-compute for its uptime by RPC
    wait("a hypervisor", lambda: nv_admin.hypervisors.list(detailed=False),
         120)
    flavors = [f for f in nv_admin.flavors.list(is_public=None)
               if f.name == FLAVOR["name"]]
    flavor = flavors[0] if flavors else nv_admin.flavors.create(
        FLAVOR["name"], FLAVOR["ram"], FLAVOR["vcpus"], FLAVOR["disk"])

    ks = keystone_client.Client(session=session("admin"))
    for who, quota in CONF.get("quotas", {}).items():
        proj = ks.projects.list(name=CONF["users"][who]["project"])[0]
        current = cv_admin.quotas.get(proj.id)
        change = {k: v for k, v in quota.items()
                  if getattr(current, k, None) != v}
        if change:
            say("cinder quotas of %s: %s" % (proj.name, change))
            cv_admin.quotas.update(proj.id, **change)

    # A group type whose groups the driver snapshots at one moment, for
    # group-consistent restore points (docs/restore.rst).
    if not [t for t in cv_admin.group_types.list()
            if t.name == GROUP_TYPE]:
        say("group type %s" % GROUP_TYPE)
        cv_admin.group_types.create(GROUP_TYPE, is_public=True).set_keys(
            {"consistent_group_snapshot_enabled": "<is> True"})

    revive_forgotten_servers(nv_admin)
    clients = {u: (nova(u), cinder(u)) for u in {u for u, _ in SERVERS}}

    def volume(user, name, bootable=False):
        cv = clients[user][1]
        found = [v for v in cv.volumes.list(search_opts={"name": name})
                 if v.name == name and v.status != "error"]
        if found:
            return found[0]
        say("volume %s (%s)" % (name, user))
        v = cv.volumes.create(1, name=name)
        return v

    def why(cv, vol):
        """Cinder's user messages about a volume (why it went to error)."""
        try:
            return "; ".join(
                "%s: %s" % (m.event_id, m.user_message)
                for m in cv.messages.list()
                if getattr(m, "resource_uuid", None) == vol.id) or "no message"
        except Exception as e:  # the reason is a diagnostic, never fatal
            return "messages unavailable (%s)" % e

    def wait_volume(user, vol, statuses, retries=2):
        cv = clients[user][1]
        state = {"vol": vol, "left": retries}

        def check():
            v = cv.volumes.get(state["vol"].id)
            if v.status in ("error", "error_restoring", "error_extending"):
                reason = why(cv, v)
                if not state["left"] or v.status != "error":
                    raise SystemExit("volume %s went to %s: %s"
                                     % (v.name, v.status, reason))
                # a creation that failed (e.g. scheduled before the backend
                # was known) is retried with a new volume
                say("volume %s went to error (%s): created again"
                    % (v.name, reason))
                state["left"] -= 1
                cv.volumes.delete(v)
                state["vol"] = cv.volumes.create(1, name=v.name)
                return None
            return v if v.status in statuses else None
        return wait("volume %s %s" % (vol.name, "/".join(statuses)), check)

    # 1. volumes
    vols = {}
    for user, server in SERVERS:
        vols[(server, "boot")] = volume(user, server + "-boot", True)
        vols[(server, "data")] = volume(user, server + "-data")
    for (server, kind), v in list(vols.items()):
        user = [u for u, s in SERVERS if s == server][0]
        v = wait_volume(user, v, ("available", "in-use"))
        vols[(server, kind)] = v
        if kind == "boot" and str(v.bootable).lower() != "true":
            clients[user][1].volumes.set_bootable(v, True)

    # 2. servers
    servers = {}
    for user, name in SERVERS:
        nv = clients[user][0]
        found = nv.servers.list(search_opts={"name": "^%s$" % name})
        if found:
            servers[name] = found[0]
            continue
        boot = vols[(name, "boot")]
        if boot.status != "available":
            raise SystemExit("boot volume %s is %s, cannot boot %s"
                             % (boot.name, boot.status, name))
        say("server %s (%s)" % (name, user))
        servers[name] = nv.servers.create(
            name, image=None, flavor=flavor.id, nics="none",
            block_device_mapping_v2=[{
                "boot_index": 0, "uuid": boot.id, "source_type": "volume",
                "destination_type": "volume",
                "delete_on_termination": False}])
    for user, name in SERVERS:
        nv = clients[user][0]

        def active(nv=nv, sid=servers[name].id, name=name):
            s = nv.servers.get(sid)
            if s.status == "ERROR":
                raise SystemExit("server %s is in ERROR: %s" % (
                    name, getattr(s, "fault", {})))
            return s if s.status == "ACTIVE" else None
        servers[name] = wait("server %s ACTIVE" % name, active, 300, 1)

    # 3. data volumes attached
    for user, name in SERVERS:
        nv = clients[user][0]
        data = clients[user][1].volumes.get(vols[(name, "data")].id)
        attached = [a["id"] for a in getattr(
            servers[name], "os-extended-volumes:volumes_attached", [])]
        if data.id in attached or data.status == "in-use":
            continue
        say("attach %s to %s" % (data.name, name))
        nv.volumes.create_server_volume(servers[name].id, data.id)
    for user, name in SERVERS:
        wait_volume(user, vols[(name, "data")], ("in-use",))
    say("seeded: flavor %s; servers %s, each with a boot and a data volume"
        % (flavor.name, ", ".join(n for _, n in SERVERS)))


if __name__ == "__main__":
    phase = sys.argv[1]
    {"identity": identity, "wait-services": wait_services,
     "resources": resources}[phase]()
