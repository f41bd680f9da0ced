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

"""Horizon's own Instances index test machinery, with the plugin.

Horizon's ``InstanceTableTests`` mock exactly the calls its index makes and
count them; a test built on this base renders the same index with the
plugin's action and column (Mistral in the catalog) or without them, under
the same mocks and assertions.
"""
from openstack_dashboard.dashboards.project.instances import tests as h_tests

from testkit import helpers

INDEX_URL = h_tests.INDEX_URL


class IndexTestBase(h_tests.InstanceTestBase, h_tests.InstanceTableTestMixin):
    with_mistral = True
    _get_index = h_tests.InstanceTableTests._get_index
    _check_get_index = h_tests.InstanceTableTests._check_get_index

    def _setup_test_data(self):
        super()._setup_test_data()
        if self.with_mistral:
            self.service_catalog.append(helpers.WORKFLOW_SERVICE)
