"""Keystone under gunicorn: oslo.config must not see gunicorn's arguments."""
import sys

sys.argv = sys.argv[:1]
from keystone.wsgi.api import application  # noqa: E402,F401
