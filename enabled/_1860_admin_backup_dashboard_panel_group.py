# The "Data Protection" group in the Admin dashboard (the operator's
# overview); named as the Project dashboard's group is.
from django.utils.translation import gettext_lazy as _

PANEL_GROUP = 'backup_dashboard_admin'
PANEL_GROUP_NAME = _('Data Protection')
PANEL_GROUP_DASHBOARD = 'admin'
