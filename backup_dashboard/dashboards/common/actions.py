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

"""What the plugin's table actions share."""
from horizon import exceptions


class reasons_shown(object):
    """Show why an action failed on one schedule ("a run is in progress").

    A BatchAction only says which objects failed; ``escalate=True`` makes
    ``exceptions.handle`` add the reason as a message and tell the batch
    the failure is already reported.
    """

    def __init__(self, request, message):
        self.request, self.message = request, message

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if error is not None and isinstance(error, Exception) and \
                not isinstance(error, exceptions.HandledException):
            exceptions.handle(self.request, '%s: %s' % (self.message, error),
                              escalate=True)
        return False
