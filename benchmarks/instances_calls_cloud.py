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

"""HTTP requests of Horizon's Instances index on the local cloud.

HTTP requests made by Horizon's Instances index on the real local cloud
(tools/minicloud), with and without the plugin's action and column.

Horizon runs in-process with the demo settings (tools/demo/settings.py),
logs in as a real user, and every HTTP request the page makes to the services
is counted (``requests.Session.send``, which keystoneauth and so every
OpenStack client use). The index is fetched once to warm up, then measured
with the plugin, without it (``extend.uninstall``), and with it again.

    # from the checkout's root, as make demo:
    PYTHONPATH=tools/demo .venv/bin/python \
        -m benchmarks.instances_calls_cloud [--user demo --password demo]
"""
import argparse
import collections
import os
import sys
from unittest import mock
from urllib import parse

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
import requests  # noqa: E402

from backup_dashboard.dashboards.project.instances import extend  # noqa

PORTS = {'5000': 'keystone', '8774': 'nova', '8776': 'cinder',
         '8989': 'mistral', '9696': 'neutron', '9292': 'glance',
         '8778': 'placement'}


def measure(client, path):
    counts = collections.Counter()
    real_send = requests.Session.send

    def send(self, request, **kwargs):
        url = parse.urlsplit(request.url)
        counts[PORTS.get(str(url.port), url.netloc)] += 1
        return real_send(self, request, **kwargs)

    with mock.patch.object(requests.Session, 'send', send):
        res = client.get(path)
    assert res.status_code == 200, res.status_code
    html = res.content.decode()
    return counts, html


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--user', default='demo')
    parser.add_argument('--password', default='demo')
    args = parser.parse_args()
    client = Client(HTTP_HOST='127.0.0.1')
    res = client.post('/auth/login/', {
        'username': args.user, 'password': args.password,
        'region': 'default', 'domain': 'Default'})
    assert res.status_code in (200, 302), res.status_code
    path = '/project/instances/'
    measure(client, path)                      # warm-up
    rows = []
    for label, plugin in (('with plugin', True), ('without plugin', False),
                          ('with plugin', True)):
        (extend.install if plugin else extend.uninstall)()
        counts, html = measure(client, path)
        rows.append((label, counts, html.count('/configure/'),
                     html.count('backup-dashboard-state')))
    extend.install()
    instances = rows[0][2] or rows[0][3]
    print('Instances index of user %s (%d instance(s) listed):'
          % (args.user, instances))
    for label, counts, links, marks in rows:
        print('  %-15s %3d HTTP requests (%s); action links %d, indicators %d'
              % (label, sum(counts.values()),
                 ', '.join('%s %d' % kv for kv in sorted(counts.items())),
                 links, marks))
    same = rows[0][1] == rows[1][1] == rows[2][1]
    print('The plugin adds %s.' % ('no HTTP request' if same
                                   else 'HTTP REQUESTS (see above)'))
    return 0 if same else 1


if __name__ == '__main__':
    sys.exit(main())
