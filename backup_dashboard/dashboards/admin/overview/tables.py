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

"""The overview's tables: projects, schedules (with health), instances.

Every time shown is in the viewer's zone with its abbreviation
(``display.time_html`` through ``display.ZonedColumn``).
"""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from horizon import tables

from backup_dashboard.dashboards.common import actions
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import dropdown


def project_url(project_id):
    """A project's page in the Backups Overview; None without an id."""
    return reverse('horizon:admin:backups_overview:project',
                   args=[project_id]) if project_id else None


def _project_url(row):
    return project_url(row.project_id if hasattr(row, 'project_id')
                       else row.id)


def _highlight(value, bad):
    if bad:
        return format_html('<span class="label label-danger">{}</span>',
                           value)
    return value


class ServerFilter(tables.FilterAction):
    """Filters every page (in the view), not only the one shown."""
    filter_type = 'server'


class DownloadReport(tables.LinkAction):
    name = 'csv'
    verbose_name = _("Download CSV Report")
    url = 'horizon:admin:backups_overview:csv'
    icon = 'download'


class DownloadSchedules(tables.LinkAction):
    """The schedules as CSV: all of them, or the project's on its page."""
    name = 'csv'
    verbose_name = _("Download CSV")
    url = 'horizon:admin:backups_overview:schedules_csv'
    icon = 'download'

    def get_link_url(self, datum=None):
        url = reverse(self.url)
        project_id = self.table.kwargs.get('project_id')
        if project_id:
            url += '?' + urlencode({'project_id': project_id})
        return url


class ProjectFilter(ServerFilter):
    filter_choices = (('name', _("Project ="), True),
                      ('problem', _("With a problem (yes/no) ="), True))


# Names are WrappingColumns (Horizon's column for names and ids): a long
# name breaks inside its column instead of widening the page.
def _drills(row):
    """The last good drill's age and restore times, and what is wrong."""
    standing = row.drills
    if standing is None:
        return _("Unknown (drills not listed)")
    text = '-'
    if standing.last_good is not None:
        text = format_html(
            _('{age} ago<br><small title="{title}">RTO {median} median, '
              '{worst} worst</small>'), age=display.age_text(standing.age),
            title=_("Restore times of that drill: the median and the "
                    "slowest volume"),
            median=display.seconds_text(standing.rto_median),
            worst=display.seconds_text(standing.rto_worst))
    if standing.problem:
        text = format_html(
            '{}<br><strong class="text-warning backup-drill-problem" '
            'data-problem="{}">{}</strong>', text, standing.problem,
            standing.problem_text)
    return text


class ProjectsTable(tables.DataTable):
    name = tables.WrappingColumn('name', verbose_name=_("Project"),
                                 link=_project_url)
    instances = tables.Column('instances', verbose_name=_("Instances"))
    assigned = tables.Column('assigned', verbose_name=_("Assigned"))
    unprotected = tables.Column(
        lambda p: _highlight(p.unprotected, p.unprotected),
        verbose_name=_("Unprotected"))
    coverage = tables.Column(
        lambda p: '-' if p.coverage is None else '%d%%' % p.coverage,
        verbose_name=_("Coverage"))
    schedules = tables.Column('schedules', verbose_name=_("Schedules"))
    unhealthy = tables.Column(
        lambda p: _highlight(p.unhealthy, p.unhealthy),
        verbose_name=_("Unhealthy Schedules"))
    breaches = tables.Column(lambda p: _highlight(p.breaches, p.breaches),
                             verbose_name=_("RPO Breaches"))
    failed_runs = tables.Column('failed_runs',
                                verbose_name=_("Failed Runs (8 days)"))
    backups = tables.Column('backups', verbose_name=_("Backups"))
    backup_gb = tables.Column('backup_gb', verbose_name=_("Backup GB"))
    drills = tables.Column(_drills, verbose_name=_("Last Good Drill"))

    class Meta(object):
        name = 'projects'
        verbose_name = _("Projects")
        table_actions = (ProjectFilter, DownloadReport)
        pagination_param = 'projects_marker'
        prev_pagination_param = 'projects_prev_marker'


class ReownSchedule(actions.ReownSchedule):
    """Recreate a broken schedule of any project under the admin's identity."""
    help_text = _("The schedule is recreated with your identity and keeps "
                  "its name, settings and runs.")

    def allowed(self, request, row=None):
        # Mistral creates the trust in the token's project: the admin must
        # be working in the schedule's project.
        return row is None or (
            row.health is not None and 'broken' in row.health.codes and
            row.project_id == request.user.tenant_id)

    def schedule_of(self, request, obj_id):
        row = self.table.get_object_by_id(obj_id)
        if row is None:
            return super().schedule_of(request, obj_id)
        return row.project_id, row.name


class ScheduleFilter(ServerFilter):
    filter_choices = (('name', _("Schedule ="), True),
                      ('project', _("Project ="), True),
                      ('owner', _("Owner ="), True),
                      ('health', _("Health ="), True))


