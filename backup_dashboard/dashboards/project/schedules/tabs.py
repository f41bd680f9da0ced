from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import tabs
from horizon.utils import functions as horizon_utils

from backup_dashboard import api
from backup_dashboard.api import overview as overview_api
from backup_dashboard.dashboards.project.runs import tables as run_tables
from backup_dashboard import dst
from backup_dashboard import schedule as domain


def _next_runs(schedule, zone, count=5):
    """(UTC, `zone`) texts of the schedule's next runs as they will really
    happen: from the stored trigger's DST plan when it has one (its
    pattern is a union, half of whose fires are not due)."""
    trigger = getattr(schedule, 'trigger', None)
    if trigger is not None:
        runs = [utc for utc, _local in dst.next_runs(trigger, count)]
    else:
        runs = [utc for utc, _local in domain.next_runs(schedule.pattern,
                                                        count=count)]
    tz = domain.get_zone(zone)
    # Formatted here: Django's date filter would turn the UTC column into
    # the user's zone too.
    return [(utc.strftime('%a %Y-%m-%d %H:%M'),
             utc.astimezone(tz).strftime('%a %Y-%m-%d %H:%M %Z'))
            for utc in runs]


def dst_text(schedule):
    """(text, ok) about the schedule's next clock change, or (None, True).

    Anchored (docs/dst.rst), it keeps its local time and the text says what
    happens at the next change; saved without a valid plan, it drifts by
    the change, and the text says so and how to fix it (save it again).
    """
    trigger = getattr(schedule, 'trigger', None)
    if not schedule.local_pattern or schedule.timezone == 'UTC':
        return None, True
    if trigger is None:     # not read back from Mistral: no plan known
        return domain.dst_note(schedule.pattern, schedule.timezone), False
    state = dst.anchor_state(trigger)
    if state.state != dst.OK:
        return state.message, False
    text = dst.next_change_text(schedule.local_pattern, schedule.timezone)
    return (text[:1].upper() + text[1:] + '.' if text else None), True


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
        note, anchored = dst_text(schedule)
        return {
            'schedule': schedule,
            'health': health,
            'owner': owner,
            'zone': zone,
            'next_runs': _next_runs(schedule, zone),
            'dst_note': note,
            'dst_anchored': anchored,
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
        # Fires that were not due (DST) are hidden, as in Backup Runs.
        return run_tables.RunPage(run_tables.decorate(run, zone)
                                  for run in runs)

    def get_context_data(self, request, **kwargs):
        context = super().get_context_data(request, **kwargs)
        context['schedule'] = self.tab_group.kwargs['schedule']
        return context


class ScheduleDetailTabs(tabs.DetailTabsGroup):
    slug = 'schedule_details'
    tabs = (OverviewTab, RunsTab)
