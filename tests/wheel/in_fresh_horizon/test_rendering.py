"""Runs inside the fresh virtualenv, against the installed wheel only."""
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

    def test_create_page_renders(self):
        res = self.client.get(reverse(
            'horizon:project:backup_schedules:create'))
        self.assertEqual(200, res.status_code)
        self.assertTemplateUsed(res, 'backup_dashboard/schedules/form.html')
        self.assertContains(res, 'Create Backup Schedule')
