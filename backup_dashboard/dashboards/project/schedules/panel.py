from django.utils.translation import gettext_lazy as _

import horizon


class BackupSchedules(horizon.Panel):
    name = _("Backup Schedules")
    slug = 'backup_schedules'
    # Shown only when Mistral is in the user's catalog: without it the
    # panel is left out of the sidebar and its pages answer 403.
    permissions = ('openstack.services.workflowv2',)
