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

"""A row's actions, as Horizon's dropdown shows them, without its templates.

Horizon renders each row's actions through a template, a request context and
one included, whitespace-minified template per action
(``horizon/common/_data_table_row_actions_dropdown.html``). For a row of five
actions that was most of what the row cost: a tenth of a millisecond to read
the actions, a millisecond to render them. ``RowActionsDropdown`` writes the
same markup (which Horizon's JavaScript reads: the first action as the
button, the others in the menu) with ``format_html``, escaping what the
templates escape.
"""
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

_TOGGLE = mark_safe(
    '<a class="btn btn-default btn-sm dropdown-toggle" data-toggle="dropdown"'
    ' href="#"><span class="fa fa-caret-down"></span></a>')


def _classes(*names):
    return ' '.join(name for name in names if name)


def _value(value):
    # As a template reads it: DeleteAction's verbose_name is a method.
    return value() if callable(value) else value


def action_html(action, row_id, single=False, small=False):
    """One bound row action: a link (GET) or a submit button."""
    attrs = mark_safe(action.attr_string_nc)
    if action.method != 'GET':
        help_text = _value(getattr(action, 'help_text', None))
        return format_html(
            '<button {} class="{}" name="action"{} type="submit" '
            'value="{}__{}__{}">{}</button>', attrs,
            _classes('data-table-action', small and 'btn-sm',
                     *action.get_default_classes(),
                     action.action_type and 'btn-%s' % action.action_type,
                     'btn'),
            format_html(' help_text="{}"', help_text) if help_text else '',
            action.table.name, action.name, row_id,
            _value(action.verbose_name))
    return format_html(
        '<a {} class="{} {}" href="{}">{}</a>', attrs,
        _classes('btn data-table-action', single and 'btn-default',
                 small and 'btn-sm',
                 action.action_type == 'danger' and 'btn-danger'),
        mark_safe(action.get_final_css()), action.bound_url,
        _value(action.verbose_name))


def dropdown_html(actions, row_id):
    """A row's bound actions: one button, or a button and a menu."""
    if not actions:
        return ''
    if len(actions) == 1:
        return action_html(actions[0], row_id, single=True)
    return format_html(
        '<div class="btn-group">{}{}<ul class="dropdown-menu '
        'dropdown-menu-right row_actions">{}</ul></div>',
        action_html(actions[0], row_id, single=True, small=True), _TOGGLE,
        format_html_join('', '<li>{}</li>',
                         ((action_html(a, row_id),) for a in actions[1:])))


class RowActionsDropdown(object):
    """A DataTable mixin: the row actions' dropdown written by dropdown_html.

    Actions shown in a row of buttons (``row=True``) keep Horizon's template.
    """

    def render_row_actions(self, datum, row=False):
        if row:
            return super().render_row_actions(datum, row=row)
        return dropdown_html(self.get_row_actions(datum),
                             self.get_object_id(datum))
