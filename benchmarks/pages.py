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

"""The plugin's pages at scale, side by side with mistral-dashboard.

Server-side render time and backend calls of the plugin's pages at scale, side
by side with mistral-dashboard (not a timed test).

    .venv-bench/bin/python -m benchmarks.pages [--repeat 3] [--quick]
        [--no-results]                        # from the checkout's root

(``.venv/bin/python`` works too and measures our pages only: mistral-dashboard
is installed in ``.venv-bench`` alone; see ``benchmarks/README.rst``.)

Mistral, Nova and Cinder are stubbed at the HTTP transport by generated data
(``benchmarks/fakecloud.py``), so the plugin's api layer, python-mistralclient,
novaclient and cinderclient and their resource classes all run for real; a
backend call is one HTTP request reaching the stub. Pages are rendered
through the real URLs and views by Django's test client, logged in with
Horizon's test helpers (``testkit/helpers.TestCase``, the unit tests' base).

Each page is requested once to warm up (and checked: status 200, rows
shown), once more to count its backend calls, then ``--repeat`` times at
each of 16 stack depths a KiB apart (``alignment.py``: where CPython's frame
stack chunks end changes a page's time by up to half, and a server's depth
is not the page's choice), interleaved with the other pages of its group
(ours and mistral-dashboard's in the same round, at the same depth). A
page's time is the mean over the depths of its median at each depth; a
ratio is ours / theirs of those, with the lowest and highest ratio at one
depth beside it.
The timed rounds render templates with Django's own ``Template._render``,
as a server does: the test environment's instrumented render (a signal per
template, and the test client copying the context each time) is kept for
the warm-up only, whose ``response.context`` counts the rows.

Groups:
- Backup Schedules index with 10 / 100 / 1,000 schedules; mistral-dashboard's
  Cron Triggers index over the same triggers.
- One schedule with 10 / 1,000 / 10,000 runs: its detail page's Runs tab and
  the Backup Runs index filtered to it; mistral-dashboard's Executions index
  over the same executions.
- Project-wide Backup Runs index with 10 / 1,000 / 10,000 runs of 100
  schedules; mistral-dashboard's Executions index over the same executions.
- Restore history of a volume with 10 / 500 backups, its newest page and an
  older one (?older=), when the restore panel exists; rows shown: the
  restore points drawn.
- Instances index with 200 instances with and without the plugin
  (``benchmarks/instances_calls.py``, Horizon's own index test machinery).
"""
import argparse
import contextlib
import datetime
import functools
import gc
import json
import os
import statistics
import sys
import time
import unittest

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'benchmarks.settings')

import django  # noqa: E402

django.setup()

from django.test.utils import setup_databases  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()
# Horizon's TestCase is a Django TestCase: it wants a (test) database.
setup_databases(verbosity=0, interactive=False)

from django.conf import settings  # noqa: E402
from django.template import Template  # noqa: E402
from django.test import utils as test_utils  # noqa: E402
from django.urls import NoReverseMatch  # noqa: E402
from django.urls import reverse  # noqa: E402

from backup_dashboard import bundled  # noqa: E402
from backup_dashboard.clock import cron as clock  # noqa: E402
from backup_dashboard.clock import plans  # noqa: E402
from backup_dashboard.clock import timing  # noqa: E402
from backup_dashboard.dashboards.project.schedules.views import \
    RECENT_RUNS  # noqa: E402
from backup_dashboard import schedule as domain  # noqa: E402
from benchmarks import alignment  # noqa: E402
from benchmarks import fakecloud  # noqa: E402
from benchmarks import results  # noqa: E402
from testkit import helpers  # noqa: E402

PEER = 'mistraldashboard' in settings.INSTALLED_APPS
NOW = datetime.datetime.now(datetime.timezone.utc).replace(
    tzinfo=None, microsecond=0)
STAMP = '%Y-%m-%d %H:%M:%S'
PROJECT = '1'           # Horizon's test tenant
AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}
SERVICES = ('mistral', 'nova', 'cinder', 'keystone', 'unrouted')
MISTRAL_MAX_LIMIT = fakecloud.MISTRAL_MAX_LIMIT
NOTES = []      # what a run of the pages found out besides the figures


