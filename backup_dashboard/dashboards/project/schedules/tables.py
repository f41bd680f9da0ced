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

"""The Backup Schedules table and its actions.

A row per schedule with its timing, last run and health; the actions
create, edit, run now, delete, re-own (the viewer takes over a schedule
whose owner's trust fails) and re-anchor (save again, unchanged, for a
fresh time zone plan).
"""
from urllib import parse

from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
# Eager ngettext in action_present/action_past: Horizon calls them while
# rendering each row (several times per action), always inside a request
# with its language active, and each ngettext_lazy with a count builds a
# new lazy proxy class.
from django.utils.translation import ngettext
from horizon import messages
from horizon import tables

from backup_dashboard import api
from backup_dashboard.api import maintenance
from backup_dashboard.dashboards.common import actions
from backup_dashboard.dashboards.common.actions import reasons_shown
from backup_dashboard.dashboards.common import display
from backup_dashboard.dashboards.common import dropdown
from backup_dashboard.dashboards.common import links
from backup_dashboard.dashboards.project.schedules import consequences
from backup_dashboard.dashboards.project.schedules import drill_tables

INDEX_URL = 'horizon:project:backup_schedules:index'


class CreateSchedule(tables.LinkAction):
    name = 'create'
    verbose_name = _("Create Schedule")
    url = 'horizon:project:backup_schedules:create'
    classes = ('ajax-modal',)
    icon = 'plus'


class UpdateSchedule(tables.LinkAction):
    name = 'update'
    verbose_name = _("Edit Schedule")
    url = 'horizon:project:backup_schedules:update'
    classes = ('ajax-modal',)
    icon = 'pencil'


class RunNow(tables.BatchAction):
    name = 'run_now'
    icon = 'play'
    # (BatchAction's default help text says the action cannot be undone)
    help_text = _("Starts a run now, besides the schedule's own times. "
                  "It is refused while a run of the schedule is going.")
    # Horizon's own success message names the schedule only; action() says
    # it with the link to the run it started, so Horizon's goes at a level
    # that is not shown (a refusal still shows Horizon's error).
    default_message_level = 'debug'

    @staticmethod
    def action_present(count):
        return ngettext("Run Now", "Run Now", count)

    @staticmethod
    def action_past(count):
        return ngettext("Started a run of schedule",
                        "Started runs of schedules", count)

    def action(self, request, obj_id):
        with reasons_shown(request, _('Unable to start schedule "%s"')
                           % obj_id):
            run = api.schedules.schedule_run_now(request, obj_id)
        messages.success(request, started_message(obj_id, run))


def started_message(name, run):
    """What Run Now says once `run` started.

    The schedule and a link to the run's detail (Backup Runs).

    The name is escaped and the link is reversed, never pasted from text;
    an id that cannot be a run's URL links to the schedule's runs instead.
    """
    try:
        url = links.run_detail_url(run)
        text = gettext("View the run")
    except NoReverseMatch:
        url = '%s?%s' % (reverse('horizon:project:backup_runs:index'),
                         parse.urlencode({'schedule': name}))
        text = gettext("View the schedule's runs")
    return format_html(
        gettext('Started a run of schedule "{name}". {link}'), name=name,
        link=format_html('<a href="{}" class="backup-run-started">{}</a>',
                         url, text))


class DeleteSchedule(tables.DeleteAction):
    # Said in the confirmation; a row says its own schedule's backups.
    help_text = _("The backups they made are kept and stay protected as "
                  "automated backups; no rotation deletes them any more. "
                  "Instances keep their backup tag until you change them. "
                  "A schedule's own Delete says how many it has.")

    def update(self, request, datum):
        # `held_backups`: (count, GB) or None (not counted) when the page
        # read the project's backups (consequences.held_backups).
        if datum is not None and hasattr(datum, 'held_backups'):
            self.help_text = consequences.fate_text(request,
                                                    datum.held_backups)

    @staticmethod
    def action_present(count):
        return ngettext("Delete Schedule", "Delete Schedules", count)

    @staticmethod
    def action_past(count):
        return ngettext("Deleted Schedule", "Deleted Schedules", count)

    def delete(self, request, obj_id):
        with reasons_shown(request, _('Unable to delete schedule "%s"')
                           % obj_id):
            api.schedules.schedule_delete(request, obj_id)


class ReownSchedule(actions.ReownSchedule):
    """Recreate the schedule under the current user's identity.

    Offered to its owner when its trust looks refused (broken, or fires
    missed, which is what Mistral does with a refused trust), and to admins.
    """
    help_text = _("The schedule is recreated with your identity and keeps "
                  "its name, settings and runs. Only its owner or an admin "
                  "can do this.")

    def allowed(self, request, schedule=None):
        # Admins may take over any schedule of the project they work in.
        health = getattr(schedule, 'health', None)
        return schedule is None or api.identity.is_admin(request.user) or (
            health is not None and
            bool({'broken', 'missed'}.intersection(health.codes)))


class ReanchorSchedule(tables.BatchAction):
    """Save the schedule again, unchanged, so that it keeps its local time.

    Save the schedule again, unchanged, so that it keeps its local time across
    clock changes (docs/dst.rst): offered when its time zone plan is missing,
    running out or no longer matches the zone's rules.
    """
    name = 'reanchor'
    icon = 'clock-o'
    help_text = _("The schedule is saved again unchanged, with a time zone "
                  "plan for ten years; you become its owner. Refused while a "
                  "run is in progress.")

    @staticmethod
    def action_present(count):
        return ngettext("Re-anchor Schedule", "Re-anchor Schedules",
                        count)

    @staticmethod
    def action_past(count):
        return ngettext("Re-anchored Schedule", "Re-anchored Schedules",
                        count)

    def allowed(self, request, schedule=None):
        if schedule is None:
            return True
        health = getattr(schedule, 'health', None)
        if health is not None:          # the index: already judged
            return 'unanchored' in health.codes
        return schedule.anchor_problem() is not None

    def action(self, request, obj_id):
        with reasons_shown(request, _('Unable to re-anchor schedule "%s"')
                           % obj_id):
            maintenance.reanchor(request, obj_id)


_detail_url = links.detail_link('horizon:project:backup_schedules:detail',
                                'name')


class SchedulesTable(dropdown.RowActionsDropdown, tables.DataTable):
    name = tables.Column('name', verbose_name=_("Name"), link=_detail_url)
    when = tables.Column(lambda s: s.describe(), verbose_name=_("Runs"))
    cron = tables.Column('local_pattern', verbose_name=_("Cron"))
    timezone = tables.Column('timezone', verbose_name=_("Time zone"))
    next_run = display.ZonedColumn(
        lambda s, zone: display.time_html(s.next_run, zone),
        verbose_name=_("Next run"))
    retention = tables.Column(lambda s: s.retention_text(),
                              verbose_name=_("Keeps"))
    instances = tables.Column('instance_count', verbose_name=_("Instances"))
    last_run = display.ZonedColumn(display.last_run_html,
                                   verbose_name=_("Last run"))
    # From the runs the index lists anyway (see display.attach_health).
    health = display.ZonedColumn(
        lambda s, zone: display.health_badge(getattr(s, 'health', None),
                                             zone),
        verbose_name=_("Health"))

    def get_object_id(self, datum):
        return datum.name

    def get_object_display(self, datum):
        return datum.name

    class Meta(object):
        name = 'schedules'
        verbose_name = _("Backup Schedules")
        table_actions = (CreateSchedule, DeleteSchedule)
        row_actions = (UpdateSchedule, RunNow, drill_tables.RunDrill,
                       ReanchorSchedule, ReownSchedule, DeleteSchedule)
