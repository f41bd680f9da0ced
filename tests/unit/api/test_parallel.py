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

import threading

import pytest

from backup_dashboard.api import parallel


def test_results_in_the_order_given_for_every_form_of_worker():
    def add(a, b=0):
        return a + b

    assert parallel.call_functions_parallel(
        lambda: 'plain', (add, [1]), (add, (1,), {'b': 2})) == ('plain', 1, 3)


def test_calls_really_run_at_the_same_time():
    # each call waits for the other: run one after the other, both time out
    barrier = threading.Barrier(2, timeout=120)

    def meet():
        return barrier.wait()

    assert sorted(parallel.call_functions_parallel(meet, meet)) == [0, 1]


def test_an_exception_of_a_call_is_raised_after_all_calls_ended():
    ended = []

    def fail():
        raise ValueError('Cinder is down')

    def slow():
        ended.append(True)
        return 'ok'

    with pytest.raises(ValueError, match='Cinder is down'):
        parallel.call_functions_parallel(fail, slow)
    assert ended == [True]


def test_one_or_no_call_runs_inline():
    assert parallel.call_functions_parallel(
        lambda: threading.current_thread()) == (threading.current_thread(),)
    assert parallel.call_functions_parallel() == ()
