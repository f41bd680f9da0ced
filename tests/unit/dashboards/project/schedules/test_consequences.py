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

"""What saving or deleting a schedule does, said before.

The form's live forecast and deletions (JSON), the edit form's confirmation,
and what the Delete confirmation says. The api layer is mocked.
"""
import json
from unittest import mock

from django.test.utils import override_settings
from django.urls import reverse

from backup_dashboard import api
from backup_dashboard.api import mistral as mistral_api
from testkit import data
from testkit import helpers
from tests.unit.dashboards.project.restore import data as cinder_data

INDEX = reverse('horizon:project:backup_schedules:index')
NEW = reverse('horizon:project:backup_schedules:consequences_new')
EDITED = reverse('horizon:project:backup_schedules:consequences',
                 args=['nightly'])
UPDATE = reverse('horizon:project:backup_schedules:update', args=['nightly'])
DETAIL = reverse('horizon:project:backup_schedules:detail', args=['nightly'])
LIMITS = {'max_backups': 100, 'used_backups': 3, 'max_gigabytes': 1000,
          'used_gigabytes': 12}
# What the form posts for 'nightly' as stored (data.nightly), but for
# `max_full` and what a test changes.
FORM = {
    'name': 'nightly', 'description': 'Nightly backups', 'kind': 'daily',
    'timezone': 'Europe/Paris', 'minute': '0', 'hour': '2', 'weekday': '1',
    'day': '1', 'cron': '', 'mode': 'rotation', 'max_full': '2',
    'max_incremental': '6', 'keep_days': '', 'in_use': 'snapshot',
    'report_to': 'ops@example.com',
}
MOCKS = {api.schedules: ['schedule_show', 'schedule_update'],
         api.compute: ['servers_with_any_tag'],
         api.storage: ['volume_list', 'backup_limits', 'project_backups']}


def chains():
    """Two chains of 'nightly' on vol-1, and another user's backup.

    Two chains of 'nightly' on vol-1 (rotation has dropped the old chain's
    incrementals), newest first as Cinder lists them, and another user's backup
    of it.
    """
    return [
        cinder_data.backup('b-inc', 'vol-1', incremental=True, size=4,
                           created_at='2026-11-03T01:00:00.000000',
                           schedule='nightly'),
        cinder_data.backup('b-new-full', 'vol-1', size=4,
                           created_at='2026-11-02T01:00:00.000000',
                           schedule='nightly'),
        cinder_data.backup('b-hand', 'vol-1', size=4,
                           created_at='2026-11-01T12:00:00.000000'),
        cinder_data.backup('b-old-full', 'vol-1', size=4, name='oldest',
                           created_at='2026-11-01T01:00:00.000000',
                           schedule='nightly'),
    ]


class _Backends(helpers.TestCase):
    def _backends(self, backups=None, servers=None, limits=None):
        self.mock_schedule_show.return_value = data.nightly()
        self.mock_servers_with_any_tag.return_value = [
            data.server('s1', 'web', tags=['backup:nightly'],
                        volume_ids=['vol-1'])] if servers is None \
            else servers
        self.mock_volume_list.return_value = [
            cinder_data.volume('vol-1', 'data', size=4, status='in-use')]
        self.mock_backup_limits.return_value = limits or dict(LIMITS)
        self.mock_project_backups.return_value = chains() \
            if backups is None else backups
        self.mock_schedule_update.side_effect = lambda req, name, s: s


