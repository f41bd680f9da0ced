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

"""The Backup Schedules pages and the form's live answers.

The index (a page of schedules with their last run and health), the create
and edit forms, a schedule's detail (overview and runs tabs), and the two
views the form asks as the user types: the next runs of a pattern
(``PreviewView``) and what saving would do (``ConsequencesView``).
"""
import hashlib
import logging
import types

from django.core.cache import cache
from django import http
from django.template.loader import render_to_string
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import generic
from horizon import forms
from horizon import tables
from horizon import tabs
from horizon.utils import functions as horizon_utils
from horizon.utils import http as http_utils
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.api import parallel
from backup_dashboard import conf
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.project.schedules import consequences
from backup_dashboard.dashboards.project.schedules \
    import forms as schedule_forms
from backup_dashboard.dashboards.project.schedules \
    import tables as schedule_tables
from backup_dashboard.dashboards.project.schedules \
    import tabs as schedule_tabs
from backup_dashboard import errors
from backup_dashboard import executions
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)
INDEX_URL = reverse_lazy('horizon:project:backup_schedules:index')
# How many recent runs one call fetches to find each schedule's last run.
RECENT_RUNS = 500
# What the index reads of a run (last run and health): no input, no output.
RUN_FIELDS = ['id', 'state', 'created_at', 'updated_at', 'description',
              'state_info']
# How long the index keeps a schedule's newest run that is older than the
# recent runs (see IndexView._kept_run), in seconds.
KEEP_OLDER_RUN = 600
_FINISHED = ('SUCCESS', 'ERROR', 'CANCELLED')
_UNREAD = object()


class IndexView(tables.PagedTableMixin, tables.DataTableView):
    """One page of schedules (Horizon's page size), by name.

    Listing and rendering every schedule was what made the index slow
    with many of them; a page costs the same whatever their number.
    """
    table_class = schedule_tables.SchedulesTable
    page_title = _("Backup Schedules")
    template_name = 'backup_dashboard/schedules/index.html'

    def get_data(self):
        try:
            schedules = self._page()
        except Exception:
            api.errors.handle(self.request,
                              _("Unable to retrieve backup schedules."))
            return []
        servers, runs, self.workbook_problems, self.lock, backups = \
            parallel.call_functions_parallel(
                (self._servers, [schedules]), self._recent_runs,
                self._workbook_problems, self._lock,
                (consequences.held_backups, [self.request]) if schedules
                else dict)  # an empty page counts none
        counts = api.compute.count_by_tag(servers or [],
                                          [s.tag for s in schedules])
        by_trigger = executions.runs_by_trigger(runs)
        last = self._last_runs(schedules, runs, by_trigger)
        for schedule in schedules:
            schedule.instance_count = (counts.get(schedule.tag, 0)
                                       if servers is not None else '?')
            schedule.last_run = last.get(schedule.name)
            # What Delete says becomes of them.
            schedule.held_backups = None if backups is None else \
                backups.get(schedule.name, (0, 0))
        # Health from the same runs: no call per schedule.
        executions.attach_health(schedules, runs, self.workbook_problems,
                                 limit=RECENT_RUNS, by_trigger=by_trigger)
        return schedules

    def _page(self):
        """One page of the project's schedules by name.

        After (or, for "Prev", before) the marker, a schedule name.
        """
        marker, direction = self._get_marker()
        backwards = marker is not None and direction == 'asc'
        schedules, more = api.schedules.schedule_page(
            self.request, marker, backwards,
            horizon_utils.get_page_size(self.request))
        if backwards:
            self._has_prev_data, self._has_more_data = more, True
        else:
            self._has_prev_data = marker is not None
            self._has_more_data = more
        return schedules

    def _last_runs(self, schedules, runs, by_trigger):
        """{schedule name: its newest run}.

        From the recent runs the index fetches anyway; a schedule of this page
        without a run among them when they are a full window (older runs exist)
        gets its newest run asked for, in parallel: at most one call per row of
        the page.

        Runs of every trigger id the schedule has had count (an edit makes
        a new trigger); a fire that was not due (DST) is not a run.
        """
        last, missing = {}, []
        for schedule in schedules:
            found = [r for i in schedule.trigger_ids
                     for r in by_trigger.get(i, [])
                     if not executions.not_due_by_time(r, schedule)]
            if found:
                last[schedule.name] = max(found, key=lambda r: r.created_at)
            elif runs is not None and len(runs) >= RECENT_RUNS:
                missing.append(schedule)
        # Kept in the deployment's cache (Django's CACHES), per project.
        kept = {s.name: cache.get(self._kept_key(s)) for s in missing}
        last.update((name, types.SimpleNamespace(**run))
                    for name, run in kept.items() if run)
        missing = [s for s in missing if kept[s.name] is None]
        if missing:
            older = parallel.call_functions_parallel(
                *[(self._newest_run, [s]) for s in missing])
            last.update((s.name, run) for s, run in zip(missing, older)
                        if run is not None)
        return last

    def _kept_key(self, schedule):
        """Where the newest run of a schedule without a recent run is kept.

        That run stays the schedule's newest until a newer run starts, and
        a newer run is among the recent runs the index lists anyway: so a
        finished one (or none at all) can be kept, and the index asks
        Mistral once, not on every view. Only deleting that run makes the
        entry stale, for KEEP_OLDER_RUN at most. The key names the project
        and the schedule's trigger ids (an edit makes a new one).
        """
        ids = ','.join(sorted(schedule.trigger_ids))
        return 'backup_dashboard:older_run:%s:%s' % (
            self.request.user.project_id,
            hashlib.sha256(ids.encode()).hexdigest())

    def _newest_run(self, schedule):
        # Three: a DST schedule's fires alternate between due and not due.
        try:
            runs = api.runs.execution_list(self.request, schedule, limit=3,
                                           fields=RUN_FIELDS)
        except Exception:
            return None     # the column then says what it knows: no run
        run = next((r for r in runs
                    if not executions.not_due_by_time(r, schedule)), None)
        if not runs or (run is not None and run.state in _FINISHED):
            cache.set(self._kept_key(schedule),
                      {f: getattr(run, f, None) for f in RUN_FIELDS}
                      if run is not None else {}, KEEP_OLDER_RUN)
        return run

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['workbook_problems'] = [
            _('The workflow %(name)s is %(state)s.') % problem
            for problem in getattr(self, 'workbook_problems', None) or []]
        lock = getattr(self, 'lock', None)
        context['lock_unknown'] = lock is _UNREAD
        context['lock'] = None if lock is _UNREAD else lock
        return context

    def _lock(self):
        try:
            return api.governance.project_lock(self.request)
        except Exception:
            return _UNREAD

    def _workbook_problems(self):
        try:
            return api.mistral.workflow_problems(self.request)
        except Exception:
            # The schedule list already reports an unreachable Mistral.
            return []

    def _servers(self, schedules):
        try:
            return api.compute.servers_with_any_tag(
                self.request, [s.tag for s in schedules])
        except Exception:
            api.errors.handle(self.request, _(
                "Unable to count the instances assigned to each schedule."))
            return None

    def _recent_runs(self):
        try:
            return api.runs.recent_runs(self.request, RECENT_RUNS,
                                        fields=RUN_FIELDS)
        except Exception:
            api.errors.handle(self.request,
                              _("Unable to retrieve the last runs."))
            return None


