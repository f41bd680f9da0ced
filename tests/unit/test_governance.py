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

"""Retention locks: the project's own replaces the default; checks."""
import pytest

from backup_dashboard import errors
from backup_dashboard import governance
from backup_dashboard import schedule as domain

VARIABLES = {'other': 'kept', 'retention_lock': {
    'default': {'count': 2, 'days': None},
    'projects': {'p1': {'count': None, 'days': 30},
                 'p2': {'count': 0, 'days': None}}}}


def test_a_projects_own_lock_replaces_the_default():
    assert governance.lock_for(VARIABLES, 'p1') == governance.Lock(
        None, 30, governance.PROJECT)
    assert governance.lock_for(VARIABLES, 'p3') == governance.Lock(
        2, None, governance.DEFAULT)
    # an entry that keeps nothing is no lock (and no fall-back either)
    assert governance.lock_for(VARIABLES, 'p2') is None
    assert governance.lock_for({}, 'p1') is None
    assert governance.lock_for({'retention_lock': 'junk'}, 'p1') is None


def test_with_lock_keeps_every_other_key_and_clears():
    new = governance.with_lock(VARIABLES, 'p3', 5, 7)
    assert new['other'] == 'kept'
    assert governance.lock_for(new, 'p3').as_input() == {'count': 5,
                                                         'days': 7}
    assert governance.lock_for(new, 'p1').days == 30
    cleared = governance.with_lock(new, 'p3', None, None)
    assert governance.lock_for(cleared, 'p3').source == governance.DEFAULT
    no_default = governance.with_lock(cleared, None, None, None)
    assert governance.lock_for(no_default, 'p3') is None
    assert VARIABLES['retention_lock']['default'] == {'count': 2,
                                                      'days': None}


@pytest.mark.parametrize('count,days', [
    ('0', None), ('-1', None), ('1001', None), ('2.5', None),
    (None, '36501'), (None, 'x'), ('03', None)])
def test_out_of_range_input_is_refused_with_the_limit(count, days):
    with pytest.raises(errors.InputError) as raised:
        governance.validate(count, days)
    assert 'from 1 to' in str(raised.value)


def test_valid_input_is_taken_as_typed():
    assert governance.validate('3', '') == (3, None)
    assert governance.validate(None, '36500') == (None, 36500)


def test_refusal_names_what_the_schedule_lacks():
    lock = governance.Lock(3, 30, governance.PROJECT)
    low = domain.Schedule(name='n', max_full=2, keep_days=7)
    text = governance.refusal(low, lock)
    assert 'at least 3 full backups' in text and '30 days' in text
    assert governance.refusal(domain.Schedule(
        name='n', max_full=3, keep_days=None), lock) is None
    assert governance.refusal(low, None) is None
