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

"""The restore form: a restore point, a target, optionally an instance.

Everything the browser sends is checked again here against what Cinder and
Nova say now, through the user's own scoped clients: the backup must still
be available, an existing target must be an available volume of the
project, big enough, and named in an explicit confirmation; a new volume
must fit the backup and the quota. Only then does the workflow start.

What was typed reaches the workflow exactly as typed, or is refused with a
message stating the limit: the new volume's name and size are filled in
before the form is shown, never made up after it is sent.
"""
import logging
import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from horizon import forms
from horizon import messages

from backup_dashboard import api
from backup_dashboard.dashboards.common import backup_point
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import fields

LOG = logging.getLogger(__name__)

DEVICE_RE = re.compile(r'^/dev/[a-z][a-z0-9]{1,15}$')
DEVICE_MAX = len('/dev/') + 16      # the longest DEVICE_RE matches
TARGETS = (('new', _("A new volume")),
           ('existing', _("An existing volume (its data is overwritten)")))
# Fields of one target only: with the other target chosen they are hidden
# and not sent, so their errors would show nowhere.
NEW_FIELDS = ('name', 'size', 'volume_type', 'availability_zone')


def unreadable(text, error):
    """`text` with the reason it names in plain words.

    `text` ('... cannot be read: %s') with the reason in plain words, or only
    the plain "was not found" when that is the reason.
    """
    if api.errors.is_not_found(error):
        return api.errors.explain(error)
    return text % api.errors.explain(error)


def volume_label(volume):
    name = getattr(volume, 'name', None) or volume.id
    return _('%(name)s (%(size)s GB, %(status)s)') % {
        'name': name, 'size': volume.size, 'status': volume.status}


class OptionsSelect(forms.Select):
    """A select whose options carry data attributes, some disabled.

    A select whose options carry data attributes, some disabled (the server
    refuses them anyway: this only says why sooner).
    """

    def __init__(self, *args, **kwargs):
        self.option_attrs = {}
        super().__init__(*args, **kwargs)

    def create_option(self, name, value, label, selected, index,
                      subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index,
                                       subindex=subindex, attrs=attrs)
        option['attrs'].update(self.option_attrs.get(str(value), {}))
        return option


