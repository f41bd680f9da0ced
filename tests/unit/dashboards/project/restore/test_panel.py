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
