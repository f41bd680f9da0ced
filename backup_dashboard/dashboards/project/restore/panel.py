from django.utils.translation import gettext_lazy as _

import horizon


class BackupRestore(horizon.Panel):
    name = _("Restore")
    slug = 'backup_restore'
    # Restores run as Mistral executions: without Mistral in the catalog
    # the panel is left out of the sidebar and its pages answer 403.
    permissions = ('openstack.services.workflowv2',)
