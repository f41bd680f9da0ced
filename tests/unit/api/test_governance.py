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

"""The admins' settings as Mistral keeps them (api/governance.py)."""
from unittest import mock

from horizon import exceptions
from mistralclient.api import base as mistral_base

from backup_dashboard.api import governance as api_governance
from backup_dashboard.api import mistral
from backup_dashboard import governance
from testkit import helpers

LOCKS = {'retention_lock': {'default': {'count': 2, 'days': None},
                            'projects': {}}}


class SaveTests(helpers.APITestCase):
    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(mistral, 'mistralclient')
        self.workflows = patcher.start().return_value.workflows
        self.addCleanup(patcher.stop)

    def test_an_existing_definition_is_replaced_in_one_call(self):
        api_governance.save_variables(self.request, LOCKS)
        self.workflows.update.assert_called_once_with(
            governance.definition(LOCKS), scope='public')
        self.workflows.get.assert_not_called()
        self.workflows.create.assert_not_called()

    def test_created_when_mistral_has_none(self):
        self.workflows.update.side_effect = mistral_base.APIException(
            404, 'Workflow not found [name=backup_dashboard_governance]')
        api_governance.save_variables(self.request, LOCKS)
        self.workflows.create.assert_called_once_with(
            governance.definition(LOCKS), scope='public')

    def test_any_other_refusal_is_the_answer(self):
        self.workflows.update.side_effect = mistral_base.APIException(
            403, 'Can not modify a public workflow of another project')
        with self.assertRaises(exceptions.HorizonException):
            api_governance.save_variables(self.request, LOCKS)
        self.workflows.create.assert_not_called()
