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
the services' own texts. A text no pattern knows is logged, never shown:
the user reads general words by its HTTP status and service. Then the
pages: a schedule, run, restore, backup, volume or instance that is
missing, or another project's, is Horizon's "not found" with a plain
message, never the service's text or brackets.
"""
import logging
import re
from unittest import mock

from cinderclient import exceptions as cinder_exceptions
from django.urls import reverse
from horizon import exceptions
from keystoneclient import exceptions as keystone_exceptions
from mistralclient.api import base as mistral_base
from novaclient import exceptions as nova_exceptions
from openstack_dashboard.api import cinder
import pytest
import requests

from backup_dashboard import api
from backup_dashboard.api import errors
from backup_dashboard.errors import InputError
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
    # Cinder's quota errors (cinder/exception.py, HTTP 413), numbers kept.
    (cinder_exceptions.OverLimit(
        413, 'Maximum number of backups allowed (10) exceeded',
        request_id='req-2'),
     'Your project may keep at most 10 backups; delete older ones or ask '
     'for a larger quota.'),
    (cinder_exceptions.OverLimit(
        413, "Maximum number of volumes allowed (4) exceeded for quota "
             "'volumes_ssd'."),
     'Your project may have at most 4 volumes (quota "volumes_ssd"); '
     'delete unused ones or ask for a larger quota.'),
    (cinder_exceptions.OverLimit(
        413, 'Requested volume or snapshot exceeds allowed gigabytes quota. '
             'Requested 50G, quota is 1000G and 980G has been consumed.'),
     'This needs 50 GB, but your project has used 980 of its 1000 GB of '
     'volume storage (quota "gigabytes"); delete unused volumes or '
     'snapshots, or ask for a larger quota.'),
    (cinder_exceptions.OverLimit(
        413, 'Requested backup exceeds allowed Backup gigabytes quota. '
             'Requested 50G, quota is 1000G and 980G has been consumed.'),
     'This backup needs 50 GB, but your project has used 980 of its 1000 '
     'GB for backups; delete older ones or ask for a larger quota.'),
]
# Texts no pattern knows: the status and the client's package choose the
# words; the text itself is only logged.
UNKNOWN_MISTRAL = [
    (400, exceptions.BadRequest,
     'The workflow service (Mistral) refused the request as invalid.'),
    (422, exceptions.BadRequest,
     'The workflow service (Mistral) refused the request as invalid.'),
    (409, exceptions.Conflict,
     'The workflow service (Mistral) refused the change: it conflicts with '
     'a change made meanwhile.'),
    (403, exceptions.NotAuthorized,
     'The workflow service (Mistral) did not allow this for your project.'),
    (413, exceptions.BadRequest,
     'The workflow service (Mistral) refused: a quota of your project '
     'would be exceeded.'),
    (500, errors.ServiceUnavailable,
     'The workflow service (Mistral) failed to answer; try again in a '
     'moment.'),
    (None, errors.ServiceUnavailable,
     'The workflow service (Mistral) failed to answer; try again in a '
     'moment.'),
]
RAW = "Invalid input received: zone 'nova-x' <b>secret</b>"
UNKNOWN_CLIENTS = [
    (cinder_exceptions.BadRequest(400, RAW, request_id='req-3'), 400,
     'The volume service (Cinder) refused the request as invalid.'),
    (cinder_exceptions.OverLimit(413, RAW), 413,
     'The volume service (Cinder) refused: a quota of your project would '
     'be exceeded.'),
    (cinder_exceptions.ClientException(503, RAW), 503,
     'The volume service (Cinder) failed to answer; try again in a '
     'moment.'),
    (cinder_exceptions.ClientException(409, RAW), 409,
     'The volume service (Cinder) refused the change: it conflicts with a '
     'change made meanwhile.'),
    # Nova says that a quota is exceeded with a 403.
    (nova_exceptions.Forbidden(403, 'Quota exceeded for cores: ' + RAW), 403,
     'The compute service (Nova) refused: a quota of your project would '
     'be exceeded.'),
    (nova_exceptions.Forbidden(403, RAW), 403,
     'The compute service (Nova) did not allow this for your project.'),
    (keystone_exceptions.Forbidden(RAW), 403,
     'The identity service (Keystone) did not allow this for your '
     'project.'),
    (requests.ConnectionError(RAW), None,
     'The cloud failed to answer; try again in a moment.'),
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


def test_a_quota_text_is_known_after_the_clients_suffix():
    # str() of a client's error adds " (HTTP 413) (Request-ID: ...)".
    error, words = CLIENTS[-4]
    assert '(HTTP 413) (Request-ID: req-2)' in str(error)
    assert errors.plain(str(error)) == words


@pytest.mark.parametrize('code, kind, words', UNKNOWN_MISTRAL)
def test_an_unknown_mistral_text_is_logged_not_shown(code, kind, words,
                                                     caplog):
    raw = 'Invalid input [faultstring=%s]' % RAW
    caplog.set_level(logging.INFO, logger=errors.__name__)
    with pytest.raises(kind) as caught:
        _mistral_call(code, raw)()
    assert str(caught.value) == words
    assert errors.explain(caught.value) == words
    assert 'secret' not in str(caught.value)
    assert raw in caplog.text and '(HTTP %s)' % code in caplog.text


@pytest.mark.parametrize('error, code, words', UNKNOWN_CLIENTS)
def test_an_unknown_client_text_is_logged_not_shown(error, code, words,
                                                    caplog):
    caplog.set_level(logging.INFO, logger=errors.__name__)
    assert errors.explain(error) == words
    assert errors.details(error) == words
    assert RAW in caplog.text and '(HTTP %s)' % code in caplog.text


def test_an_error_of_no_client_is_unexpected(caplog):
    # A bug's text (a KeyError's key, a path) is not shown either; its
    # traceback is logged.
    try:
        {}['/etc/secret']
    except KeyError as error:
        assert errors.explain(error) == 'An unexpected error occurred.'
    assert errors.explain(RuntimeError()) == 'An unexpected error occurred.'
    assert '/etc/secret' in caplog.text and 'Traceback' in caplog.text


def test_a_reason_has_no_full_stop_for_a_callers_sentence():
    text = 'The schedule could not be saved (%s).' % errors.reason(
        cinder_exceptions.BadRequest(400, RAW))
    assert text == ('The schedule could not be saved (The volume service '
                    '(Cinder) refused the request as invalid).')


def test_the_plugins_own_words_pass_on():
    # A message the plugin wrote (Horizon trusts its own exception types)
    # is not rewritten, whatever its status would say.
    for kind in (exceptions.Conflict, exceptions.BadRequest,
                 errors.ServiceUnavailable, exceptions.NotAuthorized):
        assert errors.explain(kind('Run x has already ended.')) \
            == 'Run x has already ended.'
    assert errors.explain(InputError('Enter a name.', 'name')) \
        == 'Enter a name.'
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


class HandleTests(helpers.TestCase):
    """A page's "Unable to ..." message, with plain words after it."""

    def handled(self, error, message='Unable to list the instances.', **kw):
        request = self.factory.get('/')
        try:
            raise error
        except Exception:
            errors.handle(request, message, **kw)
        return [str(m) for m in request._messages]

    def test_a_clients_unknown_text_is_not_appended(self):
        # horizon.exceptions.handle alone appends str(error): the raw text.
        texts = self.handled(nova_exceptions.ClientException(500, RAW))
        self.assertEqual(['Unable to list the instances.' +
                          exceptions.SEPARATOR + 'The compute service (Nova) '
                          'failed to answer; try again in a moment.'], texts)
        self.assertNotIn('secret', ' '.join(texts))

    def test_a_known_text_and_the_plugins_own_words(self):
        self.assertEqual(['Unable to list the instances.' +
                          exceptions.SEPARATOR + 'Instance i-9 was not found: '
                          'it may have been deleted.'],
                         self.handled(CLIENTS[2][0]))
        # Horizon shows the text of its own types instead of the message.
        self.assertEqual(['A run is in progress.'], self.handled(
            exceptions.Conflict('A run is in progress.')))
