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

"""Hostile input matrix: every case against the plugin's real forms and views.

Each case is posted (or requested) through Horizon's test client with the API
mocked at ``backup_dashboard.api.mistral`` / ``.compute`` / ``.storage``, so
the real form, the real domain validators and the real Trove-style API
(``api.schedules``) all run. A case ends in one of two ways:

- ``reject``: the form comes back (200) with an error, and the mocked
  ``cron_trigger_create`` / ``cron_trigger_delete`` / tag and metadata calls
  were never made;
- ``inert``: the value is stored, and it reaches Mistral only as a *value* of
  the trigger's ``workflow_input`` (never in its name, pattern, workflow or
  params, never as a key); the page that shows it back has it escaped.

Never a 500, and the raw payload never appears unescaped in a response.
Every request of a case is sent twice: as a browser sends it, then as
Horizon's JavaScript does (``X-Requested-With: XMLHttpRequest``, which a
modal form answers with its "_" template and a redirect with
``X-Horizon-Location``). Cases are generated as one test method each, named
by the case id (pytest cannot parametrize unittest-style tests, which
Horizon's helpers are).

That the workflows never evaluate input text as an expression is checked
twice: statically over workbooks/*.yaml (no action or workflow that would run
text, no expression-built action or workflow names), and dynamically by
running the schedule workflow in Mistral's real engine (offline) with YAQL and
Jinja in every input string: they come out verbatim.
"""
import collections
import email
import email.header
import json
from pathlib import Path
import re
from unittest import mock

from django.urls import reverse
from horizon import exceptions
from mistralclient.api.v2 import cron_triggers
from openstack_dashboard.api import keystone as keystone_api
import pytest
import yaml

from backup_dashboard import api
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers
from testkit.helpers import AJAX
from tests import figures
from tests.figures import robustness_figures  # noqa: F401 (fixture)
from tests.figures import robustness_figures_per_test  # noqa: F401,E501
from tests.hostile import JINJA
from tests.hostile import JINJA_BLOCK
from tests.hostile import XSS
from tests.hostile import XSS_IMG
from tests.hostile import YAQL
from tests.hostile import YAQL_CALL
from tests.simulations import bridge
from tests.simulations import simulation_fixture
from tests.unit.dashboards.project.instances import data as idata

REPO = Path(__file__).resolve().parents[2]
CREATE = reverse('horizon:project:backup_schedules:create')
INDEX = reverse('horizon:project:backup_schedules:index')
RUNS = reverse('horizon:project:backup_runs:index')
PREVIEW = reverse('horizon:project:backup_schedules:preview')
INSTANCE = 'srv-1'

FORM = {
    'name': 'hostile-test', 'description': 'Nightly', 'kind': 'daily',
    'timezone': 'UTC',
    'minute': '0', 'hour': '2', 'weekday': '1', 'day': '1', 'cron': '',
    'mode': 'rotation', 'max_full': '2', 'max_incremental': '6',
    'keep_days': '', 'in_use': 'snapshot', 'report_to': 'ops@example.com',
}
LIMITS = {'max_backups': 100, 'used_backups': 0, 'max_gigabytes': 1000,
          'used_gigabytes': 0}


Case = collections.namedtuple('Case', 'id target fields expect message')


def case(case_id, target, expect, message=None, **fields):
    return Case(case_id, target, fields, expect, message)


