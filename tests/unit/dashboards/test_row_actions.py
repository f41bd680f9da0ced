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

"""The button a row shows is a safe action when there is one.

The button a row shows is never a delete or a cancel when a safe action exists:
Horizon shows a table's first row action as the button and puts the others in
its menu. One test per plugin table, on the rendered page.
"""
import datetime
from unittest import mock

from django.urls import reverse

from backup_dashboard import api
from testkit import data
from testkit import helpers
from tests.unit.dashboards.admin.overview import test_views as overview
from tests.unit.dashboards.project.restore import test_views as restore
from tests.unit.dashboards.project.schedules import test_tables as schedules

UTC = datetime.timezone.utc


def _hours_ago(hours):
    return (datetime.datetime.now(UTC) - datetime.timedelta(hours=hours)
            ).strftime('%Y-%m-%d %H:%M:%S')


class ProjectTablesTests(helpers.TestCase):
    def assertSafeFirst(self, page, rows, texts):
        """`rows` rows whose shown actions are `texts`, none destructive.

        The destructive ones (in the menus) are still on the page.
        """
        first = helpers.first_row_actions(page)
        self.assertEqual(texts, [text for _attrs, text in first])
        self.assertEqual(rows, len(first))
        for action in first:
            self.assertFalse(helpers.destructive(action), action)

    def test_runs(self):
        runs = [data.execution('t', exec_id='done'),
                data.execution('t', exec_id='going', state='RUNNING')]
        with mock.patch.object(api.runs, 'run_page',
                               return_value=(runs, False)), \
                mock.patch.object(api.runs, 'run_history',
                                  return_value=[]):
            res = self.client.get(reverse('horizon:project:backup_runs:index'))
        self.assertSafeFirst(res.content, 2, ['View Run', 'View Run'])
        self.assertContains(res, 'value="runs__delete__done"')
        self.assertContains(res, 'value="runs__cancel__going"')

    def test_schedules(self):
        # Old and never run: missed, so Re-own is offered as well.
        triggers = [data.trigger(s, created_at=_hours_ago(24 * 30))
                    for s in self.schedules.list()]
        with schedules.index_backends(triggers):
            res = self.client.get(
                reverse('horizon:project:backup_schedules:index'))
        count = len(triggers)
        self.assertSafeFirst(res.content, count, ['Edit Schedule'] * count)
        self.assertContains(res, 'value="schedules__delete__nightly"')
        self.assertContains(res, 'value="schedules__reown__nightly"')

    def test_schedule_detail(self):
        schedule = data.nightly()
        with helpers.detail_backends(schedule):
            res = self.client.get(reverse(
                'horizon:project:backup_schedules:detail', args=['nightly']))
        self.assertSafeFirst(res.content, 1, ['Edit Schedule'])
        self.assertContains(res, 'value="schedules__delete__nightly"')


class RestoreHistoryTests(restore._Base):
    """A backup's point in the history: choosing it is its first control.

    Delete is a plain link after it (to a page that asks first).
    """

    @helpers.create_mocks(restore.PAGE_MOCKS)
    def test_restore_history(self):
        self._history_page()
        res = self.client.get(reverse('horizon:project:backup_restore:index'),
                              {'volume_id': 'vol-1'})
        page = res.content.decode()
        points = page.split('<li class="backup-restore-point ')[1:]
        deletable = [p for p in points if restore.delete_url(
            p.split('data-backup-id="')[1].split('"')[0]) in p]
        self.assertTrue(points and deletable)
        for point in points:
            self.assertLess(point.index('type="radio"'),
                            point.index('backup-restore-delete'))
        for point in deletable:
            link = point[point.index('<a class="btn'):].split('>')[0]
            self.assertIn('btn-default', link)
            self.assertNotIn('btn-danger', link)
            self.assertNotIn('btn-primary', link)


class AdminOverviewTests(overview.OverviewTestCase):
    def test_admin_schedules(self):
        # 'weekly db' is broken and in the admin's project: Re-own shown.
        res = self.client.get(reverse('horizon:admin:backups_overview:index'))
        first = helpers.first_row_actions(res.content)
        self.assertEqual(['Re-own Schedule'], [t for _a, t in first])
        self.assertFalse(any(helpers.destructive(a) for a in first))
