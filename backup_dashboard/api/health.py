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

"""One schedule's full health, for its detail page.

The schedules index judges every schedule of a page from one list of runs
(``executions.attach_health``); a schedule's own page reads more: its
trigger (for the owner), its newest runs with their results, the workflow
check and the project's role assignments, in parallel.
"""
import logging

from openstack_dashboard.api import keystone

from backup_dashboard.api import identity
from backup_dashboard.api import mistral
from backup_dashboard.api import parallel
from backup_dashboard.api import runs
from backup_dashboard.clock import cron as clock
from backup_dashboard import executions
from backup_dashboard import health

LOG = logging.getLogger(__name__)
DETAIL_RUNS = 20


def schedule_health(request, schedule, now=None):
    """(Health, owner) of one schedule, in four calls made in parallel.

    Its trigger (for the owner), its newest runs with their results, the
    workflow check, and the project's effective role assignments (which a
    non-admin may be refused: the owner is then not checked in Keystone).
    """
    now = now or clock.now()
    project_id = schedule.project_id or request.user.tenant_id

    def guarded(func, *args, **kwargs):
        def call():
            try:
                return func(*args, **kwargs)
            except Exception:
                LOG.info('Schedule health: %s unavailable', func.__name__,
                         exc_info=True)
                return None
        return call
    trigger, page, problems, granted = \
        parallel.call_functions_parallel(
            guarded(mistral.cron_trigger_get, request, schedule.name),
            guarded(runs.run_page, request, schedule=schedule,
                    limit=DETAIL_RUNS),
            guarded(mistral.workflow_problems, request),
            guarded(keystone.role_assignments_list, request,
                    project=project_id, effective=True,
                    include_names=True))
    owner = identity.owner_of(trigger) if trigger is not None else None
    roles = None
    if owner is not None and granted is not None:
        roles = {(a.role or {}).get('name') for a in granted
                 if (a.user or {}).get('id') == owner['id']}
    listed, more = page if page is not None else ([], False)
    facts = [executions.facts(r, with_output=True) for r in listed]
    since = now if page is None else (
        min(f.started for f in facts) if more and facts else None)
    result = health.assess(
        schedule, facts, now, owner=owner,
        project_name=getattr(request.user, 'project_name', '') or '',
        roles=roles, workbook_problems=problems or (), history_since=since)
    return result, owner
