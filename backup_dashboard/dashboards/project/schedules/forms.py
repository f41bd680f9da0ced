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

"""Create / edit a backup schedule.

The user picks a preset or types a cron pattern, read in the time zone the
form asks for (their own by default); the form stores exactly that pattern
and zone, checks every rule of ``backup_dashboard.schedule``, forecasts the
backup quota, asks before an edit makes the next run delete backups the
stored settings keep (``consequences``), and saves through the api layer
(edit = delete + create, rolled back on failure). The UTC pattern Mistral
holds is worked out by ``backup_dashboard.clock`` and never shown as the
schedule's own.
"""
import logging

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from horizon import exceptions
from horizon import forms
from horizon import messages

from backup_dashboard import api
from backup_dashboard.clock import cron as clock
from backup_dashboard.clock import plans
from backup_dashboard import conf
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import fields
from backup_dashboard.dashboards.project.schedules import consequences
from backup_dashboard.dashboards.project.schedules import drill_fields
from backup_dashboard.dashboards.project.schedules import template_fields
from backup_dashboard import errors
from backup_dashboard import governance
from backup_dashboard import retention
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)

KINDS = (('daily', _("Daily")), ('hourly', _("Hourly")),
         ('weekly', _("Weekly")), ('monthly', _("Monthly")),
         ('last', _("Monthly, on the last day")),
         ('cron', _("Cron pattern")))
# Which preset fields each kind reads (the rest are hidden by the form).
PRESET_FIELDS = {'hourly': ('minute',), 'daily': ('minute', 'hour'),
                 'weekly': ('minute', 'hour', 'weekday'),
                 'monthly': ('minute', 'hour', 'day'),
                 'last': ('minute', 'hour')}
WEEKDAYS = drill_fields.WEEKDAYS
MODES = (('rotation', _("Rotation: a full, then incrementals, then a new "
                        "full")),
         ('incremental', _("Incremental after the first full")),
         ('full', _("Full every time")))
IN_USE = (('snapshot', _("Snapshot the volume, back up the snapshot "
                         "(default)")),
          ('force', _("Back up the attached volume directly (force)")))
POINTS = (('volume', _("Per volume: each volume is snapshotted when its "
                       "backup starts (default)")),
          ('instance', _("Per instance: all of an instance's volumes are "
                         "snapshotted together first (crash-consistent)")))


def _switched(kinds, label, **attrs):
    attrs.update({'class': 'switched', 'data-switch-on': 'kind'})
    for kind in kinds:
        attrs['data-kind-%s' % kind] = label
    return attrs


def chosen_pattern(kind, values):
    """The pattern a user chose.

    The preset's, from the fields it reads (each required), or the cron pattern
    as typed. InputError otherwise.
    """
    if kind == 'cron':
        return values.get('cron') or ''
    if kind not in PRESET_FIELDS:
        raise errors.InputError(_('Choose how often it runs.'), 'kind')
    args = {}
    for field in PRESET_FIELDS[kind]:
        value = values.get(field)
        if value in (None, ''):
            raise errors.InputError(_('This field is required.'), field)
        try:
            args[field] = int(value)
        except (TypeError, ValueError):
            raise errors.InputError(_('Enter a whole number.'), field)
    return clock.preset(kind, **args)


def _whole(values, field, required=True):
    value = values.get(field)
    if value in (None, ''):
        if required:
            raise errors.InputError(_('This field is required.'), field)
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise errors.InputError(_('Enter a whole number.'), field)


