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

"""The enabled files really register the panel (Horizon swallows errors)."""
import importlib
import pkgutil

from cinderclient import exceptions as cinderclient
from django.contrib.messages.storage import cookie
from django.test import RequestFactory
import horizon
from horizon import exceptions
from keystoneclient import exceptions as keystoneclient
from mistralclient.api import base as mistralclient
from novaclient import exceptions as novaclient

import backup_dashboard.enabled as enabled

CLIENTS = (cinderclient, keystoneclient, novaclient)


def test_backup_schedules_panel_is_registered_in_its_group():
    project = horizon.get_dashboard('project')
    panel = project.get_panel('backup_schedules')
    assert panel.name == 'Backup Schedules'
    assert panel.permissions == ('openstack.services.workflowv2',)
    group = project.get_panel_group('backup_dashboard')
    assert group.name == 'Data Protection'
    assert 'backup_schedules' in [p.slug for p in group]


def test_installed_apps_are_added_in_exactly_one_file():
    files = [importlib.import_module('%s.%s' % (enabled.__name__, m.name))
             for m in pkgutil.iter_modules(enabled.__path__)]
    assert len(files) >= 2
    adding = [f for f in files if hasattr(f, 'ADD_INSTALLED_APPS')]
    assert len(adding) == 1
    assert adding[0].ADD_INSTALLED_APPS == ['backup_dashboard']


def test_panel_module_does_not_register_itself():
    # Registration belongs to Horizon's enabled-file machinery.
    source = importlib.util.find_spec(
        'backup_dashboard.dashboards.project.schedules.panel').origin
    assert 'register(' not in open(source).read()


def _app_file():
    return importlib.import_module(
        enabled.__name__ + '._1850_project_backup_dashboard_panel_group')


def test_client_errors_are_declared_where_the_app_is_added():
    declared = _app_file().ADD_EXCEPTIONS
    assert mistralclient.APIException in declared['recoverable']
    for client in CLIENTS:
        assert client.ClientException in declared['recoverable']
        assert client.NotFound in declared['not_found']
        assert client.Unauthorized in declared['unauthorized']


def test_horizon_handles_the_declared_client_errors():
    handled = {'recoverable': exceptions.RECOVERABLE,
               'not_found': exceptions.NOT_FOUND,
               'unauthorized': exceptions.UNAUTHORIZED}
    for category, classes in _app_file().ADD_EXCEPTIONS.items():
        assert set(classes) <= set(handled[category]), category


def test_a_mistral_error_past_the_api_layer_is_a_message_not_a_500():
    request = RequestFactory().get('/')
    request._messages = cookie.CookieStorage(request)
    try:
        raise mistralclient.APIException(400, 'raw text')
    except mistralclient.APIException:
        exceptions.handle(request, 'Unable to list the schedules.')
    shown = [m.message for m in request._messages]
    assert len(shown) == 1
    assert shown[0].startswith('Unable to list the schedules.')