@override_settings(TIME_ZONE='Europe/Paris')
class LivePreviewTests(_Backends):
    @helpers.create_mocks(MOCKS)
    def test_lowering_the_fulls_lists_what_the_next_run_deletes(self):
        self._backends()
        res = self.client.get(EDITED, dict(FORM, max_full='1'))
        body = json.loads(res.content)
        self.assertTrue(body['ok'])
        html = body['html']
        # Per volume, with its instance; the date in the viewer's zone.
        self.assertIn('<strong>data</strong> (web)', html)
        self.assertIn('oldest', html)
        self.assertIn('2026-11-01 02:00 CET', html)
        self.assertIn('kept by the current settings', html)
        self.assertIn('deletes 1 backup that the current settings keep',
                      html)
        # Never the newest chain nor someone else's backup.
        for kept in ('b-inc', 'b-new-full', 'b-hand'):
            self.assertNotIn(kept, html)
        # The quota forecast, always: per run, steady state, the quota.
        self.assertIn('For the 1 instance carrying the tag backup:nightly',
                      html)
        self.assertIn('<th>Each run</th><td>1</td><td>4</td>', html)
        # 1 x (1 + 6) + 1 in flight, of 4 GB each.
        self.assertIn('<th>At steady state</th><td>8</td><td>32</td>', html)
        self.assertIn('<td>3 of 100</td><td>12 of 1000</td>', html)
        self.assertIn('This schedule has 3 backups (12 GB) now', html)
        # One call for the project's backups, none per volume.
        self.mock_project_backups.assert_called_once_with(
            helpers.IsHttpRequest())
        self.mock_schedule_show.assert_called_once_with(
            helpers.IsHttpRequest(), 'nightly')

    @helpers.create_mocks(MOCKS)
    def test_unchanged_settings_lose_nothing(self):
        self._backends()
        body = json.loads(self.client.get(EDITED, FORM).content)
        self.assertIn('deletes no backup', body['html'])
        self.assertNotIn('kept by the current settings', body['html'])

    @helpers.create_mocks(MOCKS)
    def test_times_that_are_not_valid_yet_name_no_next_run(self):
        self._backends()
        body = json.loads(self.client.get(EDITED, dict(
            FORM, max_full='1', kind='cron', cron='61 * * * *')).content)
        self.assertIn("Once the schedule's times are valid", body['html'])
        self.assertNotIn('oldest', body['html'])
        # The forecast does not depend on them.
        self.assertIn('<th>At steady state</th>', body['html'])

    @helpers.create_mocks(MOCKS)
    def test_what_rotation_deletes_anyway_is_listed_unmarked(self):
        failed = cinder_data.backup('b-failed', 'vol-1', status='error',
                                    created_at='2026-11-03T12:00:00.000000',
                                    schedule='nightly')
        self._backends(backups=[failed] + chains())
        body = json.loads(self.client.get(EDITED, FORM).content)
        self.assertIn('b-failed', body['html'])
        self.assertIn('The current settings delete these too.', body['html'])
        self.assertNotIn('class="warning"', body['html'])

    @helpers.create_mocks({api.compute: ['servers_with_any_tag'],
                           api.storage: ['volume_list', 'backup_limits',
                                         'project_backups']})
    def test_a_new_schedule_says_per_volume_and_how_instances_join(self):
        self.mock_volume_list.return_value = []
        self.mock_backup_limits.return_value = dict(LIMITS, max_backups=20)
        body = json.loads(self.client.get(NEW, dict(FORM, name='')).content)
        html = body['html']
        self.assertIn('No instance carries the tag backup:NAME yet', html)
        self.assertIn('Configure backups', html)
        self.assertIn('<th>At steady state, per volume</th><td>15</td>'
                      '<td>15 x its size</td>', html)
        # (20 - 3) backups left, 15 per volume.
        self.assertIn('hold about 1 volume.', html)
        # No name, no tag to look for; a new schedule deletes nothing.
        self.mock_servers_with_any_tag.assert_not_called()
        self.mock_project_backups.assert_not_called()
        self.assertNotIn('What the next run deletes', html)
        # Named: the instances that carry its tag already count.
        self.mock_servers_with_any_tag.return_value = []
        body = json.loads(self.client.get(NEW, FORM).content)
        self.assertIn('No instance carries the tag backup:nightly yet',
                      body['html'])
        self.mock_servers_with_any_tag.assert_called_once_with(
            helpers.IsHttpRequest(), ['backup:nightly'])

    @helpers.create_mocks(MOCKS)
    def test_an_exceeded_quota_is_said_as_the_form_says_it(self):
        self._backends(limits=dict(LIMITS, max_backups=5))
        body = json.loads(self.client.get(EDITED, FORM).content)
        self.assertIn('will keep about 15 backups', body['html'])
        self.assertIn('text-warning schedule-forecast-message',
                      body['html'])

    @helpers.create_mocks(MOCKS)
    def test_failing_services_are_said_in_words(self):
        self._backends()
        self.mock_project_backups.side_effect = self.exceptions.cinder
        self.mock_backup_limits.side_effect = self.exceptions.cinder
        res = self.client.get(EDITED, dict(FORM, max_full='1'))
        body = json.loads(res.content)
        self.assertTrue(body['ok'])
        self.assertIn('could not be read just now: no forecast', body['html'])
        self.assertIn('the next run deletes cannot be said just now',
                      body['html'])
        self.assertNotIn('Traceback', body['html'])
        self.mock_schedule_show.side_effect = mistral_api.ServiceUnavailable(
            mistral_api.UNREACHABLE)
        body = json.loads(self.client.get(EDITED, FORM).content)
        self.assertEqual({'ok': False,
                          'error': 'Unable to retrieve schedule "nightly".'},
                         body)

    def test_bad_retention_is_refused_with_its_limit(self):
        res = self.client.get(NEW, dict(FORM, max_full='0'))
        body = json.loads(res.content)
        self.assertFalse(body['ok'])
        self.assertIn('between 1 and 100', body['error'])
        body = json.loads(self.client.get(NEW, dict(FORM, keep_days='x'))
                          .content)
        self.assertEqual('Enter a whole number.', body['error'])

    @helpers.create_mocks(MOCKS)
    def test_names_and_dates_are_escaped(self):
        evil = cinder_data.backup('b-x', 'vol-1', name='<img src=x>',
                                  created_at='2026-11-01T01:00:00.000000',
                                  schedule='nightly')
        self._backends(backups=[evil] + chains()[:2], servers=[data.server(
            's1', '<b>web</b>', tags=['backup:nightly'],
            volume_ids=['vol-1'])])
        body = json.loads(self.client.get(EDITED, dict(FORM, max_full='1'))
                          .content)
        self.assertIn('&lt;img src=x&gt;', body['html'])
        self.assertIn('(&lt;b&gt;web&lt;/b&gt;)', body['html'])
        self.assertNotIn('<img', body['html'])


