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

"""One backup schedule over 1, 5 and 20 volumes on the local OpenStack.

One backup schedule over 1, 5 and 20 volumes on the real local OpenStack,
against a plain sequential workflow over the same volumes (not a timed test).

    .venv/bin/python -m benchmarks.runs_cloud [--sizes 1,5,20]
        [--concurrency 4] [--user demo] [--no-results] [--schedule-only]
        [--timeline PREFIX] [--in-use force|snapshot]

It first syncs this checkout's workbooks into Mistral (as admin, public) and
refuses to start when the project's Cinder quota cannot hold N volumes and N
backups (a refused backup would make a run 'partial' for the cloud's reason).

For each N it makes servers tagged for a fresh schedule with N volumes
attached in all (each server boots from its own volume, which counts), all
named with a unique ``bench10-<hex>`` prefix in the user's project, then:

1. runs the bundled ``backup_dashboard_schedule`` directly (a Mistral
   execution with the input ``Schedule.to_trigger()`` stores in the cron
   trigger, ``in_use=force`` unless ``--in-use snapshot``, the product's
   default, which has a RESULTS.md section of its own), waits for it,
   counts its Mistral task executions and its API calls (action
   executions, polling included; of them, the calls to a service and the
   polls);
2. runs it twice more, as a schedule's next runs: an incremental onto each
   first backup (Cinder's time for a full known to the workflow), then one
   onto that (for an incremental known too); then deletes the backups the
   three runs made;
3. runs a plain sequential workflow (created privately for this run: per
   volume ``cinder.backups_create`` then ``cinder.backups_get`` polled every
   5 s like the schedule does; no rotation, no metadata, no report) over
   the same volumes, and counts the same way;
4. deletes those backups, the executions, the servers and the volumes.

Each run is set against the floor, Cinder's own time: the makespan of its
backups from Cinder's timestamps (the first backup's created_at to the last
available backup's updated_at, with the cinder-backup workers the preamble
names); the overhead is the workflow's wall time minus that makespan, in
total and per volume.

At most N of its backups exist at any time (the project's backup quota is
shared). Prints the figures, the schedule's per-volume records that are not
'ok' (why a run is 'partial'), and refreshes its section of RESULTS.md.
``--timeline PREFIX`` writes each schedule run's task executions with their
start and end (PREFIX-<N>.json): where the wall time goes.
"""
import argparse
import configparser
import json
import os
import sys
import time
import uuid

from keystoneauth1.exceptions import ConnectFailure
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from backup_dashboard import bundled  # noqa: E402
from backup_dashboard.clock import cron as clock
from backup_dashboard import schedule as domain  # noqa: E402
from benchmarks import results  # noqa: E402
from benchmarks import schedule_cloud as workflow_bench
from testkit.cloud import Clients

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PER_SERVER = 4   # data volumes per server, besides its boot volume
POLL_DELAY = 5   # the baseline polls every 5 s (the schedule backs off)


def sequential_definition(name):
    return '''---
version: '2.0'
%(name)s:
  description: benchmark baseline, one volume after the other
  input: [volume_ids]
  tasks:
    each:
      with-items: vid in <%% $.volume_ids %%>
      concurrency: 1
      workflow: %(name)s_one volume_id=<%% $.vid %%>
%(name)s_one:
  input: [volume_id]
  tasks:
    backup:
      action: cinder.backups_create volume_id=<%% $.volume_id %%> force=true
      publish:
        backup_id: <%% task().result.id %%>
      on-success: [wait_backup]
    wait_backup:
      action: cinder.backups_get backup_id=<%% $.backup_id %%>
      retry:
        delay: %(delay)d
        count: 720
        continue-on: <%% task().result.status = 'creating' %%>
''' % {'name': name, 'delay': POLL_DELAY}


def wait(what, fn, timeout=900, delay=2):
    """workflow_bench.wait, riding out a dropped keep-alive connection.

    workflow_bench.wait, riding out a dropped keep-alive connection (the
    minicloud's APIs close idle ones; the next request reconnects).
    """
    def attempt():
        try:
            return fn()
        except ConnectFailure as error:
            print('retrying after: %s' % error, file=sys.stderr)
            return None
    return workflow_bench.wait(what, attempt, timeout=timeout, delay=delay)


