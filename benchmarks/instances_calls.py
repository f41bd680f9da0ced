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

"""API calls made by Horizon's Instances index, with and without the plugin.

Runs Horizon's own index test machinery (the same mocks as Horizon's
``test_index``: every service call Horizon makes goes through one of them,
and any call that reaches the network is caught by Horizon's TestCase) with
1 and 200 instances, and counts:

- the calls into ``openstack_dashboard.api`` (one per mocked function call),
- the calls into the plugin's own api layer (``backup_dashboard.api``),
- attempted HTTP connections that no mock caught (must be 0).

"with plugin" has Mistral in the catalog, so the "Configure backups" action
and the "Backup" column are rendered on every row; "without plugin" takes
both out of the table (``extend.uninstall``) and Mistral out of the catalog.

    # from the checkout's root:
    .venv/bin/python -m benchmarks.instances_calls
"""
import collections
import gc
import inspect
import os
import sys
import time
import unittest
from unittest import mock

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'testkit.settings')

import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:      # run as a script (benchmarks/pages.py did it already)
    django.setup()

    from django.test.utils import setup_databases
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # Horizon's TestCase is a Django TestCase: it wants a (test) database.
    setup_databases(verbosity=0, interactive=False)

from novaclient.v2 import servers as nova_servers  # noqa: E402

from backup_dashboard import api as plugin_api  # noqa: E402
from backup_dashboard.dashboards.project.instances import extend  # noqa
from benchmarks import alignment  # noqa: E402
from testkit import instances  # noqa: E402

RESULTS = collections.OrderedDict()
TIMES = collections.defaultdict(list)   # (plugin, count) -> [seconds]
DEPTHS = collections.defaultdict(list)  # (plugin, count) -> [stack step]
PLUGIN_MODULES = (plugin_api.compute, plugin_api.storage,
                  plugin_api.schedules, plugin_api.mistral)


class Measure(instances.IndexTestBase):
    count = 1
    plugin = True
    timed = ()      # stack steps of the renders timed after the counted one

    @property
    def with_mistral(self):
        return self.plugin

    def test_measure(self):
        template = self.servers.first()._info
        servers = [nova_servers.Server(nova_servers.ServerManager(None), dict(
            template, id='srv-%04d' % i, name='vm-%d' % i,
            tags=['backup:nightly'] if i % 2 else [],
            metadata={'backup_dashboard:last_status': 'ok'}))
            for i in range(self.count)]
        self.servers.list = lambda: servers
        self.servers.first = lambda: servers[0]
        plugin_calls = collections.Counter()
        patches = []
        for module in PLUGIN_MODULES:
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if fn.__module__ != module.__name__:
                    continue
                patches.append(mock.patch.object(
                    module, name, side_effect=self._count(
                        plugin_calls, module.__name__ + '.' + name, fn)))
        for patch in patches:
            patch.start()
        try:
            res = self._get_index()
            for step in self.timed:
                gc.collect()
                started = time.perf_counter()
                alignment.at_step(step, lambda: self.client.get(
                    instances.INDEX_URL))
                TIMES[(self.plugin, self.count)].append(
                    time.perf_counter() - started)
                DEPTHS[(self.plugin, self.count)].append(step)
        finally:
            for patch in patches:
                patch.stop()
        assert res.status_code == 200, res.status_code
        rendered = res.content.decode()
        horizon_calls = collections.Counter({
            name[len('mock_'):]: getattr(self, name).call_count
            for name in dir(self) if name.startswith('mock_') and
            isinstance(getattr(self, name), mock.Mock) and
            getattr(self, name).call_count})
        if self.timed:
            self.missing_mocks = False
            return
        RESULTS[(self.plugin, self.count)] = {
            'horizon': horizon_calls,
            'plugin': plugin_calls,
            'unmocked_http': int(self.missing_mocks),
            'action_links': rendered.count('/configure/'),
            'indicators': rendered.count('backup-dashboard-state'),
        }
        self.missing_mocks = False   # reported, not a failure here

    @staticmethod
    def _count(counter, name, fn):
        def call(*args, **kwargs):
            counter[name] += 1
            return fn(*args, **kwargs)
        return call


