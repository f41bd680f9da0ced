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

"""What the per-project governance pages share: retention locks and bounds.

Both list every project with its own setting and the one that applies to it
(``Row``, ``rows``), and the own settings of project ids the listing lacks
(a deleted project's stay in the variables until removed). Both offer the
same actions (set a project's, clear its own: the same modal form, emptied)
and the same modal form views, for the cloud default or one project
(``SettingView``, ``OfProject``). The governance variables and the projects
are read by ``read`` and ``projects``, a failure told in the admin's words.
No action is offered while the variables cannot be read.
"""
import dataclasses

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import tables
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.api import overview as overview_api
from backup_dashboard.dashboards.admin.overview \
    import tables as overview_tables
from backup_dashboard.dashboards.admin.overview import views

OWN, DEFAULT, NONE, UNKNOWN = 'own', 'default', 'none', 'unknown'
NO_PROJECTS = _('The projects could not be listed (%s).')


@dataclasses.dataclass
class Row:
    """A project and its setting; ``known`` False: the setting was not read.

    `own`: the project's own setting, or None; `effective`: the one that
    applies (its own or the cloud default), or None; `listed` False: no
    project of the listing has this id (its name is the id).
    """
    id: str
    name: str
    own: object = None
    effective: object = None
    known: bool = True
    listed: bool = True

    @property
    def source(self):
        if not self.known:
            return UNKNOWN
        if self.own is not None:
            return OWN
        return DEFAULT if self.effective is not None else NONE


def rows(projects, variables, own_of, effective_of):
    """A Row per project, by name, then one per own setting of an unlisted id.

    `projects` None: not listed (no rows); `variables` None: not read.
    `own_of(variables)`: {project id: its own setting};
    `effective_of(variables, project id)`: the setting that applies.
    """
    if projects is None:
        return []
    known = variables is not None
    own = own_of(variables) if known else {}
    found = sorted(
        (Row(p.id, p.name, own.get(p.id),
             effective_of(variables, p.id) if known else None, known)
         for p in projects),
        key=lambda r: ((r.name or '').lower(), r.id))
    ids = {p.id for p in projects}
    return found + [Row(pid, pid, setting, effective_of(variables, pid),
                        listed=False)
                    for pid, setting in sorted(own.items())
                    if pid not in ids]


def _name(row):
    return row.name if row.listed else _('%s (no such project)') % row.id


def _project_url(row):
    return overview_tables.project_url(row.id) if row.listed else None


def name_column():
    """The Project column: a listed project's name, linked to its page."""
    return tables.WrappingColumn(_name, verbose_name=_("Project"),
                                 link=_project_url)


def readable(table):
    return getattr(table, 'readable', True)


class SetAction(tables.LinkAction):
    """Set the setting of the row's project (or, row None, open the form)."""
    classes = ('ajax-modal',)

    def allowed(self, request, row=None):
        # A project not listed any more keeps only Clear.
        return readable(self.table) and (
            row is None or (row.known and row.listed))


class ClearAction(tables.LinkAction):
    """The same form, empty: every field empty clears the project's own."""
    classes = ('ajax-modal',)
    # the query parameter that asks the form to open empty
    param = 'remove'

    def allowed(self, request, row=None):
        return readable(self.table) and row is not None and \
            row.own is not None

    def get_link_url(self, datum=None):
        return '%s?%s' % (reverse(self.url, args=[datum.id]),
                          urlencode({self.param: 1}))


def read(request, unreadable, redirect=False):
    """The governance variables; None (with a message) when unreadable.

    `unreadable`: the message, with %s for the reason.
    """
    try:
        return api.governance.variables(request)
    except Exception as error:
        views._handle(request, unreadable % api.errors.reason(error),
                      redirect=redirect)
    return None


def projects(request, redirect=False):
    """Every project (the admin listing); None with a message on failure."""
    try:
        return overview_api.projects(request)
    except Exception as error:
        views._handle(request, NO_PROJECTS % api.errors.reason(error),
                      redirect=redirect)
    return None


class SettingView(forms.ModalFormView):
    """A setting's modal form, of the cloud default (`project` None)."""
    submit_label = _("Save")
    # the page that lists the settings: failures go back to it
    success_url = None

    def project(self):
        return None

    @property
    def project_id(self):
        project = self.project()
        return project.id if project is not None else None

    @property
    def submit_url(self):
        return self.request.get_full_path()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['project'] = self.project()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['project'] = self.project()
        return context


class OfProject:
    """A SettingView of the project named in the URL.

    A listed project, or an id the listing lacks that still has its own
    setting, so that it can be cleared. The view gives ``variables()`` and
    ``own_of(variables)``: {project id: its own setting}.
    """

    @memoized.memoized_method
    def project(self):
        project_id = self.kwargs['project_id']
        found = {p.id: p for p in projects(self.request,
                                           redirect=self.success_url)}
        if project_id in found:
            return found[project_id]
        variables = self.variables()
        if variables is not None and project_id in self.own_of(variables):
            return Row(project_id, project_id, listed=False)
        views._handle(self.request,
                      _('Project "%s" was not found.') % project_id,
                      redirect=self.success_url)
