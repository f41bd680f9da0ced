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

"""Configure one instance's backups.

Its schedules (Nova tags) and which of its volumes opt out (Cinder volume
metadata).

Every rule is checked before anything is changed; changes are then applied
one by one and, should one fail, the ones already made are undone. The user
is told exactly what happened, including when an undo failed too. A value
the form does not offer (a schedule deleted meanwhile, a volume no longer
attached) is refused with the reason, never left out without a word.
"""
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from backup_dashboard.api import compute
from backup_dashboard.api import errors
from backup_dashboard.api import mistral
from backup_dashboard.api import storage
from backup_dashboard.dashboards.project.instances import status
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)

INSTANCE_GONE = _('This instance no longer exists (it was deleted '
                  'meanwhile). Nothing was changed.')
STATUS_NAMES = {'ACTIVE': _('Active'), 'PAUSED': _('Paused'),
                'SUSPENDED': _('Suspended'), 'SHUTOFF': _('Shut Off')}


class AnyMultipleChoiceField(forms.MultipleChoiceField):
    """A choice field that also accepts values no longer offered.

    Accepts values that are no longer offered, so that the form can say *why*
    (a schedule deleted meanwhile) instead of "not a valid choice".
    """

    def valid_value(self, value):
        return True


class ConfigureBackupsForm(forms.SelfHandlingForm):
    schedules = AnyMultipleChoiceField(
        label=_("Schedules"), required=False,
        widget=forms.CheckboxSelectMultiple(),
        help_text=_("The instance is backed up by every schedule ticked "
                    "here: each adds the tag backup:NAME to the instance."))
    skip_volumes = AnyMultipleChoiceField(
        label=_("Do not back up these volumes"), required=False,
        widget=forms.CheckboxSelectMultiple(),
        help_text=_("Every attached volume is backed up unless ticked here "
                    "(volume metadata backup_dashboard:skip)."))
    # Set when the form was shown without the schedule list (Mistral
    # unreachable): browsers do not send disabled checkboxes, so the posted
    # form then means "leave the schedules as they are".
    schedules_locked = forms.CharField(required=False,
                                       widget=forms.HiddenInput())

    def __init__(self, request, *args, **kwargs):
        self.server = kwargs.pop('server')
        self.schedule_list = kwargs.pop('schedules')
        self.schedules_error = kwargs.pop('schedules_error', None)
        self.volumes = kwargs.pop('volumes')
        self.zone = kwargs.pop('zone', 'UTC')
        super().__init__(request, *args, **kwargs)
        self.changes = []
        self.current = (status.schedule_names(self.server)
                        if self.server is not None else [])
        self._setup_schedules()
        self._setup_volumes()

    # -- the fields ----------------------------------------------------------

    def _setup_schedules(self):
        field = self.fields['schedules']
        if self.schedule_list is None:
            # Mistral unreachable: show the current assignment, change none.
            field.choices = [(n, n) for n in self.current]
            if not self.is_bound:
                field.disabled = True
                self.fields['schedules_locked'].initial = '1'
            field.help_text = _("The schedules cannot be listed right now, "
                                "so they cannot be changed.")
        else:
            known = {s.name for s in self.schedule_list}
            field.choices = [(s.name, self._summary(s))
                             for s in self.schedule_list] + [
                (n, _('%s (no such schedule: untick to remove its tag)') % n)
                for n in self.current if n not in known]
        field.initial = list(self.current)

    def _summary(self, schedule):
        from backup_dashboard.dashboards.common import display
        return _('%(name)s: %(when)s; keeps %(keeps)s; next run '
                 '%(next)s') % {
            'name': schedule.name, 'when': schedule.describe(),
            'keeps': schedule.retention_text(),
            'next': display.local_text(schedule.next_run, self.zone)}

    def _setup_volumes(self):
        field = self.fields['skip_volumes']
        readable = [v for v in self.volumes if v['volume'] is not None]
        field.choices = [(v['id'], v['label']) for v in readable]
        field.initial = [v['id'] for v in readable if v['skip']]
        if not self.volumes:
            field.widget = forms.HiddenInput()
            field.help_text = ''

    # -- validation ----------------------------------------------------------

    def clean(self):
        data = super().clean()
        if self.server is None:
            raise ValidationError(INSTANCE_GONE)
        self.changes = self._tag_changes(data) + self._volume_changes(data)
        return data

    def _tag_changes(self, data):
        wanted = list(dict.fromkeys(data.get('schedules') or []))
        if self.fields['schedules'].disabled or data.get('schedules_locked'):
            wanted = list(self.current)
        add = [n for n in wanted if n not in self.current]
        remove = [n for n in self.current if n not in wanted]
        if not add and not remove:
            return []
        if self.schedule_list is None:
            raise ValidationError('%s %s' % (
                self.schedules_error or mistral.UNREACHABLE,
                _('Nothing was changed.')))
        known = {s.name for s in self.schedule_list}
        gone = [n for n in add if n not in known]
        if gone:
            raise ValidationError(_(
                'Schedule "%s" no longer exists (it was deleted meanwhile). '
                'Untick it, or create it again. Nothing was changed.')
                % '", "'.join(gone))
        for name in add:
            tag = domain.tag_for(name)
            if len(tag) > domain.NOVA_TAG_MAX or '/' in tag or ',' in tag:
                raise ValidationError(_(
                    'Schedule "%s" cannot be used: its tag would be longer '
                    'than Nova allows (60 characters) or contain "/" or ",". '
                    'Nothing was changed.') % name)
        state = (getattr(self.server, 'status', '') or '').upper()
        if state not in compute.TAGGABLE_STATUSES:
            raise ValidationError(_(
                'Nova changes instance tags only while the instance is '
                'Active, Paused, Suspended or Shut Off; this one is '
                '%(status)s. Wait until it is in one of those states and try '
                'again. Nothing was changed.') % {
                    'status': state.replace('_', ' ').title() or '?'})
        tags = status.tags(self.server)
        total = len(tags) - len(remove) + len(add)
        if total > compute.MAX_TAGS:
            raise ValidationError(_(
                'Nova allows at most %(max)d tags on an instance. This one '
                'has %(has)d, and this change would make %(total)d. Remove '
                'some of its other tags first, or tick fewer schedules. '
                'Nothing was changed.') % {'max': compute.MAX_TAGS,
                                           'has': len(tags), 'total': total})
        server_id = self.server.id
        changes = []
        for name in add:
            changes.append(Change(
                _('added to schedule "%s"') % name,
                compute.server_add_tag, compute.server_delete_tag,
                (server_id, domain.tag_for(name))))
        for name in remove:
            changes.append(Change(
                _('removed from schedule "%s"') % name,
                compute.server_delete_tag, compute.server_add_tag,
                (server_id, domain.tag_for(name))))
        return changes

    def _volume_changes(self, data):
        wanted = set(data.get('skip_volumes') or [])
        offered = {v['id'] for v in self.volumes if v['volume'] is not None}
        stray = sorted(wanted - offered)
        if stray:
            raise ValidationError(_(
                'Volume "%s" is not attached to this instance (any more), '
                'or cannot be read now: untick it. Nothing was changed.')
                % '", "'.join(stray))
        changes = []
        for volume in self.volumes:
            if volume['volume'] is None:
                continue
            skip = volume['id'] in wanted
            if skip == volume['skip']:
                continue
            text = (_('volume %s opted out') if skip else
                    _('volume %s backed up again')) % volume['name']
            changes.append(Change(
                text, lambda request, vid, value: storage.volume_set_skip(
                    request, vid, value),
                lambda request, vid, value: storage.volume_set_skip(
                    request, vid, not value),
                (volume['id'], skip)))
        return changes

    # -- saving --------------------------------------------------------------

    def handle(self, request, data):
        name = getattr(self.server, 'name', None) or self.server.id
        if not self.changes:
            messages.info(request, _('Nothing to change for instance '
                                     '"%s".') % name)
            return True
        done = []
        for change in self.changes:
            try:
                change.apply(request)
            except Exception as error:
                LOG.info('Configure backups of %s: %s failed: %s',
                         self.server.id, change.text, error)
                self.api_error(self._failure(request, change, error, done))
                return False
            done.append(change)
        messages.success(request, _('Backups of instance "%(name)s": '
                                    '%(what)s.') % {
            'name': name, 'what': '; '.join(str(c.text) for c in done)})
        return True

    def _failure(self, request, change, error, done):
        reason = errors.reason(error)
        undone, stuck = [], []
        for previous in reversed(done):
            try:
                previous.revert(request)
                undone.append(previous)
            except Exception as undo_error:
                LOG.warning('Undoing "%s" failed: %s', previous.text,
                            undo_error)
                stuck.append(previous)
        if not stuck:
            return _('Could not save (failed step: %(what)s): %(reason)s. '
                     'Nothing was changed.') % {'reason': reason,
                                                'what': change.text}
        return _('Could not save (failed step: %(what)s): %(reason)s. '
                 'Partly applied, and could not be undone: %(stuck)s. The '
                 'rest was not changed. Open the form again to see the '
                 'current state.') % {
            'reason': reason, 'what': change.text,
            'stuck': '; '.join(str(c.text) for c in stuck)}


class Change(object):
    """One API call that changes something, and the call that undoes it."""

    def __init__(self, text, do, undo, args):
        self.text, self._do, self._undo, self._args = text, do, undo, args

    def apply(self, request):
        self._do(request, *self._args)

    def revert(self, request):
        self._undo(request, *self._args)
