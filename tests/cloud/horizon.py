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

"""Horizon with the plugin, served for real against the local OpenStack.

And a logged-in HTTP session that submits its forms as a browser would (CSRF
token included).
"""
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class HorizonServer(object):
    def __init__(self, log_path, min_interval=1):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        env = dict(os.environ,
                   # the demo's settings, and testkit, which they import
                   PYTHONPATH=os.pathsep.join(
                       [os.path.join(REPO, 'tools', 'demo'), REPO]),
                   DJANGO_SETTINGS_MODULE='settings',
                   BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES=str(min_interval))
        admin = os.path.join(os.path.dirname(sys.executable), 'django-admin')
        self.log = open(log_path, 'w')
        self.process = subprocess.Popen(
            [admin, 'runserver', '--noreload', '127.0.0.1:%d' % self.port],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_answering(log_path)
        except BaseException:
            # never leave a runserver behind a failed start
            self.stop()
            raise

    def _wait_until_answering(self, log_path, timeout=240):
        # A cold start imports Horizon and compresses nothing, yet takes
        # well over a minute when the cloud's services share the two cores.
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('Horizon exited; see %s' % log_path)
            try:
                # The login page alone takes >5 s on a busy machine.
                if requests.get(self.url + '/auth/login/',
                                timeout=60).ok:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        raise RuntimeError('Horizon did not answer within %d s; see %s'
                           % (timeout, log_path))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# What Horizon's JavaScript adds to its requests (modals, tabs, row updates).
AJAX = {'X-Requested-With': 'XMLHttpRequest'}


class Browser(object):
    """A logged-in user of the dashboard, without JavaScript.

    With ``ajax=True`` a request is sent as Horizon's JavaScript sends it (a
    redirect then comes back as 200 with X-Horizon-Location, the messages in
    X-Horizon-Messages).
    """

    def __init__(self, server, username, password):
        self.base = server.url
        self.session = requests.Session()
        self.get('/auth/login/')
        res = self.post('/auth/login/', {
            'username': username, 'password': password,
            'region': 'default', 'domain': 'Default'})
        assert '/auth/login/' not in res.url, 'login failed'

    def get(self, path, ajax=False, **kwargs):
        if ajax:
            kwargs['headers'] = dict(kwargs.get('headers') or {}, **AJAX)
        res = self.session.get(self.base + path, timeout=120, **kwargs)
        assert res.status_code < 500, (path, res.status_code, ajax)
        return res

    def post(self, path, data, ajax=False, **kwargs):
        data = dict(data, csrfmiddlewaretoken=self.session.cookies.get(
            'csrftoken', ''))
        headers = dict(kwargs.pop('headers', None) or {},
                       Referer=self.base + path)
        if ajax:
            headers.update(AJAX)
        res = self.session.post(self.base + path, data=data, timeout=120,
                                headers=headers, **kwargs)
        assert res.status_code < 500, (path, res.status_code, ajax)
        return res


def messages(html):
    """The texts of Horizon's alert messages on a page."""
    found = re.findall(r'<div class="alert alert-[^"]*"[^>]*>(.*?)</div>',
                       html, re.S)
    return [re.sub(r'<[^>]+>|\s+', ' ', m).strip() for m in found]


# Fixtures shared by the cloud tests that drive the dashboard, registered once
# by tests/cloud/conftest.py (and the browser tests' conftest).
@pytest.fixture(scope='session')
def synced_workbooks(clients):
    """The bundled workflows, synced as the admin (public scope)."""
    from backup_dashboard import bundled
    admin = clients('admin')
    bundled.sync(admin.mistral, scope='public')
    problems = [p for p in bundled.check(admin.mistral)
                if p['state'] != 'ok']
    assert not problems, problems


@pytest.fixture(scope='session')
def dashboard(minicloud, tmp_path_factory):
    """Horizon with the plugin; schedules may run every minute here."""
    log = tmp_path_factory.mktemp('horizon') / 'horizon.log'
    server = HorizonServer(str(log))
    yield server
    server.stop()
