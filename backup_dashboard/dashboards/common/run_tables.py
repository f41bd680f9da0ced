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

"""The list of a schedule's runs, for Backup Runs and a schedule's Runs tab.

A row per run, its outcome and counts from the result the workflow
published, running rows refreshing themselves, and the run actions (view,
cancel, delete). Backup Runs also lists restore drills: a drill row says
its outcome and restores in the drill's words, links to its schedule's
Drills tab, and can be neither cancelled (its throwaway volumes would be
left) nor deleted (drill history feeds the overview). The drills' outcome
labels live here, in the panels' common module, for every drill table.
"""
from urllib import parse

from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
# Eager ngettext in action names: Horizon calls them while rendering each
# row, inside the request's language; ngettext_lazy with a count builds a
# lazy proxy class on every call (see schedules/tables.py).
from django.utils.translation import ngettext
from horizon import tables

from backup_dashboard import api
from backup_dashboard.dashboards.common.actions import reasons_shown
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import dropdown
from backup_dashboard.dashboards.common import links
from backup_dashboard import drills
from backup_dashboard import executions
from backup_dashboard import schedule as domain

FILTER_PARAMS = ('state', 'schedule', 'kind')
KIND_WORDS = {'backup': _("Backup run"), 'drill': _("Restore drill")}


def _label(kind, outcome, words, level):
    return format_html('<span class="label label-{} backup-{}-outcome" '
                       'data-outcome="{}">{}</span>', level, kind, outcome,
                       words)


def outcome_html(drill):
    return _label('drill', drill.outcome, *drill.words)


def drills_tab_url(name):
    """The Drills tab of schedule `name` (None if no URL can name it)."""
    try:
        return '%s?tab=schedule_details__drills' % reverse(
            'horizon:project:backup_schedules:detail', args=[name])
    except NoReverseMatch:
        return None


def _schedule_name(value):
    """A schedule name fit for a link; anything else is not one."""
    if isinstance(value, str) and value.strip() and '/' not in value:
        return value
    return None


def decorate(run, zone):
    """Attach what the tables show to a Mistral execution.

    A backup run is read by ``executions.Summary`` (``run.summary``), a
    restore drill by ``drills.Drill`` (``run.drill``); the other is None.
    """
    run.kind = 'drill' if getattr(run, 'workflow_name', None) == \
        drills.DRILL_WORKFLOW else 'backup'
    run.started_local = display.local_text(run.created_at, zone)
    running = run.state in api.runs.RUNNING_STATES
    run.duration = display.duration_text(
        run.created_at, None if running else run.updated_at)
    if run.kind == 'drill':
        run.drill, run.summary = drills.Drill(run), None
        name = _schedule_name(domain.as_dict(
            getattr(run, 'input', None)).get('schedule'))
        run.url = drills_tab_url(name) if name else None
    else:
        run.drill, run.summary = None, executions.Summary(run)
        name = run.summary.schedule
        run.url = links.run_detail_url(run)
    run.how = executions.how_started(run)
    run.not_due = (run.drill or run.summary).not_due
    run.schedule_name = name or '-'
    return run


class RunPage(list):
    """The runs of one Mistral page that the table shows, and its markers.

    The runs of one Mistral page that the table shows, and the ids of the first
    and last executions of that page, shown or not: the markers.

    A fire of a DST schedule that its guard ended as not due is no backup
    (docs/dst.rst): it is hidden rather than dimmed. Dimmed rows would be
    half of a daily DST schedule's list and would still need excluding
    from every count; hidden, the lists and counts are of backups only.
    Mistral cannot leave them out itself (its filters cannot exclude an
    output value), so they are dropped from the page after the one call,
    and paging goes on from the page's real last row: nothing is skipped or
    shown twice, and a page of hidden rows only still leads to the next.
    """
    def __init__(self, runs):
        runs = list(runs)
        super().__init__(r for r in runs if not r.not_due)
        self.hidden = len(runs) - len(self)
        self.first_id = runs[0].id if runs else None
        self.last_id = runs[-1].id if runs else None


def _is_drill(run):
    return getattr(run, 'kind', None) == 'drill'


class ViewRun(tables.LinkAction):
    """The run's detail (a drill's: its schedule's Drills tab).

    The first row action, so that the button a row shows is a safe one and
    Cancel and Delete wait in its menu.
    """
    name = 'view'
    verbose_name = _("View Run")
    icon = 'eye'

    def allowed(self, request, run=None):
        return run is None or bool(run.url)

    def update(self, request, run):
        if _is_drill(run):
            self.verbose_name = _("View Drills")

    def get_link_url(self, run):
        return run.url


class DeleteRun(tables.DeleteAction):
    help_text = _("Deletes the record of the run in Mistral; backups it made "
                  "are kept.")

    @staticmethod
    def action_present(count):
        return ngettext("Delete Run", "Delete Runs", count)

    @staticmethod
    def action_past(count):
        return ngettext("Deleted Run", "Deleted Runs", count)

    def allowed(self, request, run=None):
        # A drill's record feeds the overview's drill standing: kept.
        return run is None or (not _is_drill(run) and
                               run.state not in api.runs.RUNNING_STATES)

    def delete(self, request, obj_id):
        with reasons_shown(request, _('Unable to delete run %s') % obj_id):
            api.runs.execution_delete(request, obj_id)


