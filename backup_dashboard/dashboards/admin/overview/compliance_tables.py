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

"""The compliance page's table: one row per finding (``compliance``).

Filtered on the server like the overview's other tables, with the CSV and
JSON exports as its table actions. Times in the viewer's zone.
"""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from horizon import tables

from backup_dashboard.dashboards.admin.overview \
    import tables as overview_tables
from backup_dashboard.dashboards.common import display


class FindingFilter(overview_tables.ServerFilter):
    filter_choices = (('category', _("Category ="), True),
                      ('project', _("Project ="), True),
                      ('subject', _("Instance, schedule or backup ="), True))


# The query parameters that carry the page's filter to the exports.
FILTER_FIELD, FILTER_TEXT = 'filter_field', 'filter'


class _Download(tables.LinkAction):
    """The findings as a file: those the page's filter shows."""
    icon = 'download'

    def get_link_url(self, datum=None):
        url = reverse(self.url)
        table = self.table
        text = table.get_filter_string()
        if text:
            url += '?' + urlencode({FILTER_FIELD: table.get_filter_field(),
                                    FILTER_TEXT: text})
        return url


class DownloadComplianceCsv(_Download):
    name = 'csv'
    verbose_name = _("Download CSV")
    url = 'horizon:admin:backups_overview:compliance_csv'


class DownloadComplianceJson(_Download):
    name = 'json'
    verbose_name = _("Download JSON")
    url = 'horizon:admin:backups_overview:compliance_json'


def _project_url(row):
    return overview_tables.project_url(row.project_id)


def _subject(row):
    if row.subject_type == 'instance':
        return format_html('<a href="{}">{}</a>', reverse(
            'horizon:admin:instances:detail', args=[row.subject_id]),
            row.subject_name)
    if row.subject_type == 'backup' and row.subject_name != row.subject_id:
        return format_html('{}<br><small>{}</small>', row.subject_name,
                           row.subject_id)
    return row.subject_name


def _late(instance):
    if instance['newest_backup'] is None:
        return format_html(_('{name} (no backup)'), name=instance['name'])
    return format_html(_('{name} (newest backup {age} old)'),
                       name=instance['name'],
                       age=display.age_text(instance['age']))


def _finding_detail(row):
    facts = row.facts
    if row.category == 'unprotected':
        return ngettext('%d volume to back up, no schedule',
                        '%d volumes to back up, no schedule',
                        facts['volumes']) % facts['volumes']
    if row.category == 'rpo_breach':
        return format_html(
            _('RPO {rpo}; past it: {instances}'),
            rpo=display.age_text(facts['rpo']),
            instances=format_html_join(', ', '{}', (
                (_late(i),) for i in facts['instances'])))
    if row.category == 'outside_bounds':
        return '; '.join(facts['bounds'])
    if row.category == 'drills':
        last = _("no drill ended") if facts['last_outcome'] is None else \
            format_html(_('last drill {outcome}'),
                        outcome=facts['last_outcome'])
        if facts['drill_schedules']:
            return format_html(_('Drills on for {names}; {last}'),
                               names=', '.join(facts['drill_schedules']),
                               last=last)
        return format_html(_('No schedule drills now; {last}'), last=last)
    text = format_html(_('Volume {volume}, held by {by}: {reason}'),
                       volume=facts['volume'] or facts['volume_id'] or '-',
                       by=facts['by'] or _("unknown"), reason=facts['reason'])
    if facts['status'] != 'available':
        text = format_html('{} ({})', text, facts['status'])
    return text


FINDING_TIME = {
    'rpo_breach': (_("Newest backup {}"), _("No backup")),
    'drills': (_("Last good drill {}"), _("No good drill")),
    'held': (_("Held since {}"), _("Held (time unknown)")),
}


def _finding_time(row, zone):
    if row.category not in FINDING_TIME:
        return '-'
    known, unknown = FINDING_TIME[row.category]
    if row.at is None:
        return unknown
    return format_html(known, display.time_html(row.at, zone))


class FindingsTable(tables.DataTable):
    category = tables.Column(
        lambda r: format_html('<span class="label label-warning '
                              'backup-finding" data-category="{}">{}</span>',
                              r.category, r.label),
        verbose_name=_("Finding"))
    project = tables.WrappingColumn(
        'project_name', verbose_name=_("Project"),
        link=_project_url)
    subject = tables.WrappingColumn(_subject, verbose_name=_("Of"))
    detail = tables.Column(_finding_detail, verbose_name=_("Details"))
    at = display.ZonedColumn(_finding_time, verbose_name=_("When"))

    def get_object_id(self, datum):
        return datum.id

    class Meta(object):
        name = 'findings'
        verbose_name = _("Findings")
        table_actions = (FindingFilter, DownloadComplianceCsv,
                         DownloadComplianceJson)
        pagination_param = 'findings_marker'
        prev_pagination_param = 'findings_prev_marker'
