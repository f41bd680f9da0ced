"""Keeping schedules anchored to their local time (see docs/dst.rst).

There is no maintenance workflow: a cron-fired workflow cannot recreate a
cron trigger (Keystone refuses the trust). A schedule saved through
``schedules.schedule_create/update`` carries a time zone plan for ten
years (``Schedule.anchor_problem`` says when it no longer fits the zone's
rules); ``reanchor`` is the one action that fixes it, done by the user at
the dashboard.
"""
from backup_dashboard.api import schedules


def reanchor(request, name):
    """Save a schedule again, unchanged, so that its trigger gets a fresh
    UTC pattern and plan. Like any edit it deletes and recreates the
    trigger (restored if that fails), refuses while a run is in progress,
    and the user doing it becomes its owner."""
    return schedules.schedule_update(
        request, name, schedules.schedule_show(request, name))
