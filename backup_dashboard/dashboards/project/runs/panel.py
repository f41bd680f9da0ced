from django.utils.translation import gettext_lazy as _

import horizon


class BackupRuns(horizon.Panel):
    name = _("Backup Runs")
    slug = 'backup_runs'
    permissions = ('openstack.services.workflowv2',)