@override_settings(TIME_ZONE='Europe/Paris')
class ConfirmLowerRetentionTests(_Backends):
    @helpers.create_mocks(MOCKS)
    def test_refused_until_confirmed_and_nothing_typed_is_lost(self):
        self._backends()
        lowered = dict(FORM, max_full='1', description='typed <here>')
        res = self.client.post(UPDATE, lowered)
        self.mock_schedule_update.assert_not_called()
        self.assertContains(res, 'deletes 1 backup that the current '
                                 'settings keep')
        self.assertContains(res, 'Tick the box below to save anyway.')
        # The list beside the form, and a box to tick.
        self.assertContains(res, 'oldest')
        self.assertContains(res, '2026-11-01 02:00 CET')
        self.assertContains(res, 'name="accept_deletions" '
                                 'id="id_accept_deletions"')
        # Everything typed is still there.
        form = res.context['form']
        self.assertEqual('1', form['max_full'].value())
        self.assertContains(res, 'typed &lt;here&gt;')
        shown = form['deletions_shown'].value()
        self.assertContains(res, '<input type="hidden" name="deletions_shown" '
                                 'value="%s"' % shown)
        res = self.client.post(UPDATE, dict(lowered, accept_deletions='on',
                                            deletions_shown=shown))
        self.assertNoFormErrors(res)
        saved = self.mock_schedule_update.call_args[0][2]
        self.assertEqual((1, 'typed <here>'),
                         (saved.max_full, saved.description))

    @helpers.create_mocks(MOCKS)
    def test_a_tick_confirms_the_list_shown_not_a_longer_one(self):
        self._backends()
        res = self.client.post(UPDATE, dict(FORM, max_full='1'))
        shown = res.context['form']['deletions_shown'].value()
        # Lowered further after ticking: a full is now due, the one chain
        # kept is the new one, and all three backups go.
        res = self.client.post(UPDATE, dict(
            FORM, max_full='1', max_incremental='1', accept_deletions='on',
            deletions_shown=shown))
        self.mock_schedule_update.assert_not_called()
        self.assertContains(res, 'changed since the box was ticked')
        self.assertContains(res, 'deletes 3 backups')
        self.assertFalse(res.context['form']['accept_deletions'].value())

    @helpers.create_mocks(MOCKS)
    def test_raising_or_keeping_the_retention_saves_at_once(self):
        self._backends()
        for changes in ({'max_full': '3'}, {'description': 'new words'}):
            with self.subTest(changes=changes):
                self.mock_schedule_update.reset_mock()
                res = self.client.post(UPDATE, dict(FORM, **changes))
                self.assertNoFormErrors(res)
                self.mock_schedule_update.assert_called_once()

    @helpers.create_mocks(MOCKS)
    def test_backups_that_cannot_be_listed_ask_only_when_lowering(self):
        self._backends()
        self.mock_project_backups.side_effect = self.exceptions.cinder
        res = self.client.post(UPDATE, dict(FORM, max_full='3'))
        self.assertNoFormErrors(res)
        self.mock_schedule_update.reset_mock()
        res = self.client.post(UPDATE, dict(FORM, keep_days='7'))
        self.mock_schedule_update.assert_not_called()
        self.assertContains(res, 'deletes with these settings cannot be said')
        res = self.client.post(UPDATE, dict(
            FORM, keep_days='7', accept_deletions='on',
            deletions_shown=res.context['form']['deletions_shown'].value()))
        self.assertNoFormErrors(res)
        self.mock_schedule_update.assert_called_once()

    @helpers.create_mocks(MOCKS)
    def test_quota_and_deletions_are_asked_at_once(self):
        self._backends(limits=dict(LIMITS, max_backups=5))
        res = self.client.post(UPDATE, dict(FORM, max_full='1',
                                            max_incremental='6'))
        self.assertContains(res, 'will keep about 8 backups')
        self.assertContains(res, 'deletes 1 backup')
        self.assertContains(res, 'name="accept_quota"')
        self.assertContains(res, 'name="accept_deletions"')


