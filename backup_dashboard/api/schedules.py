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

"""Backup schedules as a Python API, in the shape of Trove's schedule spec.

``schedule_create/list/show/update/delete``, plus ``schedule_run_now``,
``schedule_reown`` and the index's ``schedule_page``; their runs are
``backup_dashboard.api.runs``. A schedule is a Mistral cron trigger of the
bundled schedule workflow (see ``backup_dashboard.schedule``), and its
restore drills, when on, a second one of the drill workflow
(``backup_dashboard.drill_schedule``), created, replaced and deleted with
it; nothing else stores them. Every call is scoped by Mistral to the
request's project, and ``show`` additionally refuses a trigger whose
project is not the user's.
"""
import logging

from django.utils.translation import gettext as _
from horizon import exceptions

from backup_dashboard.api import errors
from backup_dashboard.api import identity
from backup_dashboard.api import mistral
from backup_dashboard.api import runs
from backup_dashboard import conf
from backup_dashboard import drill_schedule
from backup_dashboard import errors as input_errors
from backup_dashboard import schedule as domain

LOG = logging.getLogger(__name__)

MANUAL_MARKER = 'backup_dashboard'


class ScheduleBusy(exceptions.Conflict):
    """A run is in progress; deleting the trigger now would kill it."""


class EditRolledBack(exceptions.RecoverableError):
    """The edit failed and the previous schedule was put back unchanged."""


class ReownRolledBack(exceptions.RecoverableError):
    """Re-creating the trigger failed; the old one was put back."""


def _env_name():
    return conf.get('BACKUP_DASHBOARD_MISTRAL_ENV')


def _min_interval():
    return conf.get('BACKUP_DASHBOARD_MIN_INTERVAL_MINUTES')


def schedule_list(request):
    """Every schedule of the project, sorted by name.

    Other triggers are left out: they belong to other workflows and are not
    ours to show.
    """
    triggers = mistral.cron_trigger_list(
        request, workflow_name=domain.SCHEDULE_WORKFLOW)
    schedules = [from_trigger(t) for t in triggers]
    return sorted((s for s in schedules if s is not None),
                  key=lambda s: s.name.lower())


def schedule_page(request, marker=None, backwards=False, size=20):
    """One page of the project's schedules by name.

    After (or, going `backwards`, before) the schedule named `marker`: Mistral
    sorts, filters and pages, so neither the call nor the rows grow with the
    number of schedules. Returns (schedules, more): `more` when another page
    follows in that direction.
    """
    filters = {'workflow_name': domain.SCHEDULE_WORKFLOW,
               'sort_keys': 'name', 'sort_dirs': 'desc' if backwards else
               'asc', 'limit': size + 1}
    if marker is not None:
        filters['name'] = '%s:%s' % ('lt' if backwards else 'gt', marker)
    found = [s for s in map(from_trigger, mistral.cron_trigger_list(
        request, **filters)) if s is not None]
    page = found[:size]
    if backwards:
        page.reverse()
    return page, len(found) > size


def from_trigger(trigger):
    """The schedule a cron trigger stores, or None if it is not ours."""
    return domain.Schedule.from_trigger(trigger)


def schedule_show(request, name):
    """One schedule of the project.

    A missing one, another project's or a trigger of another workflow is "not
    found", in the same plain words.
    """
    try:
        trigger = mistral.cron_trigger_get(request, name)
    except exceptions.NotFound:
        raise errors.not_found('schedule', name)
    schedule = from_trigger(trigger)
    project = getattr(request.user, 'tenant_id', None)
    if schedule is None or (schedule.project_id and project and
                            schedule.project_id != project):
        raise errors.not_found('schedule', name)
    schedule.drill = drill_schedule.Settings.from_trigger(
        _drill_trigger(request, name))
    return schedule


def _drill_trigger(request, name):
    """The drill trigger of schedule `name`, or None."""
    try:
        found = mistral.cron_trigger_get(request,
                                         drill_schedule.trigger_name(name))
    except exceptions.NotFound:
        return None
    return found if drill_schedule.Settings.from_trigger(found).on else None


def _valid_drill(schedule):
    settings = schedule.drill or drill_schedule.Settings()
    return settings.validate(schedule.timezone)


def _put_drill(request, schedule, settings):
    """Make the schedule's drill trigger say `settings` (none when off).

    Deletes the one there is, then creates the new one; if that fails, the
    old one is put back and the error raised.
    """
    old = _drill_trigger(request, schedule.name)
    if old is not None:
        settings.previous_ids = drill_schedule.Settings.from_trigger(
            old).trigger_ids[:drill_schedule.MAX_PREVIOUS_IDS]
        mistral.cron_trigger_delete(request, old.name)
    if not settings.on:
        return
    try:
        mistral.cron_trigger_create(request, **identity.with_owner(
            settings.to_trigger(schedule, env_name=_env_name()),
            request.user))
    except Exception:
        if old is not None:
            _recreate(request, old)
        raise


