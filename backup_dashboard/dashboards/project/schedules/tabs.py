from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import tabs
from horizon.utils import functions as horizon_utils

from backup_dashboard import api
from backup_dashboard.api import overview as overview_api
from backup_dashboard.dashboards.project.runs import tables as run_tables
from backup_dashboard import schedule as domain


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = 'overview'
    template_name = 'backup_dashboard/schedules/_detail_overview.html'

    def get_context_data(self, request):
        schedule = self.tab_group.kwargs['schedule']
        zone = horizon_utils.get_timezone(request)
        try:
            servers = api.compute.servers_with_any_tag(request,
                                                       [schedule.tag])
        except Exception:
            servers = None
            exceptions.handle(request, _("Unable to list the instances "
                                         "assigned to this schedule."))
        health, owner = overview_api.schedule_health(request, schedule)
        return {
            'schedule': schedule,
            'health': health,
            'owner': owner,
            'zone': zone,
            # Formatted here: Django's date filter would turn the UTC column
            # into the user's zone too.
            'next_runs': [
                (utc.strftime('%a %Y-%m-%d %H:%M'),
                 local.strftime('%a %Y-%m-%d %H:%M %Z'))
                for utc, local in domain.next_runs(schedule.pattern, zone)],
            'dst_note': domain.dst_note(schedule.pattern, schedule.timezone)
            if schedule.local_pattern else None,
            'servers': servers,
        }


class RunsTab(tabs.TableTab):
    name = _("Runs")
    slug = 'runs'
    table_classes = (run_tables.RunsTable,)
    template_name = 'backup_dashboard/schedules/_detail_runs.html'
    preload = False

    def get_runs_data(self):
        schedule = self.tab_group.kwargs['schedule']
        zone = horizon_utils.get_timezone(self.request)
        try:
            runs, _more = api.schedules.run_page(self.request,
                                                 schedule=schedule)
        except Exception:
            exceptions.handle(self.request,
                              _("Unable to retrieve the runs."))
            return []
        return [run_tables.decorate(run, zone) for run in runs]

    def get_context_data(self, request, **kwargs):
        context = super().get_context_data(request, **kwargs)
        context['schedule'] = self.tab_group.kwargs['schedule']
        return context


class ScheduleDetailTabs(tabs.DetailTabsGroup):
    slug = 'schedule_details'
    tabs = (OverviewTab, RunsTab)
