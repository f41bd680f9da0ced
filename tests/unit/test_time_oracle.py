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

"""Every page that shows a next run agrees with an independent oracle.

The oracle works the intended local times out directly in the zone, with
croniter on wall-clock times and zoneinfo (fold=0: a time a clock change
skips runs as if the clocks had not changed, one it repeats runs at its
first occurrence); it shares no code with ``backup_dashboard.clock``. The
pages are rendered as a user sees them, at frozen instants on both sides
of both of each zone's clock changes, with the api layer mocked to hand
back the triggers the plugin saved: the schedules list (next run and the
"first run" health badge), the schedule's detail, the instance's Backups
tab, the Configure-backups modal and the create form's live preview. The
next-change note is there exactly when the change moves the runs in UTC.
"""
import datetime
import json
import re
from unittest import mock
from zoneinfo import ZoneInfo

import croniter
from django.template.loader import render_to_string
from django.test.utils import override_settings
from django.urls import reverse
from openstack_auth import utils as auth_utils

from backup_dashboard import api
from backup_dashboard.clock import cron as clock
from backup_dashboard.dashboards.project.instances import tabs as itabs
from backup_dashboard import health
from backup_dashboard import schedule as domain
from testkit import data
from testkit import helpers
from tests.oracle import changes
from tests.oracle import oracle_moves
from tests.oracle import oracle_runs
from tests.oracle import SAVED

UTC = datetime.timezone.utc
VIEWER = 'Asia/Kolkata'           # the viewer's own zone, another one
ZONES = ('UTC', 'Europe/Berlin', 'America/New_York', 'America/St_Johns',
         'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham')
# The presets the form offers (as their patterns) and raw cron patterns.
PATTERNS = {'hourly': '15 * * * *', 'daily': '30 2 * * *',
            'weekly': '0 1 * * 0', 'monthly': '0 3 15 * *',
            'last': '45 23 L * *', 'cron': '0 2,14 * * 1-5'}
INSTANCE = 'srv-oracle'


def instants(zone):
    """Both sides of the zone's next two clock changes, or two plain days."""
    found = changes(zone)[:2]
    if not found:
        return [SAVED + datetime.timedelta(days=3, hours=5),
                SAVED + datetime.timedelta(days=200, minutes=7)]
    # A minute before each change and a little after it: the next runs on
    # either side are the ones the change decides.
    return [t + delta for t in found for delta in (
        -datetime.timedelta(minutes=1), datetime.timedelta(hours=1))]


def name_of(kind):
    return 'oracle-%s' % kind


def triggers_of(zone, instant):
    """The trigger the plugin saves for each pattern in `zone`.

    On SAVED, as Mistral hands it back at `instant` (its next fire, by
    croniter).
    """
    out = []
    for kind, pattern in PATTERNS.items():
        schedule = data.zoned(name_of(kind), pattern, zone, at=SAVED)
        fire = croniter.croniter(schedule.pattern, instant.replace(
            tzinfo=None)).get_next(datetime.datetime)
        out.append(data.trigger(
            schedule, trigger_id='trig-%s' % kind,
            created_at=SAVED.strftime('%Y-%m-%d %H:%M:%S'),
            next_execution_time=fire.strftime('%Y-%m-%d %H:%M:%S')))
    return out


def in_zone(instant, zone, fmt='%Y-%m-%d %H:%M %Z'):
    return instant.astimezone(ZoneInfo(zone)).strftime(fmt)


def time_elements(html):
    """(ISO datetime, text) of each <time> element."""
    return re.findall(r'<time datetime="([^"]+)" title="[^"]*">([^<]*)</time>',
                      html)


