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

"""How times, durations and health read on every page of the plugin.

Times are shown in the viewer's zone (their Horizon setting) with the zone's
abbreviation, in a <time> element carrying ISO 8601 and UTC on hover; a
``ZonedColumn`` gives a DataTable column the viewer's zone. The instants
themselves come from ``backup_dashboard.clock`` and the domain.
"""
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from horizon import tables
from horizon.utils import functions as horizon_utils

from backup_dashboard.api import errors
from backup_dashboard.clock import cron as clock


def viewer_zone(request):
    """The time zone the person at the dashboard chose in their settings."""
    return horizon_utils.get_timezone(request) or 'UTC'


class ZonedColumn(tables.Column):
    """A column whose cell shows times.

    ``transform(datum, zone)`` with the viewer's zone, read once per table.
    """

    def get_raw_data(self, datum):
        zone = getattr(self.table, '_viewer_zone', None)
        if zone is None:
            zone = self.table._viewer_zone = viewer_zone(self.table.request)
        return self.transform(datum, zone)


def local_text(value, zone_name, fmt='%Y-%m-%d %H:%M %Z'):
    """A time in `zone_name`, its zone's abbreviation at the end.

    '-' when there is none.
    """
    moment = clock.in_zone(value, zone_name)
    return '-' if moment is None else moment.strftime(fmt)


def time_html(value, zone_name, fmt='%Y-%m-%d %H:%M %Z'):
    """``local_text`` in a <time> element.

    ISO 8601 in its datetime, UTC on hover.
    """
    moment = clock.parse(value)
    if moment is None:
        return '-'
    return format_html('<time datetime="{}" title="{}">{}</time>',
                       clock.iso(moment),
                       moment.strftime('%Y-%m-%d %H:%M UTC'),
                       local_text(moment, zone_name, fmt))


def duration_text(start, end):
    start, end = clock.parse(start), clock.parse(end)
    if not start or not end:
        return '-'
    return seconds_text(int((end - start).total_seconds()))


def seconds_text(seconds):
    """A number of seconds as "42s", "3m 05s", "2h 10m"; '-' for None."""
    if seconds is None:
        return '-'
    if seconds < 60:
        # Translators: a duration in seconds, abbreviated ("42s").
        return _('%ds') % seconds
    if seconds < 3600:
        minutes, seconds = divmod(seconds, 60)
        return _('%(minutes)dm %(seconds)02ds') % {'minutes': minutes,
                                                   'seconds': seconds}
    return _('%(hours)dh %(minutes)02dm') % {
        'hours': seconds // 3600, 'minutes': seconds % 3600 // 60}


def last_run_html(schedule, zone_name):
    run = getattr(schedule, 'last_run', None)
    if run is None:
        return _('No run yet')
    return format_html('{} ({})', run.state,
                       time_html(run.created_at, zone_name))


def health_badge(health, zone_name='UTC'):
    """A coloured label; hovering it says what is wrong and what to do.

    A schedule not run yet says when its first run is.
    """
    if health is None:
        return '-'
    title = ' '.join('%s: %s %s' % (p.label, p.detail, p.action)
                     for p in health.problems)
    label = health.label
    if health.code == 'new' and health.first_run is not None:
        label = _('First run %s') % local_text(health.first_run, zone_name)
        title = _('No run is due yet.')
    return format_html(
        '<span class="label label-{} backup-health" data-health="{}" '
        'title="{}">{}</span>', health.severity, health.code, title,
        format_html_join(', ', '{}', ((p.label,) for p in health.problems))
        if health.problems else label)


def age_text(delta):
    """A timedelta as "3d 4h", "5h 02m", "12m"; '-' for None."""
    if delta is None:
        return '-'
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        minutes = 0
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _('%(days)dd %(hours)dh') % {'days': days, 'hours': hours}
    if hours:
        return _('%(hours)dh %(minutes)02dm') % {'hours': hours,
                                                 'minutes': minutes}
    # Translators: an age in minutes, abbreviated ("12m").
    return _('%dm') % minutes


def service_words(text):
    """A service's error text a run recorded, in the user's words when known.

    The plain words api.errors has for it (a quota, a missing object); an
    unknown text as the run recorded it, the only account of what happened.
    """
    return errors.plain(text) or text
