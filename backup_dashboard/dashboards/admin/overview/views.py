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

"""Admin > Data Protection > Backups Overview.

Every project at once, a page per project, the compliance findings, and
the reports (projects, schedules as CSV; the findings as CSV and JSON);
the retention locks page and forms are ``lock_views``, the schedule
templates and bounds ``guardrail_views``.
One fetch per page (``api.overview.collect``: a fixed set of list
calls in parallel), then everything in memory.
"""
from django import http
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import generic
from horizon import exceptions
from horizon import tables
from horizon.utils import functions as horizon_utils
from horizon.utils import memoized

from backup_dashboard.api import overview as overview_api
from backup_dashboard.dashboards.admin.overview import compliance
from backup_dashboard.dashboards.admin.overview import compliance_tables
from backup_dashboard.dashboards.admin.overview import coverage
from backup_dashboard.dashboards.admin.overview import report
from backup_dashboard.dashboards.admin.overview \
    import tables as overview_tables
from backup_dashboard.dashboards.common import display

INDEX_URL = reverse_lazy('horizon:admin:backups_overview:index')
COMPLIANCE_URL = reverse_lazy('horizon:admin:backups_overview:compliance')


def _matches(value, text):
    return text.lower() in str(value or '').lower()


FILTERS = {
    'projects': {
        'name': lambda r, q: _matches(r.name, q),
        'problem': lambda r, q: (
            bool(r.unprotected or r.breaches or r.unhealthy) ==
            (q.lower() in ('yes', 'y', 'true', '1'))),
    },
    'schedules': {
        'name': lambda r, q: _matches(r.name, q),
        'project': lambda r, q: _matches(r.project_name, q),
        'owner': lambda r, q: _matches(r.owner_name, q),
        'health': lambda r, q: any(_matches(c, q) or _matches(label, q)
                                   for c, label in
                                   [(r.health.code, r.health.text())]),
    },
    'instances': {
        'name': lambda r, q: _matches(r.name, q),
        'state': lambda r, q: _matches(r.state, q),
        'schedule': lambda r, q: any(_matches(s, q) for s in r.schedules),
    },
    'findings': {
        'category': lambda r, q: _matches(r.category, q) or
        _matches(r.label, q),
        'project': lambda r, q: _matches(r.project_name, q) or
        r.project_id == q,
        'subject': lambda r, q: _matches(r.subject_name, q) or
        r.subject_id == q,
    },
    'locks': {
        'name': lambda r, q: _matches(r.name, q),
        'source': lambda r, q: r.source == q.lower(),
    },
}


def _handle(request, message, redirect=False):
    """``exceptions.handle`` of `message` alone (to `redirect`: Http302).

    ``exceptions.handle`` reads the exception being handled and appends its
    text. The failures ``collect`` reports were caught in its threads, and
    outside an ``except`` the one at hand is whatever else was last caught
    (a memoized cache miss) or none at all (a TypeError: a 500): the
    message is raised as one of Horizon's own first.
    """
    try:
        raise exceptions.RecoverableError(message)
    except exceptions.RecoverableError:
        exceptions.handle(request, message, redirect=redirect, details='')


class _OverviewMixin(object):
    """Fetch once per request; filter and page each table in memory."""

    quota_for = None

    @memoized.memoized_method
    def overview(self):
        parts, errors = overview_api.collect(self.request,
                                             quota_for=self.quota_for)
        for error in errors:
            _handle(self.request, error)
        self.quota = parts.get('quota')
        self.parts = parts
        return coverage.build(parts, errors)

    def _rows(self, name, rows):
        table = self._tables[name]
        self.handle_server_filter(self.request, table)
        self.update_server_filter_action(self.request, table)
        info = self.get_server_filter_info(self.request, table)
        if info and info['value'] and info['field'] in FILTERS[name]:
            match = FILTERS[name][info['field']]
            rows = [r for r in rows if match(r, info['value'].strip())]
        return self._page(table, rows)

    def _page(self, table, rows):
        meta = table._meta
        size = horizon_utils.get_page_size(self.request)
        ids = [table.get_object_id(r) for r in rows]
        prev = self.request.GET.get(meta.prev_pagination_param)
        marker = self.request.GET.get(meta.pagination_param)
        start = 0
        if prev in ids:
            start = max(0, ids.index(prev) - size)
        elif marker in ids:
            start = ids.index(marker) + 1
        end = start + size
        self._paging = getattr(self, '_paging', {})
        self._paging[meta.name] = (start > 0, end < len(rows))
        return rows[start:end]

    def has_prev_data(self, table):
        return getattr(self, '_paging', {}).get(table._meta.name,
                                                (False, False))[0]

    def has_more_data(self, table):
        return getattr(self, '_paging', {}).get(table._meta.name,
                                                (False, False))[1]

    def handle_table(self, table):
        # Data first (it sets the paging), then Horizon's own handling.
        self._get_data_dict()
        return super().handle_table(table)


class IndexView(_OverviewMixin, tables.MultiTableView):
    table_classes = (overview_tables.ProjectsTable,
                     overview_tables.SchedulesTable)
    template_name = 'backup_dashboard/overview/index.html'
    page_title = _("Backups Overview")

    def get_projects_data(self):
        return self._rows('projects', self.overview().projects)

    def get_schedules_data(self):
        return self._rows('schedules', self.overview().schedules)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['overview'] = self.overview()
        context['totals'] = _totals(self.overview())
        context['since'] = display.time_html(
            self.overview().since, display.viewer_zone(self.request))
        return context


