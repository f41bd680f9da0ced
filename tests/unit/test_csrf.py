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

"""CSRF on every POST endpoint of the plugin; no admin view for non-admins.

The plugin's URLs are enumerated from Django's own resolver: every pattern
whose view lives in ``backup_dashboard`` (any dashboard, any panel, the
Instances integration), so a panel added later is covered without touching
this file. Each gets a POST without a CSRF token from a logged-in user
(``Client(enforce_csrf_checks=True)``): 403, and no service is called
(Horizon's helpers fail a test on any unmocked API call).
"""
from unittest import mock

from django import test as django_test

from backup_dashboard import api
from testkit import helpers
from tests import figures
from tests.plugin_urls import admin_urls
from tests.plugin_urls import plugin_urls
from tests.plugin_urls import SAMPLE


class CsrfTests(helpers.TestCase):
    def test_every_plugin_url_is_found(self):
        urls = [u for u, _, _ in plugin_urls()]
        # the panels that exist today; new ones add to this list by themselves
        for expected in ('/project/backup_schedules/',
                         '/project/backup_schedules/create/',
                         '/project/backup_schedules/%s/update/' % SAMPLE,
                         '/project/backup_schedules/instances/%s/configure/'
                         % SAMPLE,
                         '/project/backup_runs/',
                         '/project/backup_runs/%s/' % SAMPLE):
            self.assertIn(expected, urls)

    def test_post_without_csrf_token_is_refused_everywhere(self):
        client = django_test.Client(enforce_csrf_checks=True)
        client.cookies = self.client.cookies
        urls = [u for u, _, _ in plugin_urls()]
        for url in urls:
            with self.subTest(url=url, cookie=False):
                res = client.post(url, {'action': 'schedules__delete__x'})
                self.assertEqual(403, res.status_code, url)
        # With the CSRF cookie a browser has after any form page, but no
        # token in the POST (what a cross-site form sends): still refused.
        res = client.get('/project/backup_schedules/create/')
        self.assertEqual(200, res.status_code)
        token = client.cookies.get('csrftoken')
        self.assertIsNotNone(token)
        for url in urls:
            with self.subTest(url=url, cookie=True):
                res = client.post(url, {'action': 'schedules__delete__x'})
                self.assertEqual(403, res.status_code, url)
                self.assertIn(b'CSRF', res.content)
        # The same client with the token gets past the check: it was refused
        # for the token only.
        res = client.post('/project/backup_schedules/preview/',
                          {'csrfmiddlewaretoken': token.value})
        self.assertEqual(405, res.status_code)
        figures.record('csrf_endpoints', len(urls))


class NonAdminTests(helpers.TestCase):
    """The default test user is a member and reader, not an admin."""

    def test_no_admin_view_for_a_member(self):
        urls = admin_urls()
        for url in urls:
            with self.subTest(url=url):
                res = self.client.get(url)
                self.assertNotEqual(200, res.status_code, url)
                self.assertLess(res.status_code, 500)
                if res.status_code == 302:
                    self.assertNotIn('/admin/', res['Location'])
                res = self.client.post(url, {'action': 'x'})
                self.assertIn(res.status_code, (302, 401, 403), url)
        # nor a link to one in the navigation of a plugin page
        with mock.patch.object(api.runs, 'run_page',
                               return_value=([], False)), \
                mock.patch.object(api.runs, 'run_history',
                                  return_value=[]):
            page = self.client.get('/project/backup_runs/')
        self.assertEqual(200, page.status_code)
        for url in urls:
            self.assertNotIn(url.encode(), page.content)
        figures.record('admin_views_hidden', len(urls))
