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

"""The unit tests' settings, plus mistral-dashboard when installed.

The unit tests' settings (Horizon's test settings with the plugin), plus
mistral-dashboard when it is installed (``.venv-bench``), so both dashboards
render in the same process, under the same settings."""
from testkit.horizon_settings import with_plugin_enabled
from testkit.settings import *  # noqa: F401,F403
from testkit.settings import HORIZON_CONFIG
from testkit.settings import INSTALLED_APPS as _APPS

try:
    import mistraldashboard.enabled as peer_enabled
except ImportError:     # .venv: our pages only
    peer_enabled = None

if peer_enabled is not None:
    INSTALLED_APPS = with_plugin_enabled(HORIZON_CONFIG, _APPS, peer_enabled)

# Production Horizon (DEBUG off) caches compiled templates
# (openstack_dashboard/settings.py); the test settings recompile every
# template on every render, which would swamp what the pages themselves do.
TEMPLATES[0]['OPTIONS']['loaders'] = [  # noqa: F405
    ('django.template.loaders.cached.Loader',
     list(TEMPLATES[0]['OPTIONS']['loaders']))]  # noqa: F405
TEMPLATES[0]['OPTIONS']['debug'] = False  # noqa: F405

# Production compresses offline (COMPRESS_OFFLINE: the tag is a manifest
# look-up); the test settings compress at every request (hashing every
# script and style file). Render the tags' content as is instead: the
# nearest in cost to a manifest look-up, the same for every page.
COMPRESS_ENABLED = False
COMPRESS_PRECOMPILERS = ()
