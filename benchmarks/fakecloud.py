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

"""Mistral, Nova and Cinder answering over HTTP from generated data.

``FakeCloud.installed()`` replaces ``requests``' transport
(``HTTPAdapter.send``), the one place every client's request ends up
(mistralclient's own ``requests.Session``, novaclient's and cinderclient's
keystoneauth sessions). So the whole client stack runs for real above it:
the dashboards' api layers, mistralclient / novaclient / cinderclient, URL
building, JSON decoding, the clients' own resource classes. Only the server
is replaced, and each request it answers is one backend call, counted by
service, method and path (ids replaced by ``{id}``).

The servers implement what the pages use of the real APIs: Mistral's list
filters (``eq``, ``has:``, ``gte:``, ``nulls``), ``sort_keys``/``sort_dirs``,
``marker``/``limit`` (clamped to Mistral's ``[api] max_limit`` of 1000),
``fields`` and ``include_output``; Nova's ``servers/detail`` with
``tags-any``, ``marker`` and ``limit`` (pages of at most 1000, as
``osapi_max_limit``, linking the next page when full); Cinder's
``backups/detail`` and ``volumes/detail`` with ``volume_id``/``status``
filters, ``sort``, ``marker`` and ``limit``.
A request nothing answers gets a 404 and is counted as ``unrouted``.

Answers to GET requests are cached by URL: a warmed-up page then costs the
fake servers a dictionary look-up, so render times measure the dashboards
(and their clients), not the stand-in for the services' databases.
"""
import collections
import contextlib
import json
import re
import threading
import time
from unittest import mock
from urllib import parse

import requests
from requests import adapters
from requests import structures

MISTRAL_MAX_LIMIT = 1000
NOVA_MAX_LIMIT = 1000
# A path segment with a digit that is not an API version is an id.
_ID_RE = re.compile(r'/(?!v\d+(?:\.\d+)?(?:/|$))[^/]*\d[^/]*(?=/|$)')


def _sorted(items, keys, dirs):
    """Mistral's ordering: every sort key, then id.

    Each with its direction (the last direction repeats).
    """
    keys = list(keys) or ['created_at']
    dirs = list(dirs) or ['asc']
    if 'id' not in keys:
        keys.append('id')
    dirs += [dirs[-1]] * (len(keys) - len(dirs))
    out = list(items)
    for key, direction in reversed(list(zip(keys, dirs))):
        out.sort(key=lambda item: (item.get(key) is None,
                                   str(item.get(key) or '')),
                 reverse=direction == 'desc')
    return out


def _matches(item, name, value):
    field = item.get(name)
    if value.startswith('has:'):
        return value[4:] in str(field or '')
    if value.startswith('gt:'):
        return str(field or '') > value[3:]
    if value.startswith('lt:'):
        return str(field or '') < value[3:]
    if value.startswith('gte:'):
        return str(field or '') >= value[4:]
    if value.startswith('lte:'):
        return str(field or '') <= value[4:]
    if value.startswith('in:'):
        return str(field) in value[3:].split(',')
    if value.startswith('neq:'):
        return str(field) != value[4:]
    if value.startswith('eq:'):
        value = value[3:]
    return str(field) == value