def _schedule_or_redirect(request, name):
    """The schedule named in the URL, or back to the index with a message."""
    try:
        return api.schedules.schedule_show(request, name)
    except Exception:
        api.errors.handle(request, _('Unable to retrieve schedule "%s".')
                          % name, redirect=INDEX_URL)


class _ScheduleFormView(forms.ModalFormView):
    template_name = 'backup_dashboard/schedules/form.html'
    success_url = INDEX_URL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['preview_url'] = reverse(
            'horizon:project:backup_schedules:preview')
        context['consequences_url'] = self.consequences_url()
        return context

    def form_invalid(self, form):
        # Refused: what it was refused on shows beside it at once.
        response = super().form_invalid(form)
        if form.consequences is not None:
            response.context_data['consequences'] = _consequences_html(
                self.request, form.consequences)
        return response

    def consequences_url(self):
        return reverse('horizon:project:backup_schedules:consequences_new')


class CreateView(_ScheduleFormView):
    form_class = schedule_forms.CreateScheduleForm
    modal_id = 'create_schedule_modal'
    modal_header = _("Create Backup Schedule")
    page_title = _("Create Backup Schedule")
    submit_label = _("Create Schedule")
    submit_url = reverse_lazy('horizon:project:backup_schedules:create')

    def get_success_url(self):
        # "Create a new schedule and return": the Instances form links here
        # with ?next=<its URL>; only local paths are followed.
        target = self.request.GET.get('next') or \
            self.request.POST.get('next') or ''
        if target.startswith('/') and not target.startswith('//'):
            return target
        return str(INDEX_URL)


