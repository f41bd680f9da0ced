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

"""A legal hold in a backup's metadata: placed, released, logged."""
import pytest

from backup_dashboard import holds
from backup_dashboard import texts

OTHER = {'backup_dashboard:schedule': 'nightly'}


def test_placed_then_released_keeps_other_keys_and_the_whole_log():
    first = holds.placed(OTHER, 'case 1: keep', 'alice',
                         '2026-12-01T10:00:00.5+00:00')
    assert first['backup_dashboard:schedule'] == 'nightly'
    assert holds.hold_of(first) == holds.Hold(
        'case 1: keep', 'alice', '2026-12-01T10:00:00Z')
    gone = holds.released(first, 'settled', 'bob', '2026-12-02T00:00:00Z')
    assert holds.hold_of(gone) is None
    again = holds.placed(gone, 'appeal', 'carol', '2026-12-03T00:00:00Z')
    assert [(e.action, e.by, e.reason) for e in holds.log_of(again)] == [
        ('placed', 'alice', 'case 1: keep'), ('released', 'bob', 'settled'),
        ('placed', 'carol', 'appeal')]
    assert OTHER == {'backup_dashboard:schedule': 'nightly'}


def test_every_log_entry_fits_in_a_cinder_metadata_value():
    reason = texts.validate_reason('r' * holds.REASON_MAX)
    done = holds.placed({}, reason, 'u' * 255, '2026-12-01T10:00:00Z')
    done = holds.released(done, reason, 'u' * 255, '2026-12-01T10:00:00Z')
    assert max(len(v) for v in done.values()) == 255


def test_entries_sort_by_number_not_text():
    metadata = {}
    for day in range(1, 12):
        metadata = holds.placed(metadata, 'r%d' % day, 'a',
                                '2026-12-%02dT00:00:00Z' % day)
        metadata = holds.released(metadata, 'x', 'a',
                                  '2026-12-%02dT00:00:01Z' % day)
    log = holds.log_of(metadata)
    assert len(log) == 22
    assert [e.reason for e in log if e.action == 'placed'] == [
        'r%d' % d for d in range(1, 12)]


@pytest.mark.parametrize('text,words', [
    ('', 'Say why'), ('  ', 'Say why'), ('x' * 161, 'at most 160'),
    ('a\nb', 'one line'), ('a\u202eb', 'one line'), ('{$ 1 $}', '"{$"')])
def test_a_bad_reason_is_refused_with_the_limit(text, words):
    with pytest.raises(Exception) as raised:
        texts.validate_reason(text)
    assert words in str(raised.value)


def test_a_reason_is_kept_exactly_as_typed():
    assert texts.validate_reason(' <b>x</b> "y" ') == ' <b>x</b> "y" '
