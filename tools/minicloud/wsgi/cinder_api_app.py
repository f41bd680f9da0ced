"""cinder-api under gunicorn: Cinder reads its config files from sys.argv."""
import os
import sys

sys.argv = [sys.argv[0], "--config-file", os.environ["MINICLOUD_CINDER_CONF"]]
from cinder.wsgi.api import application  # noqa: E402,F401
