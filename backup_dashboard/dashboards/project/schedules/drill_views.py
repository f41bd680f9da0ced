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

""""Run Drill Now": the form that starts a restore drill of a schedule.

Before submit it shows what a drill would restore (the volumes with an
available backup of the schedule) and the room it needs in the volume
quota; a drill that cannot run is refused with the reason, in the form,
and nothing is created. Once started, the user lands on the schedule's
Drills tab.
"""
import logging

from django.contrib import messages
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon.utils import memoized

from backup_dashboard import api
from backup_dashboard.dashboards.common import run_tables
from backup_dashboard import drills
from backup_dashboard import errors

LOG = logging.getLogger(__name__)
INDEX_URL = reverse_lazy('horizon:project:backup_schedules:index')


class DrillForm(forms.SelfHandlingForm):
    sample = forms.CharField(
        label=_("Volumes to restore"), required=False,
        help_text=_("Empty: every volume with a backup of this schedule. A "
                    "number: that many volumes, taken in rotation so that "
                    "drill after drill every volume is restored."))
    keep = forms.CharField(
        label=_("Keep restored volumes (hours)"), required=False,
        strip=False, help_text=_(
            "0: each restored volume is deleted once checked. More: the "
            "volumes that passed stay that many hours after the last "
            "restore, for a look, and hold volume quota meanwhile."))

    def __init__(self, request, *args, **kwargs):
        self.schedule_name = kwargs.pop('schedule_name')
        keep = kwargs.pop('keep', 0)
        super().__init__(request, *args, **kwargs)
        self.fields['keep'].initial = str(keep)

    def clean_sample(self):
        try:
            return drills.validate_sample(self.cleaned_data.get('sample'))
        except errors.InputError as error:
            raise forms.ValidationError(str(error))

    def clean_keep(self):
        try:
            return drills.validate_keep(self.cleaned_data.get('keep'))
        except errors.InputError as error:
            raise forms.ValidationError(str(error))

    def handle(self, request, data):
        try:
            execution = api.drills.drill_run_now(
                request, self.schedule_name, data.get('sample'),
                data.get('keep') or 0)
        except Exception as error:
            # Shown in the form, which keeps what was typed.
            LOG.info('Drill not started: %s', error)
            self.api_error(format_html(
                '{} {}', _('No drill was started:'),
                api.errors.explain(error)))
            return False
        messages.success(request, format_html(
            _('A restore drill of schedule "{name}" was started. Its '
              'result appears under Drills.'), name=self.schedule_name))
        return execution


class DrillView(forms.ModalFormView):
    form_class = DrillForm
    template_name = 'backup_dashboard/schedules/drill.html'
    modal_id = 'run_drill_modal'
    modal_header = _("Run Drill Now")
    page_title = _("Run Drill Now")
    submit_label = _("Start Drill")

    @memoized.memoized
    def get_plan(self):
        try:
            return api.drills.drill_plan(self.request, self.kwargs['name'])
        except Exception:
            api.errors.handle(self.request, _(
                'Unable to prepare a drill of schedule "%s".')
                % self.kwargs['name'], redirect=INDEX_URL)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs['schedule_name'] = self.get_plan().schedule.name
        kwargs['keep'] = self.get_plan().keep
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        context['plan'] = plan
        context['volume_count'] = len(plan.candidates)
        context['needed_volumes'], context['needed_gigabytes'] = plan.needed
        context['submit_url'] = reverse(
            'horizon:project:backup_schedules:drill',
            args=[plan.schedule.name])
        return context

    def get_success_url(self):
        return run_tables.drills_tab_url(self.get_plan().schedule.name)