class CancelRun(tables.BatchAction):
    name = 'cancel'
    # Red like Delete (Horizon's way: a class alone is overridden in menus).
    action_type = 'danger'

    @staticmethod
    def action_present(count):
        return ngettext("Cancel Run", "Cancel Runs", count)

    @staticmethod
    def action_past(count):
        return ngettext("Cancelled Run", "Cancelled Runs", count)

    def allowed(self, request, run=None):
        # A drill cancelled midway would leave its throwaway volumes.
        return run is not None and not _is_drill(run) and \
            run.state in api.runs.RUNNING_STATES

    def action(self, request, obj_id):
        with reasons_shown(request, _('Unable to cancel run %s') % obj_id):
            api.runs.execution_cancel(request, obj_id)


class UpdateRow(tables.Row):
    """Running rows refresh themselves (Horizon's ajax row update).

    A row may be a backup run or a drill, no other execution.
    """
    ajax = True

    def get_data(self, request, execution_id):
        run = api.runs.execution_get(request, execution_id,
                                     workflows=api.runs.KINDS['all'])
        return decorate(run, display.viewer_zone(request))

    def can_be_selected(self, datum):
        # Delete, the only table action, is not for drills.
        return not _is_drill(datum)


def _row_url(run):
    return run.url


def _count(name):
    return lambda run: '-' if run.summary is None else (
        run.summary.counts[name] if run.summary.known else '-')


def _drill_count(name):
    """A backup run's `name` count, or its drill's volumes of that result.

    '-' for a drill that published no volumes (still going, failed or
    refused before restoring any).
    """
    def count(run):
        drill = run.drill
        if drill is None:
            return _count(name)(run)
        if not drill.volumes and drill.outcome != 'empty':
            return '-'
        return drill.count(name)
    return count


def _outcome(run):
    """A run's outcome; a drill's in words, with its restores and RTO."""
    drill = run.drill
    if drill is None:
        return _label('run', run.summary.outcome, *run.summary.words)
    found = outcome_html(drill)
    restored = drill.count('passed')
    if drill.volumes:
        found = format_html('{} {}', found, ngettext(
            '%d restored', '%d restored', restored) % restored)
    if drill.worst_rto is not None:
        found = format_html('{}, {}', found, _('slowest in %s') %
                            display.seconds_text(drill.worst_rto))
    return found


class RunsTable(dropdown.RowActionsDropdown, tables.DataTable):
    # None = still going: Horizon keeps polling such rows.
    STATUS_CHOICES = (('SUCCESS', True), ('ERROR', False),
                      ('CANCELLED', False), ('RUNNING', None),
                      ('PAUSED', None), ('IDLE', None))
    started = tables.Column('started_local', verbose_name=_("Started"),
                            link=_row_url)
    # Wrapping: names and ids may be long words (Horizon's column for them).
    schedule = tables.WrappingColumn('schedule_name',
                                     verbose_name=_("Schedule"))
    kind = tables.Column(lambda run: KIND_WORDS[run.kind],
                         verbose_name=_("Kind"))
    how = tables.Column('how', verbose_name=_("Started by"))
    state = tables.Column('state', verbose_name=_("State"), status=True,
                          status_choices=STATUS_CHOICES)
    outcome = tables.Column(_outcome, verbose_name=_("Outcome"))
    duration = tables.Column('duration', verbose_name=_("Duration"))
    backed_up = tables.Column(_count('ok'), verbose_name=_("Backed up"))
    failed = tables.Column(_drill_count('failed'), verbose_name=_("Failed"))
    skipped = tables.Column(_drill_count('skipped'),
                            verbose_name=_("Skipped"))
    created = tables.Column(_count('created'), verbose_name=_("Created"))
    deleted = tables.Column(_count('deleted'), verbose_name=_("Deleted"))

    def _with_filters(self, text):
        # Keep the state / schedule / kind filter across pages.
        extra = {k: self.request.GET[k] for k in FILTER_PARAMS
                 if self.request.GET.get(k)}
        return text + ('&' + parse.urlencode(extra) if extra else '')

    def get_marker(self):
        last = getattr(self.data, 'last_id', None)
        return parse.quote_plus(last) if last else super().get_marker()

    def get_prev_marker(self):
        first = getattr(self.data, 'first_id', None)
        return parse.quote_plus(first) if first else super().get_prev_marker()

    def get_pagination_string(self):
        return self._with_filters(super().get_pagination_string())

    def get_prev_pagination_string(self):
        return self._with_filters(super().get_prev_pagination_string())

    class Meta(object):
        name = 'runs'
        verbose_name = _("Backup Runs")
        status_columns = ('state',)
        row_class = UpdateRow
        table_actions = (DeleteRun,)
        row_actions = (ViewRun, CancelRun, DeleteRun)
