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

"""One backup as the pages show it (``common.backup_point``)."""
from backup_dashboard.dashboards.common import backup_point
from tests.unit.dashboards.project.restore import data


def test_an_unknown_status_says_why_it_cannot_be_restored():
    odd = backup_point.point(data.backup('x', status='backing-up'), 'UTC')
    assert not odd.restorable
    assert 'backing-up' in str(odd.why_not)


def test_schedule_and_time_in_the_users_zone():
    p = backup_point.point(data.backup(
        'b', created_at='2026-07-01T00:30:00', schedule='nightly'),
        'Europe/Paris')
    assert (p.schedule, p.time) == ('nightly', '2026-07-01 02:30 CEST')
    hand = backup_point.point(data.backup('b'), 'UTC')
    assert hand.schedule is None


def test_cinders_own_time_format_is_read():
    # What Cinder really returns: 'T' and microseconds.
    p = backup_point.point(data.backup(
        'b', created_at='2026-11-22T08:21:33.123456'), 'Europe/Paris')
    assert p.time == '2026-11-22 09:21 CET'


def test_every_time_format_reads_as_before():
    # Cinder's, Mistral's, without seconds, and what reads as no time.
    for text, shown in (('2026-11-22T08:21:33.123456', '2026-11-22 09:21 CET'),
                        ('2026-11-22T08:21:33', '2026-11-22 09:21 CET'),
                        ('2026-11-22 08:21:33', '2026-11-22 09:21 CET'),
                        ('2026-11-22T08:21', '2026-11-22 09:21 CET'),
                        ('2026-11-22T08:21:33Z', '2026-11-22 09:21 CET'),
                        ('2026-11-22', '-'), ('', '-'), (None, '-'),
                        ('yesterday', '-')):
        assert backup_point.local_time(text, 'Europe/Paris') == shown, text
