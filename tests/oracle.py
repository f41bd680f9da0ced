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

"""The intended run times of a pattern read in a zone.

Worked out without ``backup_dashboard.clock``: croniter on wall-clock times and
zoneinfo (fold=0: a time a clock change skips runs as if the clocks had not
changed, one it repeats runs at its first occurrence). The pages' tests and the
browser journey hold what the dashboard shows to it.
"""
import datetime
from zoneinfo import ZoneInfo

import croniter

UTC = datetime.timezone.utc
SAVED = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def oracle_runs(local_pattern, zone, after, count):
    """The next `count` UTC instants the pattern means in the zone."""
    tz = ZoneInfo(zone)
    it = croniter.croniter(local_pattern, after.astimezone(tz).replace(
        tzinfo=None) - datetime.timedelta(days=2))
    found = set()
    while len(found) < count + 60:
        wall = it.get_next(datetime.datetime)
        instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if instant > after:
            found.add(instant)
        if wall.replace(tzinfo=tz) > after + datetime.timedelta(days=800):
            break
    return sorted(found)[:count]


def oracle_moves(local_pattern, zone, after):
    """Whether the zone's next change moves the runs in UTC.

    The week after it, mapped with the offset of before the change, differs.
    """
    tz = ZoneInfo(zone)
    change = next((t for t in changes(zone, after) if t > after), None)
    if change is None or change > after + datetime.timedelta(days=400):
        return False
    before = change - datetime.timedelta(seconds=1)
    offset = before.astimezone(tz).utcoffset()
    end = change + datetime.timedelta(days=8)
    real = [r for r in oracle_runs(local_pattern, zone, change, 400)
            if r <= end]
    it = croniter.croniter(local_pattern, (change + offset).replace(
        tzinfo=None))
    kept = []
    while True:
        run = it.get_next(datetime.datetime).replace(tzinfo=UTC) - offset
        if run > end:
            break
        kept.append(run)
    return real != kept


def changes(zone, since=SAVED):
    """The zone's clock changes from `since` on for two years.

    To the second.
    """
    tz = ZoneInfo(zone)
    out, low = [], since
    while low < since + datetime.timedelta(days=730):
        high = low + datetime.timedelta(days=1)
        if low.astimezone(tz).utcoffset() != high.astimezone(tz).utcoffset():
            while high - low > datetime.timedelta(seconds=1):
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == \
                        low.astimezone(tz).utcoffset():
                    low = mid
                else:
                    high = mid
            out.append(high.replace(microsecond=0))
        low = high
    return out
