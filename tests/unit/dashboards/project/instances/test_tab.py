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

"""The instance's Backups tab (EXTRA_TABS on InstanceDetailTabs)."""
import datetime
from unittest import mock

from django.template.loader import render_to_string
from django.test import override_settings
from openstack_auth import utils as auth_utils
from openstack_dashboard.dashboards.project.instances import tabs as h_tabs

from backup_dashboard import api
from backup_dashboard.api import mistral as mistral_api
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.project.instances import tabs
from backup_dashboard import holds
from testkit import helpers
from tests.unit.dashboards.project.instances import data

MOCKS = {api.schedules: ['schedule_list'],
         api.storage: ['volume_get', 'volume_backups']}


class BackupsTabTests(helpers.TestCase):
    def setUp(self):
        super().setUp()
        self.request.user = auth_utils.get_user(self.request)
        schedules = self.schedules.list()
        for s, t in zip(schedules, self.triggers.list()):
            s.id, s.next_execution_time = t.id, '2026-11-23 01:00:00'

    def _render(self, server):
        group = mock.Mock(kwargs={'instance': server})
        tab = tabs.BackupsTab(group, self.request)
        # Not preloaded: render() gives '' until the tab is opened.
        self.assertEqual('', tab.render())
        context = tab.get_context_data(self.request)
        return render_to_string(tab.get_template_name(self.request), context,
                                self.request), context

    def test_registered_lazily_on_the_instance_detail_tabs(self):
        # Horizon's own tabs are left out: their allowed() reads Nova.
        with mock.patch.object(h_tabs.InstanceDetailTabs, 'tabs', ()):
            group = h_tabs.InstanceDetailTabs(self.request,
                                              instance=data.server())
        self.assertEqual([tabs.BackupsTab.slug],
                         [t.slug for t in group.get_tabs()])
        self.assertFalse(tabs.BackupsTab.preload)

    @helpers.create_mocks(MOCKS)
    def test_schedules_last_backup_and_volume_backups(self):
        server = data.server(
            tags=['backup:nightly', 'backup:gone', 'team:web'],
            volume_ids=['vol-a', 'vol-b'],
            metadata={'backup_dashboard:last_status': 'partial',
                      'backup_dashboard:last_backup': '2026-11-21T01:00:07Z',
                      'backup_dashboard:last_run': '2026-11-22T01:00:09Z'})
        self.mock_schedule_list.return_value = self.schedules.list()
        volumes = {'vol-a': data.volume('vol-a', 'boot'),
                   'vol-b': data.volume('vol-b', 'scratch', skip=True)}
        self.mock_volume_get.side_effect = lambda r, vid: volumes[vid]
        self.mock_volume_backups.side_effect = lambda r, vid, limit: {
            'vol-a': [data.backup('bk-2', 'vol-a', incremental=True),
                      data.backup('bk-1', 'vol-a', size=10)],
            'vol-b': [data.backup('bk-3', 'vol-b', status='creating')],
        }[vid]
        html, context = self._render(server)
        # The schedule's real next run (not the fire Mistral lists next,
        # which its guard may end as not due), in the user's zone (UTC).
        self.assertIn(
            self.schedules.first().next_run.strftime('%Y-%m-%d %H:%M UTC'),
            html)
        self.assertIn('Daily at 02:00 (Europe/Paris)', html)
        self.assertIn('No such schedule', html)   # backup:gone
        self.assertIn('2026-11-21 01:00 UTC', html)
        self.assertIn('Partly failed', html)
        self.assertIn('incremental', html)
        self.assertIn('10 GB', html)
        self.assertIn('/project/backup_restore/?backup_id=bk-2', html)
        self.assertIn('/project/backup_restore/?backup_id=bk-1', html)
        # Not restorable while it is being created.
        self.assertNotIn('backup_id=bk-3', html)
        self.assertIn('opted out of scheduled backups', html)
        self.mock_schedule_list.assert_called_once()

    @helpers.create_mocks(MOCKS)
    def test_two_schedules_each_backup_says_which_made_it(self):
        # Issue 22: a daily and a weekly schedule on one instance.
        server = data.server(tags=['backup:nightly', 'backup:weekly db'],
                             volume_ids=['vol-a'])
        self.mock_schedule_list.return_value = self.schedules.list()
        self.mock_volume_get.return_value = data.volume('vol-a', 'boot')
        self.mock_volume_backups.return_value = [
            data.backup('bk-3', 'vol-a', schedule='weekly db'),
            data.backup('bk-2', 'vol-a', incremental=True,
                        schedule='nightly'),
            data.backup('bk-1', 'vol-a')]
        html, context = self._render(server)
        self.assertEqual(['nightly', 'weekly db'],
                         [row['name'] for row in context['schedules']])
        self.assertTrue(all(row['schedule'] for row in context['schedules']))
        rows = {b['point'].id: b['point']
                for b in context['volumes'][0]['backups']}
        self.assertEqual('weekly db', rows['bk-3'].schedule)
        self.assertEqual('nightly', rows['bk-2'].schedule)
        self.assertIsNone(rows['bk-1'].schedule)
        self.assertIn('<th>Made by</th>', html)
        self.assertIn('schedule weekly db</td>', html)
        self.assertIn('schedule nightly</td>', html)
        self.assertIn('by hand</td>', html)

    @helpers.create_mocks(MOCKS)
    def test_a_held_backup_shows_its_hold(self):
        # Issue 22: held backups show a lock in every list.
        server = data.server(tags=['backup:nightly'], volume_ids=['vol-a'])
        self.mock_schedule_list.return_value = self.schedules.list()
        self.mock_volume_get.return_value = data.volume('vol-a', 'boot')
        hold = holds.placed({}, 'audit <b>7</b>', 'carol', datetime.datetime(
            2026, 11, 22, 9, 30, tzinfo=datetime.timezone.utc))
        self.mock_volume_backups.return_value = [
            data.backup('bk-2', 'vol-a', schedule='nightly', metadata=hold),
            data.backup('bk-1', 'vol-a', schedule='nightly')]
        html, context = self._render(server)
        self.assertEqual(1, html.count('backup-restore-held'))
        self.assertIn('Legal hold: audit &lt;b&gt;7&lt;/b&gt; (carol, ', html)
        self.assertNotIn('<b>7', html)

    @helpers.create_mocks(MOCKS)
    @override_settings(TIME_ZONE='Asia/Tokyo')
    def test_a_volume_without_backup_says_when_its_first_backup_is(self):
        # Tagged for both: the soonest next run makes its first backup.
        server = data.server(tags=['backup:weekly db', 'backup:nightly'],
                             volume_ids=['vol-a', 'vol-b', 'vol-c'])
        self.mock_schedule_list.return_value = self.schedules.list()
        volumes = {'vol-a': data.volume('vol-a', 'boot'),
                   'vol-b': data.volume('vol-b', 'scratch', skip=True),
                   'vol-c': data.volume('vol-c', 'data')}
        self.mock_volume_get.side_effect = lambda r, vid: volumes[vid]
        self.mock_volume_backups.side_effect = lambda r, vid, limit: {
            'vol-a': [], 'vol-b': [], 'vol-c': [data.backup('bk-1', 'vol-c')],
        }[vid]
        html, context = self._render(server)
        first = min(s.next_run for s in self.schedules.list())
        name = next(s.name for s in self.schedules.list()
                    if s.next_run == first)
        rows = {v['id']: v for v in context['volumes']}
        self.assertEqual(name, rows['vol-a']['first_backup']['schedule'])
        self.assertIn('No backup yet: its first backup is at <time datetime='
                      '"%s"' % first.isoformat(), html)
        self.assertIn(display.local_text(first, 'Asia/Tokyo'), html)
        self.assertTrue(display.local_text(first, 'Asia/Tokyo')
                        .endswith('JST'))
        self.assertIn('the next run of schedule %s.' % name, html)
        # Opted out: no backup is coming; backed up: nothing to announce.
        self.assertIsNone(rows['vol-b']['first_backup'])
        self.assertIsNone(rows['vol-c']['first_backup'])
        self.assertEqual(1, html.count('its first backup is at'))

    @helpers.create_mocks(MOCKS)
    def test_no_first_backup_without_a_schedule_of_the_tags_name(self):
        self.mock_schedule_list.return_value = []
        self.mock_volume_get.return_value = data.volume('vol-a')
        self.mock_volume_backups.return_value = []
        html, context = self._render(data.server(
            tags=['backup:gone'], volume_ids=['vol-a']))
        self.assertIn('No backup yet.', html)
        self.assertNotIn('first backup is at', html)

    @helpers.create_mocks(MOCKS)
    def test_unprotected_instance_needs_no_mistral_call(self):
        self.mock_volume_get.return_value = data.volume('vol-a')
        self.mock_volume_backups.return_value = []
        html, context = self._render(data.server(volume_ids=['vol-a']))
        self.assertIn('not backed up by any schedule', html)
        self.assertIn('No backup yet', html)
        self.assertIn('Never', html)
        self.mock_schedule_list.assert_not_called()

    @helpers.create_mocks(MOCKS)
    def test_faults_are_messages_in_the_tab(self):
        self.mock_schedule_list.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        self.mock_volume_get.side_effect = self.exceptions.cinder
        html, context = self._render(data.server(
            tags=['backup:nightly'], volume_ids=['vol-a']))
        self.assertIn('cannot be reached', html)
        self.assertIn('Cannot read this volume or its backups', html)

    @helpers.create_mocks(MOCKS)
    def test_escaping(self):
        self.mock_schedule_list.return_value = []
        self.mock_volume_get.return_value = data.volume(
            'vol-a', '<img src=x onerror=alert(1)>')
        self.mock_volume_backups.return_value = [
            data.backup('bk"><script>', 'vol-a', name='<script>x</script>')]
        html, context = self._render(data.server(
            tags=['backup:<b>n</b>'], volume_ids=['vol-a']))
        self.assertNotIn('<img src=x', html)
        self.assertNotIn('<script>', html)
        self.assertNotIn('<b>n</b>', html)
        self.assertIn('backup_id=bk%22%3E%3Cscript%3E', html)