# --- generated data, as the services' APIs return it -----------------------

@functools.lru_cache(maxsize=None)
def _trigger_of(local_pattern, zone):
    pattern, plan = plans.trigger_for(local_pattern, zone)
    return pattern, plan, timing.for_trigger(local_pattern, pattern)


def schedule_of(i):
    """Daily at a quarter hour in Paris (96 distinct times), as saved."""
    minute, hour = (i % 4) * 15, i % 24
    local = '%d %d * * *' % (minute, (hour + 1) % 24)
    pattern, plan, facts = _trigger_of(local, 'Europe/Paris')
    return domain.Schedule(
        name='sched-%04d' % i, pattern=pattern, plan=plan, timing=facts,
        description='Generated schedule %d' % i, timezone='Europe/Paris',
        local_pattern=local, max_full=2, max_incremental=6,
        report_to=['ops@example.com'])


def trigger_of(i):
    """The trigger the plugin saves today.

    The UTC pattern covering Paris's two offsets, and the time zone plan in its
    params.
    """
    schedule = schedule_of(i)
    kwargs = schedule.to_trigger()
    params = kwargs['workflow_params']
    return {
        'id': 'trig-%04d' % i, 'name': schedule.name,
        'pattern': kwargs['pattern'],
        'workflow_name': kwargs['workflow_identifier'],
        'workflow_id': 'wf-schedule', 'workflow_namespace': '',
        'workflow_input': json.dumps(kwargs['workflow_input']),
        'workflow_params': json.dumps(params),
        'scope': 'private', 'project_id': PROJECT,
        'created_at': '2026-01-01 00:00:00', 'updated_at': None,
        'next_execution_time': (NOW + datetime.timedelta(
            minutes=i % 1440 + 1)).strftime(STAMP),
        'first_execution_time': None, 'remaining_executions': None,
    }


def foreign_triggers(count):
    """Cron triggers of other workflows: in Mistral, not ours to show."""
    return [{'id': 'trig-echo-%d' % i, 'name': 'echo-%d' % i,
             'pattern': '0 * * * *', 'workflow_name': 'std.echo',
             'workflow_id': 'wf-echo', 'workflow_namespace': '',
             'workflow_input': '{"output": "x"}', 'workflow_params': '{}',
             'scope': 'private', 'project_id': PROJECT,
             'created_at': '2026-01-01 00:00:00', 'updated_at': None,
             'next_execution_time': NOW.strftime(STAMP),
             'first_execution_time': None, 'remaining_executions': None}
            for i in range(count)]


