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

"""Render time and backend calls of Admin > Data Protection > Backups Overview.

Stubs every service client the overview reaches (Nova, Cinder, Mistral,
Keystone) with in-memory data and counts each backend request it makes,
for 10 projects x 10 and 10 projects x 100 instances (1 volume each, 3
schedules per project, 3 backups per volume, 8 days of daily runs with
their per-volume results). It renders the index, one project's page and
the CSV report through Django's test client, as an admin.

    .venv/bin/python -m benchmarks.overview     # from the checkout's root

Backend requests must not grow with the number of instances: the index and
the project page make one list call per resource type; the CSV report adds
one quota call per project (not per instance).
"""
import collections
import datetime
import json
import os
import statistics
import sys
import time
import unittest
from unittest import mock

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'testkit.settings')

import django  # noqa: E402

django.setup()

from django.test.utils import setup_databases  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()
setup_databases(verbosity=0, interactive=False)

from django.urls import reverse  # noqa: E402
from keystoneclient.v3 import projects as ks_projects  # noqa: E402
from keystoneclient.v3 import users as ks_users  # noqa: E402
from mistralclient.api.v2 import executions  # noqa: E402
from openstack_dashboard.api import cinder as cinder_api  # noqa: E402
from openstack_dashboard.api import keystone as keystone_api  # noqa: E402
from openstack_dashboard.test import helpers as horizon_helpers  # noqa

from backup_dashboard.api import compute  # noqa: E402
from backup_dashboard.api import mistral  # noqa: E402
from backup_dashboard.clock import cron as clock  # noqa: E402
from backup_dashboard import schedule as domain  # noqa: E402
from testkit import helpers  # noqa: E402
from testkit import overview_data as data  # noqa: E402

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)
PROJECTS = 10
SCHEDULES = 3
REPEAT = 5
RESULTS = collections.OrderedDict()


def estate(instances_per_project):
    est = collections.defaultdict(list)
    for p in range(PROJECTS):
        pid = 'proj-%02d' % p
        est['projects'].append(ks_projects.Project(None, {
            'id': pid, 'name': 'project-%02d' % p, 'enabled': True}))
        est['users'].append(ks_users.User(None, {'id': 'u%02d' % p,
                                                 'name': 'owner%02d' % p}))
        est['assignments'].append(data.assignment('u%02d' % p, pid,
                                                  'member'))
        names = ['sched-%d' % s for s in range(SCHEDULES)]
        for name in names:
            est['triggers'].append(data.trigger(
                name, pid, owner=('u%02d' % p, 'owner%02d' % p)))
        per_schedule = collections.Counter()
        for i in range(instances_per_project):
            vid = 'vol-%s-%d' % (pid, i)
            # 80 % assigned, round robin over the schedules
            tags = ['backup:%s' % names[i % SCHEDULES]] if i % 5 else []
            per_schedule[tags[0] if tags else None] += 1
            est['servers'].append(data.server('srv-%s-%d' % (pid, i),
                                              'vm-%d' % i, pid, tags,
                                              [vid]))
            est['volumes'].append(data.volume(vid, pid))
            for day in (20, 21, 22):
                est['backups'].append(data.backup(
                    'bk-%s-%d-%d' % (pid, i, day), vid, pid,
                    '2026-11-%02dT02:04:00.000000' % day))
        for name in names:
            volumes = [{'volume_id': 'v%d' % n, 'status': 'ok',
                        'backup_id': 'b%d' % n}
                       for n in range(per_schedule['backup:' + name])]
            for day in range(14, 23):
                est['runs'].append(executions.Execution(
                    executions.ExecutionManager(None), {
                        'id': 'run-%s-%s-%d' % (pid, name, day),
                        'workflow_name': domain.SCHEDULE_WORKFLOW,
                        'state': 'SUCCESS', 'project_id': pid,
                        'created_at': '2026-11-%02d 02:00:02' % day,
                        'description': json.dumps({'triggered_by': {
                            'type': 'cron_trigger',
                            'id': 'trig-' + name}}),
                        'output': json.dumps({
                            'status': 'ok', 'volumes': volumes,
                            'counts': {'ok': len(volumes)}})}))
    # Trigger ids must be unique across projects.
    for t in est['triggers']:
        t.id = 'trig-%s-%s' % (t.project_id, t.name)
    for r in est['runs']:
        d = json.loads(r.description)
        d['triggered_by']['id'] = 'trig-%s-%s' % (
            r.project_id, d['triggered_by']['id'][len('trig-'):])
        r.description = json.dumps(d)
    return est


