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

"""The schedule form's drill fields, the api layer mocked."""
from unittest import mock

from django.urls import reverse

from backup_dashboard import api
from backup_dashboard import drill_schedule
from testkit import data
from testkit import helpers
from tests.unit.dashboards.project.schedules.test_views import FORM
from tests.unit.dashboards.project.schedules.test_views import LIMITS

CREATE = reverse('horizon:project:backup_schedules:create')
UPDATE = reverse('horizon:project:backup_schedules:update', args=['nightly'])
WEEKLY = dict(FORM, timezone='Europe/Berlin', drill='weekly',
              drill_weekday='0', drill_hour='4', drill_minute='30',
              drill_sample='2')


class DrillFieldTests(helpers.TestCase):
    def _post(self, url, values, saver='schedule_create'):
        with mock.patch.object(api.compute, 'servers_with_any_tag',
                               return_value=[]), \
                mock.patch.object(api.storage, 'volume_list',
                                  return_value=[]), \
                mock.patch.object(api.storage, 'project_backups',
                                  return_value=[]), \
                mock.patch.object(api.storage, 'backup_limits',
                                  return_value=dict(LIMITS)), \
                mock.patch.object(api.storage, 'volume_room',
                                  return_value={'volumes': None,
                                                'gigabytes': None}), \
                mock.patch.object(api.schedules, saver,
                                  side_effect=lambda *a: a[-1]) as save:
            res = self.client.post(url, values)
        return res, save

    def test_drills_are_off_unless_chosen(self):
        res, save = self._post(CREATE, FORM)
        self.assertNoFormErrors(res)
        self.assertFalse(save.call_args[0][1].drill.on)

    def test_weekly_drills_are_stored_as_typed_in_the_schedules_zone(self):
        res, save = self._post(CREATE, WEEKLY)
        self.assertNoFormErrors(res)
        drill = save.call_args[0][1].drill
        self.assertEqual(('weekly', 0, 4, 30, 2, 'Europe/Berlin'), (
            drill.frequency, drill.weekday, drill.hour, drill.minute,
            drill.sample, drill.timezone))
        self.assertEqual('30 4 * * 0', drill.local_pattern)
        # Its trigger fires at both UTC times; the plan says which is due.
        self.assertEqual('30 2,3 * * 0', drill.pattern)
        self.assertEqual(0, drill.keep_hours)

    def test_the_hours_to_keep_are_stored_and_shown_again(self):
        res, save = self._post(CREATE, dict(WEEKLY, drill_keep='24'))
        self.assertNoFormErrors(res)
        drill = save.call_args[0][1].drill
        self.assertEqual(24, drill.keep_hours)
        self.assertEqual(24 * 3600, drill.to_trigger(
            save.call_args[0][1])['workflow_input']['keep'])

    def test_bad_drill_input_is_refused_beside_its_field(self):
        for changes, message in (
                ({'drill_hour': '24'}, 'less than or equal to 23'),
                ({'drill_hour': ''}, 'This field is required.'),
                ({'drill_sample': '0'}, 'from 1 to 100'),
                ({'drill_sample': ' 2x'}, 'from 1 to 100'),
                ({'drill_keep': '100'}, 'from 0 to 72'),
                ({'drill_keep': '2h'}, 'from 0 to 72'),
                ({'drill': 'daily'}, 'Select a valid choice')):
            with self.subTest(changes=changes):
                res, save = self._post(CREATE, dict(WEEKLY, **changes))
                self.assertEqual(200, res.status_code)
                self.assertContains(res, message)
                save.assert_not_called()

    def test_an_edit_shows_the_stored_drills_and_can_turn_them_off(self):
        stored = data.nightly()
        stored.drill = drill_schedule.Settings(
            frequency='monthly', day=3, hour=1, minute=5, sample=None,
            timezone='Europe/Paris', keep_hours=3)
        with mock.patch.object(api.schedules, 'schedule_show',
                               return_value=stored):
            form = self.client.get(UPDATE).context['form']
            self.assertEqual(('monthly', 3, 1, 5, '', '3'), tuple(
                form.initial[k] for k in ('drill', 'drill_day', 'drill_hour',
                                          'drill_minute', 'drill_sample',
                                          'drill_keep')))
            res, save = self._post(UPDATE, dict(FORM, drill='off'),
                                   saver='schedule_update')
        self.assertNoFormErrors(res)
        self.assertFalse(save.call_args[0][2].drill.on)
