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

"""display: how times read on every page."""
from backup_dashboard.dashboards.common import display


def test_times_carry_their_zone_and_utc_on_hover():
    assert display.local_text('2026-07-01 12:00:00', 'America/St_Johns') == \
        '2026-07-01 09:30 NDT'
    assert display.local_text(None, 'UTC') == '-'
    html = display.time_html('2026-11-22T08:21:33.000000', 'Asia/Kolkata')
    assert html == ('<time datetime="2026-11-22T08:21:33+00:00" '
                    'title="2026-11-22 08:21 UTC">2026-11-22 13:51 IST</time>')
    assert display.time_html('', 'UTC') == '-'
