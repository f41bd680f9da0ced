"""The admin overview's list calls."""
from unittest import mock

from backup_dashboard.api import mistral
from backup_dashboard.api import overview
from testkit import helpers


class ListCallTests(helpers.APITestCase):
    def test_collect_lists_all_projects_once_each(self):
        with mock.patch.object(mistral, 'cron_trigger_list',
                               return_value=[]) as triggers, \
                mock.patch.object(mistral, 'execution_list',
                                  return_value=[]) as runs, \
                mock.patch.multiple(
                    overview, projects=mock.DEFAULT, users=mock.DEFAULT,
                    assignments=mock.DEFAULT, servers=mock.DEFAULT,
                    volumes=mock.DEFAULT, backups=mock.DEFAULT,
                    workbook_problems=mock.DEFAULT) as others:
            for m in others.values():
                m.return_value = []
            others['servers'].side_effect = RuntimeError('nova down')
            parts, errors = overview.collect(self.request)
        triggers.assert_called_once_with(
            self.request, all_projects=True,
            workflow_name='backup_dashboard_schedule')
        self.assertTrue(runs.call_args[1]['all_projects'])
        self.assertTrue(runs.call_args[1]['include_output'])
        self.assertIsNone(parts['servers'])
        self.assertEqual([], parts['triggers'])
        self.assertEqual(['Instances (Nova) could not be listed: nova down'],
                         errors)
