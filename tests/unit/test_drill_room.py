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

"""The drill's room in the volume quota: the workbook and the dashboard agree.

The dashboard refuses a drill the quota cannot hold
(``drills.room_problem``) and so does the workflow when a cron trigger
starts it (publish ``refusal`` of task ``room`` in workbooks/drill.yaml).
This evaluates that exact YAQL with Mistral's evaluator over generated
sizes and quotas, with and without kept volumes, and checks that both
refuse the same drills and count the same peak. One backup per volume: the
workflow counts a volume's largest available backup, the dashboard its
newest, which differ only for a volume extended since (the workflow is
then the stricter).
"""

from pathlib import Path

import pytest
import yaml

from backup_dashboard import drills

hypothesis = pytest.importorskip('hypothesis')
from hypothesis import given  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


REPO = Path(__file__).resolve().parents[2]
ROOM = yaml.safe_load((REPO / 'workbooks' / 'drill.yaml').read_text())[
    'backup_dashboard_drill']['tasks']['room']['publish']['refusal']
USED = 3


def limits(room):
    """Cinder's absolute limits for what the quota still allows."""
    def pair(left):
        return (-1, USED) if left is None else (USED + left, USED)
    max_volumes, used_volumes = pair(room['volumes'])
    max_gb, used_gb = pair(room['gigabytes'])
    return {'absolute': {'maxTotalVolumes': max_volumes,
                         'totalVolumesUsed': used_volumes,
                         'maxTotalVolumeGigabytes': max_gb,
                         'totalGigabytesUsed': used_gb}}


LEFT = st.one_of(st.none(), st.integers(min_value=0, max_value=60))


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(min_value=1, max_value=20), min_size=1,
                      max_size=6),
       volumes=LEFT, gigabytes=LEFT, keep=st.booleans())
def test_the_workflow_refuses_what_the_dashboard_refuses(
        ev, sizes, volumes, gigabytes, keep):
    room = {'volumes': volumes, 'gigabytes': gigabytes}
    chosen = ['v%d' % i for i in range(len(sizes))]
    data = {'keep': 3600 if keep else 0, 'concurrency': drills.CONCURRENCY,
            'chosen': chosen,
            'mine': [{'volume': v, 'size': s} for v, s in zip(chosen, sizes)]}
    refusal = ev(ROOM, data, task_result=limits(room))
    problem = drills.room_problem(sizes, room, keep)
    assert (refusal is None) == (problem is None), (refusal, problem)
    if refusal is not None:
        count, gb = drills.room_needed(sizes, keep)
        assert refusal.startswith(
            'the drill restores up to %d volumes of %d GB in all at once'
            % (count, gb)), refusal
