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

"""What the admin's lock forms ask of the domain: the default, lowering."""
import pytest

from backup_dashboard import governance

Lock = governance.Lock


def test_the_default_lock_whatever_the_projects_hold():
    assert governance.default_lock({}) is None
    assert governance.default_lock(None) is None
    variables = {governance.LOCK_KEY: {
        'default': {'count': 4, 'days': None},
        'projects': {'p1': {'count': 9, 'days': 9}}}}
    assert governance.default_lock(variables) == Lock(4, None,
                                                      governance.DEFAULT)
    # the default of a project without its own is the same lock
    assert governance.default_lock(variables) == governance.lock_for(
        variables, 'p2')
    for junk in ({'count': 0, 'days': None}, 'x', None, {'days': '-3'}):
        assert governance.default_lock(
            {governance.LOCK_KEY: {'default': junk}}) is None


def test_setting_then_clearing_the_default_round_trips():
    variables = governance.with_lock({'other': 1}, None, 3, 30)
    assert governance.default_lock(variables) == Lock(3, 30)
    cleared = governance.with_lock(variables, None, None, None)
    assert governance.default_lock(cleared) is None
    assert cleared['other'] == 1


@pytest.mark.parametrize('before, after, expected', [
    (None, None, ()),
    (None, Lock(1, 1), ()),
    (Lock(5, None), None, ('count',)),
    (Lock(5, 7), None, ('count', 'days')),
    (Lock(5, 7), Lock(5, 7), ()),
    (Lock(5, 7), Lock(6, 8), ()),
    (Lock(5, 7), Lock(4, 8), ('count',)),
    (Lock(5, 7), Lock(6, None), ('days',)),
    (Lock(None, 7), Lock(1, 6), ('days',)),
    (Lock(5, None), Lock(None, 365), ('count',)),
])
def test_lowered_names_each_limit_that_keeps_less(before, after, expected):
    assert governance.lowered(before, after) == expected


def test_the_source_does_not_matter_to_lowering():
    assert governance.lowered(Lock(5, None, governance.DEFAULT),
                              Lock(5, None, governance.PROJECT)) == ()
