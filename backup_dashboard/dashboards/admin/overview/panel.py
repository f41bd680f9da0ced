from django.utils.translation import gettext_lazy as _

import horizon


class BackupsOverview(horizon.Panel):
    name = _("Backups Overview")
    slug = 'backups_overview'
    # Admins only (it lists every project), and only where Mistral runs the
    # schedules; the policy rule is checked when Horizon checks policies.
    permissions = ('openstack.roles.admin', 'openstack.services.workflowv2')
    policy_rules = (('identity', 'admin_required'),)
