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

"""The plugin's Nova client and its server listing (HTTP mocked)."""
import json
from unittest import mock

from openstack_dashboard.api import base
import requests

from backup_dashboard.api import compute
from testkit import helpers


def _server(server_id, tags=()):
    return {'id': server_id, 'name': 'vm-' + server_id, 'tags': list(tags),
            'status': 'ACTIVE'}


def _body(servers, next_page=False):
    body = {'servers': servers}
    if next_page:
        body['servers_links'] = [{'rel': 'next', 'href': 'http://nova/v2.1/'
                                  'servers/detail?marker=x'}]
    return body


def _http(body):
    response = requests.Response()
    response.status_code = 200
    response.headers['Content-Type'] = 'application/json'
    response._content = json.dumps(body).encode()
    return response


class ClientTests(helpers.APITestCase):
    def test_one_client_per_request_at_the_tags_microversion(self):
        client = compute._client(self.request)
        assert client.api_version.get_string() == compute.TAGS_MICROVERSION
        assert client.client.endpoint_override == base.url_for(
            self.request, 'compute')
        assert compute._client(self.request) is client    # per request

    def test_a_call_is_one_request_to_nova_with_the_token(self):
        # Nothing to Keystone: no version discovery, no token request.
        sent = []

        def request(session, method, url, **kwargs):
            sent.append((method, url, kwargs.get('headers') or {}))
            return _http(_body([_server('a', ['backup:x'])]))

        with mock.patch('requests.Session.request', autospec=True,
                        side_effect=request):
            servers = compute.servers_with_any_tag(self.request,
                                                   ['backup:x'])
        assert [s.id for s in servers] == ['a']
        [(method, url, headers)] = sent
        assert (method, url) == ('GET', base.url_for(
            self.request, 'compute') + '/servers/detail?tags-any=backup%3Ax')
        assert headers['X-Auth-Token'] == self.request.user.token.id
        assert headers['X-OpenStack-Nova-API-Version'] == \
            compute.TAGS_MICROVERSION


class ServerListTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(compute, '_client')
        self.client = patcher.start().return_value
        self.addCleanup(patcher.stop)
        self.get = self.client.client.get

    def test_one_call_when_the_servers_fit_in_a_page(self):
        self.get.return_value = (None, _body([_server('a', ['backup:x'])]))
        servers = compute.servers_with_any_tag(self.request, ['backup:x'])
        assert [s.id for s in servers] == ['a']
        self.get.assert_called_once_with(
            '/servers/detail?tags-any=backup%3Ax')

    def test_follows_next_links_with_the_last_id_as_marker(self):
        self.get.side_effect = [
            (None, _body([_server('a'), _server('b')], next_page=True)),
            (None, _body([_server('c')], next_page=True)),
            (None, _body([]))]
        servers = compute.project_servers(self.request)
        assert [s.id for s in servers] == ['a', 'b', 'c']
        assert [c.args[0] for c in self.get.call_args_list] == [
            '/servers/detail', '/servers/detail?marker=b',
            '/servers/detail?marker=c']

    def test_too_many_tags_for_a_query_string_filters_here(self):
        tags = ['backup:%04d-%s' % (i, 'x' * 40) for i in range(200)]
        self.get.return_value = (None, _body([
            _server('a', [tags[5]]), _server('b', ['other'])]))
        servers = compute.servers_with_any_tag(self.request, tags)
        assert [s.id for s in servers] == ['a']
        self.get.assert_called_once_with('/servers/detail')

    def test_no_tags_no_call(self):
        assert compute.servers_with_any_tag(self.request, []) == []
        self.get.assert_not_called()


class ServerRoomTests(helpers.APITestCase):
    def test_server_room_reads_novas_limits_like_cinders(self):
        with mock.patch.object(compute.nova, 'tenant_absolute_limits') as \
                limits:
            limits.return_value = {
                'maxTotalInstances': 10, 'totalInstancesUsed': 10,
                'maxTotalCores': -1, 'totalCoresUsed': 4,
                'maxTotalRAMSize': 51200, 'totalRAMUsed': 2048}
            assert compute.server_room(self.request) == {
                'instances': 0, 'cores': None, 'ram': 49152}
        limits.assert_called_once_with(self.request, reserved=True)
