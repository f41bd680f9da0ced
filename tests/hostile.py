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

"""Hostile text, one home for the tests that feed it to the plugin's forms.

Markup a page could run, expressions Mistral's YAQL or Jinja could
evaluate, Angular's ``{$ $}``, unicode that reorders or hides text, control
characters, long text and whitespace: ``tests/unit/test_hostile_inputs.py``
posts them at every form and URL, ``tests/unit/test_round_trip.py`` checks
that each comes out exactly as typed or is refused.
"""
from testkit.helpers import ANGULAR

XSS = '<script>alert(1)</script>'
XSS_IMG = '"><img src=x onerror=alert(1)>'
YAQL = "<% env().backup_dashboard_smtp.smtp_password %>"
YAQL_CALL = "<% execution().id %><% $.tag %>"
JINJA = '{{ _.tag }}{{ env() }}'
JINJA_BLOCK = '{% for x in range(99999) %}x{% endfor %}'

# (label, text) for a free-text field: none of these is refused for what it
# holds, only for its length (see LONG) or a null character.
TEXTS = [
    ('xss_script', XSS),
    ('xss_img', XSS_IMG),
    ('yaql', YAQL),
    ('yaql_calls', YAQL_CALL),
    ('jinja', JINJA),
    ('jinja_block', JINJA_BLOCK),
    ('angular', ANGULAR),
    ('sql_quote', "x' OR '1'='1"),
    ('unicode', 'Données – 日本語 – emoji \U0001f680'),
    ('rtl_override', 'backup\u202egnp.exe'),
    ('zero_width', 'night\u200bly'),
    ('escape_char', 'red \x1b[31m text'),
    ('crlf', 'line one\r\nline two'),
    ('tab', 'a\tb'),
    ('spaces_around', '  spaced  '),
    ('percent_format', '%s %(name)s {0}'),
]
NULL_BYTE = 'a\x00b'


def long_text(length):
    return 'n' * length
