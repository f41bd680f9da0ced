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

"""pytest plugin: Horizon's test catalog with Mistral (workflowv2) in it.

Horizon's own Instances tests run without Mistral in the catalog, where the
plugin's action and column are hidden. Loaded with
``-p tests.unit.dashboards.project.instances.horizon_with_mistral`` they run
with both shown, which proves that neither makes an API call that Horizon's
tests do not mock (an unmocked call fails them).
"""


def pytest_sessionstart(session):
    from openstack_dashboard.test.test_data import keystone_data

    from testkit.helpers import WORKFLOW_SERVICE
    if WORKFLOW_SERVICE not in keystone_data.SERVICE_CATALOG:
        keystone_data.SERVICE_CATALOG.append(WORKFLOW_SERVICE)
