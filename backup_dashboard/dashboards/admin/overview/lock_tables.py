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

"""The retention locks page's table: every project and its lock.

One row per project the admin listing returns (``api.overview.projects``),
with the lock that applies to it (``governance.lock_for``) and whether it
is the project's own or the cloud default. The actions open the modal
forms of ``lock_views``; none is offered while the locks cannot be read.
"""
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from horizon import tables

from backup_dashboard.dashboards.admin.overview import project_settings
from backup_dashboard.dashboards.admin.overview \
    import tables as overview_tables
from backup_dashboard.dashboards.common import dropdown
from backup_dashboard import governance

OWN, DEFAULT, NONE, UNKNOWN = (project_settings.OWN, project_settings.DEFAULT,
                               project_settings.NONE, project_settings.UNKNOWN)
SOURCES = {
    OWN: _("Its own"),
    DEFAULT: _("Cloud default"),
    NONE: _("No lock"),
    UNKNOWN: _("Unknown (locks not read)"),
}
# A project and its locks (governance.Lock); ``known`` False: not read.
Row = project_settings.Row
_readable = project_settings.readable


def rows(projects, variables):
    """A Row per project, by name; `variables` None: not read."""
    return project_settings.rows(projects, variables,
                                 governance.project_locks,
                                 governance.lock_for)


class LockFilter(overview_tables.ServerFilter):
    filter_choices = (('name', _("Project ="), True),
                      ('source', _("Lock (own, default, none) ="), True))


class SetDefaultLock(tables.LinkAction):
    name = 'default'
    verbose_name = _("Set Cloud Default")
    url = 'horizon:admin:backups_overview:default_lock'
    classes = ('ajax-modal',)
    icon = 'lock'

    def allowed(self, request, datum=None):
        return _readable(self.table)


class SetProjectLock(project_settings.SetAction):
    name = 'set'
    verbose_name = _("Set Lock")
    url = 'horizon:admin:backups_overview:project_lock'


class RemoveProjectLock(project_settings.ClearAction):
    """The same form, empty: both fields empty removes the project's own."""
    name = 'remove'
    verbose_name = _("Remove Own Lock")
    url = 'horizon:admin:backups_overview:project_lock'
    param = 'remove'


def _limit(field):
    def shown(row):
        value = getattr(row.effective, field, None)
        return value if value else '-'
    return shown


def _source(row):
    return format_html('<span class="backup-lock-source" data-source="{}">'
                       '{}</span>', row.source, SOURCES[row.source])


class LocksTable(dropdown.RowActionsDropdown, tables.DataTable):
    name = project_settings.name_column()
    count = tables.Column(_limit('count'),
                          verbose_name=_("Full backups kept (at least)"))
    days = tables.Column(_limit('days'),
                         verbose_name=_("Days kept (at least)"))
    source = tables.Column(_source, verbose_name=_("Lock"))

    def get_object_id(self, datum):
        return datum.id

    class Meta(object):
        name = 'locks'
        verbose_name = _("Projects")
        table_actions = (LockFilter, SetDefaultLock)
        row_actions = (SetProjectLock, RemoveProjectLock)
        pagination_param = 'locks_marker'
        prev_pagination_param = 'locks_prev_marker'
