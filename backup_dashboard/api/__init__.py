"""The only layer that speaks to services.

``mistral`` builds the Mistral client and turns its errors into Horizon's;
``schedules`` is the Trove-style schedule API on top of it; ``compute`` and
``storage`` are the few Nova and Cinder calls the plugin needs, made through
Horizon's own ``openstack_dashboard.api`` wrappers. Views and tests mock here.
"""
from backup_dashboard.api import compute  # noqa: F401
from backup_dashboard.api import mistral  # noqa: F401
from backup_dashboard.api import restores  # noqa: F401
from backup_dashboard.api import schedules  # noqa: F401
from backup_dashboard.api import storage  # noqa: F401