class ProjectView(_OverviewMixin, tables.MultiTableView):
    table_classes = (overview_tables.SchedulesTable,
                     overview_tables.InstancesTable)
    template_name = 'backup_dashboard/overview/project.html'
    page_title = _("Backups of project {{ project.name }}")

    def dispatch(self, request, *args, **kwargs):
        self.quota_for = kwargs.get('project_id')
        return super().dispatch(request, *args, **kwargs)

    @memoized.memoized_method
    def project_overview(self):
        project_id = self.kwargs['project_id']
        whole = self.overview()
        if project_id not in {p.id for p in whole.projects}:
            _handle(self.request,
                    _('Project "%s" was not found.') % project_id,
                    redirect=INDEX_URL)
        narrowed = coverage.for_project(whole, project_id)
        narrowed.projects[0].quota = self.quota
        return narrowed

    def get_schedules_data(self):
        return self._rows('schedules', self.project_overview().schedules)

    def get_instances_data(self):
        return self._rows('instances', self.project_overview().instances)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = self.project_overview()
        context['overview'] = overview
        context['project'] = overview.projects[0]
        context['url'] = str(INDEX_URL)
        return context


class ComplianceView(_OverviewMixin, tables.MultiTableView):
    """The findings of every project, their counts above them."""
    table_classes = (compliance_tables.FindingsTable,)
    template_name = 'backup_dashboard/overview/compliance.html'
    page_title = _("Backup Compliance")

    @memoized.memoized_method
    def report(self):
        return compliance.build(self.overview(), self.parts)

    def get_findings_data(self):
        return self._rows('findings', self.report().findings)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['report'] = self.report()
        context['url'] = str(INDEX_URL)
        context['generated'] = display.time_html(
            self.report().now, display.viewer_zone(self.request))
        return context


def _attachment(text, name, now, kind='csv',
                content_type='text/csv; charset=utf-8'):
    response = http.HttpResponse(text, content_type=content_type)
    response['Content-Disposition'] = 'attachment; filename="%s-%s.%s"' % (
        name, now.strftime('%Y%m%dT%H%MZ'), kind)
    return response


class CsvReportView(generic.View):
    """The per-project summary, with each project's backup quota.

    The per-project summary, with each project's backup quota (one quota call
    per project, in parallel).
    """

    def get(self, request):
        parts, errors = overview_api.collect(request)
        if parts.get('projects') is None:
            _handle(request, _("Unable to list the projects for the "
                               "report."), redirect=INDEX_URL)
        ids = [p.id for p in parts['projects']]
        overview = coverage.build(parts, errors,
                                  quotas=overview_api.backup_quotas(request,
                                                                    ids))
        return _attachment(report.to_csv(overview.projects, overview.now),
                           'backups-overview', overview.now)


class SchedulesCsvView(generic.View):
    """Every schedule (or one project's) with its health and runs.

    Every schedule (or one project's, ?project_id=) with its health, next and
    last run.
    """

    def get(self, request):
        parts, errors = overview_api.collect(request)
        if parts.get('triggers') is None:
            _handle(request, _("Unable to list the schedules for the "
                               "report."), redirect=INDEX_URL)
        overview = coverage.build(parts, errors)
        project_id = request.GET.get('project_id')
        if project_id:
            overview = coverage.for_project(overview, project_id)
        return _attachment(
            report.schedules_csv(overview.schedules, overview.now),
            'backup-schedules', overview.now)


class ComplianceExportView(generic.View):
    """The findings as a file, every category or ?category= / ?project_id=.

    Or those the page's filter shows (its download links carry it): the
    page's own FILTERS match them.

    Each with its generation time and whether a category was judged on
    partial data; a category that could not be judged says so.
    """
    render = None       # staticmethod: report.compliance_csv or _json
    kind = 'csv'
    content_type = 'text/csv; charset=utf-8'

    def get(self, request):
        parts, errors = overview_api.collect(request)
        result = compliance.build(coverage.build(parts, errors), parts)
        if all(c.count is None for c in result.categories):
            _handle(request, _("Nothing could be checked for the compliance "
                               "report: the services it reads did not "
                               "answer."), redirect=COMPLIANCE_URL)
        category = request.GET.get('category')
        if category not in compliance.ORDER:
            category = None
        field = request.GET.get(compliance_tables.FILTER_FIELD)
        text = (request.GET.get(compliance_tables.FILTER_TEXT) or '').strip()
        match = FILTERS['findings'].get(field) if text else None
        result = compliance.narrowed(
            result, category, request.GET.get('project_id'),
            keep=(lambda finding: match(finding, text)) if match else None)
        return _attachment(self.render(result), 'backup-compliance',
                           result.now, self.kind, self.content_type)


class ComplianceCsvView(ComplianceExportView):
    render = staticmethod(report.compliance_csv)


class ComplianceJsonView(ComplianceExportView):
    render = staticmethod(report.compliance_json)
    kind = 'json'
    content_type = 'application/json; charset=utf-8'


def _totals(overview):
    projects = overview.projects
    return {
        'instances': sum(p.instances for p in projects),
        'unprotected': sum(p.unprotected for p in projects),
        'breaches': sum(p.breaches for p in projects),
        'unhealthy': sum(1 for s in overview.schedules if s.health.problems),
        'schedules': len(overview.schedules),
    }
