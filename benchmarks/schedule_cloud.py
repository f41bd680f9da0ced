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

"""Benchmark backup_dashboard_schedule on a real cloud (not a timed test).

    # from the checkout's root:
    .venv/bin/python -m benchmarks.schedule_cloud [--sizes 1,5,20]
        [--concurrency 4] [--in-use force|snapshot] [--user demo]

Uses tools/minicloud's credentials (``minicloud env --json``) unless OS_*
variables are set.  For each N: N 1 GiB volumes attached to servers tagged for
a fresh schedule (boot volumes are not tagged servers' only volumes: each
server boots from its own volume, which counts), one run of
backup_dashboard_schedule, then everything it made is deleted.  Prints wall
time, Mistral task executions per volume (all, and not counting polling
tasks), and API calls (action executions) per volume.
"""

import argparse
import json
import os
from pathlib import Path
import subprocess
import sys
import time
import uuid

from testkit.cloud import Clients

REPO = Path(__file__).resolve().parents[1]

POLLING_TASKS = {'wait_backup', 'wait_gone', 'wait_together'}
# Tasks whose repeated requests are polls: a backup of a temporary snapshot
# is asked for again while Cinder says the snapshot is still 'creating'.
ASKING_TASKS = {'backup'}


def creds(user):
    if os.environ.get('OS_AUTH_URL'):
        keys = ('OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME',
                'OS_USER_DOMAIN_NAME', 'OS_PROJECT_DOMAIN_NAME',
                'OS_REGION_NAME')
        c = {k: os.environ.get(k, 'Default') for k in keys}
        c.setdefault('OS_REGION_NAME', 'RegionOne')
        return c
    out = subprocess.run(
        [str(REPO / 'tools' / 'minicloud' / 'minicloud'), 'env', '--json'],
        capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[user]


def wait(what, fn, timeout=900, delay=2):
    """fn() until it is truthy; `delay` may be a function of time waited."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        r = fn()
        if r:
            return r
        time.sleep(delay(time.time() - t0) if callable(delay) else delay)
    raise SystemExit('timed out: %s' % what)


def count_executions(mc, root_id):
    """Task executions, polling ones, action executions, service calls, polls.

    Of the execution `root_id` and every sub-workflow under it. A service
    call is an action execution of an OpenStack action (nova.*, cinder.*):
    std.* actions (std.noop carries a task's publish) reach no service. Polls:
    the action executions of the polling tasks, and those of an asking task
    after its first.
    """
    execs = [mc.executions.get(root_id)] + list(
        mc.executions.list(root_execution_id=root_id, limit=-1))
    tasks, actions, poll_tasks, service, polls = 0, 0, 0, 0, 0
    seen = set()
    for ex in execs:
        if ex.id in seen:
            continue
        seen.add(ex.id)
        for t in mc.tasks.list(workflow_execution_id=ex.id):
            tasks += 1
            if t.name in POLLING_TASKS:
                poll_tasks += 1
            if t.type == 'ACTION':
                done = mc.action_executions.list(task_execution_id=t.id)
                actions += len(done)
                service += len([a for a in done
                                if not a.name.startswith('std.')])
                if t.name in POLLING_TASKS:
                    polls += len(done)
                elif t.name in ASKING_TASKS:
                    polls += max(len(done) - 1, 0)
    return tasks, poll_tasks, actions, service, polls


def one(c, n, concurrency, in_use):
    sched = 'bench-%s' % uuid.uuid4().hex[:6]
    tag = 'backup:' + sched
    made = {'servers': [], 'volumes': []}
    try:
        per_server = 4
        nservers = max(1, (n + per_server) // (per_server + 1))
        flavor = c.nova.flavors.find(name='m1.tiny')
        need = n
        for i in range(nservers):
            boot = c.cinder.volumes.create(1, name='%s-boot%d' % (sched, i))
            made['volumes'].append(boot.id)
            wait('boot volume',
                 lambda: c.cinder.volumes.get(boot.id).status == 'available')
            c.cinder.volumes.set_bootable(boot, True)
            srv = c.nova.servers.create(
                '%s-%d' % (sched, i), image=None, flavor=flavor.id,
                nics='none', block_device_mapping_v2=[{
                    'boot_index': 0,
                    'uuid': boot.id,
                    'source_type': 'volume',
                    'destination_type': 'volume',
                    'delete_on_termination': False
                }])
            made['servers'].append(srv.id)
            wait('server',
                 lambda: c.nova.servers.get(srv.id).status == 'ACTIVE')
            c.nova.servers.add_tag(srv.id, tag)
            need -= 1
            extra = min(need, per_server) if i < nservers - 1 else need
            for j in range(extra):
                v = c.cinder.volumes.create(1,
                                            name='%s-d%d-%d' % (sched, i, j))
                made['volumes'].append(v.id)
                wait('volume',
                     lambda: c.cinder.volumes.get(v.id).status == 'available')
                c.nova.volumes.create_server_volume(srv.id, v.id)
                wait('attach',
                     lambda: c.cinder.volumes.get(v.id).status == 'in-use')
                need -= 1
        t0 = time.time()
        ex = c.mistral.executions.create(
            'backup_dashboard_schedule', workflow_input=json.dumps({
                'schedule': sched,
                'tag': tag,
                'concurrency': concurrency,
                'in_use': in_use
            }))
        ex = wait(
            'run', lambda: (lambda e: e
                            if e.state in ('SUCCESS', 'ERROR') else None)
            (c.mistral.executions.get(ex.id)), timeout=3600, delay=1)
        wall = time.time() - t0
        out = json.loads(ex.output)
        nvol = len(out['volumes'])
        tasks, poll, actions, _service, _polls = count_executions(
            c.mistral, ex.id)
        return {
            'n': nvol,
            'state': ex.state,
            'status': out['status'],
            'wall_s': round(wall, 1),
            'task_executions_per_volume': round(tasks / nvol, 2),
            'non_polling_task_executions_per_volume': round(
                (tasks - poll) / nvol, 2),
            'api_calls_per_volume': round(actions / nvol, 2),
            'execution': ex.id
        }
    finally:
        for vid in made['volumes']:
            for b in sorted(
                    c.cinder.backups.list(search_opts={'volume_id': vid}),
                    key=lambda b: b.created_at, reverse=True):
                try:
                    c.cinder.backups.delete(b.id)
                    wait(
                        'backup gone', lambda: not [
                            x for x in c.cinder.backups.list(
                                search_opts={'volume_id': vid}) if x.id == b.id
                        ], timeout=300)
                except Exception as e:
                    print('cleanup: backup %s: %s' % (b.id, e),
                          file=sys.stderr)
        delete_made(c, made)


def delete_made(c, made, wait=wait):
    """Delete the servers, then the volumes, a benchmark made."""
    for sid in made['servers']:
        try:
            c.nova.servers.delete(sid)
        except Exception:
            pass
    for sid in made['servers']:
        wait('server gone',
             lambda: not [s for s in c.nova.servers.list() if s.id == sid])
    for vid in made['volumes']:
        try:
            wait('volume free', lambda: c.cinder.volumes.get(vid).status in
                 ('available', 'error'))
            c.cinder.volumes.delete(vid)
        except Exception as e:
            print('cleanup: volume %s: %s' % (vid, e), file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--sizes', default='1,5,20')
    p.add_argument('--concurrency', type=int, default=4)
    p.add_argument('--in-use', default='force')
    p.add_argument('--user', default='demo')
    a = p.parse_args()
    c = Clients(creds(a.user))
    rows = []
    for n in [int(x) for x in a.sizes.split(',')]:
        r = one(c, n, a.concurrency, a.in_use)
        rows.append(r)
        print(json.dumps(r), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
