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

"""The templates and bounds page's tables: templates, bounds, drift.

Templates (create opens ``guardrail_views.TemplateView``; delete reads the
variables again and removes only that one), every project with the bounds
that apply to it (set and clear open ``BoundsView``, like the retention
locks), and the schedules that differ from the template they remember
(``guardrails.drift``). No action is offered while the variables cannot be
read.
"""
import dataclasses
import hashlib

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import tables

from backup_dashboard import api
from backup_dashboard.dashboards.admin.overview import project_settings
from backup_dashboard.dashboards.common import dropdown
from backup_dashboard import guardrails

FIELD_LABELS = {
    'local_pattern': _("runs"), 'timezone': _("time zone"),
    'mode': _("mode"), 'max_full': _("full backups kept"),
    'max_incremental': _("incrementals per full"),
}


def template_id(template):
    """A row id for a template: its name may hold anything Horizon splits."""
    return hashlib.sha256(template.name.encode()).hexdigest()[:16]


_readable = project_settings.readable


class CreateTemplate(tables.LinkAction):
    name = 'create'
    verbose_name = _("Publish Template")
    url = 'horizon:admin:backups_overview:template'
    classes = ('ajax-modal',)
    icon = 'plus'

    def allowed(self, request, datum=None):
        return _readable(self.table)


class DeleteTemplate(tables.DeleteAction):
    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Template", "Delete Templates", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Deleted Template", "Deleted Templates", count)

    def allowed(self, request, datum=None):
        return _readable(self.table)

    def delete(self, request, obj_id):
        # Read again right before writing: only this template goes.
        fresh = api.governance.variables(request)
        found = [t for t in guardrails.templates(fresh)
                 if template_id(t) == obj_id]
        if not found:
            return
        api.governance.save_variables(
            request, guardrails.without_template(fresh, found[0].name))


@dataclasses.dataclass
class TemplateRow:
    template: guardrails.Template
    visible: str        # the projects' names, or "Every project"

    @property
    def name(self):
        return self.template.name


def template_rows(templates, project_names):
    """A TemplateRow per template; a project not listed shows its id."""
    return [TemplateRow(t, ', '.join(sorted(
        project_names.get(pid, pid) for pid in t.projects)) or
        str(_("Every project"))) for t in templates]


class TemplatesTable(dropdown.RowActionsDropdown, tables.DataTable):
    name = tables.WrappingColumn('name', verbose_name=_("Template"))
    values = tables.WrappingColumn(lambda r: r.template.text(),
                                   verbose_name=_("Values"))
    projects = tables.WrappingColumn('visible', verbose_name=_("Visible to"))

    def get_object_id(self, datum):
        return template_id(datum.template)

    def get_object_display(self, datum):
        return datum.name

    class Meta(object):
        name = 'templates'
        verbose_name = _("Schedule Templates")
        table_actions = (CreateTemplate, DeleteTemplate)
        row_actions = (DeleteTemplate,)
        pagination_param = 'templates_marker'
        prev_pagination_param = 'templates_prev_marker'


# A project and its bounds (guardrails.Bounds); ``known`` False: not read.
BoundsRow = project_settings.Row


def bounds_rows(projects, variables):
    return project_settings.rows(projects, variables,
                                 guardrails.project_bounds,
                                 guardrails.bounds_for)


class SetProjectBounds(project_settings.SetAction):
    name = 'set'
    verbose_name = _("Set Bounds")
    url = 'horizon:admin:backups_overview:project_bounds'


class ClearProjectBounds(project_settings.ClearAction):
    """The same form, empty: every field empty clears the project's own."""
    name = 'clear'
    verbose_name = _("Clear Own Bounds")
    url = 'horizon:admin:backups_overview:project_bounds'
    param = 'clear'


def _bounds_text(row):
    if not row.known:
        return _("Unknown (not read)")
    if row.effective is None:
        return _("No bounds")
    text = row.effective.text()
    return text if row.own is not None else \
        _('%s (the cloud default)') % text


class BoundsTable(dropdown.RowActionsDropdown, tables.DataTable):
    name = project_settings.name_column()
    bounds = tables.WrappingColumn(_bounds_text, verbose_name=_("Bounds"))

    def get_object_id(self, datum):
        return datum.id

    class Meta(object):
        name = 'bounds'
        verbose_name = _("Bounds per Project")
        row_actions = (SetProjectBounds, ClearProjectBounds)
        pagination_param = 'bounds_marker'
        prev_pagination_param = 'bounds_prev_marker'


@dataclasses.dataclass
class DriftRow:
    id: str
    name: str
    project_name: str
    template: str
    differences: list


def drift_rows(schedules, project_names, variables):
    """A DriftRow per schedule that differs from its remembered template."""
    found = []
    for schedule in schedules:
        fields = guardrails.drift(schedule, variables)
        if fields:
            found.append(DriftRow(
                schedule.id or schedule.name, schedule.name,
                project_names.get(schedule.project_id,
                                  schedule.project_id or '-'),
                schedule.template, _differences(schedule, fields,
                                                variables)))
    return sorted(found, key=lambda r: (r.project_name.lower(),
                                        r.name.lower(), r.id))


def _differences(schedule, fields, variables):
    if fields == ['template']:
        return [str(_("the template was deleted"))]
    values = guardrails.template_named(variables, schedule.template).values()
    return ['%s: %s (%s)' % (FIELD_LABELS[f], getattr(schedule, f),
                             _('template: %s') % values[f]) for f in fields]


class DriftTable(tables.DataTable):
    project = tables.WrappingColumn('project_name',
                                    verbose_name=_("Project"))
    name = tables.WrappingColumn('name', verbose_name=_("Schedule"))
    template = tables.WrappingColumn('template', verbose_name=_("Template"))
    differences = tables.WrappingColumn(
        lambda r: '; '.join(r.differences), verbose_name=_("Differs in"))

    def get_object_id(self, datum):
        return datum.id

    class Meta(object):
        name = 'drift'
        verbose_name = _("Schedules That Drift From Their Template")
        pagination_param = 'drift_marker'
        prev_pagination_param = 'drift_prev_marker'
