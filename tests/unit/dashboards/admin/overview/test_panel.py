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

"""The enabled files register the admin panel, admins only."""
import horizon


def test_backups_overview_is_an_admin_panel_in_its_own_group():
    admin = horizon.get_dashboard('admin')
    panel = admin.get_panel('backups_overview')
    assert panel.name == 'Backups Overview'
    assert 'openstack.roles.admin' in panel.permissions
    assert 'openstack.services.workflowv2' in panel.permissions
    group = admin.get_panel_group('backup_dashboard_admin')
    assert group.name == 'Data Protection'
    assert 'backups_overview' in [p.slug for p in group]