CASES = [
    # --- schedule name (create) --------------------------------------------
    case('name_xss_script', 'create', 'reject', 'cannot contain', name=XSS),
    case('name_xss_img', 'create', 'reject', 'Use letters', name=XSS_IMG),
    case('name_yaql', 'create', 'reject', 'Use letters', name=YAQL),
    case('name_jinja', 'create', 'reject', 'Use letters',
         name='{{x}}'),
    case('name_slash', 'create', 'reject', 'cannot contain', name='db/web'),
    case('name_comma', 'create', 'reject', 'cannot contain', name='db,web'),
    case('name_empty', 'create', 'reject', 'This field is required',
         name=''),
    case('name_blank', 'create', 'reject', 'Enter a name', name='   '),
    case('name_oversized', 'create', 'reject', 'at most 53', name='n' * 54),
    case('name_huge', 'create', 'reject', 'at most 53', name='n' * 100000),
    case('name_null_byte', 'create', 'reject', 'Null characters',
         name='night\x00ly'),
    case('name_newline', 'create', 'reject', 'Use letters',
         name='night\nly'),
    case('name_escape_char', 'create', 'reject', 'Use letters',
         name='night\x1b[31mly'),
    case('name_rtl_override', 'create', 'reject', 'Use letters',
         name='backup\u202egnp.exe'),
    case('name_zero_width', 'create', 'reject', 'Use letters',
         name='night\u200bly'),
    case('name_looks_like_uuid', 'create', 'reject', 'look like an ID',
         name='6f1c2a3e-0d0b-4a6c-9b77-5a8c3f0e9d21'),
    case('name_sql_quote', 'create', 'reject', 'Use letters',
         name="x' OR '1'='1"),
    case('name_unicode_letters', 'create', 'inert',
         name='Sauvegarde-été 日本'),
    case('name_longest_allowed', 'create', 'inert', name='n' * 53),
    # --- description -------------------------------------------------------
    case('description_xss_script', 'create', 'inert', description=XSS),
    case('description_xss_img', 'create', 'inert', description=XSS_IMG),
    case('description_yaql', 'create', 'inert', description=YAQL),
    case('description_yaql_calls', 'create', 'inert', description=YAQL_CALL),
    case('description_jinja', 'create', 'inert', description=JINJA),
    case('description_jinja_block', 'create', 'inert',
         description=JINJA_BLOCK),
    case('description_angular_interpolation', 'create', 'reject',
         'read them as an expression',
         description="{$ constructor.constructor('alert(1)')() $}"),
    case('email_angular_interpolation', 'create', 'reject',
         'read them as an expression', report_to='{$7*7$}@example.com'),
    case('description_unicode', 'create', 'inert',
         description='Données – 日本語 – emoji \U0001f680'),
    case('description_browser_crlf', 'create', 'inert',
         description='line one\r\nline two'),
    case('description_oversized', 'create', 'reject', 'at most 255',
         description='d' * 256),
    case('description_null_byte', 'create', 'reject', 'Null characters',
         description='a\x00b'),
    case('description_escape_char', 'create', 'reject', 'control characters',
         description='red \x1b[31m text'),
    case('description_c1_control', 'create', 'reject', 'control characters',
         description='next \x85 line'),
    case('description_rtl_override', 'create', 'reject',
         'control characters', description='invoice\u202efdp.exe'),
    # --- report e-mails ----------------------------------------------------
    case('email_header_injection_lf', 'create', 'reject', 'not an e-mail',
         report_to='ops@example.com\nBcc: x@example.org'),
    case('email_header_injection_crlf', 'create', 'reject', 'not an e-mail',
         report_to='ops@example.com\r\nBcc:x@example.org'),
    case('email_header_injection_issue', 'create', 'reject', 'not an e-mail',
         report_to='a@b.c\nBcc: x@y.z'),
    case('email_encoded_injection', 'create', 'reject', 'not an e-mail',
         report_to='a@b.c%0aBcc:x@y.z'),
    case('email_xss', 'create', 'reject', 'not an e-mail',
         report_to=XSS + '@example.com'),
    case('email_yaql', 'create', 'reject', 'not an e-mail',
         report_to='<%$.tag%>@example.com'),
    case('email_jinja_valid_address', 'create', 'inert',
         report_to='{{7*7}}@example.com'),
    case('email_too_many', 'create', 'reject', 'At most 20',
         report_to=','.join('u%d@example.com' % i for i in range(21))),
    case('email_oversized', 'create', 'reject', 'at most 2000',
         report_to='a' * 1990 + '@example.com'),
    case('email_null_byte', 'create', 'reject', 'Null characters',
         report_to='ops@exa\x00mple.com'),
    case('email_unicode_domain', 'create', 'inert',
         report_to='ops@exämple.com'),
    # --- cron --------------------------------------------------------------
    case('cron_six_fields', 'create', 'reject', 'exactly five',
         kind='cron', cron='0 0 2 * * *'),
    case('cron_reboot_macro', 'create', 'reject', 'not supported',
         kind='cron', cron='@reboot'),
    case('cron_hourly_macro', 'create', 'reject', 'not supported',
         kind='cron', cron='@hourly'),
    case('cron_step_zero', 'create', 'reject', 'not a cron pattern',
         kind='cron', cron='*/0 * * * *'),
    case('cron_minute_61', 'create', 'reject', 'not a cron pattern',
         kind='cron', cron='61 * * * *'),
    case('cron_every_minute', 'create', 'reject', 'shortest interval',
         kind='cron', cron='* * * * *'),
    case('cron_every_5_minutes', 'create', 'reject', 'shortest interval',
         kind='cron', cron='*/5 * * * *'),
    case('cron_every_59_minutes_in_a_list', 'create', 'reject',
         'shortest interval', kind='cron', cron='0,59 2 * * *'),
    case('cron_a_burst_once_a_year', 'create', 'reject', 'shortest interval',
         kind='cron', cron='* 2 1 1 *'),
    case('cron_never_runs', 'create', 'reject', 'never runs',
         kind='cron', cron='0 0 31 2 *'),
    case('cron_empty', 'create', 'reject', 'Enter a cron pattern',
         kind='cron', cron=''),
    case('cron_yaql', 'create', 'reject', 'exactly five',
         kind='cron', cron='<% 1 %> * * * *'),
    case('cron_yaql_in_one_field', 'create', 'reject', 'not a cron pattern',
         kind='cron', cron='<%1%> 2 * * *'),
    case('cron_newline_second_pattern', 'create', 'reject', 'exactly five',
         kind='cron', cron='0 2 * * *\n* * * * *'),
    case('cron_oversized', 'create', 'reject', 'at most 100',
         kind='cron', cron='0 2 * * ' + '1,' * 60 + '2'),
    case('cron_padded_with_spaces', 'create', 'inert',
         kind='cron', cron='  0   2 * *  *  '),
    case('cron_over_its_limit', 'create', 'reject', 'at most 100',
         kind='cron', cron='  0   2 * *  *' + ' ' * 200),
    case('cron_xss', 'create', 'reject', 'exactly five',
         kind='cron', cron=XSS),
    # --- presets, retention, choices ---------------------------------------
    case('hour_24', 'create', 'reject', 'less than or equal to 23',
         hour='24'),
    case('minute_negative', 'create', 'reject',
         'greater than or equal to 0', minute='-1'),
    case('day_29', 'create', 'reject', 'less than or equal to 28',
         kind='monthly', day='29'),
    case('weekday_8', 'create', 'reject', 'Select a valid choice',
         kind='weekly', weekday='8'),
    case('max_full_zero', 'create', 'reject', 'greater than or equal to 1',
         max_full='0'),
    case('max_full_101', 'create', 'reject', 'less than or equal to 100',
         max_full='101'),
    case('max_full_huge', 'create', 'reject', 'less than or equal to 100',
         max_full='9' * 40),
    case('max_full_not_a_number', 'create', 'reject', 'Enter a whole number',
         max_full='2; DROP TABLE'),
    case('max_incremental_negative', 'create', 'reject',
         'greater than or equal to 0', max_incremental='-1'),
    case('max_incremental_yaql', 'create', 'reject', 'Enter a whole number',
         max_incremental='<% 1 %>'),
    case('keep_days_zero', 'create', 'reject', 'greater than or equal to 1',
         keep_days='0'),
    case('keep_days_3651', 'create', 'reject', 'less than or equal to 3650',
         keep_days='3651'),
    case('mode_unknown', 'create', 'reject', 'Select a valid choice',
         mode='<% $.mode %>'),
    case('in_use_unknown', 'create', 'reject', 'Select a valid choice',
         in_use=XSS),
    case('kind_unknown', 'create', 'reject', 'Select a valid choice',
         kind='{{ kind }}'),
    # --- duplicate name ----------------------------------------------------
    case('name_duplicate', 'create', 'reject', 'already exists',
         name='weekly db'),
    # --- edit form ---------------------------------------------------------
    case('update_posted_name_ignored', 'update', 'inert', name=XSS),
    case('update_description_xss', 'update', 'inert', description=XSS),
    case('update_description_yaql_jinja', 'update', 'inert',
         description=YAQL + JINJA),
    case('update_bad_cron_loses_nothing', 'update', 'reject',
         'not a cron pattern', kind='cron', cron='61 * * * *'),
    case('update_email_injection_loses_nothing', 'update', 'reject',
         'not an e-mail', report_to='ops@example.com\nBcc: x@example.org'),
    case('update_retention_out_of_range', 'update', 'reject',
         'less than or equal to 100', max_incremental='1000'),
    # --- "Configure backups" of an instance --------------------------------
    case('configure_schedule_xss', 'configure', 'reject', 'no longer exists',
         schedules=[XSS]),
    case('configure_schedule_yaql', 'configure', 'reject',
         'no longer exists', schedules=[YAQL]),
    case('configure_schedule_slash', 'configure', 'reject',
         'no longer exists', schedules=['nightly/../x']),
    case('configure_schedule_comma', 'configure', 'reject',
         'no longer exists', schedules=['nightly,weekly db']),
    case('configure_schedule_oversized', 'configure', 'reject',
         'no longer exists', schedules=['n' * 5000]),
    case('configure_schedule_null_byte', 'configure', 'reject',
         'no longer exists', schedules=['nightly\x00']),
    case('configure_foreign_volume_refused', 'configure', 'reject',
         'is not attached to this instance',
         skip_volumes=['vol-of-another-project', XSS]),
    # --- ids in URLs and query strings -------------------------------------
    case('url_run_id_xss', 'run', 'reject', execution_id=XSS_IMG),
    case('url_run_id_sql', 'run', 'reject', execution_id="1' OR '1'='1"),
    case('url_run_id_traversal', 'run', 'reject',
         execution_id='..\\..\\etc\\passwd'),
    case('url_run_id_oversized', 'run', 'reject', execution_id='f' * 5000),
    case('url_run_id_unicode', 'run', 'reject', execution_id='ex-é\u202e'),
    case('url_schedule_name_xss', 'schedule', 'reject', name=XSS_IMG),
    case('url_schedule_name_yaql', 'schedule', 'reject', name=YAQL),
    case('url_instance_id_xss', 'instance', 'reject',
         instance_id=XSS_IMG),
    case('url_runs_filter_xss', 'runs_query', 'reject',
         query={'schedule': XSS, 'state': XSS, 'marker': XSS}),
    case('url_preview_cron_xss', 'preview', 'reject',
         query={'kind': 'cron', 'cron': XSS}),
    case('url_preview_bad_numbers', 'preview', 'reject',
         query={'kind': 'monthly', 'day': '99', 'hour': '-3',
                'minute': XSS}),
]

