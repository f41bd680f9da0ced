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

from horizon import exceptions
from openstack_dashboard.api import cinder
from openstack_dashboard.api import keystone

from backup_dashboard.api import compute
from backup_dashboard.api import identity
from backup_dashboard.api import mistral
from backup_dashboard.api import parallel
from backup_dashboard.api import schedules
from backup_dashboard import executions
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)

# Runs older than this are not read: enough for three fires of a daily
# schedule and one of a weekly one, in one call.
RUN_WINDOW = datetime.timedelta(days=8)
RUNS_LIMIT = 5000
QUOTA_THREADS = 10
# Cinder 3.18 returns each backup's project.
BACKUP_MICROVERSION = '3.18'
BACKUP_PROJECT_ATTR = 'os-backup-project-attr:project_id'
VOLUME_PROJECT_ATTR = 'os-vol-tenant-attr:tenant_id'

PARTS = ('projects', 'users', 'assignments', 'servers', 'volumes',
         'backups', 'triggers', 'runs', 'workbook_problems')


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


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
    """Every server of every project, with its tags (Nova 2.26+)."""
    return compute._client(request).servers.list(
        search_opts={'all_tenants': True}, limit=-1)


def volumes(request):
    return cinder.cinderclient(request).volumes.list(
        search_opts={'all_tenants': 1})


def backups(request):
    return cinder.cinderclient(request, BACKUP_MICROVERSION).backups.list(
        search_opts={'all_tenants': 1})


def triggers(request):
    return mistral.cron_trigger_list(
        request, all_projects=True, workflow_name=domain.SCHEDULE_WORKFLOW)


def runs(request, since):
    """Root runs of every schedule of every project since `since`, newest
    first, with their published result (outcome and errors)."""
    return mistral.execution_list(
        request, all_projects=True, workflow_name=domain.SCHEDULE_WORKFLOW,
        created_at='gte:%s' % since.strftime('%Y-%m-%d %H:%M:%S'),
        nulls='task_execution_id', include_output=True,
        sort_keys='created_at', sort_dirs='desc', limit=RUNS_LIMIT)


def workbook_problems(request):
    return mistral.workflow_problems(request)


def backup_quota(request, project_id):
    """{'backups': (in use, limit), 'gigabytes': (in use, limit)} of one
    project (-1: unlimited). One call per project: the CSV report and the
    project page only, never per instance."""
    quotas = cinder.cinderclient(request).quotas.get(project_id, usage=True)
    result = {}
    for key, name in (('backups', 'backups'),
                      ('gigabytes', 'backup_gigabytes')):
        value = getattr(quotas, name, None)
        if isinstance(value, dict):
            result[key] = (value.get('in_use'), value.get('limit'))
        else:
            result[key] = (None, value)
    return result


def backup_quotas(request, project_ids):
    """backup_quota of several projects, in parallel; None for a failure."""
    def one(project_id):
        try:
            return backup_quota(request, project_id)
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
    now = now or utcnow()
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
        'workbook_problems': (workbook_problems, [request]),
    }
    names = list(PARTS)
    if quota_for:
        calls['quota'] = (lambda *a: [backup_quota(*a)], [request, quota_for])
        names.append('quota')
    errors = []

    def guarded(name):
        func, args = calls[name]

        def call():
            try:
                return list(func(*args))
            except Exception as error:
                LOG.info('Overview: %s unavailable', name, exc_info=True)
                errors.append('%s: %s' % (_WHAT[name], _reason(error)))
                return None
        return call
    results = parallel.call_functions_parallel(
        *[guarded(name) for name in names])
    parts = dict(zip(names, results))
    if quota_for:
        parts['quota'] = (parts['quota'] or [None])[0]
    parts['since'] = since
    parts['now'] = now
    return parts, errors