def _kwargs_of(trigger):
    """``cron_triggers.create`` keyword arguments that make `trigger` again."""
    return {'name': trigger.name,
            'workflow_identifier': trigger.workflow_name,
            'workflow_input': domain.as_dict(trigger.workflow_input),
            'workflow_params': domain.as_dict(trigger.workflow_params) or
            None,
            'pattern': trigger.pattern}


def _recreate(request, trigger, user=None):
    """Create `trigger` again as it was (its owner `user` when given)."""
    kwargs = _kwargs_of(trigger)
    if user is not None:
        kwargs = identity.with_owner(kwargs, user)
    return mistral.cron_trigger_create(request, **kwargs)


def schedule_exists(request, name):
    try:
        mistral.cron_trigger_get(request, name)
    except exceptions.NotFound:
        return False
    return True


def schedule_create(request, schedule):
    """Validate and store a new schedule; returns it as Mistral has it."""
    clean = domain.validate(schedule, _min_interval())
    drill = _valid_drill(schedule)
    if schedule_exists(request, clean.name):
        raise exceptions.Conflict(_('A schedule (or another cron trigger) '
                                    'named "%s" already exists in this '
                                    'project.') % clean.name)
    trigger = mistral.cron_trigger_create(request, **identity.with_owner(
        clean.to_trigger(env_name=_env_name()), request.user))
    try:
        _put_drill(request, clean, drill)
    except Exception as error:
        mistral.cron_trigger_delete(request, clean.name)
        raise EditRolledBack(_(
            'The schedule was not created: its restore drills could not be '
            'saved (%s).') % errors.reason(error))
    created = domain.Schedule.from_trigger(trigger) or clean
    created.drill = drill
    return created


def schedule_update(request, name, schedule):
    """Replace a schedule, putting the old one back if that fails.

    Replace a schedule: Mistral cannot update a trigger, so this deletes it and
    creates the new one, putting the old one back if that fails.
    """
    old = schedule_show(request, name)
    if schedule.name != old.name:
        raise input_errors.InputError(_(
            'A schedule cannot be renamed: instances are assigned to it by '
            'its name.'), 'name')
    clean = domain.validate(schedule, _min_interval())
    drill = _valid_drill(schedule)
    refuse_if_running(request, old)
    clean.previous_ids = runs.ids_with_runs(request, old.trigger_ids)
    before = mistral.cron_trigger_get(request, name)

    def rolled_back(reason):
        return EditRolledBack(_(
            'The schedule could not be saved (%s). The previous version '
            'was put back unchanged.') % reason)
    # The new triggers run with the editor's trust: they become the owner.
    trigger = _replace(
        request, name, identity.with_owner(
            clean.to_trigger(env_name=_env_name()), request.user),
        rolled_back)
    try:
        _put_drill(request, clean, drill)
    except Exception as error:
        LOG.warning('Saving the drills of %s failed, restoring: %s', name,
                    error)
        mistral.cron_trigger_delete(request, name)
        _restore(request, before)
        raise rolled_back(errors.reason(error))
    saved = domain.Schedule.from_trigger(trigger) or clean
    saved.drill = drill
    return saved


def schedule_reown(request, project_id, name):
    """Recreate a schedule under the caller's identity, name and input kept.

    The caller must be a member of the schedule's project (Mistral creates
    the trust in the token's project; admins switch to that project first):
    the trigger is read in the caller's project, so a name from the URL
    cannot reach another project's trigger. Its runs stay reachable: the
    new trigger lists the old trigger id among its ``previous_ids``, as an
    edit does. Refused while a run is in progress; if the re-creation fails,
    the old trigger is put back.
    """
    if getattr(request.user, 'tenant_id', None) != project_id:
        raise exceptions.NotAuthorized(_(
            'Switch to the schedule\'s project first: a schedule runs with '
            'a trust in its own project.'))
    schedule = schedule_show(request, name)
    old = mistral.cron_trigger_get(request, name)
    owner = identity.owner_of(old)
    if not identity.is_admin(request.user) and \
            (owner is None or owner['id'] != request.user.id):
        raise exceptions.NotAuthorized(_(
            'Only the schedule\'s owner or an admin can re-own it.'))
    refuse_if_running(request, schedule)
    kwargs = _kwargs_of(old)
    params = dict(kwargs['workflow_params'] or {})
    params.pop(identity.OWNER_KEY, None)
    kwargs['workflow_params'] = params or None
    earlier = runs.ids_with_runs(request, schedule.trigger_ids)
    if earlier:
        kwargs['workflow_input']['previous_ids'] = earlier
    trigger = _replace(
        request, name, identity.with_owner(kwargs, request.user),
        lambda reason: ReownRolledBack(_(
            'The schedule could not be re-created under your identity (%s). '
            'It was put back unchanged.') % reason))
    drill = _drill_trigger(request, name)
    if drill is not None:
        # Its drills run with a trust too: the same owner's.
        mistral.cron_trigger_delete(request, drill.name)
        try:
            _recreate(request, drill, request.user)
        except Exception as error:
            _recreate(request, drill)
            raise ReownRolledBack(_(
                'The schedule was re-created under your identity, but its '
                'restore drills could not be (%s); they still run as '
                'before.') % errors.reason(error))
    return domain.Schedule.from_trigger(trigger)


