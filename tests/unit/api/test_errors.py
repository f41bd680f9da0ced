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

"""Services' errors in the user's words (backup_dashboard.api.errors).

The clients are mocked to raise exactly what they raise against the real
services: mistralclient's APIException with Mistral's error code and its
``faultstring``, cinderclient's and novaclient's NotFound and Conflict with
the services' own texts. Then the pages: a schedule, run, restore, backup,
volume or instance that is missing, or another project's, is Horizon's
"not found" with a plain message, never the service's text or brackets.
"""
import re
from unittest import mock

from cinderclient import exceptions as cinder_exceptions
from django.urls import reverse
from horizon import exceptions
from mistralclient.api import base as mistral_base
from novaclient import exceptions as nova_exceptions
from openstack_dashboard.api import cinder
import pytest

from backup_dashboard import api
from backup_dashboard.api import errors
from testkit import data
from testkit import helpers
from tests.unit.dashboards.project.restore import data as rdata

# Raw texts, verbatim from the services' code, and what the user reads.
MISTRAL = [
    (404, 'Cron trigger not found [identifier=nightly]',
     'Schedule "nightly" was not found: it may have been deleted.'),
    (404, 'Cron trigger not found [id=3c8e]',
     'Schedule "3c8e" was not found: it may have been deleted.'),
    (404, 'WorkflowExecution not found [id=ex-9]',
     'Run ex-9 was not found: it may have been deleted.'),
    (404, 'Workflow not found [workflow_identifier=backup_dashboard_restore'
          ', namespace=]', str(errors.WORKFLOW_MISSING)),
    (404, 'Environment not found [name=backup_dashboard]', str(errors.GONE)),
]
CLIENTS = [
    (cinder_exceptions.NotFound(404, 'Backup b-9 could not be found.',
                                request_id='req-1'),
     'Backup b-9 was not found: it may have been deleted.'),
    (cinder_exceptions.NotFound(404, 'Volume v-9 could not be found.'),
     'Volume v-9 was not found: it may have been deleted.'),
    (nova_exceptions.NotFound(404, 'Instance i-9 could not be found.'),
     'Instance i-9 was not found: it may have been deleted.'),
    (nova_exceptions.NotFound(404), str(errors.GONE)),
    (nova_exceptions.Conflict(409, "Cannot 'update tags' instance i-9 while "
                                   "it is in vm_state error"),
     'Nova does not allow this while the instance is error; it may have '
     'changed state meanwhile.'),
    (nova_exceptions.Conflict(409, "Instance i-9 is in an invalid state "
                                   "for 'delete tag'"),
     str(errors.INSTANCE_BUSY)),
    (nova_exceptions.Conflict(409, 'Anything else'),
     str(errors.INSTANCE_BUSY)),
]


def _mistral_call(code, text):
    @errors.translate_errors
    def call():
        raise mistral_base.APIException(code, text)
    return call


@pytest.mark.parametrize('code, raw, words', MISTRAL)
def test_mistral_not_found_in_plain_words(code, raw, words):
    with pytest.raises(exceptions.NotFound) as caught:
        _mistral_call(code, raw)()
    assert str(caught.value) == words
    assert errors.explain(caught.value) == words


@pytest.mark.parametrize('error, words', CLIENTS)
def test_cinder_and_nova_in_plain_words(error, words):
    assert errors.explain(error) == words
    assert '(HTTP' not in words and 'req-' not in words


def test_every_raw_message_has_a_sample():
    samples = [raw for _, raw, _ in MISTRAL] + [
        error.message for error, _ in CLIENTS]
    for service, pattern, _ in errors.RAW_MESSAGES:
        assert any(errors.plain(s) and re.search(pattern, s)
                   for s in samples), (service, pattern)


def test_the_plugins_own_words_and_unknown_texts_pass_on():
    # A message the plugin wrote (Horizon trusts its own exception types)
    # and a text no pattern knows are not rewritten; a 404's is.
    assert errors.explain(exceptions.Conflict('Run x has already ended.')) \
        == 'Run x has already ended.'
    with pytest.raises(exceptions.BadRequest, match='^Invalid input$'):
        _mistral_call(400, 'Invalid input')()
    assert errors.explain(RuntimeError()) == 'RuntimeError'
    assert errors.details(exceptions.NotFound('x')) == ''
    assert errors.details(CLIENTS[0][0]) == CLIENTS[0][1]
    assert errors.is_not_found(CLIENTS[0][0])
    assert not errors.is_not_found(CLIENTS[-1][0])


def messages(res):
    return [str(m) for m in res.wsgi_request._messages]


