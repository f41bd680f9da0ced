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

"""The Restore panel is registered in the Backups group, for Mistral users."""
from django.urls import reverse
import horizon


def test_restore_panel_is_in_the_backups_group():
    # Resolving a URL loads Horizon's URLconf, which registers the panels.
    assert reverse('horizon:project:backup_restore:index') == \
        '/project/backup_restore/'
    project = horizon.get_dashboard('project')
    panel = project.get_panel('backup_restore')
    assert str(panel.name) == 'Restore'
    assert panel.permissions == ('openstack.services.workflowv2',)
    group = project.get_panel_group('backup_dashboard')
    assert 'backup_restore' in [p.slug for p in group]
