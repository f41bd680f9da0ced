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

"""Form fields that state their limits and never change what was typed.

A browser cuts a paste short at an input's ``maxlength`` without a word,
and Django strips spaces by default: both store something other than what
the user typed. These fields carry no ``maxlength``; the limit is said in
the field's help text and counted as the user types (``limits.js``), and a
value over it is refused on submit with a message that states it.
"""
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import forms


class LimitedCharField(forms.CharField):
    """A text field of at most `limit` characters, kept exactly as typed."""

    def __init__(self, *args, limit, **kwargs):
        kwargs.setdefault('strip', False)
        help_text = kwargs.pop('help_text', None)
        # Formatted when shown: a form's fields are made at import, before
        # any request's language is active.
        limit_text = format_lazy(ngettext_lazy(
            'At most {limit} character.', 'At most {limit} characters.',
            limit), limit=limit)
        kwargs['help_text'] = format_lazy('{} {}', help_text, limit_text) \
            if help_text else limit_text
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.widget.attrs['data-limit'] = str(limit)

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(
                _('This is %(length)d characters long; at most %(limit)d '
                  'fit here. Nothing was saved.'),
                code='limit', params={'length': len(value),
                                      'limit': self.limit})
