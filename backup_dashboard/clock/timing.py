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

"""What a trigger keeps of its timing, so that no page works it out again.

Every page that lists schedules asks each one when its trigger fires (the
values its UTC pattern allows, as croniter reads them) and how far apart
its runs are (health's tolerance and missed fires: a walk over 200 times of
the local pattern). Both follow from the patterns alone, so saving a
schedule works them out once (``for_trigger``) and the trigger keeps them in
its workflow_params under ``PARAM``, beside the time zone plan: Mistral
stores them and hands them to each run's params, and no workflow reads
them. ``utc_sets`` and ``gaps`` read them back; for a trigger saved by an
earlier version (no ``PARAM``), or facts made for other patterns, they are
worked out as before, once per pattern text per process (``cron``'s
caches), and a plan's own UTC values serve when it has them.
"""
import datetime

from backup_dashboard.clock import cron

PARAM = 'backup_dashboard_timing'
VERSION = 1


def for_trigger(local_pattern, pattern):
    """The facts a trigger of `pattern` (UTC) for `local_pattern` keeps."""
    found = cron.intervals(local_pattern)
    return {'version': VERSION, 'local_pattern': local_pattern,
            'pattern': pattern, 'utc': cron.cron_sets(pattern),
            'gaps': None if found is None else
            [int(g.total_seconds() // 60) for g in found]}


def of(params, local_pattern, pattern):
    """The facts workflow_params (a dict) carry for these patterns, or None.

    None too when they were made for other patterns (a hand-made trigger)
    or by another version: the caller then works them out.
    """
    found = params.get(PARAM) if isinstance(params, dict) else None
    if not isinstance(found, dict) or found.get('version') != VERSION or \
            (found.get('local_pattern'), found.get('pattern')) != (
                local_pattern, pattern) or \
            not isinstance(found.get('utc'), dict) or not _gaps_ok(found):
        return None
    return found


def _gaps_ok(facts):
    found = facts.get('gaps', False)
    return found is None or (isinstance(found, list) and len(found) == 2 and
                             all(isinstance(m, int) for m in found))


def utc_sets(facts, plan, pattern):
    """The values each field of the UTC `pattern` allows (``cron_sets``)."""
    if facts is not None:
        return facts['utc']
    if plan and plan.get('pattern') == pattern and \
            isinstance(plan.get('utc'), dict):
        return plan['utc']      # the plan keeps them too (clock.plans)
    return cron.cron_sets(pattern)


def gaps(facts, local_pattern):
    """(shortest, longest) gap between two times of `local_pattern`.

    As ``cron.intervals``: None when it never runs twice.
    """
    if facts is None:
        return cron.intervals(local_pattern)
    found = facts['gaps']
    if not found:
        return None
    return tuple(datetime.timedelta(minutes=m) for m in found)
