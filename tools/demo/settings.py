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

"""Horizon settings for the demo.

The local OpenStack on 127.0.0.1, the plugin's enabled files read from the
package (as if copied into openstack_dashboard/local/enabled), and DEBUG so
static files are served by `manage.py runserver`.
"""
import os

from openstack_dashboard.settings import *  # noqa: F401,F403
from openstack_dashboard.settings import HORIZON_CONFIG
from openstack_dashboard.settings import INSTALLED_APPS as _APPS

from testkit.horizon_settings import with_plugin_enabled

DEBUG = True
ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
OPENSTACK_KEYSTONE_URL = 'http://127.0.0.1:5000/v3'
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = 'Default'
SECRET_KEY = os.environ.get('BACKUP_DASHBOARD_DEMO_SECRET', 'demo-only-key')
SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    'OPTIONS': {'MAX_ENTRIES': 10000}}}
# Compressed on first use and cached: uncompressed, Horizon compiles its
# SCSS again on every page (over a second each).
COMPRESS_OFFLINE = False
COMPRESS_ENABLED = True
STATIC_ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), '.demo-static')
TIME_ZONE = 'UTC'
OPENSTACK_CINDER_FEATURES = {'enable_backup': True}
OPENSTACK_NEUTRON_NETWORK = {'enable_router': False, 'enable_quotas': False,
                             'enable_distributed_router': False,
                             'enable_ha_router': False,
                             'enable_fip_topology_check': False}
# Browser tests and demos may run a schedule every minute.
BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES = int(
    os.environ.get('BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES', '60'))

# The minicloud's group type whose groups its driver snapshots at one
# moment (tools/minicloud/seed.py): group-consistent restore points.
BACKUP_DASHBOARD_CONSISTENT_GROUP_TYPES = ['consistent-snapshots']

# Fault tests serve a second Horizon whose Mistral cannot be reached.
BACKUP_DASHBOARD_MISTRAL_URL = os.environ.get('BACKUP_DASHBOARD_MISTRAL_URL')

INSTALLED_APPS = with_plugin_enabled(HORIZON_CONFIG, _APPS)
