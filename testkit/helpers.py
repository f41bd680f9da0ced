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

"""Test base for the plugin's views: Horizon's own helpers, plus Mistral.

Horizon's test catalog has no workflowv2 entry; the panel requires one, so
it is added before the user is set up. Nothing of Horizon's helpers or test
data is copied here.
"""
import contextlib
import re
from unittest import mock

from django.core.cache import cache
from openstack_dashboard.test import helpers

from backup_dashboard import api
from backup_dashboard import health

from testkit import data

WORKFLOW_SERVICE = {
    'type': 'workflowv2', 'name': 'mistral', 'endpoints_links': [],
    'endpoints': [{'region': region, 'interface': interface,
                   'url': 'http://%smistral.example.com:8989/v2' % prefix}
                  for region in ('RegionOne', 'RegionTwo')
                  for interface, prefix in (('admin', 'admin.'),
                                            ('internal', 'int.'),
                                            ('public', 'public.'))],
}


class TestCase(helpers.TestCase):
    with_mistral = True

    def setUp(self):
        super().setUp()
        # What a page kept (a schedule's older run) must not leak from one
        # test into the next.
        cache.clear()
        # No admin has set a retention lock unless a test says so
        # (self.governance.return_value = {...}).
        patcher = mock.patch.object(api.governance, 'variables',
                                    return_value={})
        self.governance = patcher.start()
        self.addCleanup(patcher.stop)

    def _setup_test_data(self):
        super()._setup_test_data()
        if self.with_mistral:
            self.service_catalog.append(WORKFLOW_SERVICE)
        data.load(self)


class APITestCase(helpers.APITestCase):
    def _setup_test_data(self):
        super()._setup_test_data()
        self.service_catalog.append(WORKFLOW_SERVICE)
        data.load(self)


class MistralAPITestCase(APITestCase):
    """The api layer's Mistral calls mocked, as ``self.m[name]``."""

    def setUp(self):
        super().setUp()
        patcher = mock.patch.multiple(
            api.mistral, cron_trigger_list=mock.DEFAULT,
            cron_trigger_get=mock.DEFAULT, cron_trigger_create=mock.DEFAULT,
            cron_trigger_delete=mock.DEFAULT, execution_list=mock.DEFAULT,
            execution_get=mock.DEFAULT, execution_create=mock.DEFAULT,
            execution_delete=mock.DEFAULT, task_list=mock.DEFAULT)
        self.m = patcher.start()
        self.addCleanup(patcher.stop)
        self.m['execution_list'].return_value = []
        self.m['task_list'].return_value = []

    def _runs_by_trigger(self, runs):
        """execution_list answering per `description=has:<trigger id>`."""
        def listing(request, description=None, limit=None, **kwargs):
            trigger_id = description.split(':', 1)[1]
            return [r for r in runs if trigger_id in r.description][:limit]
        self.m['execution_list'].side_effect = listing


@contextlib.contextmanager
def index_backends(triggers, runs=(), **execution_list):
    """The schedules index's services mocked at the api layer.

    The page of triggers, no tagged servers nor backups, the workflows ready,
    and the runs (or what `execution_list` says, e.g. side_effect=). Yields the
    runs' mock.
    """
    execution_list = execution_list or {'return_value': list(runs)}
    with mock.patch.object(api.mistral, 'cron_trigger_list',
                           return_value=triggers), \
            mock.patch.object(api.storage, 'project_backups',
                              return_value=[]), \
            mock.patch.object(api.compute, 'servers_with_any_tag',
                              return_value=[]), \
            mock.patch.object(api.mistral, 'workflow_problems',
                              return_value=[]), \
            mock.patch.object(api.mistral, 'execution_list',
                              **execution_list) as listed:
        yield listed


@contextlib.contextmanager
def detail_backends(schedule):
    """A schedule's detail page's services mocked at the api layer.

    The schedule, no assigned instance nor backup, a healthy verdict.
    """
    with mock.patch.object(api.schedules, 'schedule_show',
                           return_value=schedule), \
            mock.patch.object(api.storage, 'project_backups',
                              return_value=[]), \
            mock.patch.object(api.compute, 'servers_with_any_tag',
                              return_value=[]), \
            mock.patch.object(api.health, 'schedule_health',
                              return_value=(health.Health([]), None)):
        yield


create_mocks = helpers.create_mocks
IsHttpRequest = helpers.IsHttpRequest

# What Horizon's JavaScript adds to its requests (modals, tabs, row updates).
AJAX = {'HTTP_X_REQUESTED_WITH': 'XMLHttpRequest'}


ANGULAR = "{$ constructor.constructor('alert(1)')() $}"


def angular_exposed(page):
    """Texts and attribute values Angular would compile.

    Texts and attribute values holding Angular's {$ $} interpolation that
    Angular would compile: not inside an element marked ng-non-bindable
    nor in a script's code (Horizon compiles the page body, modals, ajax
    tabs and updated tables).
    """
    from html import parser as html_parser

    void = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input',
            'link', 'meta', 'source', 'track', 'wbr'}
    exposed = []

    class Parser(html_parser.HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack = []          # (tag, non-bindable here or above)

        def shielded(self):
            return bool(self.stack) and self.stack[-1][1]

        def handle_starttag(self, tag, attrs):
            # A script's body is code, not markup the page compiles; an
            # ng-template's body is compiled wherever Angular includes it.
            code = tag == 'script' and dict(attrs).get(
                'type') != 'text/ng-template'
            inside = self.shielded() or code or any(
                k == 'ng-non-bindable' for k, _ in attrs)
            if not inside:
                exposed.extend(v for _, v in attrs if v and '{$' in v)
            if tag not in void:
                self.stack.append((tag, inside))

        def handle_endtag(self, tag):
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    del self.stack[i:]
                    break

        def handle_data(self, text):
            if '{$' in text and not self.shielded():
                exposed.append(text.strip())

    parser = Parser()
    parser.feed(page if isinstance(page, str) else page.decode('utf-8'))
    parser.close()
    return exposed


_ACTIONS_CELL = re.compile(r'<(?:td|form) class="(?:detail-actions-form )?'
                           r'actions_column"[^>]*>(.*?)</(?:td|form)>', re.S)
_ACTION = re.compile(r'<(?:a|button)\b([^>]*\bdata-table-action\b[^>]*)>'
                     r'(.*?)</(?:a|button)>', re.S)


def first_row_actions(page):
    """The first action of each row's actions cell.

    The first action of each row's actions cell (and of a detail page's
    actions): the button Horizon shows, the others waiting in its menu. A list
    of (its attributes, its text).
    """
    page = page if isinstance(page, str) else page.decode('utf-8')
    found = []
    for cell in _ACTIONS_CELL.findall(page):
        first = _ACTION.search(cell)
        if first:
            found.append((first.group(1), ' '.join(first.group(2).split())))
    return found


def destructive(action):
    """Whether a rendered action deletes or cancels something."""
    attrs, text = action
    name = re.search(r'id="[^"]*__action_(\w+)"', attrs)
    return 'btn-danger' in attrs or any(
        word in text.lower() or (name and word in name.group(1))
        for word in ('delete', 'cancel'))