def run_of(n, trigger, started, volumes=4):
    """One finished run as Mistral returns it, with its published result.

    One finished run as Mistral returns it, with the published result
    (docs/workflows.rst) of `volumes` volumes, one of them failed every tenth
    run.
    """
    failed = n % 10 == 0
    rows = []
    for v in range(volumes):
        bad = failed and v == 0
        rows.append({
            'server': 'srv-%04d' % (v // 2), 'server_name': 'vm-%d' % (v // 2),
            'volume': 'vol-%04d-%d' % (n % 1000, v),
            'volume_name': 'data-%d' % v,
            'status': 'failed' if bad else 'ok',
            'backup': None if bad else 'bk-%06d-%d' % (n, v),
            'kind': None if bad else ('full' if n % 7 == 0 else 'incremental'),
            'size': None if bad else 10, 'seconds': None if bad else 42,
            'deleted': [] if bad else ['bk-old-%06d-%d' % (n, v)],
            'delete_errors': [],
            'error': 'VolumeBackupsExceeded: Maximum number of backups '
                     'allowed (100) exceeded' if bad else None,
            'reason': None})
    counts = {'ok': volumes - failed, 'failed': int(failed), 'skipped': 0,
              'created': volumes - failed, 'deleted': volumes - failed}
    ended = started + datetime.timedelta(seconds=125 + n % 60)
    workflow_input = json.loads(trigger['workflow_input'])
    return {
        'id': 'ex-%s-%06d' % (trigger['id'], n),
        'workflow_name': domain.SCHEDULE_WORKFLOW,
        'workflow_id': 'wf-schedule', 'workflow_namespace': '',
        'description': json.dumps({
            'description': 'Workflow execution created by cron trigger.',
            'triggered_by': {'type': 'cron_trigger', 'id': trigger['id'],
                             'name': trigger['name']}}),
        'tags': None, 'params': json.dumps({'namespace': ''}),
        'input': json.dumps(workflow_input),
        'output': json.dumps({
            'schedule': trigger['name'],
            'status': 'partial' if failed else 'ok', 'volumes': rows,
            'counts': counts, 'report': None, 'meta_errors': [],
            'error': None}),
        'state': 'SUCCESS', 'state_info': None,
        'created_at': started.strftime(STAMP),
        'updated_at': ended.strftime(STAMP),
        'project_id': PROJECT, 'root_execution_id': None,
        'task_execution_id': None,
    }


def not_due_run_of(n, trigger, started):
    """A fire of the union pattern the DST guard ended at once."""
    run = run_of(n, trigger, started, volumes=0)
    run['output'] = json.dumps({'schedule': trigger['name'],
                                'status': plans.NOT_DUE, 'volumes': [],
                                'counts': {}, 'report': None,
                                'meta_errors': [], 'error': None})
    run['updated_at'] = (started + datetime.timedelta(seconds=2)).strftime(
        STAMP)
    return run


def fires_of(triggers, days):
    """What Mistral holds after `days` days of `triggers`.

    A run at each fire the plan says is due, a not-due execution at each other
    fire of the union pattern; newest first.
    """
    out = []
    for trigger in triggers:
        plan = plans.plan_of(domain.as_dict(trigger['workflow_params']))
        for fire in plans.runs(trigger['pattern'], None,
                               NOW - datetime.timedelta(days=days),
                               NOW - datetime.timedelta(minutes=1)):
            make = run_of if plans.due(plan, fire) else not_due_run_of
            out.append(make(len(out), trigger, fire.replace(tzinfo=None)))
    return sorted(out, key=lambda r: (r['created_at'], r['id']),
                  reverse=True)


def runs_of(triggers, count, every):
    """`count` runs, newest first, round-robin over `triggers`.

    `count` runs, newest first, one every `every`, round-robin over `triggers`
    (the newest started a minute ago).
    """
    start = NOW - datetime.timedelta(minutes=1)
    return [run_of(n, triggers[n % len(triggers)], start - every * n)
            for n in range(count)]


def bundled_workflows():
    """The bundled workflows as Mistral lists them: up to date (public)."""
    out = []
    texts = dict(bundled.bundled())
    for name, (filename, marker) in sorted(bundled.expected().items()):
        out.append({'id': 'wf-%s' % name, 'name': name, 'namespace': '',
                    'scope': 'public', 'project_id': 'admin-project',
                    'tags': [bundled.TAG, marker], 'input': '',
                    'definition': texts[filename],
                    'created_at': '2026-01-01 00:00:00', 'updated_at': None})
    return out


def servers(count, schedules):
    """`count` servers; every other one tagged for one of `schedules`."""
    out = []
    for i in range(count):
        tags = ['backup:%s' % schedules[i % len(schedules)]] \
            if schedules and i % 2 == 0 else []
        out.append({
            'id': 'srv-%04d' % i, 'name': 'vm-%d' % i, 'status': 'ACTIVE',
            'tenant_id': PROJECT, 'user_id': 'u', 'tags': tags,
            'metadata': {'backup_dashboard:last_status': 'ok'} if tags else {},
            'addresses': {}, 'flavor': {'id': '1'}, 'image': '',
            'created': '2026-01-01T00:00:00Z',
            'updated': '2026-01-01T00:00:00Z', 'links': [],
            'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': None,
            'OS-EXT-STS:power_state': 1, 'OS-EXT-AZ:availability_zone': 'nova',
            'os-extended-volumes:volumes_attached': [
                {'id': 'vol-%04d-0' % i}]})
    return out


def volume_of(volume_id):
    return {'id': volume_id, 'name': 'data-%s' % volume_id, 'size': 10,
            'status': 'in-use', 'bootable': 'false', 'metadata': {},
            'attachments': [{'server_id': 'srv-0000', 'volume_id': volume_id,
                             'device': '/dev/vdb', 'id': volume_id}],
            'availability_zone': 'nova', 'volume_type': 'lvmdriver-1',
            'created_at': '2026-01-01T00:00:00.000000', 'encrypted': False,
            'os-vol-tenant-attr:tenant_id': PROJECT, 'description': None,
            'snapshot_id': None, 'source_volid': None, 'multiattach': False}


def backups_of(volume_id, count):
    """`count` backups of one volume, a full every 7th, newest first."""
    out = []
    for n in range(count):
        created = NOW - datetime.timedelta(days=n)
        out.append({
            'id': 'bk-%s-%04d' % (volume_id, n), 'volume_id': volume_id,
            'name': 'sched-0000-%s' % created.strftime('%Y%m%d-%H%M%S'),
            'description': 'Automated backup by backup-dashboard schedule '
                           'sched-0000',
            'status': 'available', 'size': 10, 'object_count': 22,
            'is_incremental': n % 7 != 6, 'has_dependent_backups': False,
            'container': 'backups', 'availability_zone': 'nova',
            'created_at': created.strftime('%Y-%m-%dT%H:%M:%S.000000'),
            'updated_at': created.strftime('%Y-%m-%dT%H:%M:%S.000000'),
            'data_timestamp': created.strftime('%Y-%m-%dT%H:%M:%S.000000'),
            'snapshot_id': None, 'fail_reason': None,
            'metadata': {'backup_dashboard:schedule': 'sched-0000'},
            'os-backup-project-attr:project_id': PROJECT})
    return out


# --- measuring --------------------------------------------------------------

class Page(object):
    def __init__(self, label, url, side='ours', headers=None, rows=None,
                 before=None, first_view=False):
        self.label, self.url, self.side = label, url, side
        self.headers = headers or {}
        self.before = before        # called before each request, untimed
        # a first view may make one call per row shown, on top of the
        # calls of its smallest N (constant_calls)
        self.first_view = first_view
        self.rows = rows            # how to count the rows shown
        self.times = []
        self.cpu = []
        self.depths = []        # the stack depth step of each timed round
        self.calls = None
        self.call_detail = ''
        self.shown = None


def _rows_of(response):
    context = getattr(response, 'context', None)
    try:
        table = context and (context.get('table') or
                             context.get('runs_table'))
    except Exception:
        table = None
    if table is not None:
        return len(table.data)
    text = response.content.decode()
    return text.count('<tr ') - text.count('<tr class="empty')


def _restore_points(response):
    """The restore points a history page draws (one row each)."""
    return response.content.decode().count('class="backup-restore-point ')


class Bench(helpers.TestCase):
    """One Horizon test case.

    Logged in like the unit tests (as an admin too, since mistral-dashboard's
    dashboard asks for the admin role).
    """
    # Horizon's test data already has `groups` (Keystone's): bench_ names.
    bench_cloud = None
    bench_groups = None
    bench_repeat = 7

    def _setup_user(self, **kwargs):
        kwargs.setdefault('roles', [{'id': '1', 'name': 'admin'},
                                    {'id': '2', 'name': 'member'},
                                    {'id': '3', 'name': 'reader'}])
        super()._setup_user(**kwargs)

    def get(self, page, step=0):
        """A request made `step` KiB deeper in the stack, timed.

        (response, wall seconds, CPU seconds of the whole process, every thread
        included: the parallel calls' threads too), the request made `step` KiB
        deeper in the stack (alignment.py).
        """
        if page.before:
            page.before()
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        response = alignment.at_step(step, lambda: self.client.get(
            page.url, **page.headers))
        return (response, time.perf_counter() - t0,
                time.process_time() - c0)

    def test_pages(self):
        with self.bench_cloud.installed():
            for group in self.bench_groups:
                group.run(self)
        self.missing_mocks = False  # no real connection could be made:
        # the transport is replaced; a 404 of the stub is reported instead


@contextlib.contextmanager
def rendering_as_in_production():
    """Django's own template rendering for the timed rounds.

    A test environment (which Horizon's logged-in test client needs) has
    every template render send a signal and the test client copy the
    whole context each time, for ``response.context``: a cost no server
    pays, and one that grows with the number of templates a page includes
    (a table's row actions are a few templates per row). The warm-up and
    the counted request keep it: rows are counted from the context.
    """
    saved = Template._render
    Template._render = test_utils._TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = saved


class Group(object):
    """Pages measured together over the same data (interleaved)."""

    def __init__(self, name, n, data, pages):
        self.name, self.n, self.data, self.pages = name, n, data, pages

    def run(self, case):
        cloud = case.bench_cloud
        cloud.load(**self.data())
        for page in self.pages:
            response = case.get(page)[0]          # warm-up
            if response.status_code != 200:
                raise SystemExit('%s: HTTP %d at %s' % (
                    page.label, response.status_code, page.url))
            page.shown = page.rows(response) if page.rows else \
                _rows_of(response)
            cloud.reset_counts()
            case.get(page)
            page.calls = {svc: cloud.total(svc) for svc in SERVICES}
            page.call_detail = cloud.summary()
        with rendering_as_in_production():
            for step in alignment.steps(case.bench_repeat):
                for page in self.pages:
                    _response, wall, cpu = case.get(page, step)
                    page.times.append(wall)
                    page.cpu.append(cpu)
                    page.depths.append(step)
        cloud.load(triggers=[], executions=[], servers=[], backups=[],
                   volumes=[])


def typical(page, what='times'):
    """A page's time over all stack depths (alignment.py)."""
    return alignment.mean_of_medians(getattr(page, what), page.depths)


def ratio(ours, theirs, what='times'):
    """Ours / theirs of their times over all stack depths.

    ours / theirs of their times over all stack depths, and the lowest and
    highest ratio at one depth (rounds are interleaved: both pages of a ratio
    were measured at the same depth, in the same moments).
    """
    at_each = alignment.ratios_by_depth(getattr(ours, what),
                                        getattr(theirs, what), ours.depths)
    return (typical(ours, what) / typical(theirs, what),
            min(at_each), max(at_each))


def url(name, *args, query=''):
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return None


def schedule_groups(sizes):
    groups = []
    for n in sizes:
        def data(n=n):
            triggers = [trigger_of(i) for i in range(n)] + foreign_triggers(5)
            # every schedule ran once a day for the last three days (and
            # Mistral fired it once more a day, a fire that was not due)
            runs = fires_of(triggers[:n], days=3)
            recent = {json.loads(r['description'])['triggered_by']['id']
                      for r in runs[:RECENT_RUNS]
                      if json.loads(r['output'])['status'] != plans.NOT_DUE}
            page = [t['id'] for t in sorted(triggers[:n],
                                            key=lambda t: t['name'])[:20]]
            older = sum(1 for i in page if i not in recent)
            if older:
                NOTES.append(
                    'Backup Schedules index, N=%d: %d of the first page\'s '
                    '20 schedules have no run among the project\'s %d '
                    'newest executions (%d a day): the index asks '
                    'Mistral for the last run of each of those, in '
                    'parallel (at most one call per row shown).' % (
                        n, older, RECENT_RUNS, 2 * n))
            return dict(triggers=triggers, executions=runs,
                        workflows=bundled_workflows(),
                        servers=servers(200, [t['name']
                                              for t in triggers[:n]]))
        index = url('horizon:project:backup_schedules:index')
        pages = [Page('Backup Schedules index', index),
                 Page('Backup Schedules index, caches empty',
                      index, before=forget_everything, first_view=True)]
        if PEER:
            pages.append(Page('mistral-dashboard Cron Triggers index', url(
                'horizon:mistral:cron_triggers:index'), side='theirs'))
        groups.append(Group('schedules', n, data, pages))
    return groups


def forget_everything():
    """What the plugin has worked out or kept from earlier pages, forgotten.

    What the first view of a day pays (the zones' clock changes, read once a
    day) and, on top, what a process just started pays (patterns read, their
    intervals, descriptions and plans, once per text), and the schedules'
    older runs the index keeps ten minutes in the deployment's cache. Only
    the plugin's entries of that cache: Horizon's own (the compressor's and
    the Angular templates' fragments) are warm for mistral-dashboard's page
    as well, and emptying them measured Horizon, not the plugin.
    """
    from backup_dashboard import executions
    from django.core.cache import cache
    for cached in (clock.transitions, clock.cron_sets, clock.intervals,
                   executions._read_description):
        cached.cache_clear()
    # LocMemCache (testkit/settings.py): its keys are "prefix:version:key"
    for key in [k for k in list(cache._cache)
                if k.split(':', 2)[-1].startswith('backup_dashboard:')]:
        cache._cache.pop(key, None)
        cache._expire_info.pop(key, None)


def runs_groups(sizes):
    groups = []
    for n in sizes:
        def one_schedule(n=n):
            triggers = [trigger_of(i) for i in range(10)]
            # one schedule, hourly, n runs
            runs = runs_of(triggers[:1], n, datetime.timedelta(hours=1))
            return dict(triggers=triggers, executions=runs,
                        workflows=bundled_workflows(),
                        servers=servers(20, ['sched-0000']))
        name = 'sched-0000'
        pages = [
            Page("Schedule detail, Runs tab", url(
                'horizon:project:backup_schedules:detail', name,
                query='?tab=schedule_details__runs'), headers=AJAX),
            Page('Backup Runs index of the schedule', url(
                'horizon:project:backup_runs:index',
                query='?schedule=%s' % name)),
        ]
        if PEER:
            pages.append(Page('mistral-dashboard Executions index', url(
                'horizon:mistral:executions:index'), side='theirs'))
        groups.append(Group('schedule runs', n, one_schedule, pages))
    for n in sizes:
        def project(n=n):
            triggers = [trigger_of(i) for i in range(100)]
            # 100 hourly schedules: 100 runs an hour
            runs = runs_of(triggers, n, datetime.timedelta(seconds=36))
            since = (NOW - datetime.timedelta(days=30)).strftime(STAMP)
            recent = sum(1 for r in runs if r['created_at'] >= since)
            if recent > MISTRAL_MAX_LIMIT:
                NOTES.append(
                    'Backup Runs index, N=%d: %d runs in the last 30 days; '
                    'the 30-day chart is drawn from one list call, which '
                    'Mistral caps at %d runs (the newest): the chart '
                    'counts %d of them.' % (n, recent, MISTRAL_MAX_LIMIT,
                                            MISTRAL_MAX_LIMIT))
            return dict(triggers=triggers, executions=runs,
                        workflows=bundled_workflows(), servers=[])
        pages = [Page('Backup Runs index (project)', url(
            'horizon:project:backup_runs:index'))]
        if PEER:
            pages.append(Page('mistral-dashboard Executions index', url(
                'horizon:mistral:executions:index'), side='theirs'))
        groups.append(Group('project runs', n, project, pages))
    return groups


def restore_groups(sizes):
    """The restore history of one volume, and an older page of it.

    The restore history of one volume (the restore panel's page for
    ?volume_id=) and an older page of it (?older=, from the backup half-way
    back), if the restore panel exists. Rows shown: restore points.
    """
    volume = 'vol-0000-0'
    found = url('horizon:project:backup_restore:index',
                query='?volume_id=%s' % volume)
    if not found:
        return []
    groups = []
    for n in sizes:
        middle = backups_of(volume, n)[n // 2]['id']

        def data(n=n):
            return dict(volumes=[volume_of(volume)] + [
                volume_of('vol-%04d-0' % i) for i in range(1, 20)],
                backups=backups_of(volume, n),
                servers=servers(20, ['sched-0000']),
                triggers=[trigger_of(0)],
                executions=[], workflows=bundled_workflows(),
                limits={'maxTotalBackups': 1000, 'totalBackupsUsed': n,
                        'maxTotalBackupGigabytes': 10000,
                        'totalBackupGigabytesUsed': 10 * n,
                        'maxTotalVolumes': 50, 'totalVolumesUsed': 20,
                        'maxTotalVolumeGigabytes': 1000,
                        'totalGigabytesUsed': 200})
        groups.append(Group('restore history', n, data, [
            Page('Restore history of a volume', found,
                 rows=_restore_points),
            Page('Restore history of a volume, older page',
                 '%s&older=%s' % (found, middle), rows=_restore_points)]))
    return groups


def run_pages(groups, repeat):
    cloud = fakecloud.FakeCloud()
    case = type('PagesBench', (Bench,), {
        'bench_cloud': cloud, 'bench_groups': groups, 'bench_repeat': repeat})
    result = unittest.TextTestRunner(stream=open(os.devnull, 'w')).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(case))
    if not result.wasSuccessful():
        for _test, trace in result.errors + result.failures:
            print(trace, file=sys.stderr)
        raise SystemExit('measurement failed')


def ms(seconds):
    return '%.1f' % (seconds * 1000)


def report(groups, repeat):
    lines = []
    rows = []
    for group in groups:
        for page in group.pages:
            rows.append([page.label, group.n, page.shown,
                         ms(typical(page, 'times')),
                         ms(typical(page, 'cpu')),
                         sum(page.calls[s] for s in SERVICES[:-1])] +
                        [page.calls[s] for s in SERVICES])
    headers = ['page', 'N', 'rows shown', 'wall ms', 'CPU ms',
               'backend calls',
               'Mistral', 'Nova', 'Cinder', 'Keystone', 'unrouted (404)']
    lines.append(results.table(headers, rows))
    ratios = []
    for group in groups:
        theirs = [p for p in group.pages if p.side == 'theirs']
        for page in group.pages:
            if page.side == 'ours' and theirs:
                wall = ratio(page, theirs[0], 'times')
                cpu = ratio(page, theirs[0], 'cpu')
                ratios.append([page.label, theirs[0].label, group.n,
                               '%.2f' % wall[0], '%.2f' % cpu[0],
                               '%.2f-%.2f' % cpu[1:]])
    if ratios:
        lines.append('\nOurs / theirs (interleaved rounds, %d at each of %d '
                     'stack depths):\n' % (repeat, alignment.STEPS))
        lines.append(results.table(['ours', 'theirs', 'N',
                                    'ours / theirs (wall)',
                                    'ours / theirs (CPU)',
                                    'CPU ratio at one depth: lowest-highest'],
                                   ratios))
    calls = []
    for group in groups:
        for page in group.pages:
            calls.append('- %s, N=%d: %s' % (page.label, group.n,
                                             page.call_detail))
    lines.append('\nBackend calls of each page (one request):\n')
    lines.append('\n'.join(calls))
    return '\n'.join(lines)


def constant_calls(groups):
    """The pages whose number of backend calls grows with N.

    (pages whose number of backend calls changes with N, first views whose
    calls grow by at most one per row shown), each with its calls at each N and
    the rows shown.
    """
    by_label = {}
    for group in groups:
        for page in group.pages:
            if page.side == 'ours':
                by_label.setdefault((group.name, page.label, page.first_view),
                                    []).append(
                    (group.n, sum(page.calls[s] for s in SERVICES),
                     page.shown))
    growing, per_row = [], []
    for (_g, label, first_view), seen in by_label.items():
        if len({c for _n, c, _r in seen}) == 1:
            continue
        text = '%s (%s calls at N=%s, showing %s rows)' % (
            label, ' / '.join(str(c) for _n, c, _r in seen),
            ' / '.join(str(n) for n, _c, _r in seen),
            ' / '.join(str(r) for _n, _c, r in seen))
        least = min(c for _n, c, _r in seen)
        if first_view and all(c - least <= r for _n, c, r in seen):
            per_row.append(text)
        else:
            growing.append(text)
    return growing, per_row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repeat', type=int, default=3,
                        help='timed rounds at each of the %d stack depths'
                        % alignment.STEPS)
    parser.add_argument('--quick', action='store_true',
                        help='the smallest sizes only, one round per depth')
    parser.add_argument('--no-results', action='store_true',
                        help='do not refresh RESULTS.md')
    parser.add_argument('--skip-instances', action='store_true')
    parser.add_argument('--futurist-idle', type=float, metavar='SECONDS',
                        help="shorten futurist's worker idle wait (1 s) to "
                        'show what the pages cost without it')
    parser.add_argument('--only', help='groups whose name has one of these '
                        'comma-separated texts (schedules, schedule runs, '
                        'project runs, restore)')
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
    idle = parallel_overhead()
    if args.futurist_idle is not None:
        from futurist import _thread
        _thread.ThreadWorker.MAX_IDLE_FOR = args.futurist_idle
        idle = '%s; with --futurist-idle %s: %s' % (
            idle, args.futurist_idle, parallel_overhead())
    schedules = (10, 100) if args.quick else (10, 100, 1000)
    runs = (10, 1000) if args.quick else (10, 1000, 10000)
    backups = (10,) if args.quick else (10, 500)
    groups = schedule_groups(schedules) + runs_groups(runs) + \
        restore_groups(backups)
    section = 'pages'
    if args.only:
        wanted = args.only.split(',')
        groups = [g for g in groups if any(w in g.name for w in wanted)]
        args.skip_instances = True
        section += '_only_' + '_'.join(w.replace(' ', '-') for w in wanted)
    if args.futurist_idle is not None:
        section += '_futurist_idle'
    run_pages(groups, args.repeat)
    text = report(groups, args.repeat)
    growing, per_row = constant_calls(groups)
    summary = ['Wall time of one horizon.utils.futurist_utils.'
               'call_functions_parallel of two functions that return at '
               'once: %s' % idle,
               'Backend calls constant in N: %s' % (
                   'yes, every page (first views: see below)'
                   if not growing else 'NO: ' + ', '.join(growing))]
    if per_row:
        summary.append(
            'First views, at most one call more per row shown (a page is 20 '
            'rows whatever N): %s. A shown schedule whose last run is not '
            "among the project's %d newest costs one call, and that run is "
            'then kept ten minutes.' % ('; '.join(per_row), RECENT_RUNS))
    summary += NOTES
    if not restore_groups(backups):
        summary.append('Restore history: not measured (no restore panel in '
                       'this tree).')
    if not PEER:
        summary.append('mistral-dashboard is not installed in this '
                       'virtualenv: no peer ratio (use .venv-bench).')
    instances = None
    if not args.skip_instances:
        from benchmarks import instances_calls
        # about 3 s a request under Horizon's index-test mocks: one
        # round at each depth
        instances = instances_calls.measure(repeat=1)
    print(text)
    print('\n'.join(summary))
    if instances:
        print()
        print(instances)
    if not args.no_results:
        results.write_section(
            section, 'Pages at scale (benchmarks/pages.py %s)' % ' '.join(
                sys.argv[1:]),
            'Stubbed at the HTTP transport (benchmarks/fakecloud.py); '
            'server-side time of one page request through Django\'s test '
            'client (timed rounds render templates as a server does, without '
            'the test environment\'s per-template signal and context copy), '
            'in rounds interleaved with the other pages of its group, %d '
            'at each of %d stack depths a KiB apart; a figure is the mean '
            'over the depths of the median at each depth '
            '(benchmarks/alignment.py: CPython\'s frame stack chunks). '
            'Virtualenv: %s; mistral-dashboard %s.\n\n'
            % (args.repeat, alignment.STEPS, sys.prefix, _peer_version()) +
            text + '\n\n' +
            '\n'.join('- ' + s for s in summary) +
            ('\n\n' + instances if instances else ''))
    return 0


def parallel_overhead():
    """What Horizon's parallel-call helper costs by itself.

    What Horizon's parallel-call helper costs by itself (futurist's pool: its
    idle workers notice the shutdown only after MAX_IDLE_FOR).
    """
    from importlib import metadata
    from openstack_dashboard.utils import futurist_utils
    times = []
    for _ in range(3):
        started = time.perf_counter()
        futurist_utils.call_functions_parallel(lambda: 1, lambda: 2)
        times.append(time.perf_counter() - started)
    return '%.3f s (futurist %s)' % (statistics.median(times),
                                     metadata.version('futurist'))


def _peer_version():
    try:
        from importlib import metadata
        return metadata.version('mistral-dashboard')
    except Exception:
        return 'not installed'


if __name__ == '__main__':
    sys.exit(main())
