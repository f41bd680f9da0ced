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

"""The 30-day chart of Backup Runs.

The viewer's days, a date axis under the bars and a legend of their colours,
accessible and escaped.
"""
import datetime
import re
from unittest import mock
import zoneinfo

from django.urls import reverse

from backup_dashboard import api
from backup_dashboard.dashboards.project.runs import chart
from backup_dashboard.dashboards.project.runs import views
from backup_dashboard import executions
from testkit import data
from testkit import helpers

INDEX = reverse('horizon:project:backup_runs:index')
UTC = datetime.timezone.utc
RESULT = {'status': 'ok', 'counts': {'ok': 1}, 'volumes': []}


def _stamp(instant):
    return instant.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S')


class ChartViewTests(helpers.TestCase):
    def _index(self, zone, history=()):
        if zone:
            self.client.cookies['django_timezone'] = zone
        with mock.patch.object(api.runs, 'run_page',
                               return_value=([], False)), \
                mock.patch.object(api.runs, 'run_history',
                                  return_value=list(history)) as asked:
            res = self.client.get(INDEX)
        return res, asked

    def test_the_days_are_the_viewers_days(self):
        # UTC+14: the viewer's today starts ten hours before UTC's.
        zone = zoneinfo.ZoneInfo('Pacific/Kiritimati')
        today = datetime.datetime.now(zone).date()
        early = datetime.datetime.combine(today, datetime.time(1),
                                          tzinfo=zone)
        self.assertNotEqual(today, early.astimezone(UTC).date())
        run = data.execution('t', exec_id='early', created_at=_stamp(early),
                             output=RESULT)
        res, asked = self._index('Pacific/Kiritimati', [run])
        first = datetime.datetime.combine(
            today - datetime.timedelta(days=views.CHART_DAYS - 1),
            datetime.time(), tzinfo=zone)
        self.assertEqual(first, asked.call_args[0][1])
        bars = res.context['chart']['bars']
        self.assertEqual(views.CHART_DAYS, len(bars))
        self.assertEqual(today.isoformat(), bars[-1]['day'])
        self.assertEqual(1, bars[-1]['total'])
        self.assertContains(res, 'last 30 days (Pacific/Kiritimati)')

    def test_every_bar_has_its_date_under_it_and_months_are_named(self):
        res, _asked = self._index('UTC')
        page = res.content.decode()
        bars = res.context['chart']['bars']
        dates = re.findall(r'<text class="backup-runs-chart-date" '
                           r'x="([\d.]+)"[^>]*>(\d+)</text>', page)
        self.assertEqual([(str(b['middle']).removesuffix('.0'),
                           str(b['date'].day)) for b in bars],
                         [(x.removesuffix('.0'), d) for x, d in dates])
        months = re.findall(r'class="backup-runs-chart-month"[^>]*>'
                            r'(\w+)</text>', page)
        starts = [b['date'] for b in bars if b['month_start']]
        self.assertEqual([d.strftime('%b') for d in starts], months)

    def test_a_legend_names_every_colour_with_its_total(self):
        now = datetime.datetime.now(UTC)
        runs = [data.execution('t', exec_id='ok', created_at=_stamp(now),
                               output=RESULT),
                data.execution('t', exec_id='going', state='RUNNING',
                               created_at=_stamp(now))]
        res, _asked = self._index(None, runs)
        page = res.content.decode()
        legend = re.findall(r'<li data-outcome="(\w+)"><span class='
                            r'"backup-runs-swatch" style="background-color: '
                            r'(#\w+)" aria-hidden="true"></span> ([^<]+)'
                            r'</li>', page)
        self.assertEqual([
            ('ok', chart.COLORS['ok'], 'Backed up: 1'),
            ('partial', chart.COLORS['partial'], 'Partly failed: 0'),
            ('failed', chart.COLORS['failed'], 'Failed: 0'),
            ('other', chart.COLORS['other'],
             'Other (running, nothing backed up, unknown): 1')], legend)

    def test_the_chart_has_a_title_and_a_description(self):
        res, _asked = self._index(None)
        self.assertContains(res, 'aria-labelledby="backup-runs-chart-title '
                                 'backup-runs-chart-desc"')
        self.assertContains(res, '<h4 id="backup-runs-chart-title">')
        self.assertRegex(res.content.decode(),
                         r'<desc id="backup-runs-chart-desc">From [^<]+ to '
                         r'[^<]+: 0 ok, 0 partial, 0 failed, 0 other.</desc>')

    def test_what_the_chart_writes_is_escaped(self):
        with mock.patch.dict(chart.LABELS, ok='<b>fine</b>'):
            run = data.execution('t', created_at=_stamp(
                datetime.datetime.now(UTC)), output=RESULT)
            res, _asked = self._index(None, [run])
        self.assertContains(res, '&lt;b&gt;fine&lt;/b&gt;')
        self.assertNotContains(res, '<b>fine</b>')


def test_a_run_counts_on_the_day_of_the_zone():
    late = executions.Summary(data.execution(
        't', created_at='2026-11-20 23:30:00', output=RESULT))
    today = datetime.date(2026, 11, 21)
    assert chart.per_day([late], 2, today, 'Europe/Berlin') == [
        (datetime.date(2026, 11, 20), {}), (today, {'ok': 1})]
    assert chart.per_day([late], 2, today) == [
        (datetime.date(2026, 11, 20), {'ok': 1}), (today, {})]


def test_months_are_named_at_the_first_bar_and_each_first_day():
    days = [(datetime.date(2026, 10, 30) + datetime.timedelta(days=n), {})
            for n in range(4)]
    bars = chart.stacked_bars(days, zone='Europe/Berlin')['bars']
    assert [(b['date'].day, b['month_start']) for b in bars] == [
        (30, True), (31, False), (1, True), (2, False)]