class UpdateView(_ScheduleFormView):
    form_class = schedule_forms.UpdateScheduleForm
    modal_id = 'update_schedule_modal'
    modal_header = _("Edit Backup Schedule")
    page_title = _("Edit Backup Schedule")
    submit_label = _("Save")

    @memoized.memoized
    def get_object(self):
        return _schedule_or_redirect(self.request, self.kwargs['name'])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['submit_url'] = reverse(
            'horizon:project:backup_schedules:update',
            args=[self.kwargs['name']])
        return context

    def get_initial(self):
        return schedule_forms.initial_from(self.get_object())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['stored'] = self.get_object()
        return kwargs

    def consequences_url(self):
        return reverse('horizon:project:backup_schedules:consequences',
                       args=[self.kwargs['name']])


class DetailView(tabs.TabbedTableView):
    tab_group_class = schedule_tabs.ScheduleDetailTabs
    template_name = 'horizon/common/_detail.html'
    page_title = '{{ schedule.name }}'

    @memoized.memoized
    def get_data(self):
        return _schedule_or_redirect(self.request, self.kwargs['name'])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schedule = self.get_data()
        context['schedule'] = schedule
        context['url'] = str(INDEX_URL)
        if not http_utils.is_ajax(self.request):    # a tab alone has none
            held = consequences.held_backups(self.request)
            schedule.held_backups = None if held is None else \
                held.get(schedule.name, (0, 0))
            table = schedule_tables.SchedulesTable(self.request)
            context['actions'] = table.render_row_actions(schedule)
        return context

    def get_tabs(self, request, *args, **kwargs):
        # One tab group per request: Horizon asks for it twice (tables,
        # then context), and a second group would load every tab again.
        if self._tab_group is None:
            group = self.tab_group_class(request, schedule=self.get_data(),
                                         **kwargs)
            if http_utils.is_ajax(request) and group.selected:
                # The Runs tab loading by itself: the Overview's calls
                # (instances, health) are not for this response.
                for tab in group.get_tabs():
                    if tab is not group.selected:
                        tab.preload = False
            self._tab_group = group
        return self._tab_group


class PreviewView(generic.View):
    """JSON for the form's live preview.

    The schedule in words, its next runs in its zone (in the viewer's, when
    another one) and in UTC, and what the zone's next clock change does to it.
    """

    def get(self, request):
        params = request.GET
        viewer = display.viewer_zone(request)
        zone = params.get('timezone') or viewer
        try:
            schedule = domain.validate_timing(domain.Schedule(
                name='preview', timezone=zone,
                local_pattern=schedule_forms.chosen_pattern(
                    params.get('kind', 'daily'), params)),
                conf.get('BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES'))
        except errors.InputError as error:
            return http.JsonResponse({'ok': False, 'error': str(error)})
        return http.JsonResponse({
            'ok': True,
            'words': schedule.describe(),
            'zone': zone,
            'viewer_zone': viewer if viewer != zone else None,
            'trigger_pattern': schedule.pattern,
            'runs': [{'own': own, 'viewer': yours, 'utc': utc} for own, yours,
                     utc in schedule_tabs.next_run_rows(schedule, viewer)],
            'dst_note': schedule.change_note(),
        })


class ConsequencesView(generic.View):
    """JSON for the form's live preview of what saving does.

    The quota forecast and, for a stored schedule (`name`), the backups its
    next run deletes with the settings typed, as HTML (``_consequences.html``).
    """

    def get(self, request, name=None):
        stored = None
        if name is not None:
            try:
                stored = api.schedules.schedule_show(request, name)
            except Exception:
                LOG.info('Schedule %s unavailable', name, exc_info=True)
                return http.JsonResponse({'ok': False, 'error': str(_(
                    'Unable to retrieve schedule "%s".') % name)})
        named = name or request.GET.get('name') or ''
        try:
            domain.validate_name(named)
        except errors.InputError:
            named = None
        try:
            schedule = schedule_forms.preview_schedule(
                request.GET, named or 'NAME')
        except errors.InputError as error:
            return http.JsonResponse({'ok': False, 'error': str(error)})
        at = schedule.next_run if schedule.pattern else None
        found = consequences.gather(request, schedule, before=stored,
                                    named=named is not None, at=at)
        return http.JsonResponse({
            'ok': True, 'digest': found.digest,
            'html': _consequences_html(request, found)})


def _consequences_html(request, found):
    return render_to_string(
        'backup_dashboard/schedules/_consequences.html',
        consequences.context(found, display.viewer_zone(request)), request)
