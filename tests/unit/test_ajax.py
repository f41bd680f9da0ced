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

"""Every plugin URL answers a request made as Horizon's JavaScript makes it.

Horizon's JavaScript sends ``X-Requested-With: XMLHttpRequest`` (modal
links, forms submitted inside a modal, tab loads, row updates), and
Horizon's ``ModalFormView`` then answers with the ``_<template>.html``
variant of its template: a view without one is a server error. Every URL
the plugin serves (enumerated from Django's resolver, so a panel added later
is walked too) is requested by GET and by two invalid POSTs (empty, and
with a value no form accepts in each field), plain and AJAX, with ids of
objects that exist and with ids that do not; the restore page also at each
of its steps. Never a 500; a modal form's AJAX answer is its "_" template.
"""
import os
from unittest import mock

from django.urls import resolve
from horizon import forms

from backup_dashboard import api
from testkit import helpers
from testkit import overview_data
from tests import backend
from tests.plugin_urls import plugin_urls
from tests.unit.dashboards.admin.overview import test_views as overview_views

INVALID_POSTS = (
    {},
    {'name': '', 'size': 'abc', 'backup_id': 'nope', 'target': 'nope',
     'volume_id': 'nope', 'server_id': 'nope', 'device': 'nope',
     'schedules': ['nope'], 'skip_volumes': ['nope'], 'kind': 'nope',
     'cron': 'nope', 'max_full': '-1', 'sample': 'nope',
     'action': 'nope__nope__nope'},
)
RESTORE_STEPS = ('?server_id=srv-1', '?volume_id=vol-1',
                 '?backup_id=b-inc-1a', '?volume_id=vol-1&older=b-full-2',
                 '?volume_id=vol-gone', '?server_id=nope&backup_id=nope')


def _view_class(url):
    func = resolve(url.split('?')[0]).func
    while getattr(func, '__wrapped__', None) is not None:
        func = func.__wrapped__
    return getattr(func, 'view_class', None)


class _Walk(object):
    def walk(self, urls):
        """Every url by GET and the invalid POSTs, plain and AJAX."""
        answered = 0
        for url in urls:
            view = _view_class(url) or object
            ajax_template = '_' + os.path.basename(
                getattr(view, 'template_name', None) or '')
            modal = issubclass(view, forms.ModalFormView)
            for extra in ({}, helpers.AJAX):
                requests = [('GET', None)] + [('POST', p)
                                              for p in INVALID_POSTS]
                for method, payload in requests:
                    with self.subTest(url=url, method=method,
                                      ajax=bool(extra), data=payload):
                        answered += 1
                        res = (self.client.get(url, **extra)
                               if method == 'GET' else
                               self.client.post(url, payload, **extra))
                        self.assertLess(res.status_code, 500)
                        if modal and extra and res.status_code == 200 \
                                and not res.get('X-Horizon-Location'):
                            used = [os.path.basename(t.name or '')
                                    for t in res.templates]
                            self.assertIn(ajax_template, used)
        return answered


class ProjectUrlsTests(_Walk, helpers.TestCase):
    def setUp(self):
        super().setUp()
        self.backend = backend.Backend(self)

    def _urls(self, values):
        return [u for u, module, _ in plugin_urls(values)
                if '.dashboards.admin.' not in module]

    def test_every_url_with_ids_that_exist(self):
        urls = self._urls(lambda group: backend.EXISTING[group])
        index = [u for u in urls if u.endswith('/backup_restore/')]
        answered = self.walk(urls + [index[0] + s for s in RESTORE_STEPS])
        self.assertGreater(answered, 100)

    def test_every_url_with_a_restore_as_the_execution(self):
        urls = self._urls(lambda group: dict(backend.EXISTING,
                                             execution_id='ex-r1')[group])
        self.walk([u for u in urls if '/restores/' in u or '/runs/' in u])

    def test_every_url_with_ids_that_do_not_exist(self):
        self.walk(self._urls(lambda group: 'nope-%s' % group))

    def test_an_invalid_post_sends_nothing(self):
        # The delete page of a backup is no form: its POST deletes (and is
        # walked above); an empty POST is a valid "Configure backups" (no
        # schedule ticked). Every other invalid POST changes nothing.
        urls = [u for u in self._urls(lambda g: backend.EXISTING[g])
                if not u.endswith('/delete/')]
        for url in urls:
            for extra in ({}, helpers.AJAX):
                self.client.post(url, INVALID_POSTS[-1], **extra)
        self.assertEqual({}, self.backend.writes())


class AdminUrlsTests(_Walk, overview_views.OverviewTestCase):
    @mock.patch.object(api.storage, 'backup_quota',
                       return_value={'backups': (4, 10),
                                     'gigabytes': (4, 1000)})
    def test_every_admin_url_as_an_admin(self, _quota):
        urls = [u for u, module, _ in plugin_urls(
            lambda group: overview_data.DEMO)
            if '.dashboards.admin.' in module]
        self.assertTrue(urls)
        self.walk(urls)
