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

"""The schedule detail page's tabs.

Its overview (settings, health, next runs in its zone and the viewer's, what
the next clock change does, instances), its runs and its restore drills.
"""
from django.utils.translation import gettext_lazy as _
from horizon import tabs

from backup_dashboard import api
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import run_tables
from backup_dashboard.dashboards.project.schedules import drill_tables
from backup_dashboard import drill_schedule
from backup_dashboard import drills

RUN_FORMAT = '%a %Y-%m-%d %H:%M %Z'


def next_run_rows(schedule, zone, count=5):
    """The schedule's next runs.

    (in its own zone, in `zone` when that is another one, UTC) as the workflow
    will really run them.
    """
    own = schedule.timezone
    return [(display.local_text(run, own, RUN_FORMAT),
             display.local_text(run, zone, RUN_FORMAT) if zone != own
             else None,
             display.local_text(run, 'UTC', RUN_FORMAT))
            for run in schedule.next_runs(count)]


def drill_context(schedule, zone):
    """What the tabs say of the schedule's own drills: when, and the next."""
    settings = schedule.drill or drill_schedule.Settings()
    upcoming = settings.next_drills(1)
    return {'drill_text': settings.describe(),
            'next_drill': display.time_html(upcoming[0], zone)
            if upcoming else None}


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = 'overview'
    template_name = 'backup_dashboard/schedules/_detail_overview.html'

    def get_context_data(self, request):
        schedule = self.tab_group.kwargs['schedule']
        zone = display.viewer_zone(request)
        try:
            servers = api.compute.servers_with_any_tag(request,
                                                       [schedule.tag])
        except Exception:
            servers = None
            api.errors.handle(request, _("Unable to list the instances "
                                         "assigned to this schedule."))
        health, owner = api.health.schedule_health(request, schedule)
        problem = schedule.anchor_problem()
        return {
            'schedule': schedule,
            'health': health,
            'health_badge': display.health_badge(health, zone),
            'owner': owner,
            'zone': zone,
            'created': display.time_html(schedule.created_at, zone),
            'next_runs': next_run_rows(schedule, zone),
            'dst_note': problem or schedule.change_note(),
            'dst_anchored': problem is None,
            'servers': servers,
            **drill_context(schedule, zone),
        }


class ScheduleRunsTable(run_tables.RunsTable):
    """Backup Runs' table without what one schedule's backup runs share."""

    class Meta(run_tables.RunsTable.Meta):
        columns = tuple(name for name in run_tables.RunsTable.base_columns
                        if name not in ('kind', 'schedule'))


class RunsTab(tabs.TableTab):
    name = _("Runs")
    slug = 'runs'
    table_classes = (ScheduleRunsTable,)
    template_name = 'backup_dashboard/schedules/_detail_runs.html'
    preload = False

    def get_runs_data(self):
        schedule = self.tab_group.kwargs['schedule']
        zone = display.viewer_zone(self.request)
        try:
            runs, _more = api.runs.run_page(self.request,
                                            schedule=schedule)
        except Exception:
            api.errors.handle(self.request,
                              _("Unable to retrieve the runs."))
            return []
        # Fires that were not due (DST) are hidden, as in Backup Runs.
        return run_tables.RunPage(run_tables.decorate(run, zone)
                                  for run in runs)

    def get_context_data(self, request, **kwargs):
        context = super().get_context_data(request, **kwargs)
        context['schedule'] = self.tab_group.kwargs['schedule']
        return context


class DrillsTab(tabs.TableTab):
    name = _("Drills")
    slug = 'drills'
    table_classes = (drill_tables.DrillsTable,)
    template_name = 'backup_dashboard/schedules/_detail_drills.html'
    preload = False

    def get_drills_data(self):
        schedule = self.tab_group.kwargs['schedule']
        try:
            # Fires a drill trigger's time zone plan did not want: no drill.
            found = [d for d in map(drills.Drill, api.drills.drill_page(
                self.request, schedule)) if not d.not_due]
        except Exception:
            api.errors.handle(self.request,
                              _("Unable to retrieve the drills."))
            return []
        if found:
            names = self._volume_names()
            for drill in found:
                drill.volume_names = names
        return found

    def get_context_data(self, request, **kwargs):
        context = super().get_context_data(request, **kwargs)
        context.update(drill_context(self.tab_group.kwargs['schedule'],
                                     display.viewer_zone(request)))
        return context

    def _volume_names(self):
        # Names only help: a volume that cannot be listed shows its id.
        try:
            return {v.id: v.name for v in
                    api.storage.project_volumes(self.request) if v.name}
        except Exception:
            return {}


class ScheduleDetailTabs(tabs.DetailTabsGroup):
    slug = 'schedule_details'
    tabs = (OverviewTab, RunsTab, DrillsTab)