PAYLOAD_KEYS = ('name', 'description', 'report_to', 'cron', 'schedules',
                'skip_volumes', 'execution_id', 'instance_id')


def payloads(c):
    """The strings of a case that would be markup if echoed unescaped.

    The strings of a case that would be markup (or an Angular expression) if a
    page echoed them unescaped.
    """
    found = []
    for key, value in c.fields.items():
        values = value if isinstance(value, list) else \
            list(value.values()) if isinstance(value, dict) else [value]
        found += [v for v in values if isinstance(v, str) and
                  re.search(r'[<>"\']|\{\$', v)]
    return found


def url_with(name, value):
    """A plugin URL with `value` as its id, quoted as a browser would."""
    from urllib.parse import quote
    sample = reverse(name, args=['ID-PLACEHOLDER'])
    return sample.replace('ID-PLACEHOLDER', quote(value, safe=''))


def trigger_from(kwargs, trigger_id='trig-new'):
    """The CronTrigger Mistral would return for `cron_trigger_create`."""
    info = {
        'id': trigger_id, 'name': kwargs['name'],
        'pattern': kwargs['pattern'],
        'workflow_name': kwargs['workflow_identifier'],
        'workflow_input': json.dumps(kwargs['workflow_input']),
        'workflow_params': json.dumps(kwargs.get('workflow_params') or {}),
        'project_id': data.PROJECT, 'scope': 'private',
        'created_at': '2026-11-22 08:00:00',
        'next_execution_time': '2026-11-23 02:00:00',
    }
    return cron_triggers.CronTrigger(cron_triggers.CronTriggerManager(None),
                                     info)


