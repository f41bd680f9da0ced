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

"""The schedule form's template choice and the project's bounds.

The form is built directly (rendering it lists every time zone: slow); the
api layer is mocked, the governance variables are ``self.governance``.
"""
from unittest import mock

from backup_dashboard import api
from backup_dashboard.dashboards.project.schedules import forms
from backup_dashboard import guardrails
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers
from tests.unit.dashboards.project.schedules import test_views

DAILY = guardrails.Template('Daily, keep 14', '0 2 * * *', None,
                            'rotation', 14, 6)


class TemplateFormTests(helpers.TestCase):
    def setUp(self):
        super().setUp()
        self.servers, self.volumes = [], []
        for target, value in (
                ((api.compute, 'servers_with_any_tag'),
                 lambda *a: self.servers),
                ((api.storage, 'volume_list'), lambda *a: self.volumes),
                ((api.storage, 'project_backups'), lambda *a: []),
                ((api.storage, 'backup_limits'),
                 lambda *a: dict(test_views.LIMITS, max_gigabytes=10000))):
            patcher = mock.patch.object(*target, side_effect=value)
            patcher.start()
            self.addCleanup(patcher.stop)
        self.stored({})
        # the form reads the user's project only
        self.request.user = mock.Mock(tenant_id=self.tenant.id)

    def stored(self, bounds=None, own=None, templates=(DAILY,)):
        projects = {self.tenant.id: own} if own else {}
        self.governance.return_value = {
            guardrails.TEMPLATES_KEY: [t.as_entry() for t in templates],
            guardrails.BOUNDS_KEY: {'default': bounds,
                                    'projects': projects}}

    def form(self, **changes):
        return forms.CreateScheduleForm(
            self.request, data=dict(test_views.FORM, **changes))

    def refused(self, **changes):
        form = self.form(**changes)
        self.assertFalse(form.is_valid())
        return ' '.join(form.non_field_errors())

    def test_the_choice_lists_the_templates_visible_to_the_project(self):
        other = guardrails.Template('Other', '0 3 * * *', None, 'full', 1,
                                    0, ('someone-else',))
        self.stored(templates=(DAILY, other))
        choices = [c for c, _label in self.form().fields['template'].choices]
        self.assertEqual(['', DAILY.name], choices)
        self.assertFalse(self.form(template='Other').is_valid())

    def test_values_differing_from_the_template_are_refused_naming_it(self):
        text = self.refused(template=DAILY.name, max_full='13')
        self.assertIn('The template "Daily, keep 14" is cron "0 2 * * *" in '
                      'the zone you choose, mode rotation, 14 full backups '
                      'kept, 6 incrementals per full.', text)
        form = self.form(template=DAILY.name, max_full='14')
        self.assertTrue(form.is_valid(), form.errors)
        # stored as typed, and remembering the template
        self.assertEqual((14, '0 2 * * *', DAILY.name),
                         (form.schedule.max_full, form.schedule.local_pattern,
                          form.schedule.template))
        form = self.form()
        self.assertTrue(form.is_valid(), form.errors)
        self.assertIsNone(form.schedule.template)

    def test_values_outside_the_bounds_are_refused_with_the_bound(self):
        self.stored(bounds={'min_interval_minutes': 60, 'max_full': 10},
                    own={'min_interval_minutes': 180, 'min_full': 3})
        text = self.refused(kind='cron', cron='0 */2 * * *')
        self.assertIn("runs every 120 minutes; this project's bounds allow "
                      "at most one run every 180 minutes", text)
        self.assertIn("keeps 2 full backups; this project's bounds require "
                      "at least 3", text)
        self.assertTrue(self.form(max_full='3', kind='cron',
                                  cron='0 */3 * * *').is_valid())

    def test_gigabytes_per_run_are_judged_on_the_volumes_assigned(self):
        self.stored(bounds={'max_gb_per_run': 50})
        self.servers = [data.server('s1', 'vm', tags=['backup:nightly'],
                                    volume_ids=['v1', 'v2'])]
        self.volumes = [data.volume('v1', 40), data.volume('v2', 20)]
        self.assertIn("backs up 60 GB per run; the cloud's default bounds "
                      "allow at most 50 GB per run", self.refused())
        self.volumes = [data.volume('v1', 40), data.volume('v2', 10)]
        self.assertTrue(self.form().is_valid())

    def test_unreadable_bounds_save_nothing(self):
        self.governance.side_effect = api.errors.ServiceUnavailable('down')
        form = self.form()
        self.assertEqual([('', 'None: my own values')],
                         [(c, str(label)) for c, label in
                          form.fields['template'].choices])
        self.assertIn('cannot be read right now; nothing was saved',
                      self.refused())

    def test_an_edit_shows_a_withdrawn_template_and_refuses_keeping_it(self):
        stored = domain.Schedule(name='nightly', local_pattern='0 2 * * *',
                                 template='Gone')
        form = forms.UpdateScheduleForm(
            self.request, data=dict(test_views.FORM, template='Gone'),
            stored=stored, initial=forms.initial_from(stored))
        self.assertIn(('Gone', 'Gone (no longer offered)'),
                      [(c, str(label)) for c, label in
                       form.fields['template'].choices])
        self.assertFalse(form.is_valid())
        self.assertIn('The template "Gone" is not offered to this project',
                      ' '.join(form.non_field_errors()))

    @helpers.create_mocks({api.schedules: ['schedule_create']})
    def test_the_saved_trigger_remembers_the_template(self):
        self.mock_schedule_create.side_effect = lambda req, s: s
        res = self.client.post(test_views.CREATE, dict(
            test_views.FORM, template=DAILY.name, max_full='14'))
        self.assertNoFormErrors(res)
        saved = self.mock_schedule_create.call_args[0][1]
        self.assertEqual(DAILY.name, saved.to_trigger()['workflow_params'][
            domain.TEMPLATE_PARAM])
        # and shown again on edit
        self.assertEqual(DAILY.name, forms.initial_from(saved)['template'])
