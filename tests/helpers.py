"""Test base for the plugin's views: Horizon's own helpers, plus Mistral.

Horizon's test catalog has no workflowv2 entry; the panel requires one, so
it is added before the user is set up. Nothing of Horizon's helpers or test
data is copied here.
"""
from openstack_dashboard.test import helpers

from tests import data

WORKFLOW_SERVICE = {
    'type': 'workflowv2', 'name': 'mistral', 'endpoints_links': [],
    'endpoints': [{'region': region, 'interface': interface,
                   'url': 'http://%smistral.example.com:8989/v2' % prefix}
                  for region in ('RegionOne', 'RegionTwo')
                  for interface, prefix in (('admin', 'admin.'),
                                            ('internal', 'int.'),
                                            ('public', 'public.'))],
}


class TestCase(helpers.TestCase):
    with_mistral = True

    def _setup_test_data(self):
        super()._setup_test_data()
        if self.with_mistral:
            self.service_catalog.append(WORKFLOW_SERVICE)
        data.load(self)


class APITestCase(helpers.APITestCase):
    def _setup_test_data(self):
        super()._setup_test_data()
        self.service_catalog.append(WORKFLOW_SERVICE)
        data.load(self)


create_mocks = helpers.create_mocks
IsHttpRequest = helpers.IsHttpRequest