class Client(object):
    """Stands for one service client; counts the requests made through it."""

    def __init__(self, counter, service, lists):
        self._counter, self._service, self._lists = counter, service, lists

    def __getattr__(self, manager):
        client = self

        class Manager(object):
            def __getattr__(self, method):
                def call(*args, **kwargs):
                    client._counter['%s %s.%s' % (client._service, manager,
                                                  method)] += 1
                    return client._lists[(manager, method)](*args, **kwargs)
                return call
        return Manager()


class Measure(helpers.TestCase, horizon_helpers.BaseAdminViewTests):
    instances = 10

    def test_measure(self):
        est = estate(self.instances)
        calls = collections.Counter()
        quota = mock.Mock(backups={'in_use': 1, 'limit': 10},
                          backup_gigabytes={'in_use': 1, 'limit': 1000})
        nova = Client(calls, 'nova', {
            ('servers', 'list'): lambda **kw: est['servers']})
        cinder = Client(calls, 'cinder', {
            ('volumes', 'list'): lambda **kw: est['volumes'],
            ('backups', 'list'): lambda **kw: est['backups'],
            ('quotas', 'get'): lambda *a, **kw: quota})
        mistral_client = Client(calls, 'mistral', {
            ('cron_triggers', 'list'): lambda **kw: est['triggers'],
            ('executions', 'list'): lambda **kw: est['runs'],
            ('workflows', 'list'): lambda **kw: []})

        def keystone(name, value):
            def call(*args, **kwargs):
                calls['keystone %s' % name] += 1
                return value
            return call
        patches = [
            mock.patch.object(compute, '_client', return_value=nova),
            mock.patch.object(cinder_api, 'cinderclient',
                              return_value=cinder),
            mock.patch.object(mistral, 'mistralclient',
                              return_value=mistral_client),
            mock.patch.object(keystone_api, 'tenant_list',
                              keystone('projects', (est['projects'],
                                                    False))),
            mock.patch.object(keystone_api, 'user_list',
                              keystone('users', est['users'])),
            mock.patch.object(keystone_api, 'role_assignments_list',
                              keystone('role_assignments',
                                       est['assignments'])),
            mock.patch.object(clock, 'now', return_value=NOW),
            # The workflow check reads the bundled files; not a request.
            mock.patch('backup_dashboard.bundled.check', side_effect=lambda
                       client: list(client.workflows.list()) and []),
        ]
        for patch in patches:
            patch.start()
        try:
            pages = (
                ('index', reverse('horizon:admin:backups_overview:index')),
                ('project page', reverse(
                    'horizon:admin:backups_overview:project',
                    args=['proj-03'])),
                ('CSV report', reverse('horizon:admin:backups_overview:csv')),
            )
            for label, url in pages:
                times, cpu = [], []
                for _ in range(REPEAT):
                    calls.clear()
                    t0, c0 = time.perf_counter(), time.process_time()
                    res = self.client.get(url)
                    times.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
                    assert res.status_code == 200, (url, res.status_code)
                RESULTS[(self.instances, label)] = (
                    statistics.median(times), statistics.median(cpu),
                    dict(calls))
        finally:
            for patch in patches:
                patch.stop()


class Measure100(Measure):
    instances = 100


def main():
    suite = unittest.TestSuite()
    for cls in (Measure, Measure100):
        suite.addTest(cls('test_measure'))
    result = unittest.TextTestRunner(verbosity=0).run(suite)
    if not result.wasSuccessful():
        return 1
    print('\nBackups Overview, %d projects, %d schedules each, stubbed '
          'clients, median of %d renders:' % (PROJECTS, SCHEDULES, REPEAT))
    print('  (wall time depends on the machine\'s load; CPU time is this '
          'process\'s, the parallel calls\' threads included)')
    for (instances, label), (seconds, cpu, calls) in RESULTS.items():
        print('  %4d instances/project  %-12s  wall %7.1f ms  CPU %7.1f ms'
              '  %2d backend requests' % (instances, label, seconds * 1000,
                                          cpu * 1000, sum(calls.values())))
    for label in ('index', 'project page', 'CSV report'):
        small = RESULTS[(10, label)][2]
        big = RESULTS[(100, label)][2]
        print('  %-12s requests at 10 and 100 instances/project: %s'
              % (label, 'identical' if small == big else 'DIFFER'))
    print('  requests (100 instances/project, index): %s' % ', '.join(
        '%s=%d' % kv for kv in sorted(RESULTS[(100, 'index')][2].items())))
    return 0


if __name__ == '__main__':
    sys.exit(main())