def preview_schedule(values, name):
    """The schedule a form's raw values describe, for the live preview.

    Its retention checked (InputError), its times worked out when they are
    valid (else ``pattern`` stays None).
    """
    schedule = domain.Schedule(
        name=name, timezone=values.get('timezone') or 'UTC',
        mode=values.get('mode') or 'rotation',
        max_full=_whole(values, 'max_full'),
        max_incremental=_whole(values, 'max_incremental'),
        keep_days=_whole(values, 'keep_days', required=False))
    domain.validate_retention(schedule.mode, schedule.max_full,
                              schedule.max_incremental, schedule.keep_days)
    schedule.drill = _preview_drill(values)
    try:
        schedule.local_pattern = chosen_pattern(values.get('kind', 'daily'),
                                                values)
        return domain.validate_timing(
            schedule, conf.get('BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES'))
    except errors.InputError:
        return schedule


def _preview_drill(values):
    """What the drill fields ask for, as far as the forecast needs it.

    None while they are not valid: the form says why on save.
    """
    try:
        return drill_fields.settings_from(values).validate('UTC')
    except (errors.InputError, ValueError):
        return None


class ScheduleForm(forms.SelfHandlingForm):
    name = fields.LimitedCharField(
        label=_("Name"), limit=domain.NAME_MAX,
        # No quotes or angle brackets here: Horizon puts help text in a
        # title attribute.
        help_text=_("Instances join this schedule through the tag "
                    "backup:NAME. Letters, digits, spaces and . : @ + - _ "
                    "only."))
    description = fields.LimitedCharField(
        label=_("Description"), required=False, limit=domain.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={'rows': 2}))
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The schedule's times are read in this zone and kept "
                    "across its clock changes."))
    kind = forms.ChoiceField(
        label=_("Runs"), choices=KINDS, initial='daily',
        widget=forms.ThemableSelectWidget(
            attrs={'class': 'switchable', 'data-slug': 'kind'}))
    weekday = forms.ChoiceField(
        label=_("Day of the week"), choices=WEEKDAYS, required=False,
        widget=forms.ThemableSelectWidget(
            attrs=_switched(['weekly'], _("Day of the week"))))
    day = forms.IntegerField(
        label=_("Day of the month"), min_value=1, max_value=28,
        required=False, initial=1,
        widget=forms.NumberInput(
            attrs=_switched(['monthly'], _("Day of the month (1-28)"))))
    hour = forms.IntegerField(
        label=_("Hour"), min_value=0, max_value=23, required=False,
        initial=2,
        widget=forms.NumberInput(
            attrs=_switched(['daily', 'weekly', 'monthly', 'last'],
                            _("Hour (0-23)"))))
    minute = forms.IntegerField(
        label=_("Minute"), min_value=0, max_value=59, required=False,
        initial=0,
        widget=forms.NumberInput(
            attrs=_switched(['hourly', 'daily', 'weekly', 'monthly', 'last'],
                            _("Minute (0-59)"))))
    cron = fields.LimitedCharField(
        label=_("Cron pattern"), required=False, limit=plans.PATTERN_MAX,
        help_text=_("Five fields: minute hour day month weekday, read in "
                    "the schedule's time zone."),
        widget=forms.TextInput(
            attrs=_switched(['cron'], _("Cron pattern"),
                            placeholder='0 2 * * *')))
    mode = forms.ChoiceField(label=_("Backups"), choices=MODES,
                             initial='rotation')
    max_full = forms.IntegerField(
        label=_("Full backups to keep"), initial=2,
        min_value=domain.FULL_RANGE[0], max_value=domain.FULL_RANGE[1])
    max_incremental = forms.IntegerField(
        label=_("Incrementals per full"), initial=6,
        min_value=domain.INCREMENTAL_RANGE[0],
        max_value=domain.INCREMENTAL_RANGE[1])
    keep_days = forms.IntegerField(
        label=_("Also delete backups older than (days)"), required=False,
        min_value=domain.KEEP_DAYS_RANGE[0],
        max_value=domain.KEEP_DAYS_RANGE[1])
    in_use = forms.ChoiceField(label=_("Volumes in use"), choices=IN_USE,
                               initial='snapshot')
    points = forms.ChoiceField(
        # not sent (a client from before the field): per volume, as then
        label=_("Restore points"), choices=POINTS, initial='volume',
        required=False,
        help_text=_("Per instance: an instance's backups are of one "
                    "moment, as if it had lost power, and can be restored "
                    "together as a whole instance."))
    report_to = fields.LimitedCharField(
        label=_("E-mail a report to"), required=False, limit=2000,
        help_text=_("Addresses separated by commas or spaces."))
    accept_quota = forms.BooleanField(
        label=_("Save although the quota may not hold it"),
        required=False, widget=forms.HiddenInput())

    editing = False
    stored = None

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields.update(drill_fields.new_fields())
        # The admins' templates and bounds (guardrails), read once.
        self.guardrails = template_fields.read(request)
        template_fields.with_field(self.fields, template_fields.new_field(
            self.guardrails, request.user.tenant_id))
        zones = clock.zone_names()
        self.fields['timezone'].choices = [(z, z) for z in zones]
        viewer = display.viewer_zone(request)
        self.fields['timezone'].initial = viewer if viewer in zones \
            else 'UTC'
        self.forecast = None
        self.consequences = None
        if self.data.get('accept_quota') or self.data.get('show_quota'):
            self.fields['accept_quota'].widget = forms.CheckboxInput()

    # -- cleaning -------------------------------------------------------

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            schedule = domain.Schedule(
                name=data['name'],
                local_pattern=chosen_pattern(data['kind'], data),
                description=data.get('description') or '',
                timezone=data['timezone'],
                mode=data['mode'], max_full=data['max_full'],
                max_incremental=data['max_incremental'],
                keep_days=data.get('keep_days'), in_use=data['in_use'],
                points=data.get('points') or 'volume',
                report_to=data.get('report_to') or '',
                concurrency=conf.get('BACKUP_DASHBOARD_CONCURRENCY'),
                timeout=conf.get('BACKUP_DASHBOARD_BACKUP_TIMEOUT'))
            self.schedule = domain.validate(
                schedule, conf.get('BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES'))
            self.schedule.drill = drill_fields.settings_from(data).validate(
                self.schedule.timezone)
            self.schedule.template = data.get('template') or None
        except errors.InputError as error:
            self._error_on(error)
            return data
        self._check_consequences(data)
        return data

    def _error_on(self, error):
        field = error.field if error.field in self.fields else None
        if error.field == 'pattern':
            field = 'cron' if self.cleaned_data.get('kind') == 'cron' \
                else 'kind'
        self.add_error(field, str(error))

    def _check_consequences(self, data):
        self.consequences = consequences.gather(
            self.request, self.schedule, before=self.stored,
            at=self.schedule.next_run)
        self.forecast = self.consequences.forecast
        refusal = governance.refusal(self.schedule, self.consequences.lock)
        if refusal:
            self.add_error(None, refusal)
            return
        refused = template_fields.refusals(
            self.schedule, self.guardrails, self.request.user.tenant_id,
            self.forecast)
        if refused:
            self.add_error(None, ' '.join(str(text) for text in refused))
            return
        if self.forecast is None:
            LOG.info('Quota forecast unavailable')
        else:
            self._check_quota(data)

    def _check_quota(self, data):
        if self.forecast['never_fits']:
            self.add_error(None, self.forecast['message'])
            return
        drill = self.consequences.drill or {}
        warnings = [text for text in (
            self.forecast['message'] if self.forecast['exceeds'] else None,
            drill.get('problem')) if text]
        if warnings and not data.get('accept_quota'):
            self.fields['accept_quota'].widget = forms.CheckboxInput()
            self.add_error(None, ' '.join(str(text) for text in warnings + [
                _("Tick the box below to save anyway.")]))

    # -- saving ---------------------------------------------------------

    def handle(self, request, data):
        try:
            if self.editing:
                saved = api.schedules.schedule_update(
                    request, self.initial['name'], self.schedule)
                messages.success(request, _('Schedule "%s" was saved.')
                                 % saved.name)
            else:
                saved = api.schedules.schedule_create(request, self.schedule)
                messages.success(request, _('Schedule "%s" was created.')
                                 % saved.name)
            if self.forecast and self.forecast['exceeds']:
                messages.warning(request, self.forecast['message'])
            return saved
        except (errors.InputError, exceptions.Conflict) as error:
            # Refused as it stands (a name already taken, a run in
            # progress): said on the form, which keeps everything typed.
            self.api_error(str(error))
            return False
        except Exception:
            api.errors.handle(request, _('Unable to save schedule "%s".')
                              % data.get('name'),
                              redirect=reverse(
                                  'horizon:project:backup_schedules:index'))
            return False


