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

"""A volume's backups as chains: each full with its incrementals.

Cinder does not expose an incremental's parent. It bases an incremental on
the newest *available* backup of the volume at the time, so its chain is
the one of the newest full made before it that did not fail: that is the
full it hangs off here. A failed full heads a chain of its own.

A long history is shown a page at a time, newest first (``page_of``).
"""
import dataclasses

from backup_dashboard import api
from backup_dashboard.dashboards.common import backup_point

FAILED = ('error', 'error_deleting')


@dataclasses.dataclass
class Chain:
    # None: incrementals whose full is gone (or on an older page:
    # `continued`)
    full: backup_point.Point | None
    incrementals: list
    continued: bool = False

    @property
    def points(self):
        return ([self.full] if self.full else []) + self.incrementals

    @property
    def latest(self):
        return self.points[-1].created_at if self.points else ''


def chains(backups, zone, selected=None, older=False):
    """Chains of one volume's backups, newest chain first.

    Inside a chain the full comes first, then its incrementals oldest to
    newest.

    older: older backups exist (on an older page), so incrementals older
    than every full here belong to a full there, at a position unknown.
    """
    found = []
    current = None
    for backup in sorted(backups, key=lambda b: str(b.created_at or '')):
        p = backup_point.point(backup, zone)
        p.selected = p.id == selected
        if p.incremental and current is not None:
            p.index = None if current.continued else \
                len(current.incrementals) + 1
            current.incrementals.append(p)
            continue
        if p.incremental:
            # Its full was deleted, made before the history we can see, or
            # is on an older page.
            current = Chain(full=None, incrementals=[p], continued=older)
            p.index = None if older else 1
        else:
            chain = Chain(full=p, incrementals=[])
            if p.status in FAILED:
                found.append(chain)
                continue
            current = chain
        found.append(current)
    return sorted(found, key=lambda c: c.latest, reverse=True)


def points(chain_list):
    return [p for chain in chain_list for p in chain.points]


# --- one page of a long history ----------------------------------------------

def heads_a_chain(backup):
    """A full that did not fail: the incrementals after it hang off it."""
    return not api.storage.backup_is_incremental(backup) and \
        backup.status not in FAILED


def page_of(newest_first, size):
    """(the backups a page shows, the marker of the next, older page or None).

    `newest_first`: up to size + 1 backups; one past `size` only says that
    older ones exist.

    Why the page ends where it does: Cinder pages by count, which can
    split a chain, and an incremental cut off from its full would be drawn
    without it (or as if its full were gone). So the page ends *between
    chains*, at its oldest full that heads a chain: every incremental shown
    has its full shown, and the next page (Cinder's marker: that full)
    starts with an older chain's newest incrementals, whose full is below
    them there. When that boundary would leave less than half a page (a
    chain longer than half a page: hourly incrementals), the page ends
    after `size` backups instead: the newest backups are shown in full
    rather than a few at a time, and the oldest incrementals here form a
    chain marked `continued` (``chains(older=True)``), its full on an
    older page and linked there.
    """
    if len(newest_first) <= size:
        return list(newest_first), None
    window = list(newest_first[:size])
    heads = [i for i, b in enumerate(window) if heads_a_chain(b)]
    end = heads[-1] + 1 if heads and 2 * (heads[-1] + 1) >= size else size
    return window[:end], window[end - 1].id


# --- the same chains as a small SVG time line (oldest left) ----------------

SVG_HEIGHT = 70
MAIN_Y, HANG_Y = 22, 52
COLORS = {'available': '#3c763d', 'error': '#a94442'}
OTHER_COLOR = '#999999'


def timeline(chain_list, width=640, margin=14, step_max=36):
    """Circles and lines for an SVG.

    Fulls on the main line, each chain's incrementals on a branch hanging below
    its full. Points are spaced evenly in time order (hourly and monthly
    backups stay readable).
    """
    ordered = sorted(points(chain_list), key=lambda p: p.created_at)
    if not ordered:
        return None
    step = min(step_max, (width - 2 * margin) / max(len(ordered) - 1, 1))
    x_of = {p.id: round(margin + i * step, 1) for i, p in
            enumerate(ordered)}
    lines, dots = [], []
    for chain in chain_list:
        if not chain.incrementals:
            continue
        start = x_of[chain.full.id] if chain.full else \
            x_of[chain.incrementals[0].id]
        top = MAIN_Y if chain.full else HANG_Y
        lines.append({'points': '%s,%s %s,%s %s,%s' % (
            start, top, start, HANG_Y,
            x_of[chain.incrementals[-1].id], HANG_Y)})
    for p in ordered:
        dots.append({
            'point': p, 'x': x_of[p.id],
            'y': HANG_Y if p.incremental else MAIN_Y,
            'r': 4 if p.incremental else 7,
            'color': COLORS.get(p.status, OTHER_COLOR)})
    return {'width': width, 'height': SVG_HEIGHT, 'main_y': MAIN_Y,
            'end': round(margin + (len(ordered) - 1) * step, 1),
            'margin': margin, 'lines': lines, 'dots': dots,
            'first': ordered[0].time, 'last': ordered[-1].time}
