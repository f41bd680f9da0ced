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

"""A user's authenticated clients on a real OpenStack (tools/minicloud).

A keystoneauth session, novaclient and cinderclient at the highest
microversion both sides know, and mistralclient; shared by the cloud tests'
fixtures and the cloud benchmarks.
"""
from cinderclient import api_versions as cinder_versions
from cinderclient import client as cinder_client
from keystoneauth1 import loading
from keystoneauth1 import session as ks_session
from mistralclient.api.v2 import client as mistral_client
from novaclient import api_versions as nova_versions
from novaclient import client as nova_client


class Clients(object):
    """Authenticated clients of one user (session-scoped, reused)."""

    def __init__(self, creds):
        self.creds = creds
        self.user = creds["OS_USERNAME"]
        self.project_name = creds["OS_PROJECT_NAME"]
        auth = loading.get_plugin_loader("password").load_from_options(
            auth_url=creds["OS_AUTH_URL"], username=self.user,
            password=creds["OS_PASSWORD"], project_name=self.project_name,
            user_domain_name=creds["OS_USER_DOMAIN_NAME"],
            project_domain_name=creds["OS_PROJECT_DOMAIN_NAME"])
        self.region = creds["OS_REGION_NAME"]
        self.session = ks_session.Session(auth=auth)
        self.project_id = self.session.get_project_id()
        self.user_id = self.session.get_user_id()

        base = nova_client.Client("2.1", session=self.session,
                                  region_name=self.region)
        self.nova_version = nova_versions.discover_version(
            base, nova_versions.APIVersion("2.latest"))
        self.nova = nova_client.Client(self.nova_version, session=self.session,
                                       region_name=self.region)

        base = cinder_client.Client("3.0", session=self.session,
                                    region_name=self.region)
        self.cinder_version = cinder_versions.discover_version(
            base, cinder_versions.APIVersion("3.latest"))
        self.cinder = cinder_client.Client(
            self.cinder_version, session=self.session,
            region_name=self.region)

        url = self.session.get_endpoint(service_type="workflowv2",
                                        interface="public",
                                        region_name=self.region)
        self.mistral = mistral_client.Client(
            session=self.session, mistral_url=url,
            enforce_raw_definitions=True)
