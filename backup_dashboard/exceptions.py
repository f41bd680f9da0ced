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

"""The client errors Horizon handles for the plugin, by category.

The enabled file that adds the plugin's app declares these as
``ADD_EXCEPTIONS``, so that ``horizon.exceptions.handle`` treats them as
recoverable (a message on the page), not found or unauthorized (the user is
logged out), never as a 500. Enabled files are read while the settings
load, before Django's apps: this module imports client libraries only,
never Horizon's API modules. The api layer already raises Horizon's own
types for most errors (``backup_dashboard.api.errors``); these tuples are
what gets past it.
"""
from cinderclient import exceptions as cinderclient
from keystoneclient import exceptions as keystoneclient
from mistralclient.api import base as mistralclient
from novaclient import exceptions as novaclient

UNAUTHORIZED = (
    cinderclient.Unauthorized,
    keystoneclient.Unauthorized,
    novaclient.Unauthorized,
)

NOT_FOUND = (
    cinderclient.NotFound,
    keystoneclient.NotFound,
    novaclient.NotFound,
)

# Mistral has one exception type for every status; api.errors sorts it into
# Horizon's NotFound, NotAuthorized and recoverable types by its status
# code, so the type alone can only be recoverable.
RECOVERABLE = (
    cinderclient.ClientException,
    cinderclient.ConnectionError,
    keystoneclient.ClientException,
    mistralclient.APIException,
    novaclient.ClientException,
)
