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

"""What the operator overview reads, in a fixed number of list calls.

Every call here lists a whole resource type across all projects (Nova
``all_tenants`` with tags, Cinder ``all_tenants``, Mistral ``all_projects``,
Keystone projects, users and effective role assignments), so the number of
backend requests does not depend on the number of instances, volumes or
schedules (only on how many pages a listing takes). ``collect`` issues them
in parallel; a service that fails leaves its part ``None`` and says why, so
the page shows what it can instead of failing.

Admin-only: the panel that calls this is restricted to admins, and the
services enforce it again (``all_tenants``/``all_projects`` need admin).
"""
import datetime
import logging

from django.utils.translation import gettext_lazy as _
from openstack_dashboard.api import keystone

from backup_dashboard.api import compute
from backup_dashboard.api import errors
from backup_dashboard.api import governance as governance_api
from backup_dashboard.api import mistral
from backup_dashboard.api import parallel
from backup_dashboard.api import storage
from backup_dashboard.clock import cron as clock
from backup_dashboard import drills as drill_domain
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)

# Runs older than this are not read: enough for three fires of a daily
# schedule and one of a weekly one, in one call.
RUN_WINDOW = datetime.timedelta(days=8)
RUNS_LIMIT = 5000
# Drills are weekly or monthly: three months says when the last good one
# was, beyond the 30 days after which a schedule is flagged.
DRILL_WINDOW = datetime.timedelta(days=90)
DRILLS_LIMIT = 2000
QUOTA_THREADS = 10

PARTS = ('projects', 'users', 'assignments', 'servers', 'volumes',
         'backups', 'triggers', 'runs', 'drills', 'drill_triggers',
         'workbook_problems')


def projects(request):
    return keystone.tenant_list(request, admin=True)[0]


def users(request):
    return keystone.user_list(request)


def assignments(request):
    """Effective (group and implied roles expanded) assignments, named."""
    # include_subtree=False: Keystone refuses it without a project.
    return keystone.role_assignments_list(request, effective=True,
                                          include_subtree=False,
                                          include_names=True)


def servers(request):
    return compute.all_servers(request)


def volumes(request):
    return storage.all_volumes(request)


def backups(request):
    return storage.all_backups(request)


def triggers(request):
    return mistral.cron_trigger_list(
        request, all_projects=True, workflow_name=domain.SCHEDULE_WORKFLOW)


def runs(request, since):
    """Root runs of every schedule of every project since `since`.

    Newest first, with their published result (outcome and errors).
    """
    return _executions_since(request, domain.SCHEDULE_WORKFLOW, since,
                             RUNS_LIMIT)


def _executions_since(request, workflow, since, limit):
    """Root executions of `workflow` in every project, newest first."""
    return mistral.execution_list(
        request, all_projects=True, workflow_name=workflow,
        created_at='gte:%s' % since.strftime('%Y-%m-%d %H:%M:%S'),
        nulls='task_execution_id', include_output=True,
        sort_keys='created_at', sort_dirs='desc', limit=limit)


def drill_triggers(request):
    """Every schedule's drill trigger (the schedule is in its input)."""
    return mistral.cron_trigger_list(
        request, all_projects=True,
        workflow_name=drill_domain.DRILL_WORKFLOW)


def drills(request, since):
    """Root drills of every project since `since`, with their results."""
    return _executions_since(request, drill_domain.DRILL_WORKFLOW, since,
                             DRILLS_LIMIT)


def workbook_problems(request):
    return mistral.workflow_problems(request)


def governance(request):
    """The admins' locks, templates and bounds, as a part of one item."""
    return [governance_api.variables(request)]


def backup_quotas(request, project_ids):
    """backup_quota of several projects, in parallel; None for a failure."""
    def one(project_id):
        try:
            return storage.backup_quota(request, project_id)
        except Exception:
            LOG.info('Backup quota of %s unavailable', project_id,
                     exc_info=True)
            return None
    ids = list(project_ids)
    found = []
    # At most QUOTA_THREADS requests at once: Horizon runs in a web worker.
    for start in range(0, len(ids), QUOTA_THREADS):
        found.extend(parallel.call_functions_parallel(
            *[(one, [pid]) for pid in ids[start:start + QUOTA_THREADS]]))
    return dict(zip(ids, found))


def collect(request, now=None, quota_for=None):
    """Every part of the overview, fetched in parallel.

    Returns ``(parts, errors)``: ``parts[name]`` is the list (None when that
    call failed) and ``errors`` the messages to show, one per failed part.
    ``quota_for``: a project id whose backup quota joins the same batch
    (``parts['quota']``): one batch, so the page waits for the slowest call
    once.
    """
    now = now or clock.now()
    since = now - RUN_WINDOW
    calls = {
        'projects': (projects, [request]),
        'users': (users, [request]),
        'assignments': (assignments, [request]),
        'servers': (servers, [request]),
        'volumes': (volumes, [request]),
        'backups': (backups, [request]),
        'triggers': (triggers, [request]),
        'runs': (runs, [request, since]),
        'drills': (drills, [request, now - DRILL_WINDOW]),
        'drill_triggers': (drill_triggers, [request]),
        'workbook_problems': (workbook_problems, [request]),
    }
    calls['governance'] = (governance, [request])
    names = list(PARTS) + ['governance']
    if quota_for:
        calls['quota'] = (lambda *a: [storage.backup_quota(*a)],
                          [request, quota_for])
        names.append('quota')
    failures = []

    def guarded(name):
        func, args = calls[name]

        def call():
            try:
                return list(func(*args))
            except Exception as error:
                LOG.info('Overview: %s unavailable', name, exc_info=True)
                failures.append('%s: %s' % (_WHAT[name],
                                            errors.explain(error)))
                return None
        return call
    results = parallel.call_functions_parallel(
        *[guarded(name) for name in names])
    parts = dict(zip(names, results))
    # the variables (a dict), None when they could not be read
    parts['governance'] = (parts['governance'] or [None])[0]
    if quota_for:
        parts['quota'] = (parts['quota'] or [None])[0]
    parts['since'] = since
    parts['now'] = now
    return parts, failures


_WHAT = {
    'projects': _('Projects (Keystone) could not be listed'),
    'users': _('Users (Keystone) could not be listed; owners are not '
               'checked'),
    'assignments': _('Role assignments (Keystone) could not be listed; '
                     'owners\' roles are not checked'),
    'servers': _('Instances (Nova) could not be listed'),
    'volumes': _('Volumes (Cinder) could not be listed'),
    'backups': _('Backups (Cinder) could not be listed; backup ages '
                 'unknown'),
    'triggers': _('Schedules (Mistral) could not be listed'),
    'runs': _('Runs (Mistral) could not be listed; run health unknown'),
    'drills': _('Restore drills (Mistral) could not be listed'),
    'drill_triggers': _('Drill schedules (Mistral) could not be listed; '
                        'schedules are not flagged for drills being off'),
    'workbook_problems': _('The workflows in Mistral could not be checked'),
    'quota': _('The backup quota (Cinder) could not be read'),
    'governance': _('The schedule bounds (Mistral) could not be read; '
                    'schedules are not checked against them'),
}
