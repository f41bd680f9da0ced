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

"""Admin > Backups Overview > Retention Locks: see and set the locks.

The page lists the cloud default and every project with the lock that
applies to it; the modal forms (``lock_forms``) set or clear the default
or one project's own. The locks are the governance variables in Mistral
(``api.governance``, ``backup_dashboard.governance``), read once per page.
Admins only, as the whole panel is. A failing Mistral or Keystone is a
message; a form is not offered when the locks cannot be read.
"""
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import tables
from horizon.utils import memoized

from backup_dashboard.dashboards.admin.overview import lock_forms
from backup_dashboard.dashboards.admin.overview import lock_tables
from backup_dashboard.dashboards.admin.overview import project_settings
from backup_dashboard.dashboards.admin.overview import views
from backup_dashboard import governance

LOCKS_URL = reverse_lazy('horizon:admin:backups_overview:locks')


def _read(request, redirect=False):
    return project_settings.read(request, lock_forms.UNREADABLE, redirect)


class LocksView(views._OverviewMixin, tables.MultiTableView):
    table_classes = (lock_tables.LocksTable,)
    template_name = 'backup_dashboard/overview/locks.html'
    page_title = _("Retention Locks")

    @memoized.memoized_method
    def variables(self):
        return _read(self.request)

    @memoized.memoized_method
    def projects(self):
        return project_settings.projects(self.request)

    def get_locks_data(self):
        self._tables['locks'].readable = self.variables() is not None
        return self._rows('locks', lock_tables.rows(self.projects(),
                                                    self.variables()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        variables = self.variables()
        context['readable'] = variables is not None
        context['default'] = None if variables is None else \
            lock_forms.describe(lock_forms.level(variables, None))
        context['url'] = str(views.INDEX_URL)
        return context


class _LockView(project_settings.SettingView):
    """A lock's form; the current values beside it."""
    form_class = lock_forms.LockForm
    template_name = 'backup_dashboard/overview/lock.html'
    success_url = LOCKS_URL
    modal_id = 'backup_lock_modal'
    form_id = 'backup_lock_form'

    @memoized.memoized_method
    def variables(self):
        # Shown with the values read, or not shown at all.
        return _read(self.request, redirect=LOCKS_URL)

    def get_initial(self):
        if self.request.method != 'GET':
            return {}
        current = lock_forms.level(self.variables(), self.project_id)
        initial = {'shown': lock_forms.stamp(current)}
        if current is not None and 'remove' not in self.request.GET:
            initial.update(count=current.count or '', days=current.days or '')
        return initial

    def form_invalid(self, form):
        self._form = form
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = getattr(self, '_form', None)
        # What the form read when it was sent; nothing read again after a
        # failed read (the form says why).
        if form is not None and form.unreadable:
            variables = None
        elif form is not None and form.judged is not None:
            variables = form.judged
        else:
            variables = self.variables()
        context['readable'] = variables is not None
        if variables is not None:
            pid = self.project_id
            context.update({
                'current': lock_forms.describe(
                    lock_forms.level(variables, pid)),
                'applies': lock_forms.describe(
                    lock_forms.effective(variables, pid)),
                'default': lock_forms.describe(
                    lock_forms.level(variables, None)),
            })
        return context


class DefaultLockView(_LockView):
    page_title = _("Cloud Default Retention Lock")
    modal_header = page_title


class ProjectLockView(project_settings.OfProject, _LockView):
    # Rendered as a template by Horizon: the name comes from the context.
    page_title = _("Retention Lock of Project {{ project.name }}")
    own_of = staticmethod(governance.project_locks)

    @property
    def modal_header(self):
        return _('Retention Lock of Project %s') % self.project().name
