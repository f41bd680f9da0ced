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

"""Publish a schedule template; set or clear a project's (or the default's)
bounds.

What the admin types is stored as typed or refused with its limit
(``guardrails.check_template``, ``guardrails.validate_bounds``). Each write
reads the governance variables again right before writing and changes only
the one template or the one project's bounds, so the locks and everything
else are kept; when they cannot be read nothing is written. A template is
never replaced: one of the same name is refused (delete it first). Bounds
someone changed since the form was shown are not overwritten.
"""
import logging

from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from backup_dashboard import api
from backup_dashboard.clock import cron as clock
from backup_dashboard import conf
from backup_dashboard import errors
from backup_dashboard import guardrails
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)

UNREADABLE = _('The schedule templates and bounds cannot be read right now '
               '(%s); nothing was changed.')
MODES = [(m, m) for m in domain.MODES]
# A template's fields, as guardrails' refusals name them.
FIELD_OF = {'pattern': 'pattern', 'timezone': 'zone', 'name': 'name',
            'mode': 'mode', 'max_full': 'max_full',
            'max_incremental': 'max_incremental', 'projects': 'projects'}


def _read(form, request):
    try:
        return api.governance.variables(request)
    except Exception as error:
        LOG.info('Governance variables unreadable', exc_info=True)
        form.api_error(UNREADABLE % api.errors.reason(error))
        return None


def _save(form, request, new, what):
    try:
        api.governance.save_variables(request, new)
    except Exception as error:
        LOG.info('%s not saved', what, exc_info=True)
        form.api_error(_('The change was not saved: %s') %
                       api.errors.explain(error))
        return False
    return True


class TemplateForm(forms.SelfHandlingForm):
    name = forms.CharField(
        label=_("Name"), max_length=guardrails.NAME_MAX,
        help_text=_("Shown to users in the schedule form, e.g. Daily, keep "
                    "14."))
    pattern = forms.CharField(
        label=_("Cron pattern"), max_length=100,
        help_text=_("Five fields: minute hour day month weekday."))
    zone = forms.CharField(
        label=_("Time zone"), required=False, max_length=64,
        help_text=_("Empty: read in the zone the user picks."))
    mode = forms.ChoiceField(label=_("Backups"), choices=MODES)
    max_full = forms.IntegerField(label=_("Full backups to keep"),
                                  min_value=domain.FULL_RANGE[0],
                                  max_value=domain.FULL_RANGE[1])
    max_incremental = forms.IntegerField(
        label=_("Incrementals per full"),
        min_value=domain.INCREMENTAL_RANGE[0],
        max_value=domain.INCREMENTAL_RANGE[1])
    projects = forms.MultipleChoiceField(
        label=_("Visible to"), required=False,
        help_text=_("None chosen: every project."))

    def __init__(self, request, *args, **kwargs):
        projects = kwargs.pop('projects', [])
        super().__init__(request, *args, **kwargs)
        self.fields['projects'].choices = [(p.id, p.name) for p in projects]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.template = guardrails.check_template(guardrails.Template(
                data['name'], data['pattern'], data.get('zone') or None,
                data['mode'], data['max_full'], data['max_incremental'],
                tuple(data.get('projects') or ())))
            # A template no schedule form would accept helps nobody.
            clock.check_pattern(data['pattern'], conf.get(
                'BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES'))
        except errors.InputError as error:
            self.add_error(FIELD_OF.get(error.field), str(error))
        return data

    def handle(self, request, data):
        fresh = _read(self, request)
        if fresh is None:
            return False
        if guardrails.template_named(fresh, self.template.name):
            self.add_error('name', _('A template of this name exists: '
                                     'delete it first to publish it '
                                     'again.'))
            return False
        if not _save(self, request, guardrails.with_template(
                fresh, self.template), 'Template'):
            return False
        LOG.info('Schedule template %r published by %s', self.template.name,
                 request.user.username)
        messages.success(request, _('Template "%s" published.') %
                         self.template.name)
        return True


def stamp(bounds):
    """The values of `bounds` as the form carries them ('' for none)."""
    if bounds is None:
        return ''
    return ':'.join(str(getattr(bounds, f) or '')
                    for f in guardrails.BOUND_FIELDS)


def level(variables, project_id):
    """The bounds set at this level: the project's own, or the default."""
    if project_id is None:
        return guardrails.default_bounds(variables)
    return guardrails.project_bounds(variables).get(project_id)


class BoundsForm(forms.SelfHandlingForm):
    min_interval_minutes = forms.CharField(
        label=_("Shortest interval between runs (minutes)"),
        required=False, max_length=12)
    min_full = forms.CharField(label=_("Full backups kept, at least"),
                               required=False, max_length=12)
    max_full = forms.CharField(label=_("Full backups kept, at most"),
                               required=False, max_length=12)
    max_gb_per_run = forms.CharField(
        label=_("GB backed up per run, at most"), required=False,
        max_length=12, help_text=_("Judged on the volumes assigned when "
                                   "the schedule is saved."))
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, request, *args, **kwargs):
        # None: the cloud default; else an object with id and name.
        self.project = kwargs.pop('project', None)
        super().__init__(request, *args, **kwargs)

    @property
    def project_id(self):
        return self.project.id if self.project is not None else None

    def where(self):
        if self.project is None:
            return str(_("the cloud default"))
        return str(_('project %s')) % self.project.name

    def clean(self):
        data = super().clean()
        try:
            self.bounds = guardrails.validate_bounds(data)
        except errors.InputError as error:
            self.add_error(error.field, str(error))
        return data

    def handle(self, request, data):
        fresh = _read(self, request)
        if fresh is None:
            return False
        current = level(fresh, self.project_id)
        if stamp(current) != (data.get('shown') or ''):
            self.data = self.data.copy()
            self.data['shown'] = stamp(current)
            self.api_error(_(
                'The bounds of %(where)s were changed meanwhile: they are '
                'now %(now)s. Check the values and send them again.') % {
                'where': self.where(),
                'now': current.text() if current else _('no bounds')})
            return False
        new = guardrails.with_bounds(fresh, self.project_id, self.bounds)
        if not _save(self, request, new, 'Bounds'):
            return False
        after = level(new, self.project_id)
        LOG.info('Schedule bounds of %s set by %s: %s -> %s',
                 self.project_id or 'the cloud default',
                 request.user.username, stamp(current) or 'none',
                 stamp(after) or 'none')
        messages.success(request, _('Bounds of %(where)s saved: now '
                                    '%(now)s.') % {
            'where': self.where(),
            'now': after.text() if after else _('no bounds')})
        return True