class HostileInputTests(helpers.TestCase):
    """Filled with one test method per case below the class."""

    def setUp(self):
        super().setUp()
        patches = {
            (api.mistral, 'cron_trigger_get'): self._trigger_get,
            (api.mistral, 'cron_trigger_create'): self._trigger_create,
            (api.mistral, 'cron_trigger_delete'): None,
            (api.mistral, 'cron_trigger_list'): lambda *a, **k: [],
            (api.mistral, 'execution_list'): lambda *a, **k: [],
            (api.mistral, 'execution_get'): self._not_found,
            (api.mistral, 'workflow_problems'): lambda *a, **k: [],
            (api.compute, 'servers_with_any_tag'): lambda *a, **k: [],
            (api.compute, 'server_get'): self._server_get,
            (api.compute, 'server_add_tag'): None,
            (api.compute, 'server_delete_tag'): None,
            (api.storage, 'volume_list'): lambda *a, **k: [],
            (api.storage, 'backup_limits'): lambda *a, **k: dict(LIMITS),
            # what the edit form and Delete say becomes of the backups
            (api.storage, 'project_backups'): lambda *a, **k: [],
            (api.storage, 'volume_get'): self._volume_get,
            (api.storage, 'volume_set_skip'): None,
            # the schedule's health on its detail page reads role assignments
            (keystone_api, 'role_assignments_list'): lambda *a, **k: [],
        }
        self.mocks = {}
        for (module, name), side_effect in patches.items():
            patcher = mock.patch.object(module, name)
            self.mocks[name] = patcher.start()
            if side_effect is not None:
                self.mocks[name].side_effect = side_effect
            self.addCleanup(patcher.stop)
        self._reset(ajax=False)

    def _reset(self, ajax):
        """Fresh services, and requests sent plain or as AJAX."""
        self.created = []
        for called in self.mocks.values():
            called.reset_mock()
        self.stored = {'nightly': data.trigger(data.nightly()),
                       'weekly db': self.triggers.list()[1]}
        self.ajax = ajax
        if ajax:
            self.client.defaults.update(AJAX)
        else:
            self.client.defaults.pop('HTTP_X_REQUESTED_WITH', None)

    # -- the mocked services --------------------------------------------------

    def _trigger_get(self, request, name):
        if name in self.stored:
            return self.stored[name]
        raise exceptions.NotFound('Cron trigger not found [name=%s]' % name)

    def _trigger_create(self, request, **kwargs):
        trigger = trigger_from(kwargs)
        self.created.append(kwargs)
        return trigger

    @staticmethod
    def _not_found(request, *args, **kwargs):
        raise exceptions.NotFound('Object not found')

    def _server_get(self, request, instance_id):
        if instance_id != INSTANCE:
            raise exceptions.NotFound('Instance %s could not be found.'
                                      % instance_id)
        return idata.server(INSTANCE, tags=['backup:nightly'],
                            volume_ids=['vol-a'])

    @staticmethod
    def _volume_get(request, volume_id):
        if volume_id != 'vol-a':
            raise exceptions.NotFound('Volume not found')
        return idata.volume('vol-a', 'boot', 10)

    # -- checks shared by every case -----------------------------------------

    def assert_no_raw(self, res, c):
        body = res.content.decode('utf-8', 'replace')
        for payload in payloads(c):
            at = body.find(payload)
            if at >= 0:
                self.fail('raw payload in the response: ...%s...'
                          % body[max(0, at - 300):at + len(payload) + 100])

    def assert_nothing_changed(self):
        for name in ('cron_trigger_create', 'cron_trigger_delete',
                     'server_add_tag', 'server_delete_tag',
                     'volume_set_skip'):
            self.mocks[name].assert_not_called()

    def assert_stored_as_values_only(self, kwargs, c):
        """Payloads reach Mistral only as values of the workflow input."""
        values = json.dumps(kwargs['workflow_input'])
        for key, value in kwargs.items():
            if key == 'workflow_input':
                continue
            text = json.dumps(value)
            for payload in payloads(c):
                if key == 'name' and c.fields.get('name') == payload:
                    continue
                self.assertNotIn(json.dumps(payload)[1:-1], text,
                                 'payload in trigger %s' % key)
        self.assertEqual(set(domain.Schedule(name='x', pattern='0 2 * * *')
                             .workflow_input()),
                         set(kwargs['workflow_input']),
                         'the workflow input keys are fixed')
        self.assertEqual(domain.SCHEDULE_WORKFLOW,
                         kwargs['workflow_identifier'])
        return values

    # -- runners per target --------------------------------------------------

    def assert_redirected(self, res):
        """A redirect, as the request was sent.

        302, or for AJAX Horizon's 200 with X-Horizon-Location. Returns where
        to.
        """
        if self.ajax:
            self.assertEqual(200, res.status_code)
            self.assertIn('X-Horizon-Location', res)
            return res['X-Horizon-Location']
        self.assertEqual(302, res.status_code)
        return res['Location']

    def run_case(self, c):
        runner = getattr(self, 'run_' + c.target)
        for ajax in (False, True):
            self._reset(ajax)
            try:
                runner(c)
            except AssertionError as error:
                raise AssertionError('%s request: %s' % (
                    'AJAX' if ajax else 'plain', error)) from error
        figures.record('hostile_cases')
        figures.record('hostile_' + ('rejected' if c.expect == 'reject'
                                     else 'inert'))

    def _form_post(self, url, c):
        res = self.client.post(url, dict(FORM, **c.fields))
        self.assertNotEqual(500, res.status_code)
        self.assert_no_raw(res, c)
        if c.expect == 'reject':
            self.assertEqual(200, res.status_code)
            self.assertTrue(res.context['form'].errors, 'no form error')
            self.assertContains(res, c.message)
            self.assert_nothing_changed()
            return None
        self.assertNoFormErrors(res)
        self.assert_redirected(res)
        self.assertEqual(1, len(self.created))
        kwargs = self.created[0]
        self.assert_stored_as_values_only(kwargs, c)
        return kwargs

    def _shown_escaped(self, kwargs, c):
        """The stored schedule's pages show the payloads escaped."""
        trigger = trigger_from(kwargs)
        self.stored[trigger.name] = trigger
        url = reverse('horizon:project:backup_schedules:detail',
                      args=[trigger.name])
        res = self.client.get(url)
        self.assertEqual(200, res.status_code)
        self.assert_no_raw(res, c)
        schedule = res.context['schedule']
        stored = domain.Schedule.from_trigger(trigger)
        self.assertEqual(stored.description, schedule.description)
        return res

    def run_create(self, c):
        kwargs = self._form_post(CREATE, c)
        if kwargs is None:
            return
        wf_input = kwargs['workflow_input']
        if 'description' in c.fields:
            expected = c.fields['description'].replace('\r\n', '\n')
            self.assertEqual(expected, wf_input['description'])
        if 'report_to' in c.fields:
            self.assertEqual([c.fields['report_to']], wf_input['report_to'])
        if 'name' in c.fields:
            self.assertEqual(c.fields['name'], kwargs['name'])
            self.assertEqual('backup:' + c.fields['name'], wf_input['tag'])
        res = self._shown_escaped(kwargs, c)
        for key in ('description', 'report_to'):
            if key in c.fields and payloads(c):
                self.assertContains(res, escape(c.fields[key]))

    def run_update(self, c):
        url = reverse('horizon:project:backup_schedules:update',
                      args=['nightly'])
        kwargs = self._form_post(url, c)
        if kwargs is None:
            return
        self.mocks['cron_trigger_delete'].assert_called_once()
        self.assertEqual('nightly', kwargs['name'])
        if 'description' in c.fields:
            self.assertEqual(c.fields['description'],
                             kwargs['workflow_input']['description'])
        self._shown_escaped(kwargs, c)

    def run_configure(self, c):
        url = reverse('horizon:project:backup_schedules:instance_configure',
                      args=[INSTANCE])
        with mock.patch.object(api.schedules, 'schedule_list',
                               return_value=self.schedules.list()):
            res = self.client.post(url, {
                'schedules': c.fields.get('schedules', ['nightly']),
                'skip_volumes': c.fields.get('skip_volumes', [])})
        self.assertNotEqual(500, res.status_code)
        self.assert_no_raw(res, c)
        if c.expect == 'reject':
            self.assertEqual(200, res.status_code)
            self.assertContains(res, c.message)
        self.assert_nothing_changed()
        for call in self.mocks['volume_get'].call_args_list:
            self.assertEqual('vol-a', call[0][1], 'read a foreign volume')

    def _get_refused(self, url, c, query=None):
        res = self.client.get(url, query or {})
        self.assertNotEqual(500, res.status_code)
        self.assertIn(res.status_code, (200, 302))
        self.assert_no_raw(res, c)
        if res.status_code == 302 or res.get('X-Horizon-Location'):
            res = self.client.get(self.assert_redirected(res))
            self.assertNotEqual(500, res.status_code)
            self.assert_no_raw(res, c)
        self.assert_nothing_changed()
        return res

    def run_run(self, c):
        url = url_with('horizon:project:backup_runs:detail',
                       c.fields['execution_id'])
        with mock.patch.object(api.runs, 'run_page',
                               return_value=([], False)), \
                mock.patch.object(api.runs, 'run_history',
                                  return_value=[]):
            self._get_refused(url, c)
        self.mocks['execution_get'].assert_called_once()

    def run_schedule(self, c):
        for view in ('detail', 'update'):
            url = url_with('horizon:project:backup_schedules:%s' % view,
                           c.fields['name'])
            res = self.client.get(url)
            self.assert_redirected(res)
            self.assert_no_raw(res, c)
        self.assert_nothing_changed()

    def run_instance(self, c):
        url = url_with(
            'horizon:project:backup_schedules:instance_configure',
            c.fields['instance_id'])
        with mock.patch.object(api.schedules, 'schedule_list',
                               return_value=self.schedules.list()):
            res = self.client.get(url)
            self.assert_redirected(res)
            res = self.client.post(url, {'schedules': ['nightly']})
        self.assertNotEqual(500, res.status_code)
        self.assert_nothing_changed()

    def run_runs_query(self, c):
        with mock.patch.object(api.runs, 'run_page',
                               return_value=([], False)) as page, \
                mock.patch.object(api.runs, 'run_history',
                                  return_value=[]):
            res = self.client.get(RUNS, c.fields['query'])
            self.assertEqual(200, res.status_code)
            self.assert_no_raw(res, c)
        # An unknown schedule lists nothing rather than every run.
        page.assert_not_called()
        self.assertIsNone(res.context['state'])

    def run_preview(self, c):
        res = self.client.get(PREVIEW, c.fields['query'])
        self.assertEqual(200, res.status_code)
        self.assertEqual('application/json', res['Content-Type'])
        self.assertFalse(res.json()['ok'])


