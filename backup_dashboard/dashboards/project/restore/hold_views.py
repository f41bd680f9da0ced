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

"""Place or release a legal hold on one backup or on a whole restore point.

A point's hold is its members' holds, each kept in its backup's metadata
(``backup_dashboard.holds``). The backups are read from the project's own
(ids in the URL are never trusted beyond that), each is checked against the
protection rules again when the form is sent, and the user is told which
backups changed and which did not, and why.
"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import messages
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.clock import cron as clock
from backup_dashboard.dashboards.common import backup_point
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import protection
from backup_dashboard.dashboards.project.restore import instance_points
from backup_dashboard.dashboards.project.restore import page as restore_page
from backup_dashboard import errors
from backup_dashboard import holds
from backup_dashboard import texts

HOLD, RELEASE = 'hold', 'release'
RULES = {HOLD: protection.why_not_holdable,
         RELEASE: protection.why_not_releasable}
CHANGE = {HOLD: holds.placed, RELEASE: holds.released}


class HoldForm(forms.SelfHandlingForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, strip=False,
        help_text=_("Kept with each backup, with your name and the time "
                    "(at most %d characters).") % holds.REASON_MAX)

    def __init__(self, request, *args, **kwargs):
        self.action = kwargs.pop('action')
        self.backups = kwargs.pop('backups')
        super().__init__(request, *args, **kwargs)

    def clean_reason(self):
        try:
            return texts.validate_reason(self.cleaned_data.get('reason'))
        except errors.InputError as error:
            raise ValidationError(str(error))

    def clean(self):
        data = super().clean()
        if not any(RULES[self.action](self.request, b) is None
                   for b in self.backups):
            raise ValidationError(refusals(self.request, self.action,
                                           self.backups) or
                                  _('There is nothing to change.'))
        return data

    def handle(self, request, data):
        done, failed = [], []
        for backup in self.backups:
            if RULES[self.action](request, backup) is not None:
                continue
            metadata = CHANGE[self.action](
                api.storage.backup_metadata(backup), data['reason'],
                request.user.username, clock.now())
            try:
                api.storage.backup_set_metadata(request, backup.id, metadata)
            except Exception as error:
                failed.append('%s (%s)' % (restore_page.name_of(backup),
                                           api.errors.reason(error)))
                continue
            done.append(restore_page.name_of(backup))
        if done:
            messages.success(request, (
                _('On legal hold: %s.') if self.action == HOLD else
                _('Hold released: %s.')) % ', '.join(done))
        if failed:
            messages.error(request, (
                _('Not held: %s.') if self.action == HOLD else
                _('Hold not released: %s.')) % ', '.join(failed))
        return bool(done)


def refusals(request, action, backups):
    """'name: why' for each backup the action cannot change, one text."""
    found = ['%s: %s' % (restore_page.name_of(b), why) for b, why in
             ((b, RULES[action](request, b)) for b in backups) if why]
    return '; '.join(found)


class _HoldView(forms.ModalFormView):
    form_class = HoldForm
    template_name = 'backup_dashboard/restore/hold.html'
    modal_id = 'backup_hold_modal'
    form_id = 'backup_hold_form'

    @property
    def action(self):
        return self.kwargs['action']

    @property
    def page_title(self):
        return _("Place a legal hold") if self.action == HOLD else \
            _("Release a legal hold")

    @property
    def modal_header(self):
        return self.page_title

    @property
    def submit_label(self):
        return _("Place hold") if self.action == HOLD else \
            _("Release hold")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(action=self.action, backups=self.get_backups())
        return kwargs

    def get_success_url(self):
        return self.back_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        zone = display.viewer_zone(self.request)
        rows = []
        for backup in self.get_backups():
            row = backup_point.point(backup, zone)
            rows.append({'point': row, 'hold': row.hold,
                         'log': holds.log_of(
                             api.storage.backup_metadata(backup)),
                         'refusal': RULES[self.action](self.request,
                                                       backup)})
        context.update({'rows': rows, 'action': self.action,
                        'cancel_url': self.back_url(),
                        'submit_url': self.request.path})
        return context


class BackupHoldView(_HoldView):
    """One backup, from its volume's history."""

    @memoized.memoized
    def get_backups(self):
        backup_id = self.kwargs['backup_id']
        try:
            return [api.storage.backup_get_own(self.request, backup_id)]
        except Exception:
            api.errors.handle(self.request, _('Unable to read backup %s.')
                              % backup_id,
                              redirect=restore_page.index_url())

    def back_url(self):
        return restore_page.index_url(
            volume_id=self.get_backups()[0].volume_id)


class PointHoldView(_HoldView):
    """Every backup of one instance's restore point."""

    @memoized.memoized
    def get_backups(self):
        server_id, run_id = self.kwargs['server_id'], self.kwargs['run_id']
        try:
            point = next((p for p in instance_points.of_server(
                api.storage.project_backups(self.request), server_id)
                if p.run == run_id), None)
            if point is None:
                raise exceptions.NotFound(_(
                    'Restore point %(run)s of instance %(server)s was not '
                    'found.') % {'run': run_id, 'server': server_id})
        except Exception:
            api.errors.handle(self.request, _('Unable to read the restore '
                                              'point.'),
                              redirect=self.back_url())
        return [m.backup for m in point.members]

    def back_url(self):
        return restore_page.index_url(server_id=self.kwargs['server_id'])
