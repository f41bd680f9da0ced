"""Keeping schedules anchored to their local time (see docs/dst.rst).

There is no maintenance workflow: a cron-fired workflow cannot recreate a
cron trigger (Keystone refuses the trust). A schedule saved through
``schedules.schedule_create/update`` is anchored for ten years; these are
for the views that show whether it still is, and for the one action that
fixes one that is not, done by the user at the dashboard.

    anchor_states(request) -> [(Schedule, dst.AnchorState)]   one Mistral call
    reanchor(request, name) -> Schedule                        save it again
"""
from backup_dashboard.api import mistral
from backup_dashboard.api import schedules
from backup_dashboard import dst
from backup_dashboard import schedule as domain


def anchor_states(request, now=None):
    """Every schedule of the project with whether it runs at its local time
    over the coming year, sorted by name; one call to Mistral."""
    triggers = mistral.cron_trigger_list(
        request, workflow_name=domain.SCHEDULE_WORKFLOW)
    out = []
    for trigger in triggers:
        schedule = domain.Schedule.from_trigger(trigger)
        if schedule is not None:
            out.append((schedule, dst.anchor_state(trigger, now)))
    return sorted(out, key=lambda pair: pair[0].name.lower())


def reanchor(request, name):
    """Save a schedule again, unchanged, so that its trigger gets the union
    pattern and a fresh plan. Like any edit it deletes and recreates the
    trigger (restored if that fails), refuses while a run is in progress,
    and the user doing it becomes its owner."""
    schedule = schedules.schedule_show(request, name)
    # The stored pattern may be the union; validation wants the plain one.
    schedule.pattern = dst.current_pattern(schedule)
    return schedules.schedule_update(request, name, schedule)
