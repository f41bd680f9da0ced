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

"""Run a measured call at each of several stack depths, and average them.

Why: CPython (3.11 on) keeps Python frames on a per-thread stack made of
16 KiB chunks, and frees a chunk as soon as its first frame returns. A page
whose hot loop (Django rendering a table's rows and cells) keeps calling
across a chunk boundary maps and unmaps a chunk on every such call: in
this benchmark one page cost 38 ms at one depth and 77 ms at another
(``mmap``/``munmap`` of 16384 bytes, thousands per request). Where the
boundaries fall depends on how deep the request starts, which is set by
the server (mod_wsgi, uWSGI, the test client, this script's own frames),
not by the page: a ratio measured at one depth is partly luck. CPython
issue gh-142183 ("Calls across stack chunks perform badly"), fixed in 2026
by keeping one spare chunk (backported to 3.13 and 3.14, not to 3.11,
which this machine runs).

So each timed request runs at every one of ``STEPS`` depths about 1 KiB
apart (one chunk in all), and a page's figure is the mean over those depths
of its median time at each depth: what it costs a server whose depth is
not known, the same for every page compared.
"""
import statistics

STEPS = 16
# One frame of _pad holds its locals, so each level moves the stack about
# 1 KiB: (110 locals + its evaluation stack + the frame header) x 8 bytes.
_LOCALS = 110
# (written out by code: 110 names by hand would only be noise)
_PAD_SOURCE = (
    'def _pad(call, levels):\n'
    '    %s = None\n'
    '    return _pad(call, levels - 1) if levels else call()\n'
    % ' = '.join('local%d' % i for i in range(_LOCALS)))
_namespace = {}
exec(compile(_PAD_SOURCE, __file__, 'exec'), _namespace)
_pad = _namespace['_pad']


def at_step(step, call):
    """``call()`` made `step` levels (about `step` KiB) deeper."""
    return _pad(call, step)


def steps(repeat):
    """The depth of each timed round.

    Every step `repeat` times, steps in turn, so rounds at one depth are spread
    over the run.
    """
    return [step for _round in range(repeat) for step in range(STEPS)]


def medians_by_depth(values, depths):
    """{depth: the median of the values measured at that depth}."""
    by_depth = {}
    for value, depth in zip(values, depths):
        by_depth.setdefault(depth, []).append(value)
    return {depth: statistics.median(v) for depth, v in by_depth.items()}


def mean_of_medians(values, depths):
    """The mean over depths of the median of the values at each depth."""
    return statistics.mean(medians_by_depth(values, depths).values())


def ratios_by_depth(ours, theirs, depths):
    """ours / theirs at each depth (medians at that depth), in depth order."""
    ours, theirs = (medians_by_depth(ours, depths),
                    medians_by_depth(theirs, depths))
    return [ours[depth] / theirs[depth] for depth in sorted(ours)]
