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

"""Restores as executions of the restore workflow, Mistral mocked."""
import json
from unittest import mock

from horizon import exceptions
import pytest

from backup_dashboard.api import mistral
from backup_dashboard.api import restores
from backup_dashboard import points
from backup_dashboard import schedule as domain
from testkit import helpers
from tests.unit.dashboards.project.restore import data


class RestoreApiTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.multiple(
            mistral, execution_get=mock.DEFAULT,
            execution_create=mock.DEFAULT, execution_list=mock.DEFAULT)
        self.m = patcher.start()
        self.addCleanup(patcher.stop)

    def test_start_passes_values_as_workflow_input_only(self):
        restores.restore_start(self.request, 'b1', 'new',
                               volume_id='ignored', name='<% $.x %>',
                               size='3', server_id='s1', device='/dev/vdc')
        args, kwargs = self.m['execution_create'].call_args
        assert args[1] == domain.RESTORE_WORKFLOW
        assert args[2] == {
            'backup_id': 'b1', 'target': 'new', 'volume_id': None,
            'name': '<% $.x %>', 'volume_type': None,
            'availability_zone': None, 'size': 3, 'server_id': 's1',
            'device': '/dev/vdc', 'timeout': 3600}
        assert len(json.dumps(args[3])) < 255
        with pytest.raises(ValueError):
            restores.restore_start(self.request, 'b1', 'other')

    def test_existing_target_without_attach(self):
        restores.restore_start(self.request, 'b1', 'existing',
                               volume_id='v1', size=9, device='/dev/vdc')
        inputs = self.m['execution_create'].call_args[0][2]
        assert (inputs['volume_id'], inputs['size'], inputs['device']) == (
            'v1', None, None)

    def test_point_restore_sends_the_members_and_only_its_targets_values(
            self):
        members = [{'backup_id': 'b1', 'name': '<% $.x %>', 'boot': True}]
        restores.point_restore_start(
            self.request, members, points.NEW_SERVER, server_id='s-old',
            server_name='web-restored', flavor='f1', network_id='')
        args = self.m['execution_create'].call_args[0]
        assert args[1] == points.RESTORE_WORKFLOW
        assert args[2] == {
            'members': members, 'target': 'new_server', 'server_id': None,
            'server_name': 'web-restored', 'flavor': 'f1',
            'network_id': None, 'timeout': 3600}
        assert len(json.dumps(args[3])) < 255
        restores.point_restore_start(
            self.request, members, points.INSTANCE, server_id='s1',
            server_name='ignored', flavor='f1', network_id='n1')
        inputs = self.m['execution_create'].call_args[0][2]
        assert (inputs['server_id'], inputs['server_name'],
                inputs['flavor'], inputs['network_id']) == (
            's1', None, None, None)
        with pytest.raises(ValueError):
            restores.point_restore_start(self.request, members, 'new')

    def test_a_point_restore_is_found_only_as_one(self):
        self.m['execution_get'].return_value = data.execution(
            workflow=points.RESTORE_WORKFLOW)
        assert restores.restore_get(self.request, 'ex-r1',
                                    workflow=points.RESTORE_WORKFLOW)
        with pytest.raises(exceptions.NotFound):
            restores.restore_get(self.request, 'ex-r1')

    def test_only_restores_of_this_project_are_found(self):
        self.m['execution_get'].return_value = data.execution()
        assert restores.restore_get(self.request, 'ex-r1').id == 'ex-r1'
        for other in (data.execution(workflow=domain.SCHEDULE_WORKFLOW),
                      data.execution(project='other-project')):
            self.m['execution_get'].return_value = other
            with pytest.raises(exceptions.NotFound):
                restores.restore_get(self.request, 'ex-r1')
        self.m['execution_get'].side_effect = exceptions.NotFound('x')
        with pytest.raises(exceptions.NotFound):
            restores.restore_get(self.request, 'ex-r1')

    def test_list_keeps_this_project(self):
        self.m['execution_list'].return_value = [
            data.execution(exec_id='a'),
            data.execution(exec_id='b', project='other')]
        assert [e.id for e in restores.restore_list(self.request)] == ['a']
        kwargs = self.m['execution_list'].call_args[1]
        assert kwargs['workflow_name'] == 'in:%s,%s' % (
            domain.RESTORE_WORKFLOW, points.RESTORE_WORKFLOW)