class CreateScheduleForm(ScheduleForm):
    pass


class UpdateScheduleForm(ScheduleForm):
    editing = True
    accept_deletions = forms.BooleanField(
        label=_("Save, and let the next run delete the backups marked"),
        required=False, widget=forms.HiddenInput())
    # The deletions the user was shown: a tick confirms those, not a list
    # that changed since.
    deletions_shown = forms.CharField(required=False,
                                      widget=forms.HiddenInput())

    def __init__(self, request, *args, stored=None, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.stored = stored
        template_fields.keep_stored(self.fields['template'], stored)
        self.fields['name'].widget.attrs['readonly'] = 'readonly'
        self.fields['name'].help_text = _(
            "A schedule keeps its name: instances are assigned by it.")
        if self.data.get('accept_deletions'):
            self.fields['accept_deletions'].widget = forms.CheckboxInput()

    def clean_name(self):
        # The name is read-only: whatever was posted, keep the stored one.
        return self.initial['name']

    def _check_consequences(self, data):
        super()._check_consequences(data)
        found = self.consequences
        if found.backups_unknown:
            if not retention.keeps_less(self.stored, self.schedule):
                return
            message = _("Which backups the next run deletes with these "
                        "settings cannot be said just now: the instances, "
                        "volumes or backups could not be read.")
        elif found.lost:
            message = ngettext(
                "With these settings the next run deletes %(count)d backup "
                "that the current settings keep (marked under \"What the "
                "next run deletes\").",
                "With these settings the next run deletes %(count)d backups "
                "that the current settings keep (marked under \"What the "
                "next run deletes\").", len(found.lost)) % {
                    'count': len(found.lost)}
        else:
            return
        if data.get('accept_deletions') and \
                data.get('deletions_shown') == found.digest:
            return
        if data.get('accept_deletions'):
            message = '%s %s' % (_("What the next run deletes changed "
                                   "since the box was ticked."), message)
        self.fields['accept_deletions'].widget = forms.CheckboxInput()
        # Rendered again with the list now shown, whatever was posted.
        self.data = self.data.copy()
        self.data['deletions_shown'] = found.digest
        self.data.pop('accept_deletions', None)
        self.add_error(None, '%s %s' % (
            message, _("Tick the box below to save anyway.")))


def initial_from(schedule):
    """Form values that reproduce a stored schedule.

    Its preset, or its cron pattern as typed, in its own zone.
    """
    initial = {
        'name': schedule.name, 'description': schedule.description,
        'mode': schedule.mode, 'max_full': schedule.max_full,
        'max_incremental': schedule.max_incremental,
        'keep_days': schedule.keep_days, 'in_use': schedule.in_use,
        'points': schedule.points,
        'report_to': ', '.join(schedule.report_to),
        'timezone': schedule.timezone,
        'kind': 'cron', 'cron': schedule.local_pattern,
        'template': schedule.template or '',
    }
    preset = clock.preset_of(schedule.local_pattern)
    if preset:
        initial.update(preset)
        if 'weekday' in preset:
            initial['weekday'] = str(preset['weekday'])
    initial.update(drill_fields.initial_from(schedule.drill))
    return initial
