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

"""The Mistral client for a request and the translation of its errors."""
from unittest import mock

from horizon import exceptions
from mistralclient.api import base as mistral_base
import pytest
import requests

from backup_dashboard.api import mistral
from testkit import helpers


class ClientTests(helpers.APITestCase):
    @mock.patch('mistralclient.api.client.client')
    def test_client_from_the_request_memoized(self, client):
        first = mistral.mistralclient(self.request)
        second = mistral.mistralclient(self.request)
        self.assertIs(first, second)
        client.assert_called_once()
        kwargs = client.call_args[1]
        self.assertTrue(kwargs['enforce_raw_definitions'])
        self.assertEqual(self.request.user.token.id, kwargs['auth_token'])
        self.assertEqual(self.request.user.tenant_id, kwargs['project_id'])
        self.assertTrue(kwargs['mistral_url'].endswith(':8989/v2'))
        self.assertIn('insecure', kwargs)
        self.assertIn('cacert', kwargs)


@pytest.mark.parametrize('code, expected, words', [
    (409, exceptions.Conflict, 'refused the change'),
    (400, exceptions.BadRequest, 'refused the request as invalid'),
    (403, exceptions.NotAuthorized, 'did not allow this'),
    (500, mistral.ServiceUnavailable, 'failed to answer'),
    (None, mistral.ServiceUnavailable, 'failed to answer'),
])
def test_api_errors_become_horizon_errors(code, expected, words):
    # In plain words: Mistral's own text is logged, not shown.
    @mistral.translate_errors
    def call():
        raise mistral_base.APIException(code, 'Mistral says no')
    start = r'^The workflow service \(Mistral\) '
    with pytest.raises(expected, match=start + words) as caught:
        call()
    assert 'Mistral says no' not in str(caught.value)


def test_connection_errors_say_mistral_is_unreachable():
    @mistral.translate_errors
    def call():
        raise requests.ConnectionError('refused')
    with pytest.raises(mistral.ServiceUnavailable, match='cannot be reached'):
        call()


def test_workflow_problems_lists_only_what_is_not_ready():
    from backup_dashboard import bundled
    request = mock.Mock()
    report = [{'name': 'a', 'state': 'ok'}, {'name': 'b', 'state': 'missing'}]
    with mock.patch.object(mistral, 'mistralclient') as client, \
            mock.patch.object(bundled, 'check',
                              return_value=report) as check:
        assert mistral.workflow_problems(request) == [report[1]]
    check.assert_called_once_with(client.return_value)
