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

import horizon

import backup_dashboard.enabled as enabled


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
