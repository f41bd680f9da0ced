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

"""The one exception for input a user must change.

Raised by the domain (a schedule's fields, its timing) and caught by the
forms, which show the message beside the field it names. The message is
written for the person at the dashboard and states the limit that was
crossed; nothing is ever stored in its place.
"""


class InputError(ValueError):
    """Bad input; the message is meant for the user, `field` names where."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field