def escape(text):
    from django.utils.html import escape as html_escape
    return html_escape(text)


def _make(c):
    def test(self):
        self.run_case(c)
    test.__name__ = 'test_' + c.id
    test.__doc__ = '%s: %s %s' % (c.target, c.expect, sorted(c.fields))
    return test


for _case in CASES:
    assert not hasattr(HostileInputTests, 'test_' + _case.id), _case.id
    setattr(HostileInputTests, 'test_' + _case.id, _make(_case))


def test_the_matrix_is_big_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


# --- the workflows never evaluate input text ---------------------------------

# Actions that run text (code, commands, URLs) or reach other services on the
# caller's behalf: none of them may appear in a bundled workflow.
EVALUATING_ACTIONS = ('std.javascript', 'std.js', 'std.ssh',
                      'std.ssh_proxied', 'std.http', 'std.mistral_http',
                      'std.async_noop', 'mistral.')
EXPRESSION = re.compile(r'<%.*?%>|\{\{.*?\}\}', re.S)


def _tasks():
    for path in sorted((REPO / 'workbooks').glob('*.yaml')):
        doc = yaml.safe_load(path.read_text())
        for wf_name, wf in doc.items():
            if not isinstance(wf, dict):
                continue
            for task_name, task in (wf.get('tasks') or {}).items():
                yield path.name, wf_name, task_name, task


