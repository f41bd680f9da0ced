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

"""The fake Mistral environment of simulate.py: the admins' governance.

Cloud knobs: ``governance`` (the public environment's variables; absent:
Mistral answers "not found", as when no admin has set a lock) and
``governance_unreadable`` (any other failure). Bound like fake_groups.
"""

from mistral_lib import actions as ml_actions

_BOUND = {}


def bind(cloud, rec, err):
    """cloud(): the current FakeCloud; rec/err: simulate's _rec and _err."""
    _BOUND.update(cloud=cloud, rec=rec, err=err)


class EnvironmentsGet(ml_actions.Action):
    def __init__(self, name):
        self.name = name

    def run(self, context):
        _BOUND['rec']('mistral.environments_get', name=self.name)
        cloud = _BOUND['cloud']()
        if cloud.governance_unreadable:
            _BOUND['err']('MistralAction', 'environments.get',
                          'Service Unavailable', 503)
        if cloud.governance is None or \
                self.name != 'backup_dashboard_governance':
            _BOUND['err']('MistralAction', 'environments.get',
                          'Environment not found [name=%s]' % self.name,
                          404)
        return {'name': self.name, 'scope': 'public',
                'variables': cloud.governance}


FAKES = {'mistral.environments_get': EnvironmentsGet}
