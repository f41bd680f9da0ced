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

"""A volume's backups as chains (fulls with their incrementals)."""
from backup_dashboard.dashboards.project.restore import history
from tests.unit.dashboards.project.restore import data


def ids(chains):
    return [[p.id for p in c.points] for c in chains]


def test_incrementals_hang_off_the_newest_full_before_them():
    chains = history.chains(data.history(), 'UTC', selected='b-inc-1a')
    assert ids(chains) == [['b-full-2', 'b-inc-2a'], ['b-full-bad'],
                           ['b-full-1', 'b-inc-1a', 'b-inc-1b']]
    old = chains[2]
    assert [p.index for p in old.points] == [0, 1, 2]
    assert [p.selected for p in old.points] == [False, True, False]


def test_what_cannot_be_restored_says_why():
    points = {p.id: p for p in history.points(
        history.chains(data.history(), 'UTC'))}
    assert points['b-full-1'].restorable
    assert not points['b-inc-2a'].restorable
    assert 'being created' in str(points['b-inc-2a'].why_not)
    assert not points['b-full-bad'].restorable
    assert points['b-full-bad'].fail_reason == 'disk full'


def test_incrementals_whose_full_is_gone_form_their_own_chain():
    chains = history.chains([
        data.backup('i1', incremental=True, created_at='2026-11-01T00:00'),
        data.backup('i2', incremental=True, created_at='2026-11-02T00:00'),
        data.backup('f', created_at='2026-11-03T00:00')], 'UTC')
    assert ids(chains) == [['f'], ['i1', 'i2']]
    assert chains[1].full is None


def test_a_failed_full_does_not_take_the_next_incrementals():
    chains = history.chains([
        data.backup('f1', created_at='2026-11-01T00:00'),
        data.backup('bad', status='error', created_at='2026-11-02T00:00'),
        data.backup('i', incremental=True, created_at='2026-11-03T00:00')],
        'UTC')
    assert ids(chains) == [['f1', 'i'], ['bad']]


def test_no_backups_no_chains():
    assert history.chains([], 'UTC') == []


def test_timeline_fulls_on_the_line_incrementals_hanging_below():
    chains = history.chains(data.history(), 'UTC', selected='b-full-2')
    line = history.timeline(chains, width=200, margin=10, step_max=36)
    dots = {d['point'].id: d for d in line['dots']}
    # Oldest left, evenly spaced, within the width.
    xs = [d['x'] for d in line['dots']]
    assert xs == sorted(xs) and xs[0] == 10 and xs[-1] == 190
    assert (dots['b-full-1']['y'], dots['b-inc-1a']['y']) == (
        history.MAIN_Y, history.HANG_Y)
    assert dots['b-full-1']['r'] > dots['b-inc-1a']['r']
    assert dots['b-full-bad']['color'] == '#a94442'
    assert dots['b-inc-2a']['color'] == history.OTHER_COLOR
    # One branch per chain with incrementals, from its full.
    assert len(line['lines']) == 2
    assert history.timeline([]) is None


# --- one page of a long history ---------------------------------------------

def page_ids(shown_marker):
    shown, marker = shown_marker
    return [b.id for b in shown], marker


def test_a_short_history_is_one_page():
    backups = data.made('FiiFi')
    assert page_ids(history.page_of(backups, 5)) == (
        [b.id for b in backups], None)
    assert history.page_of([], 5) == ([], None)


def test_a_page_ends_between_chains_at_its_oldest_full():
    # Newest first: i i i F(day 7) i i i i i i F(day 0); a page of 6 (7
    # read) would split the older chain: it ends at the full of day 7.
    backups = data.made('Fiiiiii' + 'Fiii')
    shown, marker = history.page_of(backups[:7], 6)
    assert [b.id for b in shown] == ['b-010-i', 'b-009-i', 'b-008-i',
                                     'b-007-F']
    assert marker == 'b-007-F'
    # Every incremental shown hangs off a full shown.
    chains = history.chains(shown, 'UTC', older=True)
    assert ids(chains) == [['b-007-F', 'b-008-i', 'b-009-i', 'b-010-i']]
    assert [p.index for p in chains[0].points] == [0, 1, 2, 3]


def test_the_next_page_starts_with_the_older_chain_whole():
    backups = data.made('Fiiiiii' + 'Fiii')
    older = backups[4:]            # what Cinder lists after the marker
    shown, marker = history.page_of(older, 10)
    assert (ids(history.chains(shown, 'UTC')), marker) == (
        [['b-000-F'] + ['b-%03d-i' % d for d in range(1, 7)]], None)


def test_a_failed_full_is_not_a_boundary():
    # The incrementals above a failed full hang off the good full below
    # it: ending the page at the failed full would orphan them.
    backups = data.made('FiiXiFii')      # newest first: i i F i X i ...
    shown, marker = history.page_of(backups[:7], 6)
    assert marker == 'b-005-F'
    assert history.page_of(data.made('FiiXii'), 5)[1] == 'b-001-i'


def test_a_chain_longer_than_half_a_page_continues_on_the_next():
    # The only full is too near the top: the page shows all it read, its
    # oldest incrementals marked as a chain whose full is on an older page.
    backups = data.made('F' + 'i' * 12 + 'Fi')
    shown, marker = history.page_of(backups[:9], 8)
    assert len(shown) == 8 and marker == shown[-1].id == 'b-007-i'
    chains = history.chains(shown, 'UTC', older=True)
    assert ids(chains)[0] == ['b-013-F', 'b-014-i']
    continued = chains[1]
    assert (continued.full, continued.continued) == (None, True)
    assert [p.index for p in continued.points] == [None] * 6
    # The last page: such incrementals really have no full listed.
    gone = history.chains(shown[2:], 'UTC', older=False)[0]
    assert (gone.continued, gone.points[0].index) == (False, 1)