class FakeCloud(object):
    """Holds the generated data of the three services and answers for them.

    ``triggers`` / ``executions`` / ``workflows`` / ``servers`` /
    ``backups`` / ``volumes`` are lists of dicts as the APIs return them.
    """

    def __init__(self):
        self.triggers = []
        self.executions = []
        self.workflows = []
        self.servers = []
        self.backups = []
        self.volumes = []
        self.limits = {}
        self.calls = collections.Counter()
        self.server_seconds = 0.0
        self._cache = {}
        self._lock = threading.Lock()
        self._by_description = {}

    # -- data -------------------------------------------------------------
    def load(self, **data):
        """Replace some of the data; forget cached answers and indexes."""
        for key, value in data.items():
            setattr(self, key, value)
        self._cache.clear()
        self._by_description = {}

    def reset_counts(self):
        self.calls.clear()
        self.server_seconds = 0.0

    def total(self, service=None):
        return sum(n for (svc, _m, _p), n in self.calls.items()
                   if service is None or svc == service)

    def summary(self):
        per = collections.Counter()
        for (svc, method, path), n in self.calls.items():
            per['%s %s %s' % (svc, method, path)] += n
        return ', '.join('%s x%d' % kv for kv in sorted(per.items()))

    # -- transport --------------------------------------------------------
    @contextlib.contextmanager
    def installed(self):
        cloud = self

        def send(adapter, request, **kwargs):
            return cloud.answer(adapter, request)

        with mock.patch.object(adapters.HTTPAdapter, 'send', send):
            yield self

    def answer(self, adapter, request):
        started = time.perf_counter()
        url = parse.urlsplit(request.url)
        host = url.hostname or ''
        service = next((s for s in ('mistral', 'nova', 'cinder', 'glance',
                                    'neutron', 'keystone') if s in host),
                       host)
        key = (request.method, request.url)
        with self._lock:
            self.calls[(service, request.method,
                        _ID_RE.sub('/{id}', url.path))] += 1
        cached = self._cache.get(key) if request.method == 'GET' else None
        if cached is None:
            query = dict(parse.parse_qsl(url.query, keep_blank_values=True))
            handler = getattr(self, '_%s' % service, None)
            status, body = (handler(request.method, url.path, query)
                            if handler else (None, None))
            if status is None:
                with self._lock:
                    self.calls[('unrouted', request.method, url.path)] += 1
                status, body = 404, {'error': 'not routed: %s %s' % (
                    request.method, request.url)}
            cached = (status, json.dumps(body).encode())
            if request.method == 'GET' and status == 200:
                self._cache[key] = cached
        response = requests.Response()
        response.status_code, response._content = cached
        response.headers = structures.CaseInsensitiveDict({
            'Content-Type': 'application/json',
            'x-openstack-request-id': 'req-fake',
            'X-Subject-Token': 'fake-scoped-token'})
        response.url = request.url
        response.request = request
        response.encoding = 'utf-8'
        response.reason = 'OK' if response.status_code == 200 else 'Error'
        response.connection = adapter
        with self._lock:
            self.server_seconds += time.perf_counter() - started
        return response

    # -- Mistral ----------------------------------------------------------
    def _mistral(self, method, path, query):
        parts = path.rstrip('/').split('/')
        if method != 'GET' or len(parts) < 3:
            return None, None
        kind, rest = parts[2], parts[3:]
        items = {'cron_triggers': self.triggers,
                 'executions': self.executions,
                 'workflows': self.workflows}.get(kind)
        if items is None:
            return None, None
        if rest:
            wanted = parse.unquote(rest[0])
            for item in items:
                if wanted in (item.get('id'), item.get('name')):
                    return 200, item
            return 404, {'faultstring': '%s not found [%s]' % (kind, wanted)}
        return 200, {kind: self._mistral_list(kind, items, query)}

    def _mistral_list(self, kind, items, query):
        query = dict(query)
        marker = query.pop('marker', None)
        limit = int(query.pop('limit', 0) or 0)
        limit = MISTRAL_MAX_LIMIT if not limit or limit > MISTRAL_MAX_LIMIT \
            else limit
        keys = [k for k in query.pop('sort_keys', '').split(',') if k]
        dirs = [d for d in query.pop('sort_dirs', '').split(',') if d]
        fields = [f for f in query.pop('fields', '').split(',') if f]
        include_output = query.pop('include_output', '') in ('True', 'true')
        nulls = [n for n in query.pop('nulls', '').split(',') if n]
        for name in ('all_projects', 'scope', 'namespace'):
            query.pop(name, None)
        description = query.get('description', '')
        if kind == 'executions' and description.startswith('has:'):
            items = self._with_description(description[4:])
            query.pop('description')
        selected = [item for item in items
                    if all(item.get(n) is None for n in nulls) and
                    all(_matches(item, n, v) for n, v in query.items())]
        selected = _sorted(selected, keys, dirs)
        if marker:
            ids = [item.get('id') for item in selected]
            selected = selected[ids.index(marker) + 1:] \
                if marker in ids else []
        selected = selected[:limit]
        if fields:
            fields = ['id'] + [f for f in fields if f != 'id']
            return [{f: item.get(f) for f in fields} for item in selected]
        if kind == 'executions' and not include_output:
            return [{k: v for k, v in item.items() if k != 'output'}
                    for item in selected]
        return selected

    def _with_description(self, text):
        # The 'has:' filter is a LIKE in Mistral's database; an index here
        # keeps the stand-in cheap for the trigger ids the pages ask about.
        if text not in self._by_description:
            self._by_description[text] = [
                e for e in self.executions
                if text in (e.get('description') or '')]
        return self._by_description[text]

    # -- Keystone: version discovery (novaclient's, with Horizon's token) --
    def _keystone(self, method, path, query):
        if method == 'GET' and path.rstrip('/').endswith('/v3'):
            return 200, {'version': {
                'id': 'v3.14', 'status': 'stable',
                'updated': '2020-04-07T00:00:00Z',
                'links': [{'rel': 'self', 'href': 'http://public.keystone.'
                           'example.com/identity/v3/'}],
                'media-types': [{'base': 'application/json', 'type':
                                 'application/vnd.openstack.identity-v3+json'
                                 }]}}
        if method == 'GET' and path.rstrip('/').endswith('/role_assignments'):
            # the schedule owner's roles in the project (health's check)
            return 200, {'role_assignments': [{
                'role': {'id': '2'}, 'user': {'id': '1'},
                'scope': {'project': {'id': '1'}}}]}
        if method == 'POST' and path.rstrip('/').endswith('/auth/tokens'):
            # novaclient re-scopes Horizon's token (identity.Token plugin)
            domain = {'id': 'default', 'name': 'Default'}
            return 200, {'token': {
                'methods': ['token'], 'expires_at': '2099-01-01T00:00:00Z',
                'issued_at': '2026-01-01T00:00:00Z', 'audit_ids': ['a'],
                'user': {'id': '1', 'name': 'test_user', 'domain': domain},
                'project': {'id': '1', 'name': 'test_tenant',
                            'domain': domain},
                'roles': [{'id': '2', 'name': 'member'}], 'catalog': []}}
        return None, None

    # -- Nova -------------------------------------------------------------
    def _nova(self, method, path, query):
        if method == 'GET' and path.rstrip('/').endswith('/servers/detail'):
            servers = self.servers
            if query.get('tags-any'):
                wanted = set(query['tags-any'].split(','))
                servers = [s for s in servers
                           if wanted.intersection(s.get('tags') or ())]
            if query.get('tags'):
                wanted = set(query['tags'].split(','))
                servers = [s for s in servers
                           if wanted <= set(s.get('tags') or ())]
            page = _page(servers, query, NOVA_MAX_LIMIT)
            body = {'servers': page}
            # Nova links the next page when this one is full (its limit,
            # or osapi_max_limit): the last page may be empty.
            if page and len(page) == min(
                    int(query.get('limit') or NOVA_MAX_LIMIT),
                    NOVA_MAX_LIMIT):
                body['servers_links'] = [{'rel': 'next', 'href': (
                    'http://nova/v2.1/servers/detail?marker=%s'
                    % page[-1]['id'])}]
            return 200, body
        match = re.search(r'/servers/([^/]+)$', path)
        if method == 'GET' and match:
            for server in self.servers:
                if server['id'] == match.group(1):
                    return 200, {'server': server}
            return 404, {'itemNotFound': {'message': 'not found'}}
        return None, None

    # -- Cinder -----------------------------------------------------------
    def _cinder(self, method, path, query):
        if method != 'GET':
            return None, None
        if path in ('', '/'):
            # Horizon's microversion discovery
            return 200, {'versions': [{
                'id': 'v3.0', 'status': 'CURRENT', 'version': '3.70',
                'min_version': '3.0', 'updated': '2023-01-01T00:00:00Z',
                'links': [{'rel': 'self',
                           'href': 'http://public.cinder.example.com:8776'
                                   '/v3/'}]}]}
        path = path.rstrip('/')
        if path.endswith('/backups/detail') or path.endswith('/backups'):
            backups = [b for b in self.backups
                       if all(str(b.get(k)) == v for k, v in query.items()
                              if k in ('volume_id', 'status', 'name'))]
            return 200, {'backups': _cinder_page(backups, query)}
        if path.endswith('/volumes/detail') or path.endswith('/volumes'):
            volumes = [v for v in self.volumes
                       if all(str(v.get(k)) == val for k, val in query.items()
                              if k in ('status', 'name'))]
            return 200, {'volumes': _cinder_page(volumes, query)}
        match = re.search(r'/volumes/([^/]+)$', path)
        if match:
            for volume in self.volumes:
                if volume['id'] == match.group(1):
                    return 200, {'volume': volume}
            return 404, {'itemNotFound': {'message': 'not found'}}
        match = re.search(r'/backups/([^/]+)$', path)
        if match:
            for backup in self.backups:
                if backup['id'] == match.group(1):
                    return 200, {'backup': backup}
            return 404, {'itemNotFound': {'message': 'not found'}}
        if path.endswith('/types'):
            return 200, {'volume_types': [{
                'id': 'type-1', 'name': 'lvmdriver-1', 'description': None,
                'is_public': True, 'extra_specs': {},
                'os-volume-type-access:is_public': True}]}
        if path.endswith('/os-availability-zone'):
            return 200, {'availabilityZoneInfo': [{
                'zoneName': 'nova', 'zoneState': {'available': True}}]}
        if path.endswith('/limits'):
            return 200, {'limits': {'absolute': self.limits, 'rate': []}}
        return None, None


def _page(items, query, max_limit):
    marker = query.get('marker')
    if marker:
        ids = [item['id'] for item in items]
        items = items[ids.index(marker) + 1:] if marker in ids else []
    limit = int(query.get('limit') or max_limit)
    return items[:min(limit, max_limit)]


def _cinder_page(items, query):
    sort = query.get('sort') or 'created_at:desc'
    key, _sep, direction = sort.split(',')[0].partition(':')
    items = sorted(items, key=lambda item: (str(item.get(key) or ''),
                                            item['id']),
                   reverse=(direction or 'desc') == 'desc')
    return _page(items, query, NOVA_MAX_LIMIT)
