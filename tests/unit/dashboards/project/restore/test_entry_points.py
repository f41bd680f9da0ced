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

"""Entry points into the Restore panel from the instance's Backups tab."""
from unittest import mock

from django.template.loader import render_to_string
from openstack_auth import utils as auth_utils

from backup_dashboard import api
from backup_dashboard.dashboards.common import links
from backup_dashboard.dashboards.project.instances import tabs
from testkit import helpers
from tests.unit.dashboards.project.instances import data as idata
from tests.unit.dashboards.project.restore import data


class EntryPointTests(helpers.TestCase):
    def test_urls_carry_the_ids_as_query_parameters(self):
        self.assertEqual('/project/backup_restore/?backup_id=b%261',
                         links.restore_url('b&1'))
        self.assertEqual('/project/backup_restore/?server_id=s1&volume_id=v1',
                         links.restore_url(server_id='s1', volume_id='v1'))

    @helpers.create_mocks({api.schedules: ['schedule_list'],
                           api.storage: ['volume_get', 'volume_backups']})
    def test_the_tab_links_the_instance_each_volume_and_each_backup(self):
        self.request.user = auth_utils.get_user(self.request)
        server = idata.server('srv-1', 'web', volume_ids=['vol-1'])
        self.mock_volume_get.return_value = data.volume('vol-1', 'data')
        self.mock_volume_backups.return_value = [
            data.backup('b1', created_at='2026-11-22T08:21:33.123456')]
        tab = tabs.BackupsTab(mock.Mock(kwargs={'instance': server}),
                              self.request)
        html = render_to_string(tab.get_template_name(self.request),
                                tab.get_context_data(self.request),
                                self.request)
        self.assertIn('href="/project/backup_restore/?server_id=srv-1"',
                      html)
        self.assertIn('/project/backup_restore/?server_id=srv-1&amp;'
                      'volume_id=vol-1', html)
        self.assertIn('/project/backup_restore/?backup_id=b1', html)
        self.assertIn('2026-11-22 08:21 UTC', html)