@override_settings(TIME_ZONE=VIEWER)
class NextRunOracleTests(helpers.TestCase):
    def setUp(self):
        super().setUp()
        self.request.user = auth_utils.get_user(self.request)

    def frozen(self, instant):
        return mock.patch.object(clock, 'now', return_value=instant)

    def check_zone(self, zone):
        for instant in instants(zone):
            triggers = triggers_of(zone, instant)
            schedules = [domain.Schedule.from_trigger(t) for t in triggers]
            with self.frozen(instant), self.subTest(zone=zone, at=instant):
                expected = {
                    s.name: oracle_runs(s.local_pattern, zone, instant, 5)
                    for s in schedules}
                self.check_index(triggers, expected)
                self.check_instance_pages(schedules, expected)
                for schedule in schedules:
                    self.check_detail(schedule, expected[schedule.name],
                                      instant)
                    self.check_preview(schedule, expected[schedule.name],
                                       instant)

    def check_index(self, triggers, expected):
        with helpers.index_backends(triggers):
            res = self.client.get(reverse(
                'horizon:project:backup_schedules:index'))
        html = res.content.decode()
        for name, runs in expected.items():
            row = re.search(r'<tr[^>]*data-object-id="%s".*?</tr>' % name,
                            html, re.S).group(0)
            shown = time_elements(row)
            self.assertEqual((runs[0].isoformat(), in_zone(runs[0], VIEWER)),
                             shown[0], name)
            # Not run yet: the health badge says when its first run is.
            first = health.assess(domain.Schedule.from_trigger(
                next(t for t in triggers if t.name == name)), [],
                clock.now()).first_run
            if first is not None:
                self.assertIn('First run %s' % in_zone(first, VIEWER), row)

    def check_detail(self, schedule, runs, instant):
        with helpers.detail_backends(schedule):
            res = self.client.get(reverse(
                'horizon:project:backup_schedules:detail',
                args=[schedule.name]))
        html = res.content.decode()
        table = re.search(r'<table class="table table-condensed next-runs">'
                          r'.*?</table>', html, re.S).group(0)
        rows = re.findall(r'<tr><td>([^<]*)</td>', table)
        fmt = '%a %Y-%m-%d %H:%M %Z'
        self.assertEqual([in_zone(r, schedule.timezone, fmt) for r in runs],
                         rows, schedule.name)
        moves = oracle_moves(schedule.local_pattern, schedule.timezone,
                             instant)
        self.assertEqual(moves, 'backup-dst-note' in html,
                         (schedule.name, schedule.timezone))

    def check_preview(self, schedule, runs, instant):
        shape = clock.preset_of(schedule.local_pattern)
        params = dict(shape or {'kind': 'cron',
                                'cron': schedule.local_pattern},
                      timezone=schedule.timezone)
        res = self.client.get(reverse(
            'horizon:project:backup_schedules:preview'), params)
        body = json.loads(res.content)
        fmt = '%a %Y-%m-%d %H:%M %Z'
        self.assertEqual([in_zone(r, schedule.timezone, fmt) for r in runs],
                         [r['own'] for r in body['runs']], schedule.name)
        self.assertEqual([in_zone(r, 'UTC', fmt) for r in runs],
                         [r['utc'] for r in body['runs']])
        self.assertEqual(oracle_moves(schedule.local_pattern,
                                      schedule.timezone, instant),
                         body['dst_note'] is not None, schedule.name)

    def check_instance_pages(self, schedules, expected):
        server = data.server(INSTANCE, 'vm', tags=[
            'backup:%s' % s.name for s in schedules])
        with mock.patch.object(api.schedules, 'schedule_list',
                               return_value=schedules), \
                mock.patch.object(api.compute, 'server_get',
                                  return_value=server):
            # The instance detail's Backups tab.
            group = mock.Mock(kwargs={'instance': server})
            tab = itabs.BackupsTab(group, self.request)
            html = render_to_string(tab.get_template_name(self.request),
                                    tab.get_context_data(self.request),
                                    self.request)
            # The Configure-backups modal, as its AJAX request opens it.
            modal = self.client.get(reverse(
                'horizon:project:backup_schedules:instance_configure',
                args=[INSTANCE]), HTTP_X_REQUESTED_WITH='XMLHttpRequest')
        modal = modal.content.decode()
        for name, runs in expected.items():
            row = re.search(r'<tr>\s*<td><a[^>]*>%s</a></td>.*?</tr>' % name,
                            html, re.S).group(0)
            self.assertEqual([(runs[0].isoformat(),
                               in_zone(runs[0], VIEWER))],
                             time_elements(row), name)
            self.assertIn('%s: ' % name, modal)
            summary = re.search(r'%s: [^<]*' % name, modal).group(0)
            self.assertTrue(summary.endswith(
                'next run %s' % in_zone(runs[0], VIEWER)), summary)


def _zone_test(zone):
    def test(self):
        self.check_zone(zone)
    return test


for _zone in ZONES:
    setattr(NextRunOracleTests, 'test_%s' % re.sub(r'\W', '_',
                                                   _zone.lower()),
            _zone_test(_zone))


def test_the_oracle_itself_on_a_known_day():
    # 02:30 does not exist in Berlin on 2027-03-28: it runs at 03:30 CEST.
    runs = oracle_runs('30 2 * * *', 'Europe/Berlin',
                       datetime.datetime(2027, 3, 27, 12, tzinfo=UTC), 3)
    assert [in_zone(r, 'Europe/Berlin', '%d %H:%M %Z') for r in runs] == [
        '28 03:30 CEST', '29 02:30 CEST', '30 02:30 CEST']
    assert not oracle_moves('15 * * * *', 'Europe/Berlin', SAVED)
    assert oracle_moves('30 2 * * *', 'Europe/Berlin', SAVED)
