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

"""Put the plugin's row action and column into Horizon's InstancesTable.

Django tables have no registry for extra actions or columns, so the class is
patched once the apps are loaded (``AppConfig.ready()``). Everything here is
idempotent: calling ``install()`` again changes nothing.
"""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from horizon import tables
from openstack_dashboard.api import base as api_base
from openstack_dashboard import policy

from backup_dashboard.api import mistral
from backup_dashboard.dashboards.project.instances import status

ACTION_NAME = 'backup_dashboard_configure'
COLUMN_NAME = 'backup_dashboard_backup'


def mistral_in_catalog(request):
    """Reads the token's catalog only: no HTTP."""
    user = getattr(request, 'user', None)
    if user is None or not getattr(user, 'is_authenticated', False):
        return False
    return api_base.is_service_enabled(request, mistral.SERVICE_TYPE)


class ConfigureBackups(policy.PolicyTargetMixin, tables.LinkAction):
    name = ACTION_NAME
    verbose_name = _("Configure backups")
    url = 'horizon:project:backup_schedules:instance_configure'
    classes = ('ajax-modal',)
    icon = 'calendar'
    # The same rule as Horizon's own "Edit Instance": tags are an update.
    policy_rules = (('compute', 'os_compute_api:servers:update'),)

    def get_link_url(self, datum):
        return reverse(self.url, args=[datum.id])

    def allowed(self, request, instance=None):
        # Runs for every row of every render: no API call here.
        if not mistral_in_catalog(request):
            return False
        if instance is None:
            return True
        # Read from the fields Nova sent: getattr could lazy-load the server.
        task = status.fields(instance).get('OS-EXT-STS:task_state') or ''
        return str(task).lower() != 'deleting'


_LABELS = {
    status.PROTECTED: ('label-success', _("Protected")),
    status.FAILED: ('label-danger', _("Last run failed")),
    status.UNPROTECTED: ('label-default', _("Not protected")),
}


def render_backup_state(server):
    state = status.backup_state(server)
    if state.state == status.UNKNOWN:
        return '-'
    css, text = _LABELS[state.state]
    if state.schedules:
        title = _("Schedules: %s") % ', '.join(state.schedules)
        if state.last_backup:
            title = '%s; %s' % (title, _("last backup %s UTC")
                                % state.last_backup.replace('T', ' ')
                                .rstrip('Z'))
        if state.last_status:
            title = '%s; %s' % (title, _("last run: %s") % state.last_status)
    else:
        title = _("No backup schedule: use Configure backups.")
    return format_html('<span class="label {} backup-dashboard-state '
                       'backup-dashboard-{}" title="{}">{}</span>',
                       css, state.state, title, text)


class BackupColumn(tables.Column):
    """Shown only where Mistral is in the catalog."""

    def allowed(self, request):
        return mistral_in_catalog(request) and super().allowed(request)


def _column():
    column = BackupColumn(render_backup_state, verbose_name=_("Backup"),
                          sortable=False)
    column.name = COLUMN_NAME
    column.classes.append('normal_column')
    return column


def _instances_table():
    from openstack_dashboard.dashboards.project.instances import tables
    return tables.InstancesTable


def install(table_class=None):
    """Add the action and the column to the Instances table (idempotent)."""
    table = table_class or _instances_table()
    _add_action(table)
    _add_column(table)
    return table


def _add_action(table):
    meta_actions = tuple(getattr(table.Meta, 'row_actions', ()))
    names = [a.name for a in table._meta.row_actions]
    if ACTION_NAME not in names:
        # After Horizon's "Edit Instance" when it is there, else first.
        position = names.index('edit') + 1 if 'edit' in names else 0
        actions = list(table._meta.row_actions)
        actions.insert(position, ConfigureBackups)
        table._meta.row_actions = tuple(actions)
    if ACTION_NAME not in [a.name for a in meta_actions]:
        # Later subclasses read their options from Meta.
        table.Meta.row_actions = tuple(table._meta.row_actions)
    if ACTION_NAME not in table.base_actions:
        table.base_actions[ACTION_NAME] = ConfigureBackups()


def _add_column(table):
    if COLUMN_NAME in table._columns:
        return
    column = _column()
    # After the status columns, before the "Actions" column.
    items = list(table._columns.items())
    keys = [k for k, _v in items]
    position = keys.index('actions') if 'actions' in keys else len(items)
    items.insert(position, (COLUMN_NAME, column))
    table._columns = type(table._columns)(items)
    base = list(table.base_columns.items())
    if COLUMN_NAME not in table.base_columns:
        base.append((COLUMN_NAME, column))
        table.base_columns = type(table.base_columns)(base)


def uninstall(table_class=None):
    """Take the action and the column out again (benchmarks, tests)."""
    table = table_class or _instances_table()
    table._meta.row_actions = tuple(a for a in table._meta.row_actions
                                    if a.name != ACTION_NAME)
    table.Meta.row_actions = tuple(a for a in table.Meta.row_actions
                                   if a.name != ACTION_NAME)
    table.base_actions.pop(ACTION_NAME, None)
    for attr in ('_columns', 'base_columns'):
        columns = getattr(table, attr)
        setattr(table, attr, type(columns)(
            (k, v) for k, v in columns.items() if k != COLUMN_NAME))
    return table
