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

"""The run detail's table.

One row per volume of a run, from the result the workflow published, with links
to the instance, volume, backup and its restore.
"""
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import tables

from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import links


def _link(view, key):
    """A link to `view` for the id under `key` of a volume row, or None.

    The row comes from a workflow's output, which may hold anything.
    """
    def url(row):
        value = row.get(key)
        if not isinstance(value, str) or not value or '/' in value:
            return None
        try:
            return reverse(view, args=[value])
        except NoReverseMatch:
            return None
    return url


def _restore_link(row):
    backup = row.get('backup')
    if row.get('status') != 'ok' or not isinstance(backup, str) or \
            not backup:
        return None
    return links.restore_url(backup)


def _texts(value):
    """A list of texts from the output, whatever it holds."""
    if isinstance(value, list):
        return [str(item) for item in value if item is not None]
    return [str(value)] if value else []


def _shown(value):
    return value if value is not None and value != '' else '-'


class VolumesTable(tables.DataTable):
    """One row per volume of a run, from the workflow's published result."""
    STATUS_CHOICES = (('ok', True), ('failed', False), ('skipped', True))
    RESULT_WORDS = (('ok', _("Backed up")), ('failed', _("Failed")),
                    ('skipped', _("Skipped")))
    server = tables.WrappingColumn(
        lambda v: v.get('server_name') or v.get('server') or '-',
        verbose_name=_("Instance"),
        link=_link('horizon:project:instances:detail', 'server'))
    volume = tables.WrappingColumn(
        lambda v: v.get('volume_name') or v.get('volume') or '-',
        verbose_name=_("Volume"),
        link=_link('horizon:project:volumes:detail', 'volume'))
    status = tables.Column(lambda v: v.get('status') or '-',
                           verbose_name=_("Result"), status=True,
                           status_choices=STATUS_CHOICES,
                           display_choices=RESULT_WORDS)
    backup = tables.WrappingColumn(
        lambda v: v.get('backup') or '-', verbose_name=_("Backup"),
        link=_link('horizon:project:backups:detail', 'backup'))
    kind = tables.Column(lambda v: _shown(v.get('kind')),
                         verbose_name=_("Kind"))
    size = tables.Column(lambda v: _shown(v.get('size')),
                         verbose_name=_("Size (GB)"))
    seconds = tables.Column(lambda v: _shown(v.get('seconds')),
                            verbose_name=_("Seconds"))
    deleted = tables.WrappingColumn(
        lambda v: ', '.join(_texts(v.get('deleted'))) or '-',
        verbose_name=_("Deleted backups"))
    why = tables.WrappingColumn(
        lambda v: ' '.join(
            [display.service_words(t) for t in _texts(v.get('error'))] +
            _texts(v.get('reason')) +
            [display.service_words(t) for t in _texts(
                v.get('delete_errors'))]) or '-',
        verbose_name=_("Why"))
    restore = tables.Column(
        lambda v: _('Restore') if _restore_link(v) else '-',
        verbose_name=_("Restore"), link=_restore_link)

    def get_object_id(self, datum):
        # The row's place in the output: unique whatever the output holds.
        return str(datum.get('_row', id(datum)))

    class Meta(object):
        name = 'volumes'
        verbose_name = _("Volumes")
        status_columns = ('status',)
