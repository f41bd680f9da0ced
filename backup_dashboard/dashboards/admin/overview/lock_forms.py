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

"""Set or clear a retention lock: the cloud default's or one project's.

What the admin types is stored as typed or refused with its limit
(``governance.validate``). Each write reads the governance variables again
right before writing and changes only the one lock
(``governance.with_lock``), so the other projects' locks and any other key
are kept; when they cannot be read nothing is written. Lowering or
removing a lock (the direction that lets rotation delete more) needs an
explicit tick, refused with the current and the new values until it is
given; a lock someone changed since the form was shown is not overwritten.
"""
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from backup_dashboard import api
from backup_dashboard import errors
from backup_dashboard import governance

LOG = logging.getLogger(__name__)

UNREADABLE = _('The retention locks cannot be read right now (%s); '
               'nothing was changed.')


def level(variables, project_id):
    """The lock set at this level: the project's own, or the default."""
    if project_id is None:
        return governance.default_lock(variables)
    return governance.project_locks(variables).get(project_id)


def effective(variables, project_id):
    """The lock that applies here: a project's own, else the default."""
    if project_id is None:
        return governance.default_lock(variables)
    return governance.lock_for(variables, project_id)


def stamp(lock):
    """The values of `lock` as the form carries them ('' for none)."""
    if lock is None:
        return ''
    return '%s:%s' % (lock.count or '', lock.days or '')


def describe(lock):
    """A lock in words, saying where it comes from."""
    if lock is None:
        return str(_("no lock"))
    if lock.source == governance.PROJECT:
        return str(_('%s (its own lock)')) % lock.text()
    return str(_('%s (the cloud default)')) % lock.text()


def lowering(before, after, project_id):
    """Whether going from `before` to `after` variables needs the tick.

    It does when the lock at this level is removed, or when the lock that
    applies keeps less (a project's own lock below the default counts).
    """
    removed = level(before, project_id) is not None and \
        level(after, project_id) is None
    return removed or bool(governance.lowered(
        effective(before, project_id), effective(after, project_id)))


class LockForm(forms.SelfHandlingForm):
    count = forms.CharField(
        label=_("Full backups kept, at least"), required=False,
        max_length=12,
        help_text=_("Rotation keeps at least this many newest full backups "
                    "with their incrementals, whatever a schedule asks. "
                    "1 to %d, or empty.") % governance.COUNT_MAX)
    days = forms.CharField(
        label=_("Days every backup is kept, at least"), required=False,
        max_length=12,
        help_text=_("Rotation deletes no backup younger than this, "
                    "whatever a schedule asks. 1 to %d, or empty.")
        % governance.DAYS_MAX)
    # The values the admin saw: a lock changed since is not overwritten.
    shown = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(
        label=_("I confirm lowering or removing this lock"), required=False,
        help_text=_("Needed only when the change lets rotation delete "
                    "more."))

    def __init__(self, request, *args, **kwargs):
        # None: the cloud default; else an object with id and name.
        self.project = kwargs.pop('project', None)
        super().__init__(request, *args, **kwargs)
        self.unreadable = False
        self.judged = None

    @property
    def project_id(self):
        return self.project.id if self.project is not None else None

    def _clean_limit(self, field):
        value = self.cleaned_data.get(field)
        try:
            if field == 'count':
                return governance.validate(value, None)[0]
            return governance.validate(None, value)[1]
        except errors.InputError as error:
            raise ValidationError(str(error))

    def clean_count(self):
        return self._clean_limit('count')

    def clean_days(self):
        return self._clean_limit('days')

    def _read(self, request):
        try:
            return api.governance.variables(request)
        except Exception as error:
            LOG.info('Retention locks unreadable', exc_info=True)
            self.unreadable = True
            self.api_error(UNREADABLE % api.errors.reason(error))
            return None

    def _reshow(self, current):
        """Show the form again with the values stored now, unticked."""
        self.data = self.data.copy()
        self.data['shown'] = stamp(current)
        self.data.pop('confirm', None)

    def _where(self):
        if self.project is None:
            return str(_("the cloud default"))
        return str(_('project %s')) % self.project.name

    def handle(self, request, data):
        pid = self.project_id
        fresh = self._read(request)
        if fresh is None:
            return False
        self.judged = fresh
        current = level(fresh, pid)
        if stamp(current) != (data.get('shown') or ''):
            self._reshow(current)
            self.api_error(_(
                'The retention lock of %(where)s was changed meanwhile: it '
                'is now %(now)s. Check the values and send them again.') % {
                'where': self._where(), 'now': describe(current)})
            return False
        new = governance.with_lock(fresh, pid, data['count'], data['days'])
        old_lock, new_lock = effective(fresh, pid), effective(new, pid)
        if lowering(fresh, new, pid) and not data.get('confirm'):
            self.add_error('confirm', _(
                'This lowers or removes the retention lock of %(where)s: '
                'now %(old)s, after this change %(new)s. Tick the box to '
                'confirm.') % {'where': self._where(),
                               'old': describe(old_lock),
                               'new': describe(new_lock)})
            return False
        try:
            api.governance.save_variables(request, new)
        except Exception as error:
            LOG.info('Retention lock not saved', exc_info=True)
            self.api_error(_('The retention lock was not saved: %s') %
                           api.errors.explain(error))
            return False
        LOG.info('Retention lock of %s set by %s: %s -> %s',
                 pid or 'the cloud default', request.user.username,
                 stamp(level(fresh, pid)) or 'none',
                 stamp(level(new, pid)) or 'none')
        messages.success(request, _(
            'Retention lock of %(where)s saved: now %(new)s (was %(old)s).')
            % {'where': self._where(), 'new': describe(new_lock),
               'old': describe(old_lock)})
        return True
