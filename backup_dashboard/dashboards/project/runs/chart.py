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

"""Runs per day, stacked by outcome, as plain SVG geometry for a template.

No front-end framework: the template draws the rectangles, the date axis
under them and the legend of their colours from what this returns. The
days are the viewer's (``per_day`` with their zone); the template
writes the dates in the viewer's language.
"""
import datetime

from django.utils.translation import gettext_lazy as _

from backup_dashboard.clock import cron as clock
from backup_dashboard import executions

HEIGHT = 100            # the bars' area
AXIS = 32               # under it: the day of the month, then the month
BAR = 22
GAP = 6
COLORS = {'ok': '#5cb85c', 'partial': '#f0ad4e', 'failed': '#d9534f',
          'other': '#999999'}
ORDER = ('ok', 'partial', 'failed', 'other')
LABELS = dict({k: executions.OUTCOME_WORDS[k][0] for k in ORDER[:3]},
              other=_("Other (running, nothing backed up, unknown)"))


def stacked_bars(days, zone='UTC'):
    """days: [(date, {outcome: count})] -> geometry, axis and totals.

    Each bar says its date and whether its label starts a month (the first
    bar and every 1st), where the axis writes the month's name.
    """
    tallest = max([sum(c.values()) for _, c in days] + [1])
    bars = []
    totals = dict.fromkeys(ORDER, 0)
    for index, (day, counts) in enumerate(days):
        x = index * (BAR + GAP)
        y = HEIGHT
        rects = []
        for outcome in ORDER:
            count = counts.get(outcome, 0)
            totals[outcome] += count
            if not count:
                continue
            height = max(1, round(count * HEIGHT / tallest))
            y -= height
            rects.append({'x': x, 'y': y, 'height': height,
                          'color': COLORS[outcome], 'outcome': outcome,
                          'label': LABELS[outcome], 'count': count})
        bars.append({'day': day.isoformat(), 'date': day, 'x': x,
                     'middle': x + BAR / 2, 'rects': rects,
                     'total': sum(counts.values()),
                     'month_start': index == 0 or day.day == 1})
    legend = [{'outcome': outcome, 'label': LABELS[outcome],
               'color': COLORS[outcome], 'total': totals[outcome]}
              for outcome in ORDER]
    width = len(days) * (BAR + GAP) - GAP if days else 0
    return {'bars': bars, 'width': width, 'height': HEIGHT,
            'full_height': HEIGHT + AXIS, 'day_y': HEIGHT + 13,
            'month_y': HEIGHT + 27, 'bar': BAR, 'totals': totals,
            'colors': COLORS, 'legend': legend, 'tallest': tallest,
            'zone': zone, 'days': len(days),
            'first': days[0][0] if days else None,
            'last': days[-1][0] if days else None}


def per_day(summaries, days, today, zone_name='UTC'):
    """Runs per day by outcome for the `days` days up to `today`.

    [(date, {outcome: count})] for the `days` days up to `today`, days of
    `zone_name` (the viewer's: a run at 23:30 UTC is on the next day in
    Berlin).

    Fires that were not due (DST) are no runs: they are left out, not
    counted as "other".
    """
    buckets = {today - datetime.timedelta(days=n): {} for n in range(days)}
    for summary in summaries:
        started = clock.in_zone(summary.execution.created_at, zone_name)
        if summary.not_due or started is None:
            continue
        bucket = buckets.get(started.date())
        if bucket is None:
            continue
        outcome = summary.outcome if summary.outcome in (
            'ok', 'partial', 'failed') else 'other'
        bucket[outcome] = bucket.get(outcome, 0) + 1
    return sorted(buckets.items())