class RestoreForm(forms.SelfHandlingForm):
    backup_id = forms.ChoiceField(label=_("Restore point"),
                                  widget=forms.RadioSelect())
    target = forms.ChoiceField(label=_("Restore to"), choices=TARGETS,
                               initial='new', widget=forms.RadioSelect())
    name = fields.LimitedCharField(label=_("New volume name"),
                                   limit=api.storage.VOLUME_NAME_MAX,
                                   required=False)
    volume_type = forms.ChoiceField(label=_("Volume type"), required=False)
    availability_zone = forms.ChoiceField(label=_("Availability zone"),
                                          required=False)
    size = forms.IntegerField(label=_("Size (GB)"), required=False)
    volume_id = forms.ChoiceField(label=_("Existing volume"), required=False,
                                  widget=OptionsSelect())
    confirm_overwrite = forms.CharField(required=False,
                                        widget=forms.HiddenInput())
    server_id = forms.ChoiceField(label=_("Attach to instance"),
                                  required=False)
    device = fields.LimitedCharField(
        label=_("Device name"), required=False, limit=DEVICE_MAX,
        help_text=_("For example /dev/vdb. Empty: Nova chooses."))

    def __init__(self, request, *args, **kwargs):
        self.page = kwargs.pop('page')
        super().__init__(request, *args, **kwargs)
        page = self.page
        self.fields['backup_id'].choices = [
            (p.id, p.name) for p in page.points if p.restorable]
        self.fields['volume_type'].choices = [('', _("Default type"))] + [
            (t.name, t.name) for t in page.volume_types]
        self.fields['availability_zone'].choices = [
            ('', _("Any zone"))] + [(z, z) for z in page.zones]
        self._volume_choices(page)
        self.fields['server_id'].choices = [('', _("Do not attach"))] + [
            (s.id, '%s (%s)' % (s.name, s.status)) for s in page.servers]
        # The browser's own check too (restore.js follows the chosen point).
        self.fields['size'].widget.attrs.update(
            min=self._smallest(page), max=api.storage.VOLUME_SIZE_MAX)

    @staticmethod
    def _smallest(page):
        return min([p.size for p in page.points if p.restorable] or [1])

    def _volume_choices(self, page):
        field = self.fields['volume_id']
        smallest = self._smallest(page)
        choices = [('', _("Choose a volume"))]
        for volume in page.volumes:
            label = volume_label(volume)
            attrs = {'data-size': str(volume.size),
                     'data-status': volume.status,
                     'data-name': getattr(volume, 'name', None) or volume.id}
            if volume.status != 'available':
                attrs['disabled'] = 'disabled'
                label += ' - ' + str(_("not available: detach it first")
                                     if volume.status == 'in-use' else
                                     _("not available"))
            elif volume.size < smallest:
                attrs['disabled'] = 'disabled'
                label += ' - ' + str(_("too small"))
            choices.append((volume.id, label))
            field.widget.option_attrs[volume.id] = attrs
        field.choices = choices

    # -- checks, each against what the services say now ------------------

    def clean(self):
        data = super().clean()
        if data.get('target') == 'existing':
            for name in NEW_FIELDS:
                self._errors.pop(name, None)
                data.pop(name, None)
        if self.errors:
            return data
        try:
            backup = api.storage.backup_get_own(self.request,
                                                data['backup_id'])
        except Exception as error:
            self.add_error('backup_id', unreadable(
                _('This backup cannot be read any more: %s'), error))
            return data
        if backup.status != 'available':
            self.add_error('backup_id', _('This backup is %s now; only an '
                                          'available backup can be '
                                          'restored.') % backup.status)
            return data
        self.backup = backup
        if data['target'] == 'new':
            self._clean_new(data, backup)
        else:
            self._clean_existing(data, backup)
        self._clean_attach(data)
        return data

    def _clean_new(self, data, backup):
        if not (data.get('name') or '').strip():
            self.add_error('name', ngettext(
                'Enter a name for the new volume (at most %d character).',
                'Enter a name for the new volume (at most %d characters).',
                api.storage.VOLUME_NAME_MAX) % api.storage.VOLUME_NAME_MAX)
        size = data.get('size')
        limits = {'min': backup.size, 'max': api.storage.VOLUME_SIZE_MAX}
        if size is None:
            self.add_error('size', _(
                'Enter the size of the new volume in GB: from %(min)s (the '
                'size of the backup) to %(max)s.') % limits)
            return
        if not backup.size <= size <= api.storage.VOLUME_SIZE_MAX:
            self.add_error('size', _(
                'The new volume must be at least as big as the backup: '
                '%(min)s GB (and at most %(max)s GB).') % limits)
            return
        room = self.page.room or {}
        if room.get('volumes') is not None and room['volumes'] < 1:
            self.add_error(None, _('Your project\'s volume quota is used '
                                   'up: delete a volume or restore into an '
                                   'existing one.'))
        elif room.get('gigabytes') is not None and \
                room['gigabytes'] < size:
            self.add_error('size', _('Your project\'s volume quota has '
                                     '%(left)s GB left; the new volume '
                                     'needs %(size)s GB.') % {
                'left': room['gigabytes'], 'size': size})

    def _clean_existing(self, data, backup):
        volume_id = data.get('volume_id')
        if not volume_id:
            self.add_error('volume_id', _('Choose the volume to restore '
                                          'into.'))
            return
        try:
            volume = api.storage.volume_get_own(self.request, volume_id)
        except Exception as error:
            self.add_error('volume_id', unreadable(
                _('This volume cannot be read: %s'), error))
            return
        self.target_volume = volume
        name = getattr(volume, 'name', None) or volume.id
        if volume.status != 'available':
            reason = _('Volume %(name)s is %(status)s; only an available '
                       '(detached) volume can be restored into.')
            if volume.status == 'in-use':
                reason = _('Volume %(name)s is in use (attached to an '
                           'instance); detach it first, or restore to a '
                           'new volume.')
            self.add_error('volume_id', reason % {'name': name,
                                                  'status': volume.status})
            return
        if volume.size < backup.size:
            self.add_error('volume_id', _(
                'Volume %(name)s (%(size)s GB) is too small for the backup '
                '(%(backup)s GB).') % {'name': name, 'size': volume.size,
                                       'backup': backup.size})
            return
        if data.get('confirm_overwrite') != volume.id:
            self.confirm_needed = volume
            created = backup_point.local_time(
                getattr(volume, 'created_at', None),
                display.viewer_zone(self.request))
            self.add_error('confirm_overwrite', _(
                'Restoring into volume %(name)s (%(size)s GB, created '
                '%(created)s, id %(id)s) replaces everything on it with the '
                'backup\'s data. Tick the confirmation to go ahead.') % {
                'name': name, 'size': volume.size, 'id': volume.id,
                'created': created})

    def _clean_attach(self, data):
        server_id = data.get('server_id')
        device = data.get('device') or ''
        if not server_id:
            if device:
                self.add_error('device', _('Choose the instance to attach '
                                           'to, or leave the device name '
                                           'empty.'))
            return
        try:
            server = api.compute.server_get_own(self.request, server_id)
        except Exception as error:
            self.add_error('server_id', unreadable(
                _('This instance cannot be read: %s'), error))
            return
        if server.status not in api.compute.ATTACHABLE_STATUSES:
            self.add_error('server_id', _(
                'Instance %(name)s is %(status)s; a volume can be attached '
                'when it is active, paused, shut off or shelved.') % {
                'name': server.name, 'status': server.status})
        if device and not DEVICE_RE.match(device):
            self.add_error('device', _('A device name looks like /dev/vdb '
                                       '(or leave it empty).'))

    # -- start ------------------------------------------------------------

    def handle(self, request, data):
        try:
            execution = api.restores.restore_start(
                request, data['backup_id'], data['target'],
                volume_id=data.get('volume_id'), name=data.get('name'),
                volume_type=data.get('volume_type'),
                availability_zone=data.get('availability_zone'),
                size=data.get('size'), server_id=data.get('server_id'),
                device=data.get('device'))
        except Exception as error:
            # Shown in the form, which keeps every value entered.
            LOG.info('Restore not started: %s', error)
            self.api_error(_('The restore could not be started: %s')
                           % api.errors.explain(error))
            return False
        messages.info(request, _('The restore of backup %s was started.')
                      % (getattr(self.backup, 'name', None) or
                         self.backup.id))
        return execution

    @staticmethod
    def success_url(execution):
        return reverse('horizon:project:backup_restore:progress',
                       args=[execution.id])
