"""Horizon's own test settings with the plugin's enabled files added.

The plugin's files are read from ``backup_dashboard.enabled``, exactly what
an operator copies into ``openstack_dashboard/local/enabled``.
"""
from openstack_dashboard.test.settings import *  # noqa: F401,F403
from openstack_dashboard.test.settings import HORIZON_CONFIG
from openstack_dashboard.test.settings import INSTALLED_APPS as _APPS

from backup_dashboard.horizon_settings import with_plugin_enabled

INSTALLED_APPS = with_plugin_enabled(HORIZON_CONFIG, _APPS)

# Tests of the minimum-interval rule set their own value; keep the default.
BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES = 60
