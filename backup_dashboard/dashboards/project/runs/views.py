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

"""The Backup Runs pages: the project's runs, and one run's detail.

The index shows every run of every schedule, and every restore drill,
newest first and paged by Mistral, filtered by state, schedule or kind
(backup runs, drills), with a chart of the last 30 days' backup runs; the
detail shows one run volume by volume, from the result its workflow
published (a drill's row leads to its schedule's Drills tab instead).
"""
import datetime
from urllib import parse

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.clock import cron as clock
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import run_tables
from backup_dashboard.dashboards.project.runs import chart
from backup_dashboard.dashboards.project.runs import tables as volume_tables
from backup_dashboard import executions

INDEX_URL = reverse_lazy('horizon:project:backup_runs:index')
STATES = ('RUNNING', 'SUCCESS', 'ERROR', 'CANCELLED')
# The state filter's labels (Mistral's states are the values).
STATE_LABELS = {'RUNNING': _("Running"), 'SUCCESS': _("Success"),
                'ERROR': _("Error"), 'CANCELLED': _("Cancelled")}
# The kind filter's GET values (a kind of api.runs.run_page; '': all).
KINDS = (('', _("All")), ('backup', _("Backup runs")), ('drill', _("Drills")))
CHART_DAYS = 30


class IndexView(tables.PagedTableMixin, tables.DataTableView):
    """Every run of every schedule (or of one, with ?schedule=<name>).

    And their restore drills, unless ?kind= says backup runs only (or
    drills only).
    """
    table_class = run_tables.RunsTable
    page_title = _("Backup Runs")
    template_name = 'backup_dashboard/runs/index.html'

    def _state(self):
        state = self.request.GET.get('state', '').upper()
        return state if state in STATES else None

    def _kind(self):
        """The kind filter's GET value: '' (both kinds) when unknown."""
        kind = self.request.GET.get('kind', '')
        return kind if kind in dict(KINDS) else ''

    def _pill_url(self, **changes):
        """This page's query with `changes`, with neither marker nor empty.

        So that one filter's pill keeps the others.
        """
        schedule = self._schedule()
        found = {'state': self._state(),
                 'schedule': schedule.name if schedule else None,
                 'kind': self._kind()}
        found.update(changes)
        return '?' + parse.urlencode([(k, found[k]) for k in
                                      run_tables.FILTER_PARAMS if found[k]])

    @memoized.memoized
    def _schedule(self):
        name = self.request.GET.get('schedule')
        if not name:
            return None
        try:
            return api.schedules.schedule_show(self.request, name)
        except Exception:
            api.errors.handle(self.request,
                              _('Unable to find schedule "%s".') % name)
            return False

    def get_data(self):
        schedule = self._schedule()
        if schedule is False:
            return []
        marker, direction = self._get_marker()
        zone = display.viewer_zone(self.request)
        try:
            runs, more = api.runs.run_page(
                self.request, schedule=schedule, marker=marker,
                reverse=direction == 'asc', state=self._state(),
                kind=self._kind() or 'all')
        except Exception:
            api.errors.handle(self.request,
                              _("Unable to retrieve backup runs."))
            return []
        if direction == 'asc':
            self._has_prev_data, self._has_more_data = more, True
        else:
            self._has_prev_data, self._has_more_data = bool(marker), more
        page = run_tables.RunPage(run_tables.decorate(run, zone)
                                  for run in runs)
        self.hidden_not_due = page.hidden
        return page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schedule = self._schedule()
        context['schedule'] = schedule or None
        context['states'] = [(self._pill_url(state=None), _("All"),
                              not self._state())] + [
            (self._pill_url(state=s), STATE_LABELS[s], self._state() == s)
            for s in STATES]
        context['kinds'] = [(self._pill_url(kind=value), words,
                             self._kind() == value) for value, words in KINDS]
        context['state'] = self._state()
        context['kind'] = self._kind()
        context['chart'] = self._chart(schedule)
        context['hidden_not_due'] = getattr(self, 'hidden_not_due', 0)
        return context

    def _chart(self, schedule):
        """The last CHART_DAYS days of runs, days of the viewer's zone."""
        if schedule is False:
            return None
        zone_name = display.viewer_zone(self.request)
        today = clock.in_zone(clock.now(), zone_name).date()
        since = clock.local_instant(datetime.datetime.combine(
            today - datetime.timedelta(days=CHART_DAYS - 1), datetime.time()),
            zone_name)
        try:
            runs = api.runs.run_history(self.request, since,
                                        schedule=schedule)
        except Exception:
            api.errors.handle(self.request, _("Unable to draw the last 30 "
                                              "days of runs."))
            return None
        summaries = [executions.Summary(r) for r in runs]
        return chart.stacked_bars(
            chart.per_day(summaries, CHART_DAYS, today, zone_name),
            zone=zone_name)


class DetailView(tables.DataTableView):
    table_class = volume_tables.VolumesTable
    template_name = 'backup_dashboard/runs/detail.html'
    page_title = _("Backup run {{ run.started_local }}")

    @memoized.memoized
    def get_run(self):
        try:
            run = api.runs.execution_get(self.request,
                                         self.kwargs['execution_id'])
        except Exception:
            api.errors.handle(self.request, _("Unable to retrieve the run; "
                                              "it may have been deleted."),
                              redirect=INDEX_URL)
        return run_tables.decorate(run,
                                   display.viewer_zone(self.request))

    def get_data(self):
        return [dict(volume, _row=index) for index, volume
                in enumerate(self.get_run().summary.volumes)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['run'] = self.get_run()
        context['why'] = context['run'].summary.why(
            say=display.service_words)
        context['url'] = str(INDEX_URL)
        return context