_WHAT = {
    'projects': 'Projects (Keystone) could not be listed',
    'users': 'Users (Keystone) could not be listed; owners are not checked',
    'assignments': 'Role assignments (Keystone) could not be listed; '
                   'owners\' roles are not checked',
    'servers': 'Instances (Nova) could not be listed',
    'volumes': 'Volumes (Cinder) could not be listed',
    'backups': 'Backups (Cinder) could not be listed; backup ages unknown',
    'triggers': 'Schedules (Mistral) could not be listed',
    'runs': 'Runs (Mistral) could not be listed; run health unknown',
    'workbook_problems': 'The workflows in Mistral could not be checked',
    'quota': 'The backup quota (Cinder) could not be read',
}


def _reason(error):
    return getattr(error, 'message', None) or str(error) or \
        error.__class__.__name__


# --- re-own a broken schedule

def is_admin(user):
    roles = getattr(user, 'roles', None) or []
    return bool(getattr(user, 'is_superuser', False)) or any(
        (r.get('name') if isinstance(r, dict) else r) == 'admin'
        for r in roles)


class ReownRolledBack(exceptions.RecoverableError):
    """Re-creating the trigger failed; the old one was put back."""


def schedule_reown(request, project_id, name):
    """Recreate a schedule under the caller's identity, name and input kept.

    The caller must be a member of the schedule's project (Mistral creates
    the trust in the token's project; admins switch to that project first):
    the trigger is read in the caller's project, so a name from the URL
    cannot reach another project's trigger. Its runs stay reachable: the new
    trigger keeps the name and input, and lists the old trigger id among its
    ``previous_ids`` (as an edit does); the runs themselves are untouched. Refused while
    a run is in progress (deleting a trigger revokes its trust); if the
    re-creation fails, the old trigger is put back.
    """
    if getattr(request.user, 'tenant_id', None) != project_id:
        raise exceptions.NotAuthorized(
            'Switch to the schedule\'s project first: a schedule runs with a '
            'trust in its own project.')
    schedule = schedules.schedule_show(request, name)
    old = mistral.cron_trigger_get(request, name)
    owner = identity.owner_of(old)
    if not is_admin(request.user) and \
            (owner is None or owner['id'] != request.user.id):
        raise exceptions.NotAuthorized(
            'Only the schedule\'s owner or an admin can re-own it.')
    schedules.refuse_if_running(request, schedule)
    params = identity._as_dict(old.workflow_params)
    params.pop(identity.OWNER_KEY, None)
    workflow_input = dict(identity._as_dict(old.workflow_input))
    # The new trigger has a new id: keep the ids its runs carry, as an edit
    # does, so the schedule's runs list still shows them.
    earlier = schedules._ids_with_runs(request, schedule.trigger_ids)
    if earlier:
        workflow_input['previous_ids'] = earlier
    kwargs = identity.with_owner({
        'name': old.name,
        'workflow_identifier': old.workflow_name,
        'workflow_input': workflow_input,
        'workflow_params': params or None,
        'pattern': old.pattern,
    }, request.user)
    mistral.cron_trigger_delete(request, name)
    try:
        trigger = mistral.cron_trigger_create(request, **kwargs)
    except Exception as error:
        LOG.warning('Re-owning schedule %s failed, restoring it: %s',
                    name, error)
        schedules._restore(request, old)
        raise ReownRolledBack(
            'The schedule could not be re-created under your identity (%s). '
            'It was put back unchanged.' % _reason(error))
    return domain.Schedule.from_trigger(trigger)


# --- one schedule's full health (its detail page) ---

DETAIL_RUNS = 20


def schedule_health(request, schedule, now=None):
    """(Health, owner) of one schedule, in four calls made in parallel:
    its trigger (for the owner), its newest runs with their results, the
    workflow check, and the project's effective role assignments (which a
    non-admin may be refused: the owner is then not checked in Keystone)."""
    from backup_dashboard import health
    now = now or utcnow()
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
            guarded(schedules.run_page, request, schedule=schedule,
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
    runs, more = page if page is not None else ([], False)
    facts = [executions.facts(r, with_output=True) for r in runs]
    since = now if page is None else (
        min(f.started for f in facts) if more and facts else None)
    result = health.assess(
        schedule, facts, now, owner=owner,
        project_name=getattr(request.user, 'project_name', '') or '',
        roles=roles, workbook_problems=problems or (), history_since=since)
    return result, owner