def test_workbooks_never_run_text_or_choose_what_to_call_from_input():
    tasks = list(_tasks())
    assert len(tasks) > 20
    for path, wf, name, task in tasks:
        where = '%s %s.%s' % (path, wf, name)
        for key in ('action', 'workflow'):
            called = (task.get(key) or '').split(' ')[0]
            assert not EXPRESSION.search(called), \
                '%s: the %s to call is an expression' % (where, key)
            assert not called.startswith(EVALUATING_ACTIONS), \
                '%s calls %s' % (where, called)
    text = '\n'.join(p.read_text() for p in (REPO / 'workbooks')
                     .glob('*.yaml'))
    # No Jinja anywhere (one expression language, YAQL), and no YAQL
    # function that parses text into something evaluated.
    assert '{{' not in text and '{%' not in text
    for function in ('eval(', 'evaluate(', 'yaml_parse(', 'json_parse('):
        assert function not in text, function


HOSTILE = "<% $.tag %>{{ _.tag }}<% env() %>"


@simulation_fixture
def hostile_runs():
    return bridge.Simulation({
        'cloud': {
            'volumes': [{'id': 'v1', 'status': 'in-use'}],
            'servers': [{'id': 's1', 'name': HOSTILE, 'tags': ['backup:h'],
                         'volumes': ['v1']}]},
        'runs': [dict(workflow='backup_dashboard_schedule', input={
            'schedule': HOSTILE, 'tag': 'backup:h', 'description': HOSTILE,
            'local_pattern': HOSTILE, 'timezone': HOSTILE,
            'report_to': ['{{7*7}}@example.com']},
            env={'backup_dashboard_smtp': {
                'from_addr': 'bd@example.org',
                'smtp_server': 'smtp.example.org:25',
                'smtp_password': 'not-in-any-output'}})]})


