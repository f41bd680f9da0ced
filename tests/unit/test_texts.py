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

"""Free text of a schedule: descriptions and report recipients."""
import pytest

from backup_dashboard import errors
from backup_dashboard import texts


@pytest.mark.parametrize('text, expected', [
    ('a@example.com, b@example.org', ['a@example.com', 'b@example.org']),
    ('a@example.com\nb@example.org', ['a@example.com', 'b@example.org']),
    ('', []),
])
def test_emails(text, expected):
    assert texts.validate_emails(text) == expected


@pytest.mark.parametrize('text', [
    'a@b.c\nBcc: x@y.z', 'not-an-address', '<script>@x.y',
    ' '.join('u%d@example.com' % i for i in range(21)),
])
def test_bad_emails(text):
    with pytest.raises(errors.InputError):
        texts.validate_emails(text)


@pytest.mark.parametrize('text, field', [
    ('x' * 256, 'description'), ('a\x00b', 'description'),
    ('a\u202eb', 'description'), ('{$ 1 $}', 'description')])
def test_bad_descriptions_are_refused_not_changed(text, field):
    with pytest.raises(errors.InputError) as refused:
        texts.validate_description(text)
    assert refused.value.field == field


def test_a_description_is_kept_as_typed():
    text = 'x' * 254 + '\r\n'
    assert texts.validate_description(text) == 'x' * 254 + '\n'
