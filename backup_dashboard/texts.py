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

"""Free text a user types: a schedule's description and recipients, a reason.

Each is kept exactly as typed or refused with the limit it breaks: a
description of at most DESCRIPTION_MAX characters without control or
bidirectional marks, report recipients (at most MAX_RECIPIENTS) that are
e-mail addresses, a legal hold's one-line reason (holds.REASON_MAX); none
may carry Horizon's AngularJS expression marks. Pure Python;
schedule.validate and the hold forms call these.
"""
import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backup_dashboard import errors

DESCRIPTION_MAX = 255
MAX_RECIPIENTS = 20
_EMAIL_SPLIT_RE = re.compile(r'[,;\s]+')

# Bidirectional embedding/override/isolate marks: invisible, and they make a
# text read differently from what it is ("Trojan source").
_BIDI_CONTROLS = set('\u202a\u202b\u202c\u202d\u202e'
                     '\u2066\u2067\u2068\u2069')
# Horizon's AngularJS interpolates {$ ... $} (its start and end symbols) in
# the page it bootstraps on: user text must never carry them.
_ANGULAR_RE = re.compile(r'\{\$|\$\}')


def angular_error():
    return _('"{$" and "$}" cannot be used here: the dashboard would read '
             'them as an expression.')


def validate_description(text):
    # Browsers send a textarea's line breaks as CRLF: one line break each.
    text = (text or '').replace('\r\n', '\n')
    if len(text) > DESCRIPTION_MAX:
        raise errors.InputError(_(
            'The description is %(length)d characters long; at most %(max)d '
            'are kept.') % {'length': len(text), 'max': DESCRIPTION_MAX},
            'description')
    # Every control character (C0, DEL, C1) but tab and line feed.
    if any((unicodedata.category(c) == 'Cc' and c not in '\t\n') or
           c in _BIDI_CONTROLS for c in text):
        raise errors.InputError(_('The description contains control '
                                  'characters.'), 'description')
    if _ANGULAR_RE.search(text):
        raise errors.InputError(angular_error(), 'description')
    return text


def validate_reason(text):
    """A hold's reason: one line, kept as typed, within holds.REASON_MAX."""
    from backup_dashboard import holds
    text = text or ''
    if not text.strip():
        raise errors.InputError(_('Say why: the reason is kept with the '
                                  'backup.'), 'reason')
    if len(text) > holds.REASON_MAX:
        raise errors.InputError(_(
            'The reason is %(length)d characters long; at most %(max)d are '
            'kept.') % {'length': len(text), 'max': holds.REASON_MAX},
            'reason')
    if any(unicodedata.category(c) == 'Cc' or c in _BIDI_CONTROLS
           for c in text):
        raise errors.InputError(_('The reason must be one line, without '
                                  'control characters.'), 'reason')
    if _ANGULAR_RE.search(text):
        raise errors.InputError(angular_error(), 'reason')
    return text


def validate_emails(text_or_list):
    """Split and check report recipients; header injection cannot pass."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    if isinstance(text_or_list, (list, tuple)):
        items = [str(i) for i in text_or_list]
    else:
        items = _EMAIL_SPLIT_RE.split(text_or_list or '')
    addresses = [i.strip() for i in items if i.strip()]
    if len(addresses) > MAX_RECIPIENTS:
        raise errors.InputError(ngettext('At most %d report recipient.',
                                         'At most %d report recipients.',
                                         MAX_RECIPIENTS)
                                % MAX_RECIPIENTS, 'report_to')
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise errors.InputError(_('"%s" is not an e-mail address.')
                                    % address, 'report_to')
        if _ANGULAR_RE.search(address):
            raise errors.InputError(angular_error(), 'report_to')
    return addresses