class DeleteSaysWhatBecomesOfTheBackupsTests(helpers.TestCase):
    def _index(self, backups=None):
        with mock.patch.object(api.mistral, 'cron_trigger_list',
                               return_value=self.triggers.list()), \
                mock.patch.object(api.compute, 'servers_with_any_tag',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'workflow_problems',
                                  return_value=[]), \
                mock.patch.object(api.mistral, 'execution_list',
                                  return_value=[]), \
                mock.patch.object(api.storage, 'project_backups',
                                  **backups) as listed:
            res = self.client.get(INDEX)
        listed.assert_called_once_with(helpers.IsHttpRequest())
        return res

    def _help(self, res, name):
        table = res.context['table']
        row = next(r for r in table.data if r.name == name)
        action = next(a for a in table.get_row_actions(row)
                      if a.name == 'delete')
        return str(action.help_text)

    def test_each_row_counts_its_own_backups_in_one_call(self):
        res = self._index({'return_value': chains()})
        text = self._help(res, 'nightly')
        self.assertIn('Its 3 backups (12 GB of backup quota) are kept.',
                      text)
        self.assertIn('only users with the role "admin"', text)
        self.assertIn('No rotation deletes them any more', text)
        self.assertIn('It has no backup now.', self._help(res, 'weekly db'))
        # The confirmation dialog reads the button's help_text.
        self.assertContains(res, 'Its 3 backups (12 GB of backup quota)')

    @override_settings(BACKUP_DASHBOARD_PROTECTED_BACKUP_DELETE_ROLE=None)
    def test_without_a_role_nobody_deletes_them_by_hand(self):
        res = self._index({'return_value': chains()})
        self.assertIn('nobody can delete them by hand',
                      self._help(res, 'nightly'))

    def test_backups_that_cannot_be_read_are_said_kept_uncounted(self):
        res = self._index({'side_effect': self.exceptions.cinder})
        self.assertEqual(200, res.status_code)
        self.assertIn('they could not be counted now',
                      self._help(res, 'nightly'))

    def test_the_detail_pages_delete_says_it_too(self):
        from backup_dashboard import health
        with mock.patch.object(api.schedules, 'schedule_show',
                               return_value=data.nightly()), \
                mock.patch.object(api.compute, 'servers_with_any_tag',
                                  return_value=[]), \
                mock.patch.object(api.health, 'schedule_health',
                                  return_value=(health.Health([]), None)), \
                mock.patch.object(api.storage, 'project_backups',
                                  return_value=chains()) as listed:
            res = self.client.get(DETAIL)
        listed.assert_called_once_with(helpers.IsHttpRequest())
        self.assertContains(res, 'Its 3 backups (12 GB of backup quota)')