def _replace(request, name, kwargs, rolled_back):
    """Delete trigger `name` and create it again from `kwargs`.

    Delete trigger `name` and create it again from `kwargs` (Mistral cannot
    update a trigger); if the creation fails, put the old trigger back and
    raise ``rolled_back(reason)``.
    """
    old = mistral.cron_trigger_get(request, name)
    mistral.cron_trigger_delete(request, name)
    try:
        return mistral.cron_trigger_create(request, **kwargs)
    except Exception as error:
        LOG.warning('Re-creating schedule %s failed, restoring it: %s',
                    name, error)
        _restore(request, old)
        raise rolled_back(errors.reason(error))


def _restore(request, trigger):
    """Put a deleted trigger back.

    Put a deleted trigger back (it gets a new id, so the old id joins its
    earlier ids; without them if the deployed workflow predates that input).
    """
    kwargs = _kwargs_of(trigger)
    workflow_input = kwargs.pop('workflow_input')
    earlier = [trigger.id] + [i for i in workflow_input.get('previous_ids') or
                              [] if i != trigger.id]
    try:
        mistral.cron_trigger_create(
            request, workflow_input=dict(
                workflow_input, previous_ids=earlier[:runs.MAX_PREVIOUS_IDS]),
            **kwargs)
    except exceptions.BadRequest:
        mistral.cron_trigger_create(request, workflow_input=workflow_input,
                                    **kwargs)


def schedule_delete(request, name):
    """Delete a schedule and its drill trigger; refused while either runs."""
    schedule = schedule_show(request, name)
    refuse_if_running(request, schedule)
    mistral.cron_trigger_delete(request, name)
    if schedule.drill.on:
        try:
            mistral.cron_trigger_delete(
                request, drill_schedule.trigger_name(name))
        except exceptions.NotFound:
            pass


def refuse_if_running(request, schedule):
    running = runs.in_progress(request, schedule)
    if running is not None:
        raise ScheduleBusy(_(
            'A run of schedule "%(name)s" is in progress (started '
            '%(started)s). Changing or deleting the schedule now would stop '
            'that run, because Mistral revokes the schedule\'s trust. Try '
            'again when it has finished.') % {
                'name': schedule.name, 'started': runs.started_text(running)})
    drill = runs.drill_in_progress(request, schedule)
    if drill is not None:
        raise ScheduleBusy(_(
            'A restore drill of schedule "%(name)s" is in progress (started '
            '%(started)s). Changing or deleting the schedule now could stop '
            'it and leave its throwaway volume behind. Try again when it has '
            'finished.') % {'name': schedule.name,
                            'started': runs.started_text(drill)})


def schedule_run_now(request, name):
    """Start the schedule's workflow now, with the schedule's own input.

    The description carries the trigger id, like a cron-fired run's, so the
    run shows among the schedule's runs, and a marker saying it was manual.
    Refused while a run of the schedule is in progress, as edits and
    deletes are: a second run would only find the same volumes being backed
    up and skip them as overlaps, and says nothing the first will not.
    """
    schedule = schedule_show(request, name)
    running = runs.in_progress(request, schedule)
    if running is not None:
        raise ScheduleBusy(_(
            'A run of schedule "%(name)s" is already in progress (started '
            '%(started)s); no new run was started. Use "Run now" again when '
            'it has finished.') % {'name': schedule.name,
                                   'started': runs.started_text(running)})
    drill = runs.drill_in_progress(request, schedule, restoring=True)
    if drill is not None:
        raise ScheduleBusy(_(
            'A restore drill of schedule "%(name)s" is in progress (started '
            '%(started)s); no run was started, so that no backup it restores '
            'is rotated away. Use "Run now" again when it has finished.') % {
                'name': schedule.name, 'started': runs.started_text(drill)})
    description = {
        'description': 'Run now of backup schedule %s' % schedule.name,
        'triggered_by': {'type': MANUAL_MARKER, 'id': schedule.id,
                         'user': request.user.id},
    }
    params = {}
    if _env_name():
        params['env'] = _env_name()
    return mistral.execution_create(
        request, domain.SCHEDULE_WORKFLOW, schedule.workflow_input(),
        description, **params)
