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

"""Runs inside the fresh virtualenv, against the installed wheel only."""
from unittest import mock

from django.contrib.staticfiles import finders
from django.urls import reverse
from openstack_dashboard.test import helpers

import horizon


class InstalledPluginTests(helpers.TestCase):
    def _setup_test_data(self):
        super()._setup_test_data()
        self.service_catalog.append({
            'type': 'workflowv2', 'name': 'mistral', 'endpoints_links': [],
            'endpoints': [{'region': 'RegionOne', 'interface': i,
                           'url': 'http://mistral.example.com:8989/v2'}
                          for i in ('admin', 'internal', 'public')]})

    def test_panel_registered(self):
        panel = horizon.get_dashboard('project').get_panel('backup_schedules')
        self.assertEqual('Backup Schedules', panel.name)

    def test_static_files_found(self):
        self.assertTrue(finders.find('backup_dashboard/js/schedule_form.js'))

    # The form offers the admins' schedule templates, read from Mistral.
    @mock.patch('backup_dashboard.api.governance.variables', return_value={})
    def test_create_page_renders(self, variables):
        res = self.client.get(reverse(
            'horizon:project:backup_schedules:create'))
        self.assertEqual(200, res.status_code)
        self.assertTemplateUsed(res, 'backup_dashboard/schedules/form.html')
        self.assertContains(res, 'Create Backup Schedule')
        variables.assert_called_once()
