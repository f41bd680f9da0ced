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

"""The app's ready() and what it puts into Horizon's Instances table.

The app's ready(): the action and column put into Horizon's Instances table,
idempotently, and allowed() without any API call.
"""
from unittest import mock

from django.apps import apps
from django.test.utils import override_settings
from openstack_auth import utils as auth_utils
from openstack_dashboard.dashboards.project.instances import tables

from backup_dashboard.dashboards.project.instances import extend
from testkit import helpers
from tests.unit.dashboards.project.instances import data

TABLE = tables.InstancesTable


def _count_action():
    return [a.name for a in TABLE._meta.row_actions].count(
        extend.ACTION_NAME)


def test_ready_installed_the_action_and_column_once():
    assert _count_action() == 1
    assert extend.ACTION_NAME in [a.name for a in TABLE.Meta.row_actions]
    assert isinstance(TABLE.base_actions[extend.ACTION_NAME],
                      extend.ConfigureBackups)
    assert list(TABLE._columns).count(extend.COLUMN_NAME) == 1
    assert list(TABLE._columns)[-1] == 'actions'


def test_ready_is_idempotent():
    config = apps.get_app_config('backup_dashboard')
    action = TABLE.base_actions[extend.ACTION_NAME]
    config.ready()
    config.ready()
    extend.install()
    assert _count_action() == 1
    assert [a.name for a in TABLE.Meta.row_actions].count(
        extend.ACTION_NAME) == 1
    assert TABLE.base_actions[extend.ACTION_NAME] is action
    assert list(TABLE._columns).count(extend.COLUMN_NAME) == 1
    assert list(TABLE.base_columns).count(extend.COLUMN_NAME) == 1


def test_action_comes_after_edit_instance():
    names = [a.name for a in TABLE._meta.row_actions]
    assert names.index(extend.ACTION_NAME) == names.index('edit') + 1


def test_later_subclasses_inherit_the_action():
    class Sub(TABLE):
        class Meta(TABLE.Meta):
            name = 'sub_instances'
    assert extend.ACTION_NAME in Sub.base_actions
    assert extend.COLUMN_NAME in Sub.base_columns


def test_admin_table_is_left_alone():
    from openstack_dashboard.dashboards.admin.instances import tables as adm
    assert extend.ACTION_NAME not in adm.AdminInstancesTable.base_actions


POLICY_CALLS = []


def deny(actions, request, target=None):
    POLICY_CALLS.append((actions, target))
    return False


class AllowedTests(helpers.TestCase):
    def setUp(self):
        super().setUp()
        # The logged-in user (with the catalog), as views get it.
        self.request.user = auth_utils.get_user(self.request)

    def _allowed(self, server):
        action = extend.ConfigureBackups()
        # Any service client call would fail the test.
        with mock.patch('openstack_dashboard.api._nova.novaclient',
                        side_effect=AssertionError('nova called')), \
                mock.patch('backup_dashboard.api.compute._client',
                           side_effect=AssertionError('nova called')), \
                mock.patch('openstack_dashboard.api.cinder.cinderclient',
                           side_effect=AssertionError('cinder called')), \
                mock.patch('backup_dashboard.api.mistral.mistralclient',
                           side_effect=AssertionError('mistral called')):
            return action._allowed(self.request, server)

    def test_allowed_without_api_calls(self):
        self.assertTrue(self._allowed(data.server()))

    def test_not_while_deleting(self):
        self.assertFalse(self._allowed(data.server(task_state='deleting')))

    def test_policy_is_the_edit_instance_rule(self):
        self.assertEqual((('compute', 'os_compute_api:servers:update'),),
                         extend.ConfigureBackups.policy_rules)
        del POLICY_CALLS[:]
        with override_settings(
                POLICY_CHECK_FUNCTION='tests.unit.test_apps.deny'):
            self.assertFalse(self._allowed(data.server()))
        rules, target = POLICY_CALLS[0]
        self.assertEqual(extend.ConfigureBackups.policy_rules, rules)
        self.assertEqual(data.PROJECT, target['project_id'])

    def test_link_url(self):
        action = extend.ConfigureBackups()
        self.assertEqual('/project/backup_schedules/instances/srv-1/'
                         'configure/',
                         action.get_link_url(data.server('srv-1')))


class NoMistralTests(helpers.TestCase):
    with_mistral = False

    def test_action_and_column_hidden_without_mistral(self):
        self.request.user = auth_utils.get_user(self.request)
        action = extend.ConfigureBackups()
        self.assertFalse(action._allowed(self.request, data.server()))
        self.assertFalse(extend.BackupColumn('x').allowed(self.request))


def test_uninstall_then_install_again():
    try:
        extend.uninstall()
        assert _count_action() == 0
        assert extend.ACTION_NAME not in TABLE.base_actions
        assert extend.COLUMN_NAME not in TABLE._columns
    finally:
        extend.install()
    assert _count_action() == 1
    assert list(TABLE._columns).count(extend.COLUMN_NAME) == 1
