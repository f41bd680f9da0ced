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

"""Settings glue shared by the test, benchmark and demo settings.

All start from settings in which Horizon already ran ``update_dashboards``
once with its own enabled files; they need the plugin's enabled files read
too, exactly as if an operator had copied them into
``openstack_dashboard/local/enabled``.
"""
from openstack_dashboard import enabled as horizon_enabled
from openstack_dashboard.utils import settings as settings_utils

import backup_dashboard.enabled as plugin_enabled


def with_plugin_enabled(horizon_config, installed_apps, *others):
    """Re-run Horizon's dashboard discovery with the plugin's enabled files.

    Then those of the ``others`` enabled packages (another plugin's).
    Mutates ``horizon_config`` and returns the new INSTALLED_APPS list.
    """
    apps = list(installed_apps)
    # Horizon's settings ran update_dashboards once already; drop what it set
    # so the second run starts clean instead of warning.
    horizon_config.pop('dashboards', None)
    horizon_config.pop('default_dashboard', None)
    settings_utils.update_dashboards(
        [horizon_enabled, plugin_enabled, *others], horizon_config, apps)
    # update_dashboards appends Horizon's apps a second time; keep the first.
    return list(dict.fromkeys(apps))