@pytest.fixture(scope='module')
def engine_run(hostile_runs):
    return HOSTILE, hostile_runs[0]


def test_the_engine_passes_yaql_and_jinja_in_inputs_through_verbatim(
        engine_run):
    hostile, run = engine_run
    assert run['state'] == 'SUCCESS', run
    out = run['output']
    assert out['schedule'] == hostile
    (volume,) = out['volumes']
    assert volume['status'] == 'ok' and volume['server_name'] == hostile
    (backup,) = run['cloud']['backups'].values()
    assert backup['name'].startswith(hostile + '-')
    assert backup['metadata']['backup_dashboard:schedule'] == hostile
    assert hostile in backup['description']
    (mail,) = run['cloud']['emails']
    assert mail['to_addrs'] in (['{{7*7}}@example.com'],
                                '{{7*7}}@example.com')
    if 'message' in mail:      # sent through Mistral's real std.email
        msg = email.message_from_string(mail['message'])
        subject = str(email.header.make_header(
            email.header.decode_header(msg['Subject'])))
        body = msg.get_payload(decode=True).decode()
    else:
        subject, body = mail['subject'], mail['body']
    assert hostile in subject and hostile in body
    assert 'not-in-any-output' not in json.dumps(out)
    figures.record('hostile_cases')
    figures.record('hostile_inert')
