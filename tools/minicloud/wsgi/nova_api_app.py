"""nova-api under gunicorn (config dir from OS_NOVA_CONFIG_DIR)."""
import sys

sys.argv = sys.argv[:1]
from nova.wsgi.osapi_compute import application  # noqa: E402,F401