DRILLS = dict(FORM, drill='weekly', drill_weekday='0', drill_hour='4',
              drill_minute='0', drill_sample='', drill_keep='0')
DRILL_MOCKS = {**MOCKS, api.storage: [
    'volume_list', 'backup_limits', 'project_backups', 'volume_room']}


class DrillForecastTests(_Backends):
    """The throwaway volumes of the schedule's drills, against the quota."""

    def _drilled(self, room):
        # Three volumes of 4, 10 and 6 GB on two instances.
        self._backends(servers=[
            data.server('s1', 'web', tags=['backup:nightly'],
                        volume_ids=['vol-1', 'vol-2']),
            data.server('s2', 'db', tags=['backup:nightly'],
                        volume_ids=['vol-3'])])
        self.mock_volume_room.return_value = room
        self.mock_volume_list.return_value = [
            cinder_data.volume(vid, vid, size=size, status='in-use')
            for vid, size in (('vol-1', 4), ('vol-2', 10), ('vol-3', 6))]

    @helpers.create_mocks(DRILL_MOCKS)
    def test_the_preview_counts_the_drills_throwaway_volumes(self):
        self._drilled({'volumes': 10, 'gigabytes': None})
        html = json.loads(self.client.get(EDITED, DRILLS).content)['html']
        # Two restores at once, the largest two at worst.
        self.assertIn('hold up to 2 throwaway volumes at once, 16 GB in all;'
                      ' the volume quota has room for 10 more volumes and '
                      'any size.', html)
        html = json.loads(self.client.get(EDITED, dict(
            DRILLS, drill_keep='3')).content)['html']
        self.assertIn('up to 3 throwaway volumes at once, 20 GB in all, for '
                      '3 hours after the last restore', html)
        html = json.loads(self.client.get(EDITED, dict(
            DRILLS, drill_keep='3', drill_sample='1')).content)['html']
        self.assertIn('up to 1 throwaway volume at once, 10 GB', html)

    @helpers.create_mocks(DRILL_MOCKS)
    def test_no_drills_no_volume_quota_read(self):
        self._backends()
        html = json.loads(self.client.get(EDITED, FORM).content)['html']
        self.assertNotIn('throwaway', html)
        self.mock_volume_room.assert_not_called()

    @helpers.create_mocks(DRILL_MOCKS)
    def test_drills_the_quota_cannot_hold_are_asked_before_saving(self):
        self._drilled({'volumes': 5, 'gigabytes': 12})
        res = self.client.post(UPDATE, DRILLS)
        self.mock_schedule_update.assert_not_called()
        self.assertContains(res, 'restores up to 2 volumes at once, 16 GB '
                                 'in all, but the project&#x27;s volume '
                                 'quota allows only 12 more GB now')
        self.assertContains(res, 'name="accept_quota"')
        self.assertEqual('weekly', res.context['form']['drill'].value())
        res = self.client.post(UPDATE, dict(DRILLS, accept_quota='on'))
        self.assertNoFormErrors(res)
        self.assertTrue(self.mock_schedule_update.call_args[0][2].drill.on)