def run(plugin, count, timed=()):
    if plugin:
        extend.install()
    else:
        extend.uninstall()
    case = type('Measure_%s_%d' % (plugin, count), (Measure,),
                {'plugin': plugin, 'count': count, 'timed': timed})
    result = unittest.TextTestRunner(stream=open(os.devnull, 'w')).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(case))
    if not result.wasSuccessful():
        for _test, trace in result.errors + result.failures:
            print(trace, file=sys.stderr)
        raise SystemExit('measurement failed')


def measure(repeat=1, count=200):
    """Calls and render time of the index with `count` instances.

    With and without the plugin (rounds interleaved, each at every stack depth
    of alignment.py); Markdown for RESULTS.md.
    """
    for plugin in (False, True):
        run(plugin, count)
    for _round in range(repeat):
        for plugin in (False, True):
            run(plugin, count, timed=alignment.steps(1))
    extend.install()
    without, with_ = RESULTS[(False, count)], RESULTS[(True, count)]

    def typical(plugin):
        return alignment.mean_of_medians(TIMES[(plugin, count)],
                                         DEPTHS[(plugin, count)])
    ratio = typical(True) / typical(False)
    rows = []
    for plugin, r in ((False, without), (True, with_)):
        rows.append('| %s | %d | %s | %d | %d | %d | %d |' % (
            'with' if plugin else 'without', count,
            '%.1f' % (typical(plugin) * 1000),
            sum(r['horizon'].values()), sum(r['plugin'].values()),
            r['unmocked_http'], r['action_links']))
    same = without['horizon'] == with_['horizon'] and not with_['plugin']
    return '\n'.join([
        'Instances index (benchmarks/instances_calls.py: Horizon\'s own index '
        'test mocks, API calls counted at openstack_dashboard.api and at the '
        'plugin\'s api layer; %d interleaved rounds at each of %d stack '
        'depths, benchmarks/alignment.py):' % (repeat, alignment.STEPS), '',
        '| plugin | instances | ms (mean over depths of the median) | '
        'Horizon API calls | plugin API calls | unmocked HTTP | '
        '"Configure backups" links |',
        '|---|---|---|---|---|---|---|'] + rows + [
        '',
        '- with / without plugin render time: %.2f' % ratio,
        '- calls added by the plugin: %s' % (
            'none' if same else 'SOME (see instances_calls.py)')])


def main():
    for count in (1, 200):
        for plugin in (False, True):
            run(plugin, count)
    extend.install()
    print('%-15s %9s %14s %12s %13s %12s %10s' % (
        'plugin', 'instances', 'horizon calls', 'plugin calls',
        'unmocked HTTP', 'action links', 'indicators'))
    for (plugin, count), r in RESULTS.items():
        print('%-15s %9d %14d %12d %13d %12d %10d' % (
            'with' if plugin else 'without', count,
            sum(r['horizon'].values()), sum(r['plugin'].values()),
            r['unmocked_http'], r['action_links'], r['indicators']))
    print()
    for (plugin, count), r in RESULTS.items():
        print('%s plugin, %d instance(s): %s' % (
            'with' if plugin else 'without', count,
            ', '.join('%s=%d' % kv for kv in sorted(r['horizon'].items()))))
    same = all(RESULTS[(True, n)]['horizon'] ==
               RESULTS[(False, n)]['horizon'] and
               not RESULTS[(True, n)]['plugin'] for n in (1, 200))
    print('\nThe plugin adds %s.' % ('no API call' if same else
                                     'API CALLS (see above)'))
    return 0 if same else 1


if __name__ == '__main__':
    sys.exit(main())
