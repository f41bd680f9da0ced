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

"""Long names in the runs' tables wrap inside their column.

Long names in the runs' tables wrap inside their column (Horizon's
WrappingColumn) on pages the plugin's stylesheet reaches.
"""
import re
from unittest import mock

from django.urls import reverse

from backup_dashboard import api
from testkit import data
from testkit import helpers

LONG = 'helper-' + 'x' * 248          # a 255-character name, no space


def _cell_classes(page, text):
    """The classes of the table cell holding `text`."""
    found = re.search(r'<td class="([^"]*)"[^>]*>\s*(?:<a [^>]*>)?\s*%s'
                      % re.escape(text), page)
    return found.group(1).split() if found else None


class WrappingTests(helpers.TestCase):
    def test_a_long_schedule_name_wraps_in_the_runs_table(self):
        run = data.execution('t', output={'schedule': LONG[:53]})
        with mock.patch.object(api.runs, 'run_page',
                               return_value=([run], False)), \
                mock.patch.object(api.runs, 'run_history',
                                  return_value=[]):
            res = self.client.get(reverse('horizon:project:backup_runs:index'))
        page = res.content.decode()
        self.assertIn('word-break', _cell_classes(page, LONG[:53]))
        self.assertIn('<div class="backup-dashboard-page">', page)

    def test_long_instance_and_volume_names_wrap_in_a_runs_detail(self):
        output = {'schedule': 'nightly', 'status': 'ok', 'counts': {},
                  'volumes': [{'server': 's1', 'server_name': LONG + 'i',
                               'volume': 'v1', 'volume_name': LONG + 'v',
                               'status': 'ok', 'backup': 'b1'}]}
        with mock.patch.object(api.runs, 'execution_get',
                               return_value=data.execution(
                                   't', output=output)):
            res = self.client.get(reverse('horizon:project:backup_runs:detail',
                                          args=['ex-1']))
        page = res.content.decode()
        for name in (LONG + 'i', LONG + 'v'):
            self.assertIn('word-break', _cell_classes(page, name))
        self.assertIn('backup-dashboard-page', page)
