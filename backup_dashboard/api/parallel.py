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

"""Backend calls made at once, as Horizon's ``call_functions_parallel``.

Horizon's helper (``openstack_dashboard.utils.futurist_utils``) leaves its
futurist pool with ``shutdown(wait=True)``. Since futurist 3.2 an idle worker
only notices the shutdown when its one-second queue wait runs out, so every
batch costs about a second of wall time whatever the calls cost
(benchmarks/RESULTS.md). The standard library's pool wakes its workers at
shutdown; the signature and the results are Horizon's.
"""
import concurrent.futures
import functools


def _call_of(worker_def):
    """A callable, or (callable, args) or (callable, args, kwargs)."""
    if callable(worker_def):
        return worker_def
    func = worker_def[0]
    args = worker_def[1] if len(worker_def) > 1 else ()
    kwargs = worker_def[2] if len(worker_def) > 2 else {}
    return functools.partial(func, *args, **kwargs)


def call_functions_parallel(*worker_defs):
    """Call each worker at once; their results, in the order given.

    An exception of a call is raised here, as Horizon's does; callers that
    want partial results wrap their calls.
    """
    calls = [_call_of(d) for d in worker_defs]
    if len(calls) < 2:
        # no thread for a single call (it would only add its start-up)
        return tuple(call() for call in calls)
    with concurrent.futures.ThreadPoolExecutor(
            max_workers=len(calls),
            thread_name_prefix='backup-dashboard') as pool:
        futures = [pool.submit(call) for call in calls]
    return tuple(future.result() for future in futures)