def _last_run(row, zone):
    """The last run and its outcome.

    Without one, "no run since" only when a run was due since then.
    """
    if row.last_run_at is not None:
        return format_html('{} ({})', row.last_outcome,
                           display.time_html(row.last_run_at, zone))
    if row.runs is None:
        return _("Unknown (runs not listed)")
    if row.health is not None and row.health.code == 'new':
        return _("Not run yet")
    since = display.time_html(row.quiet_since, zone)
    if row.run_was_due:
        return format_html(_("No run since {}"), since)
    return format_html(_("No run was due since {}"), since)


def _pattern(row):
    """In words and as typed, in the schedule's zone.

    The UTC pattern its Mistral trigger fires on when that differs.
    """
    schedule = row.schedule
    text = format_html('{}<br><code>{}</code>', row.describe,
                       schedule.local_pattern)
    if schedule.pattern != schedule.local_pattern:
        text = format_html('{}<br><small>{} <code>{}</code></small>', text,
                           _("Mistral trigger (UTC):"), schedule.pattern)
    return text


def _what_to_do(row):
    if row.health is None or not row.health.problems:
        return '-'
    return format_html(
        '<ul class="list-unstyled backup-health-actions">{}</ul>',
        format_html_join('', '<li><strong>{}</strong>: {} {}</li>',
                         ((p.label, p.detail, p.action)
                          for p in row.health.problems)))


class SchedulesTable(dropdown.RowActionsDropdown, tables.DataTable):
    project = tables.WrappingColumn('project_name', verbose_name=_("Project"),
                                    link=_project_url)
    name = tables.WrappingColumn('name', verbose_name=_("Schedule"))
    owner = tables.WrappingColumn('owner_name', verbose_name=_("Owner"))
    pattern = tables.Column(_pattern, verbose_name=_("Runs"))
    instances = tables.Column('instances', verbose_name=_("Instances"))
    next_run = display.ZonedColumn(
        lambda r, zone: display.time_html(r.next_run, zone),
        verbose_name=_("Next Run"))
    last_run = display.ZonedColumn(_last_run, verbose_name=_("Last Run"))
    health = display.ZonedColumn(
        lambda r, zone: display.health_badge(r.health, zone),
        verbose_name=_("Health"))
    drills = tables.Column(_drills, verbose_name=_("Last Good Drill"))
    todo = tables.Column(_what_to_do, verbose_name=_("What To Do"))

    def get_object_id(self, datum):
        return datum.id

    def get_object_by_id(self, lookup):
        for datum in self.data:
            if datum.id == lookup:
                return datum
        return None

    def get_object_display(self, datum):
        return datum.name

    class Meta(object):
        name = 'schedules'
        verbose_name = _("Schedules")
        table_actions = (ScheduleFilter, DownloadSchedules)
        row_actions = (ReownSchedule,)
        pagination_param = 'schedules_marker'
        prev_pagination_param = 'schedules_prev_marker'


STATE_TEXT = {
    'unprotected': _("Unprotected: no schedule"),
    'breach': _("RPO breached"),
    'ok': _("Within RPO"),
    'pending': _("First backup at {}"),
    'novolume': _("No volume to back up"),
    'unknown': _("Unknown (backups not listed)"),
}


def _state(row, zone):
    text = STATE_TEXT.get(row.state, row.state)
    if row.state == 'pending':
        text = format_html(text, display.time_html(row.first_backup, zone))
    kind = {'breach': 'danger', 'unprotected': 'warning',
            'ok': 'success'}.get(row.state, 'default')
    return format_html('<span class="label label-{} backup-rpo" '
                       'data-state="{}">{}</span>', kind, row.state, text)


def _instance_url(row):
    return reverse('horizon:admin:instances:detail', args=[row.id])


class InstanceFilter(ServerFilter):
    filter_choices = (('name', _("Instance ="), True),
                      ('state', _("State (breach, unprotected, ok...) ="),
                       True),
                      ('schedule', _("Schedule ="), True))


class InstancesTable(tables.DataTable):
    name = tables.WrappingColumn('name', verbose_name=_("Instance"),
                                 link=_instance_url)
    status = tables.Column('status', verbose_name=_("Status"))
    schedules = tables.WrappingColumn(
        lambda r: ', '.join(r.schedules) or '-', verbose_name=_("Schedules"))
    volumes = tables.Column('volumes', verbose_name=_("Volumes"))
    age = tables.Column(lambda r: display.age_text(r.age),
                        verbose_name=_("Newest Backup Age"))
    rpo = tables.Column(lambda r: display.age_text(r.rpo),
                        verbose_name=_("RPO"))
    state = display.ZonedColumn(_state, verbose_name=_("Protection"))

    class Meta(object):
        name = 'instances'
        verbose_name = _("Instances")
        table_actions = (InstanceFilter,)
        pagination_param = 'instances_marker'
        prev_pagination_param = 'instances_prev_marker'
