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

"""Admin > Backups Overview > Templates and Bounds: see and set them.

The page lists the schedule templates, every project with the bounds that
apply to it, and the schedules that drift from their template; the modal
forms (``guardrail_forms``) publish a template and set or clear bounds.
All of it is the governance variables in Mistral (``api.governance``,
``backup_dashboard.guardrails``), read once per page; the drift reads every
project's schedule triggers too. Admins only, as the whole panel is. A
failing Mistral or Keystone is a message; no form is offered while the
variables cannot be read.
"""
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import tables
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.api import overview as overview_api
from backup_dashboard.dashboards.admin.overview import guardrail_forms
from backup_dashboard.dashboards.admin.overview import guardrail_tables
from backup_dashboard.dashboards.admin.overview import project_settings
from backup_dashboard.dashboards.admin.overview import views
from backup_dashboard import guardrails
from backup_dashboard import schedule as domain

GUARDRAILS_URL = reverse_lazy('horizon:admin:backups_overview:guardrails')


def _read(request, redirect=False):
    return project_settings.read(request, guardrail_forms.UNREADABLE,
                                 redirect)


class GuardrailsView(views._OverviewMixin, tables.MultiTableView):
    table_classes = (guardrail_tables.TemplatesTable,
                     guardrail_tables.BoundsTable,
                     guardrail_tables.DriftTable)
    template_name = 'backup_dashboard/overview/guardrails.html'
    page_title = _("Schedule Templates and Bounds")

    @memoized.memoized_method
    def variables(self):
        return _read(self.request)

    @memoized.memoized_method
    def projects(self):
        return project_settings.projects(self.request)

    def _readable(self, name):
        self._tables[name].readable = self.variables() is not None

    def get_templates_data(self):
        self._readable('templates')
        names = {p.id: p.name for p in self.projects() or []}
        return self._page(self._tables['templates'],
                          guardrail_tables.template_rows(
                              guardrails.templates(self.variables()), names))

    def get_bounds_data(self):
        self._readable('bounds')
        return self._page(self._tables['bounds'], guardrail_tables.bounds_rows(
            self.projects(), self.variables()))

    def get_drift_data(self):
        if self.variables() is None:
            return []
        try:
            triggers = overview_api.triggers(self.request)
        except Exception as error:
            views._handle(self.request, _('The schedules could not be '
                                          'listed (%s).') %
                          api.errors.reason(error))
            return []
        schedules = [s for s in map(domain.Schedule.from_trigger, triggers)
                     if s is not None]
        names = {p.id: p.name for p in self.projects() or []}
        return self._page(self._tables['drift'], guardrail_tables.drift_rows(
            schedules, names, self.variables()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        variables = self.variables()
        context['readable'] = variables is not None
        if variables is not None:
            default = guardrails.default_bounds(variables)
            context['default'] = default.text() if default else \
                _("no bounds")
        context['url'] = str(views.INDEX_URL)
        return context


class TemplateView(forms.ModalFormView):
    form_class = guardrail_forms.TemplateForm
    template_name = 'backup_dashboard/overview/template.html'
    success_url = GUARDRAILS_URL
    submit_label = _("Publish")
    submit_url = reverse_lazy('horizon:admin:backups_overview:template')
    modal_id = 'backup_template_modal'
    form_id = 'backup_template_form'
    page_title = _("Publish Schedule Template")
    modal_header = page_title

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['projects'] = project_settings.projects(
            self.request, redirect=GUARDRAILS_URL)
        return kwargs

    def get_initial(self):
        return {'mode': 'rotation', 'max_full': 2, 'max_incremental': 6}


class _BoundsView(project_settings.SettingView):
    form_class = guardrail_forms.BoundsForm
    template_name = 'backup_dashboard/overview/bounds.html'
    success_url = GUARDRAILS_URL
    modal_id = 'backup_bounds_modal'
    form_id = 'backup_bounds_form'

    @memoized.memoized_method
    def variables(self):
        return _read(self.request, redirect=GUARDRAILS_URL)

    def get_initial(self):
        if self.request.method != 'GET':
            return {}
        current = guardrail_forms.level(self.variables(), self.project_id)
        initial = {'shown': guardrail_forms.stamp(current)}
        if current is not None and 'clear' not in self.request.GET:
            initial.update({f: getattr(current, f) or ''
                            for f in guardrails.BOUND_FIELDS})
        return initial


class DefaultBoundsView(_BoundsView):
    page_title = _("Cloud Default Schedule Bounds")
    modal_header = page_title


class ProjectBoundsView(project_settings.OfProject, _BoundsView):
    # Rendered as a template by Horizon: the name comes from the context.
    page_title = _("Schedule Bounds of Project {{ project.name }}")
    own_of = staticmethod(guardrails.project_bounds)

    @property
    def modal_header(self):
        return _('Schedule Bounds of Project %s') % self.project().name
