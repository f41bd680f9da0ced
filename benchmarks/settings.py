"""The unit tests' settings (Horizon's test settings with the plugin), plus
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
