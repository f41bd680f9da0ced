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

"""The schedule form's admin template choice and the project's bounds.

``read`` fetches the governance variables once per form (None when they
cannot be read: the form then saves nothing, since it cannot tell whether
the schedule is within the bounds); ``new_field`` offers the templates
visible to the project; ``refusals`` says why the typed schedule cannot be
saved: values that differ from the chosen template (with the template's
values, never changed silently by the form) or that cross a bound of the
project (``guardrails``). No JavaScript: the user types the values.
"""
import logging

from django.utils.translation import gettext_lazy as _
from horizon import forms

from backup_dashboard import api
from backup_dashboard import guardrails

LOG = logging.getLogger(__name__)


def read(request):
    """The governance variables, or None when they cannot be read."""
    try:
        return api.governance.variables(request)
    except Exception:
        LOG.info('Schedule templates and bounds unreadable', exc_info=True)
        return None


def new_field(variables, project_id):
    """The optional "Template" choice: none, or a template it may use."""
    choices = [('', _("None: my own values"))] + [
        (t.name, '%s (%s)' % (t.name, t.text()))
        for t in guardrails.visible_templates(variables, project_id)]
    return forms.ChoiceField(
        label=_("Template"), required=False, choices=choices,
        help_text=_("A schedule an administrator published. Enter its "
                    "values below: the form checks them and the schedule "
                    "remembers the template."))


def keep_stored(field, stored):
    """Offer the template a stored schedule remembers, even if withdrawn.

    Shown as chosen, so that an edit never drops it unseen: saving it
    again is refused until the user chooses none (``refusals``).
    """
    name = getattr(stored, 'template', None)
    if name and name not in dict(field.choices):
        field.choices = list(field.choices) + [
            (name, _('%s (no longer offered)') % name)]


def with_field(fields, field, after='description'):
    """`fields` (a form's) with `field` as 'template' right after `after`."""
    items = list(fields.items())
    at = next(i for i, (name, _f) in enumerate(items) if name == after) + 1
    items.insert(at, ('template', field))
    fields.clear()
    fields.update(items)


def refusals(schedule, variables, project_id, forecast=None):
    """Why `schedule` cannot be saved under the templates and bounds.

    `schedule.template`: the name chosen, or None. `forecast`: the quota
    forecast, whose GB per run is judged when volumes are assigned.
    """
    if variables is None:
        return [_("The schedule templates and bounds of this project cannot "
                  "be read right now; nothing was saved. Try again in a "
                  "moment.")]
    why = []
    if schedule.template:
        template = guardrails.template_named(variables, schedule.template)
        if template is None or not template.visible_to(project_id):
            why.append(_('The template "%s" is not offered to this project '
                         '(any more).') % schedule.template)
        else:
            why.append(guardrails.template_refusal(schedule, template))
    gigabytes = forecast['run_gigabytes'] if forecast and \
        forecast.get('volumes') else None
    why.append(guardrails.bounds_refusal(
        schedule, guardrails.bounds_for(variables, project_id), gigabytes))
    return [text for text in why if text]
