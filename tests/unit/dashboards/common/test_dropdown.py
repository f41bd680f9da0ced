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

"""The row actions' dropdown is Horizon's markup, element for element.

Horizon's JavaScript and CSS read the dropdown's elements, attributes and
classes; each case renders the same bound actions through Horizon's own
template and through ``dropdown`` and compares what a browser parses.
"""
import copy
from html import parser
from unittest import mock

from django.template import loader
from django.urls import reverse

from backup_dashboard import api
from backup_dashboard.dashboards.common import dropdown
from testkit import data
from testkit import helpers

HORIZON = 'horizon/common/_data_table_row_actions_dropdown.html'


class _Parsed(parser.HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.events = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {k: (tuple((v or '').split()) if k == 'class' else v)
                 for k, v in attrs}
        self.events.append(('start', tag, attrs))

    def handle_endtag(self, tag):
        self.events.append(('end', tag))

    def handle_data(self, text):
        if text.strip():
            self.events.append(('text', ' '.join(text.split())))


class DropdownTests(helpers.TestCase):
    def _table(self, url, **patches):
        res = self.client.get(url)
        self.assertEqual(200, res.status_code)
        return res.context['table']

    def assertSameAsHorizon(self, table, actions, row_id):
        ours = dropdown.dropdown_html(actions, row_id)
        horizons = loader.render_to_string(
            HORIZON, {'row_actions': actions, 'row_id': row_id},
            table.request)
        self.assertEqual(_Parsed(horizons).events, _Parsed(ours).events)
        return ours

    def _schedules_table(self, schedules):
        triggers = [data.trigger(s) for s in schedules]
        with helpers.index_backends(triggers, []):
            return self._table(reverse('horizon:project:backup_schedules:'
                                       'index'))

    def test_schedules_rows_links_buttons_and_menus(self):
        table = self._schedules_table(self.schedules.list())
        self.assertTrue(table.data)
        for datum in table.data:
            actions = table.get_row_actions(datum)
            row_id = table.get_object_id(datum)
            # A link first (Edit), buttons with help texts, a danger one.
            self.assertGreater(len(actions), 2)
            html = self.assertSameAsHorizon(table, actions, row_id)
            self.assertEqual(html, table.render_row_actions(datum))
            # Alone, a link and a button each are the single button.
            self.assertSameAsHorizon(table, actions[:1], row_id)
            self.assertSameAsHorizon(table, actions[1:2], row_id)
            self.assertSameAsHorizon(table, actions[1:], row_id)
        self.assertEqual('', dropdown.dropdown_html([], 'x'))

    def test_hostile_names_are_escaped_as_horizon_escapes_them(self):
        hostile = copy.copy(self.schedules.first())
        hostile.name = 'x"><b onmouseover=alert(1)>'
        table = self._schedules_table([hostile])
        datum = table.data[0]
        html = self.assertSameAsHorizon(table, table.get_row_actions(datum),
                                        table.get_object_id(datum))
        self.assertNotIn('<b ', html)
        self.assertIn('&quot;&gt;&lt;b onmouseover', html)

    def test_runs_rows_a_view_link_then_buttons(self):
        runs = [data.execution('t', exec_id='done'),
                data.execution('t', exec_id='going', state='RUNNING')]
        with mock.patch.object(api.runs, 'run_page',
                               return_value=(runs, False)), \
                mock.patch.object(api.runs, 'run_history', return_value=[]):
            table = self._table(reverse('horizon:project:backup_runs:index'))
        for datum in table.data:
            actions = table.get_row_actions(datum)
            self.assertEqual('GET', actions[0].method)
            self.assertEqual(
                self.assertSameAsHorizon(table, actions,
                                         table.get_object_id(datum)),
                table.render_row_actions(datum))
