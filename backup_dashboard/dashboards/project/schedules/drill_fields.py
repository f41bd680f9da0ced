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

"""The schedule form's restore drill fields.

Off (the default), weekly or monthly at a time read in the schedule's
zone, with every volume or a sample in turn, and the hours the restored
volumes are kept. ``new_fields`` makes them for
a form (after its own), ``settings_from`` reads what was typed into a
``drill_schedule.Settings`` (validated by the domain, which names the field
a refusal is about), ``initial_from`` gives the values that show a stored
one again.
"""
from django.utils.translation import gettext_lazy as _
from horizon import forms

from backup_dashboard import drill_schedule
from backup_dashboard import errors

FREQUENCIES = (('off', _("Off")), ('weekly', _("Weekly")),
               ('monthly', _("Monthly")))
WEEKDAYS = [('1', _('Monday')), ('2', _('Tuesday')), ('3', _('Wednesday')),
            ('4', _('Thursday')), ('5', _('Friday')), ('6', _('Saturday')),
            ('0', _('Sunday'))]


def _switched(frequencies, label):
    attrs = {'class': 'switched', 'data-switch-on': 'drill'}
    for frequency in frequencies:
        attrs['data-drill-%s' % frequency] = label
    return attrs


def new_fields():
    """The drill fields, in the order the form shows them."""
    both = ('weekly', 'monthly')
    return {
        'drill': forms.ChoiceField(
            label=_("Restore drills"), choices=FREQUENCIES, required=False,
            initial='off', help_text=_(
                "A drill restores the newest backups to throwaway volumes, "
                "checks them, times them and deletes them."),
            widget=forms.ThemableSelectWidget(
                attrs={'class': 'switchable', 'data-slug': 'drill'})),
        'drill_weekday': forms.ChoiceField(
            label=_("Drill on"), choices=WEEKDAYS, required=False,
            initial='0', widget=forms.ThemableSelectWidget(
                attrs=_switched(['weekly'], _("Drill on")))),
        'drill_day': forms.IntegerField(
            label=_("Drill on day"), min_value=1, max_value=28,
            required=False, initial=1, widget=forms.NumberInput(
                attrs=_switched(['monthly'], _("Drill on day (1-28)")))),
        'drill_hour': forms.IntegerField(
            label=_("Drill hour"), min_value=0, max_value=23,
            required=False, initial=4, widget=forms.NumberInput(
                attrs=_switched(both, _("Drill hour (0-23)")))),
        'drill_minute': forms.IntegerField(
            label=_("Drill minute"), min_value=0, max_value=59,
            required=False, initial=0, widget=forms.NumberInput(
                attrs=_switched(both, _("Drill minute (0-59)")))),
        'drill_sample': forms.CharField(
            label=_("Volumes per drill"), required=False, strip=False,
            help_text=_("Empty: every volume. A number: that many, in "
                        "turn, so that every volume is drilled over time."),
            widget=forms.TextInput(attrs=_switched(
                both, _("Volumes per drill (empty: all)")))),
        'drill_keep': forms.CharField(
            label=_("Keep restored volumes (hours)"), required=False,
            strip=False, initial='0', help_text=_(
                "0: each restored volume is deleted once checked. More: the "
                "volumes that passed stay that many hours after the last "
                "restore, for a look, and hold volume quota meanwhile."),
            widget=forms.TextInput(attrs=_switched(
                both, _("Keep restored volumes (hours, 0-72)")))),
    }


def settings_from(data):
    """The Settings the cleaned form data describe (not yet validated)."""
    frequency = data.get('drill') or 'off'
    if frequency == 'off':
        return drill_schedule.Settings()
    needed = ['drill_hour', 'drill_minute'] + (
        ['drill_weekday'] if frequency == 'weekly' else ['drill_day'])
    values = {}
    for field in needed:
        value = data.get(field)
        if value in (None, ''):
            raise errors.InputError(_('This field is required.'), field)
        values[field[len('drill_'):]] = int(value)
    return drill_schedule.Settings(frequency=frequency,
                                   sample=data.get('drill_sample'),
                                   keep_hours=data.get('drill_keep'),
                                   **values)


def initial_from(settings):
    if settings is None or not settings.on:
        return {'drill': 'off'}
    return {'drill': settings.frequency,
            'drill_weekday': str(settings.weekday),
            'drill_day': settings.day, 'drill_hour': settings.hour,
            'drill_minute': settings.minute,
            'drill_sample': '' if settings.sample is None
            else str(settings.sample),
            'drill_keep': str(settings.keep_hours)}
