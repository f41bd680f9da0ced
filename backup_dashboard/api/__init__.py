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

"""The only layer that speaks to services.

``mistral`` builds the Mistral client and makes its calls;
``schedules`` and ``runs`` are the Trove-style schedule API on top of it,
``health`` one schedule's full health, ``overview`` the admin's view of
every project; ``compute`` and
``storage`` are the few Nova and Cinder calls the plugin needs, made through
Horizon's own ``openstack_dashboard.api`` wrappers; ``errors`` says every
service's errors in the user's words. Views and tests mock here.
"""
from backup_dashboard.api import compute  # noqa: F401
from backup_dashboard.api import drills  # noqa: F401
from backup_dashboard.api import errors  # noqa: F401
from backup_dashboard.api import governance  # noqa: F401
from backup_dashboard.api import health  # noqa: F401
from backup_dashboard.api import identity  # noqa: F401
from backup_dashboard.api import mistral  # noqa: F401
from backup_dashboard.api import restores  # noqa: F401
from backup_dashboard.api import runs  # noqa: F401
from backup_dashboard.api import schedules  # noqa: F401
from backup_dashboard.api import storage  # noqa: F401
