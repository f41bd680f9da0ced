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

"""Names from the services reach the browser as text, not Angular.

Names from Nova, Cinder and Mistral reach the browser as text, never as Angular
expressions.

Horizon compiles the page body (and modals, ajax tabs, updated table rows)
with AngularJS, whose ``{$ $}`` interpolation HTML escaping alone cannot
stop. Horizon's settings replace Django's ``escape`` with one that turns
``{$ $}`` into ``{% %}`` (``horizon.utils.escape``): these tests hold every
page of the plugin to it, so that a name the plugin marks safe or renders
outside Django's escaping shows here. A project member can name a volume or
an instance anything, and the admin overview shows every project's names.
"""
import copy

from django.urls import reverse

from backup_dashboard import api
from testkit import data
from testkit import helpers
from testkit.helpers import ANGULAR
from testkit.helpers import angular_exposed
from tests.unit.dashboards.admin.overview import test_views as overview_views
from tests.unit.dashboards.project.runs.test_views import RESULT


def test_the_checker_sees_exposed_and_shielded_text():
    page = ('<div title="{$ a $}"><p>{$ b $}</p><br><input value="{$ c $}">'
            '<div ng-non-bindable><i title="{$ d $}">{$ e $}</i><br></div>'
            '<span>{$ f $}</span></div>'
            '<script>t.put("<b>{$ g $}</b>")</script>'
            '<script type="text/ng-template"><b>{$ h $}</b></script>')
    assert angular_exposed(page) == ['{$ a $}', '{$ b $}', '{$ c $}',
                                     '{$ f $}', '<b>{$ h $}</b>']


class RunPagesTests(helpers.TestCase):
    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_run_detail_shows_names_as_text(self):
        result = copy.deepcopy(RESULT)
        for volume in result['volumes']:
            volume['server_name'] = volume['volume_name'] = ANGULAR
        self.mock_execution_get.return_value = data.execution(
            't', output=result)
        res = self.client.get(reverse('horizon:project:backup_runs:detail',
                                      args=['ex-1']))
        self.assertContains(res, 'constructor.constructor')
        self.assertEqual([], angular_exposed(res.content))

    @helpers.create_mocks({api.runs: ['execution_get']})
    def test_an_updated_row_is_not_compiled(self):
        result = copy.deepcopy(RESULT)
        result['schedule'] = ANGULAR
        self.mock_execution_get.return_value = data.execution(
            't', state='RUNNING', output=result)
        res = self.client.get(
            reverse('horizon:project:backup_runs:index'),
            {'action': 'row_update', 'table': 'runs', 'obj_id': 'ex-1'},
            HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        self.assertEqual([], angular_exposed(res.content))


class OverviewTests(overview_views.OverviewTestCase):
    def test_every_projects_names_as_text(self):
        self.parts['servers'][0].name = ANGULAR
        self.parts['projects'][0].name = ANGULAR
        res = self.client.get(reverse('horizon:admin:backups_overview:index'))
        self.assertContains(res, 'constructor.constructor')
        self.assertEqual([], angular_exposed(res.content))
