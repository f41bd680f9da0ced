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

"""Horizon's own test settings with the plugin's enabled files added.

The plugin's files are read from ``backup_dashboard.enabled``, exactly what
an operator copies into ``openstack_dashboard/local/enabled``.
"""
from openstack_dashboard.test.settings import *  # noqa: F401,F403
from openstack_dashboard.test.settings import HORIZON_CONFIG
from openstack_dashboard.test.settings import INSTALLED_APPS as _APPS

from testkit.horizon_settings import with_plugin_enabled

INSTALLED_APPS = with_plugin_enabled(HORIZON_CONFIG, _APPS)

# Tests of the minimum-interval rule set their own value; keep the default.
BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES = 60

# Horizon's default cache is a memcached server; the tests keep theirs in
# memory, large enough that the compressor's entries of a page do not push
# out what the schedules index keeps there (older runs).
CACHES = {'default': {
    'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
    'OPTIONS': {'MAX_ENTRIES': 10000}}}

# The compressor stats every static file and splits every compress block on
# each render: most of a view test's time. Pages then link their scripts and
# styles as they are, which the tests never load.
COMPRESS_ENABLED = False
COMPRESS_PRECOMPILERS = ()