class NotFoundPagesTests(helpers.TestCase):
    """Missing, or another project's: the same plain message."""

    RAW = ('not found [', 'identifier=', 'could not be found', 'HTTP 404',
           'WorkflowExecution')

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(api.mistral, 'mistralclient')
        self.mistral = patcher.start().return_value
        self.addCleanup(patcher.stop)

    def assert_plain(self, res, words, redirect=None):
        if redirect:
            self.assertRedirectsNoFollow(res, redirect)
        texts = ' '.join(messages(res))
        self.assertIn(words, texts)
        for raw in self.RAW:
            self.assertNotIn(raw, texts)
            self.assertNotIn(raw, res.content.decode())

    def test_a_schedule_missing_or_of_another_project(self):
        index = reverse('horizon:project:backup_schedules:index')
        self.mistral.cron_triggers.get.side_effect = \
            mistral_base.APIException(
                404, 'Cron trigger not found [identifier=theirs]')
        for view in ('detail', 'update'):
            url = reverse('horizon:project:backup_schedules:%s' % view,
                          args=['theirs'])
            self.assert_plain(self.client.get(url), 'Schedule "theirs" was '
                              'not found: it may have been deleted.', index)
        # What an admin's token is given: another project's trigger.
        self.mistral.cron_triggers.get.side_effect = None
        self.mistral.cron_triggers.get.return_value = data.trigger(
            data.nightly(), project_id='other')
        res = self.client.get(reverse('horizon:project:backup_schedules:'
                                      'detail', args=['nightly']))
        self.assert_plain(res, 'Schedule "nightly" was not found', index)

    def test_a_run_or_restore_missing_or_of_another_workflow(self):
        self.mistral.executions.get.side_effect = \
            mistral_base.APIException(
                404, 'WorkflowExecution not found [id=ex-9]')
        res = self.client.get(reverse('horizon:project:backup_runs:detail',
                                      args=['ex-9']))
        self.assert_plain(res, 'Run ex-9 was not found: it may have been '
                          'deleted.', reverse('horizon:project:backup_runs:'
                                              'index'))
        res = self.client.get(reverse('horizon:project:backup_restore:'
                                      'progress', args=['ex-9']))
        restore_index = reverse('horizon:project:backup_restore:index')
        self.assert_plain(res, 'Restore ex-9 was not found: it may have been '
                          'deleted.', restore_index)
        # A run is not a restore, and a restore of another project neither.
        self.mistral.executions.get.side_effect = None
        for execution in (data.execution('t', exec_id='ex-9'),
                          rdata.execution(exec_id='ex-9', project='other')):
            self.mistral.executions.get.return_value = execution
            res = self.client.get(reverse('horizon:project:backup_restore:'
                                          'progress', args=['ex-9']))
            self.assert_plain(res, 'Restore ex-9 was not found',
                              restore_index)

    @mock.patch.object(api.compute, 'project_servers', return_value=[])
    @mock.patch.object(api.restores, 'restore_list', return_value=[])
    @mock.patch.object(cinder, 'cinderclient')
    def test_a_backup_missing_or_of_another_project(self, cinderclient,
                                                    *_lists):
        client = cinderclient.return_value
        client.volumes.list.return_value = []
        client.backups.list.return_value = []
        client.backups.get.side_effect = cinder_exceptions.NotFound(
            404, 'Backup b-9 could not be found.')
        index = reverse('horizon:project:backup_restore:index')
        res = self.client.get(index, {'backup_id': 'b-9'})
        self.assertEqual(200, res.status_code)
        self.assert_plain(res, 'Backup b-9 was not found: it may have been '
                          'deleted.')
        res = self.client.get(reverse('horizon:project:backup_restore:'
                                      'delete_backup', args=['b-9']))
        self.assert_plain(res, 'Backup b-9 was not found', index)
        client.backups.get.side_effect = None
        client.backups.get.return_value = rdata.backup(
            'b-9', project='other')._apiresource
        res = self.client.get(index, {'backup_id': 'b-9'})
        self.assert_plain(res, 'Backup b-9 was not found')

    @mock.patch.object(api.storage, 'project_volumes', return_value=[])
    @mock.patch.object(api.storage, 'project_backups', return_value=[])
    @mock.patch.object(api.compute, '_client')
    def test_an_instance_missing_or_of_another_project(self, client,
                                                       *_lists):
        client.return_value.servers.get.side_effect = \
            nova_exceptions.NotFound(404, 'Instance i-9 could not be found.')
        client.return_value.client.get.return_value = (None,
                                                       {'servers': []})
        with mock.patch.object(api.restores, 'restore_list',
                               return_value=[]):
            res = self.client.get(reverse('horizon:project:backup_restore:'
                                          'index'), {'server_id': 'i-9'})
        self.assert_plain(res, 'Instance i-9 was not found: it may have '
                          'been deleted.')
        client.return_value.servers.get.side_effect = None
        client.return_value.servers.get.return_value = mock.Mock(
            id='i-9', tenant_id='other')
        with mock.patch.object(api.restores, 'restore_list',
                               return_value=[]):
            res = self.client.get(reverse('horizon:project:backup_restore:'
                                          'index'), {'server_id': 'i-9'})
        self.assert_plain(res, 'Instance i-9 was not found')
        client.return_value.servers.get.side_effect = \
            nova_exceptions.NotFound(404, 'Instance i-9 could not be found.')
        url = reverse('horizon:project:backup_schedules:instance_configure',
                      args=['i-9'])
        self.mistral.cron_triggers.list.return_value = []
        res = self.client.get(url)
        self.assert_plain(res, 'Instance i-9 was not found: it may have '
                          'been deleted.',
                          reverse('horizon:project:instances:index'))
