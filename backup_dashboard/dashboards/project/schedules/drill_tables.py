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

"""The Drills tab's table and the "Run Drill Now" action.

One row per drill of the schedule: when, its outcome, each volume's result
with the reason or the restore time, and the worst restore time. The
action opens the drill form (``drill_views``) for the schedule of the row,
or of the page when it sits above the Drills table.
"""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from horizon import tables

from backup_dashboard.dashboards.common import display
# A drill's outcome reads the same here and among the Backup Runs.
from backup_dashboard.dashboards.common.run_tables import outcome_html


def drill_url(name):
    return reverse('horizon:project:backup_schedules:drill', args=[name])


class RunDrill(tables.LinkAction):
    name = 'run_drill'
    verbose_name = _("Run Drill Now")
    help_text = _("Restores the schedule's newest backups to throwaway "
                  "volumes, checks them and deletes them.")
    classes = ('ajax-modal',)
    icon = 'medkit'

    def get_link_url(self, datum=None):
        schedule = datum if datum is not None else \
            self.table.kwargs.get('schedule')
        return drill_url(schedule.name)


def _volume_line(result, names):
    name = names.get(result.volume) or result.volume
    if result.result == 'passed':
        text = format_html(
            _('{name}: passed, restored in {rto} from {kind} backup '
              '{backup}'), name=name, rto=display.seconds_text(result.rto),
            kind=_('an incremental') if result.incremental else _('a full'),
            backup=result.backup or '?')
    elif result.result == 'skipped':
        text = format_html(_('{name}: skipped, {reason}'), name=name,
                           reason=result.reason or _('no reason given'))
    else:
        text = format_html(_('{name}: failed, {reason}'), name=name,
                           reason=result.reason or _('no reason given'))
    if result.cleaned is False:
        text = format_html('{} <strong>{}</strong>', text, _(
            'The throwaway volume is left: %s') % (
                result.cleanup_error or _('it could not be deleted')))
    return format_html('<li class="backup-drill-{}">{}</li>',
                       result.result, text)


def volumes_html(drill):
    names = getattr(drill, 'volume_names', None) or {}
    if not drill.volumes:
        if drill.reason or drill.error:
            return format_html('<span class="backup-drill-error">{}</span>',
                               drill.reason or drill.error)
        chosen = ', '.join(names.get(v, v) for v in drill.chosen) or '-'
        if drill.running and drill.keep_hours:
            return format_html('{} <span class="backup-drill-kept">{}</span>',
                               chosen, ngettext(
                                   '(those that pass are kept %d hour after '
                                   'the last restore)',
                                   '(those that pass are kept %d hours after '
                                   'the last restore)', drill.keep_hours)
                               % drill.keep_hours)
        return chosen
    return format_html('<ul class="backup-drill-volumes">{}</ul>',
                       format_html_join('', '{}', (
                           (_volume_line(v, names),) for v in drill.volumes)))


class DrillsTable(tables.DataTable):
    started = display.ZonedColumn(
        lambda drill, zone: display.time_html(drill.started, zone),
        verbose_name=_("Started"))
    outcome = tables.Column(outcome_html, verbose_name=_("Outcome"))
    volumes = tables.Column(volumes_html, verbose_name=_("Volumes"))
    worst = tables.Column(lambda d: display.seconds_text(d.worst_rto),
                          verbose_name=_("Slowest restore (RTO)"))
    duration = tables.Column(lambda d: display.seconds_text(d.duration),
                             verbose_name=_("Drill took"))

    class Meta(object):
        name = 'drills'
        verbose_name = _("Drills")
        table_actions = (RunDrill,)
        no_data_message = _("No drill yet. A drill restores the newest "
                            "backups to throwaway volumes, checks them and "
                            "deletes them.")