def make_volumes(c, prefix, n, made):
    """Servers tagged for `prefix` with `n` volumes in all.

    Recorded in `made` as they are made (so a failure half-way still cleans
    up).
    """
    tag = 'backup:' + prefix
    flavor = c.nova.flavors.find(name='m1.tiny')
    nservers = max(1, (n + PER_SERVER) // (PER_SERVER + 1))
    need = n
    for i in range(nservers):
        boot = c.cinder.volumes.create(1, name='%s-boot%d' % (prefix, i))
        made['volumes'].append(boot.id)
        wait('boot volume', lambda: c.cinder.volumes.get(
            boot.id).status == 'available')
        c.cinder.volumes.set_bootable(boot, True)
        srv = c.nova.servers.create(
            '%s-%d' % (prefix, i), image=None, flavor=flavor.id, nics='none',
            block_device_mapping_v2=[{
                'boot_index': 0, 'uuid': boot.id, 'source_type': 'volume',
                'destination_type': 'volume',
                'delete_on_termination': False}])
        made['servers'].append(srv.id)
        wait('server', lambda: c.nova.servers.get(
            srv.id).status == 'ACTIVE')
        c.nova.servers.add_tag(srv.id, tag)
        need -= 1
        extra = min(need, PER_SERVER) if i < nservers - 1 else need
        for j in range(extra):
            vol = c.cinder.volumes.create(1, name='%s-d%d-%d' % (prefix, i, j))
            made['volumes'].append(vol.id)
            wait('volume', lambda: c.cinder.volumes.get(
                vol.id).status == 'available')
            c.nova.volumes.create_server_volume(srv.id, vol.id)
            wait('attach', lambda: c.cinder.volumes.get(
                vol.id).status == 'in-use')
            need -= 1


def run_execution(c, workflow, workflow_input, description):
    """Start one execution, wait for its end; (execution, wall seconds)."""
    t0 = time.time()
    ex = c.mistral.executions.create(
        workflow, workflow_input=json.dumps(workflow_input),
        description=json.dumps(description))
    ex = wait('run', lambda: (
        lambda e: e if e.state in ('SUCCESS', 'ERROR', 'CANCELLED') else None)(
            c.mistral.executions.get(ex.id)), timeout=3600, delay=end_poll)
    return ex, time.time() - t0


def end_poll(waited):
    """How long to wait before asking again whether a run has ended.

    A quarter of a second for the first half minute, then a second: a
    one-volume run's wall time is seen within 0.25 s (a 1 s poll added up
    to a second to it), without asking Mistral four times a second through
    a long run.
    """
    return 0.25 if waited < 30 else 1


def timeline(c, root_id):
    """Every task execution under `root_id`, in start order.

    Every task execution under `root_id` as [workflow, task, state, started,
    ended, action executions] (seconds from the root's start), in start order:
    where a run's wall time goes.
    """
    def secs(stamp):
        return time.mktime(time.strptime(stamp, '%Y-%m-%d %H:%M:%S'))
    root = c.mistral.executions.get(root_id)
    t0 = secs(root.created_at)
    rows, seen = [], set()
    for ex in [root] + list(c.mistral.executions.list(
            root_execution_id=root_id, limit=-1)):
        if ex.id in seen:
            continue
        seen.add(ex.id)
        for t in c.mistral.tasks.list(workflow_execution_id=ex.id):
            actions = (len(c.mistral.action_executions.list(
                task_execution_id=t.id)) if t.type == 'ACTION' else 0)
            rows.append([ex.workflow_name, t.name, t.state,
                         secs(t.created_at) - t0,
                         secs(t.updated_at) - t0, actions])
    rows.sort(key=lambda r: (r[3], r[4]))
    return {'wall': secs(root.updated_at) - t0, 'tasks': rows}


def cinder_makespan(backups):
    """Cinder's own time for `backups`: first created to last available.

    From Cinder's timestamps (created_at, and updated_at of an available
    backup, its last change); None when none became available.
    """
    done = [b for b in backups if b.status == 'available']
    if not done:
        return None
    return (max(clock.parse(b.updated_at) for b in done) -
            min(clock.parse(b.created_at) for b in done)).total_seconds()


def figures(c, ex, wall, nvol, backups):
    tasks, poll, actions, service, polls = workflow_bench.count_executions(
        c.mistral, ex.id)
    makespan = cinder_makespan(backups)
    overhead = None if makespan is None else wall - makespan
    return {'state': ex.state, 'wall_s': round(wall, 1),
            'tasks_per_volume': round(tasks / nvol, 2),
            'non_polling_tasks_per_volume': round((tasks - poll) / nvol, 2),
            'api_calls_per_volume': round(actions / nvol, 2),
            'service_calls_per_volume': round(service / nvol, 2),
            'polls_per_volume': round(polls / nvol, 2),
            'cinder_makespan_s': None if makespan is None
            else round(makespan, 1),
            'overhead_s': None if overhead is None else round(overhead, 1),
            'overhead_per_volume_s': None if overhead is None
            else round(overhead / nvol, 2)}


def not_ok(output):
    """The schedule's per-volume records that are not 'ok'.

    Short enough to print: why a run ended 'partial' or 'failed'.
    """
    return [{k: v.get(k) for k in ('volume', 'status', 'error', 'reason',
                                   'seconds')}
            for v in output.get('volumes') or [] if v.get('status') != 'ok']


def backups_of(c, volume_ids):
    wanted = set(volume_ids)
    return [b for b in c.cinder.backups.list()
            if b.volume_id in wanted]


def delete_backups(c, volume_ids):
    """Delete every backup of `volume_ids` and wait until they are gone.

    A round deletes the backups no other backup depends on, and waits until
    Cinder has removed them: Cinder refuses a parent while a child exists,
    even one being deleted, so a chain goes one level a round.
    """
    for _round in range(10):
        left = backups_of(c, volume_ids)
        if not left:
            return
        for b in left:
            if b.status in ('available', 'error') and \
                    not getattr(b, 'has_dependent_backups', False):
                try:
                    c.cinder.backups.delete(b.id)
                except Exception as error:
                    print('cleanup: backup %s: %s' % (b.id, error),
                          file=sys.stderr)
        wait('backups deleted', lambda: not [
            b for b in backups_of(c, volume_ids)
            if b.status in ('deleting', 'creating')], timeout=900)
    print('cleanup: backups left: %s' % [
        b.id for b in backups_of(c, volume_ids)], file=sys.stderr)


def cleanup(c, made, executions, workflow):
    delete_backups(c, made['volumes'])
    for ex_id in executions:
        try:
            c.mistral.executions.delete(ex_id, force=True)
        except Exception as error:
            print('cleanup: execution %s: %s' % (ex_id, error),
                  file=sys.stderr)
    if workflow:
        for name in (workflow, workflow + '_one'):
            try:
                c.mistral.workflows.delete(name)
            except Exception as error:
                print('cleanup: workflow %s: %s' % (name, error),
                      file=sys.stderr)
    workflow_bench.delete_made(c, made, wait)


def check_quota(c, n, backups):
    """Refuse to start when the project's Cinder quota is too small.

    Refuse to start when the project's Cinder quota cannot hold N more volumes
    and `backups` more backups (Cinder's default is 10 backups a project; the
    minicloud sets 100): a refused backup would make the run 'partial' for a
    reason that is not the workflow's.
    """
    q = c.cinder.quotas.get(c.project_id, usage=True)
    short = []
    for key, need in (('volumes', n), ('backups', backups),
                      ('gigabytes', n), ('backup_gigabytes', backups)):
        use = getattr(q, key, None)
        if not isinstance(use, dict) or use.get('limit', -1) < 0:
            continue
        free = use['limit'] - use.get('in_use', 0) - use.get('reserved', 0)
        if free < need:
            short.append('%s: %d free, %d needed' % (key, free, need))
    if short:
        raise SystemExit('Cinder quota too small for N=%d (%s): raise it as '
                         'admin (openstack quota set)' % (n, '; '.join(short)))


def one(c, n, concurrency, workflow, only_schedule=False,
        timeline_to=None, in_use='force'):
    prefix = 'bench10-%s' % uuid.uuid4().hex[:6]
    made = {'servers': [], 'volumes': []}
    executions = []
    check_quota(c, n, backups=3 * n)   # the three schedule runs' backups
    try:
        make_volumes(c, prefix, n, made)
        sched = domain.Schedule(name=prefix, pattern='0 3 * * *',
                                in_use=in_use, concurrency=concurrency)
        trigger = sched.to_trigger()
        ex, wall = run_execution(
            c, trigger['workflow_identifier'], trigger['workflow_input'],
            {'description': 'benchmarks/runs_cloud.py'})
        executions.append(ex.id)
        out = json.loads(ex.output)
        nvol = len(out.get('volumes') or []) or n
        ours = figures(c, ex, wall, nvol, backups_of(c, made['volumes']))
        ours.update(status=out.get('status'), volumes=nvol,
                    backups=out.get('counts', {}).get('created'),
                    not_ok=not_ok(out))
        if timeline_to:
            with open('%s-%d.json' % (timeline_to, n), 'w') as f:
                json.dump(timeline(c, ex.id), f, indent=0)
        # the next two runs, as a schedule's runs after its first are: an
        # incremental onto each first backup (Cinder's time for a full
        # known), then one onto that (for an incremental known too)
        later = {}
        for key in ('again', 'steady'):
            before = {b.id for b in backups_of(c, made['volumes'])}
            ex, wall = run_execution(
                c, trigger['workflow_identifier'], trigger['workflow_input'],
                {'description': 'benchmarks/runs_cloud.py'})
            executions.append(ex.id)
            out = json.loads(ex.output)
            later[key] = figures(c, ex, wall, nvol, [
                b for b in backups_of(c, made['volumes'])
                if b.id not in before])
            later[key].update(status=out.get('status'), volumes=nvol,
                              backups=out.get('counts', {}).get('created'),
                              not_ok=not_ok(out))
            if timeline_to:
                with open('%s-%d-%s.json' % (timeline_to, n, key), 'w') as f:
                    json.dump(timeline(c, ex.id), f, indent=0)
        delete_backups(c, made['volumes'])
        if only_schedule:
            return dict(later, n=n, schedule=ours)

        ex, wall = run_execution(c, workflow,
                                 {'volume_ids': made['volumes']},
                                 {'description': 'benchmarks/runs_cloud.py'})
        executions.append(ex.id)
        plain = figures(c, ex, wall, len(made['volumes']),
                        backups_of(c, made['volumes']))
        plain.update(volumes=len(made['volumes']),
                     backups=len(backups_of(c, made['volumes'])))
        return dict(later, n=n, schedule=ours, sequential=plain)
    finally:
        cleanup(c, made, executions, None)


def sync_workbooks():
    """Install this checkout's workbooks, as the operator would.

    Install this checkout's workbooks (as admin, public, like the operator's
    backup-dashboard-sync-workbooks): the figures are for the workflows in
    workbooks/, not whatever Mistral held before.
    """
    adm = Clients(workflow_bench.creds('admin'))
    rep = bundled.sync(adm.mistral, scope='public',
                       project_id=adm.project_id)
    if rep['errors']:
        raise SystemExit('workbook sync failed: %s' % rep['errors'])
    if rep.get('created') or rep.get('updated'):
        print('workbooks synced: %s' % json.dumps(
            {k: rep.get(k) for k in ('created', 'updated')}), file=sys.stderr)


def results_section(in_use='force'):
    """The RESULTS.md section for the minicloud's cinder-backup driver.

    (section, title, preamble) of RESULTS.md for the minicloud's cinder-backup
    as its cinder.conf sets it up: runs against the no-op backup driver have a
    section of their own.
    """
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(os.path.join(REPO, '.minicloud', 'etc', 'cinder',
                           'cinder.conf'))
    workers = conf.get('DEFAULT', 'backup_workers', fallback='1')
    size = conf.get('DEFAULT', 'backup_file_size', fallback=None)
    if 'NoopBackupDriver' in conf.get('DEFAULT', 'backup_driver',
                                      fallback=''):
        section, title, backend = (
            'runs_cloud_noop', ', backups that move no data',
            'the minicloud\'s no-op backup driver '
            '(MINICLOUD_BACKUP_DRIVER=noop: Cinder does everything but '
            'read and store the data; what the workflows cost)')
        size = None
    else:
        section, title, backend = (
            'runs_cloud', '', 'the minicloud\'s file-backed driver '
            '(posix backups)')
    if in_use != 'force':
        # the product's default: each volume through a temporary snapshot
        section, title = (section + '_' + in_use,
                          title + ', volumes through temporary snapshots')
    setup = '%s cinder-backup worker(s)%s' % (
        workers, ', backup_file_size %d MiB' % (int(size) // 2 ** 20)
        if size else '')
    return (section, 'Runs on the real local OpenStack%s '
            '(benchmarks/runs_cloud.py)' % title,
            'Cinder: %s and %s; 1 GiB volumes; the schedule with in_use=%s; '
            'shared with other users of the cloud while measured.' % (
                backend, setup, in_use))


def waves(n, concurrency):
    """How many rounds of `concurrency` volumes N volumes take."""
    return -(-n // concurrency)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--sizes', default='1,5,20')
    parser.add_argument('--concurrency', type=int, default=4)
    parser.add_argument('--user', default='demo')
    parser.add_argument('--no-results', action='store_true',
                        help='do not refresh RESULTS.md')
    parser.add_argument('--timeline', metavar='PREFIX',
                        help='write the schedule run\'s task timeline to '
                        'PREFIX-<N>.json')
    parser.add_argument('--in-use', choices=domain.IN_USE_STRATEGIES,
                        default='force',
                        help='the schedule\'s in_use (force: the backup '
                        'reads the attached volume; snapshot, the product\'s '
                        'default: through a temporary snapshot); not force: '
                        'a RESULTS.md section of its own')
    parser.add_argument('--schedule-only', action='store_true',
                        help='skip the sequential baseline (implies '
                        '--no-results)')
    args = parser.parse_args()
    sync_workbooks()
    c = Clients(workflow_bench.creds(args.user))
    # The minicloud's APIs drop idle keep-alive connections: retry reads.
    retries = Retry(total=3, read=3, connect=3, backoff_factor=0.5,
                    allowed_methods=frozenset(['GET', 'HEAD', 'DELETE']))
    for scheme in ('http://', 'https://'):
        c.session.session.mount(scheme, HTTPAdapter(max_retries=retries))
    workflow = 'bench10_sequential_%s' % uuid.uuid4().hex[:6]
    c.mistral.workflows.create(sequential_definition(workflow),
                               scope='private')
    rows = []
    try:
        for n in [int(x) for x in args.sizes.split(',')]:
            row = one(c, n, args.concurrency, workflow, args.schedule_only,
                      args.timeline, args.in_use)
            rows.append(row)
            print(json.dumps(row), flush=True)
        if args.schedule_only:
            return 0
    finally:
        for name in (workflow, workflow + '_one'):
            try:
                c.mistral.workflows.delete(name)
            except Exception as error:
                print('cleanup: workflow %s: %s' % (name, error),
                      file=sys.stderr)
    headers = ['volumes', 'workflow', 'state', 'wall (s)',
               'Cinder makespan (s)', 'overhead (s)', 'overhead / volume (s)',
               'overhead / makespan',
               'task executions / volume (non-polling)',
               'API calls / volume', 'service calls / volume (polls)',
               'backups made']
    lines = []
    for row in rows:
        for label, key in (
                ('schedule (concurrency %d)' % args.concurrency, 'schedule'),
                ('schedule, next run (incremental)', 'again'),
                ('schedule, the run after (incremental)', 'steady'),
                ('plain sequential', 'sequential')):
            r = row[key]
            lines.append([row['n'], label, '%s %s' % (
                r['state'], r.get('status') or ''), r['wall_s'],
                r['cinder_makespan_s'], r['overhead_s'],
                r['overhead_per_volume_s'],
                '%.2f' % (r['overhead_s'] / r['cinder_makespan_s'])
                if r['cinder_makespan_s'] else '-',
                '%.2f (%.2f)' % (r['tasks_per_volume'],
                                 r['non_polling_tasks_per_volume']),
                r['api_calls_per_volume'],
                '%.2f (%.2f)' % (r['service_calls_per_volume'],
                                 r['polls_per_volume']),
                r['backups']])
    text = results.table(headers, lines)
    ratio = ['N=%d: schedule / sequential wall = %.2f; the schedule\'s '
             'wall per round of %d volumes (%d rounds) = %.1f s' % (
                 row['n'], row['schedule']['wall_s'] /
                 row['sequential']['wall_s'], args.concurrency,
                 waves(row['n'], args.concurrency),
                 row['schedule']['wall_s'] / waves(row['n'],
                                                   args.concurrency))
             for row in rows]
    # a run that is not 'ok' says why (the schedule's per-volume records)
    ratio += ['N=%d: %s: %s %s' % (
        row['n'], key, row[key]['status'], ', '.join(sorted(set(
            '%s (%s)' % (v['status'], v.get('error') or v.get('reason'))
            for v in row[key]['not_ok']))))
        for row in rows for key in ('schedule', 'again', 'steady')
        if row[key]['not_ok']]
    print(text)
    print('\n'.join(ratio))
    if not args.no_results:
        section, title, preamble = results_section(args.in_use)
        results.write_section(
            section, title, preamble + '\n\n' + text + '\n\n' +
            '\n'.join('- ' + r for r in ratio))
    return 0


if __name__ == '__main__':
    sys.exit(main())
