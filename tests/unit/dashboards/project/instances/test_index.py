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

"""Horizon's Instances index with the plugin.

The action and the "Backup" column render, and Horizon's own call counts are
unchanged (no API call added: the same mocks and assertions as Horizon's
test_index).
"""
from django.urls import reverse

from backup_dashboard.dashboards.project.instances import extend
from testkit import instances


class IndexTests(instances.IndexTestBase):
    def test_index_shows_action_and_indicator_without_extra_calls(self):
        servers = self.servers.list()
        servers[0]._info['tags'] = ['backup:nightly',
                                    'team:web']
        servers[0]._info['metadata'] = {
            'backup_dashboard:last_status': 'ok'}
        servers[1]._info['tags'] = ['backup:nightly']
        servers[1]._info['metadata'] = {
            'backup_dashboard:last_status': 'failed'}
        res = self._get_index()
        self._check_get_index()
        table = res.context['instances_table']
        self.assertIn(extend.COLUMN_NAME, table.columns)
        self.assertContains(res, reverse(
            'horizon:project:backup_schedules:instance_configure',
            args=[servers[0].id]))
        self.assertContains(res, 'Configure backups')
        self.assertContains(res, 'backup-dashboard-protected')
        self.assertContains(res, 'backup-dashboard-failed')
        self.assertContains(res, 'Last run failed')


class IndexWithoutMistralTests(instances.IndexTestBase):
    with_mistral = False

    def test_no_action_no_column(self):
        res = self._get_index()
        self._check_get_index()
        table = res.context['instances_table']
        self.assertNotIn(extend.COLUMN_NAME, table.columns)
        self.assertNotContains(res, 'Configure backups')
