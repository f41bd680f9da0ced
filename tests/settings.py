"""Horizon's own test settings with the plugin's enabled files added.

The plugin's files are read from ``backup_dashboard.enabled``, exactly what
an operator copies into ``openstack_dashboard/local/enabled``.
"""
from openstack_dashboard.test.settings import *  # noqa: F401,F403
from openstack_dashboard.test.settings import HORIZON_CONFIG
from openstack_dashboard.test.settings import INSTALLED_APPS as _APPS
from openstack_dashboard import enabled as horizon_enabled
from openstack_dashboard.utils import settings as settings_utils

import backup_dashboard.enabled as plugin_enabled

INSTALLED_APPS = list(_APPS)
# Horizon's settings ran update_dashboards once already; drop what it set so
# the second run (with the plugin) starts clean instead of warning.
HORIZON_CONFIG.pop('dashboards', None)
HORIZON_CONFIG.pop('default_dashboard', None)
settings_utils.update_dashboards([horizon_enabled, plugin_enabled],
                                 HORIZON_CONFIG, INSTALLED_APPS)
# update_dashboards appends Horizon's apps a second time; keep the first.
INSTALLED_APPS = list(dict.fromkeys(INSTALLED_APPS))

# Tests of the minimum-interval rule set their own value; keep the default.
BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES = 60
