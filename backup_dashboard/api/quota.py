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

"""What a quota still allows, read from a service's absolute limits.

Cinder and Nova answer their limits in the same shape (a maximum and a used
figure per resource, -1 for unlimited); ``left`` reads one resource.
"""


def left(limits, maximum, used):
    """How much of `maximum` is not `used`; None when unlimited/unknown."""
    value = limits.get(maximum)
    if value is None or value < 0 or value == float('inf'):
        return None
    return value - (limits.get(used) or 0)
