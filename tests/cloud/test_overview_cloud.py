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

"""The Backups Overview against the real local OpenStack.

Admin > Data Protection > Backups Overview against the real local OpenStack,
with two projects (demo, alt):

* an instance of alt with no schedule is shown as unprotected;
* a schedule whose owner was removed from demo is shown as broken, and an
  admin working in demo re-owns it (same name, new owner, healthy again);
* a schedule missed a real cron fire and is shown as missed.

The shared Mistral cannot be stopped here (other tests run on it), so the
missed fire is produced another real way: Mistral drops a cron fire whose
owner's trust Keystone refuses (its owner had lost the member role at that
minute; it is given back afterwards, so the schedule is missed, not broken).
One cron minute is waited for (the other schedule is made meanwhile); alt's
seeded instance ``alt-app`` is the unprotected one (checked first).
"""
import datetime
import re
import time
import uuid

from keystoneclient.v3 import client as keystone_client
import pytest

from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud import horizon

pytestmark = pytest.mark.cloud
OVERVIEW = '/admin/backups_overview/'
SCHEDULES = '/project/backup_schedules/'
FORM = {
    'description': 'overview cloud test', 'kind': 'cron', 'minute': '0',
    'timezone': 'UTC',
    'hour': '2', 'weekday': '1', 'day': '1', 'mode': 'full',
    'max_full': '1', 'max_incremental': '0', 'keep_days': '',
    'in_use': 'snapshot', 'report_to': '',
}


class Throwaway(object):
    """Users made for this test in project demo, deleted afterwards."""

    def __init__(self, admin, cleanup):
        self.keystone = keystone_client.Client(session=admin.session)
        self.cleanup = cleanup
        self.demo = self.keystone.projects.find(name='demo')
        self.member = self.keystone.roles.find(name='member')
        self.admin_role = self.keystone.roles.find(name='admin')

    def user(self, prefix, role=None):
        name, password = conftest.unique(prefix), uuid.uuid4().hex
        user = self.keystone.users.create(name=name, password=password,
                                          domain='default')
        self.cleanup.add('delete user %s' % name, self.keystone.users.delete,
                         user)
        self.keystone.roles.grant(role or self.member, user=user,
                                  project=self.demo)
        return user, name, password

    def revoke(self, user):
        self.keystone.roles.revoke(self.member, user=user, project=self.demo)

    def grant(self, user):
        self.keystone.roles.grant(self.member, user=user, project=self.demo)


def create_schedule(
        dashboard, demo, username, password, name, cron):  # noqa: F811,E501
    user = horizon.Browser(dashboard, username, password)
    demo.cleanup.add('delete trigger %s' % name,
                     demo.mistral.cron_triggers.delete, name)
    res = user.post(SCHEDULES + 'create/', dict(FORM, name=name, cron=cron))
    assert res.url.endswith(SCHEDULES), horizon.messages(res.text)
    return user


def trigger_of(project, name):
    found = [t for t in project.mistral.cron_triggers.list()
             if t.name == name]
    return found[0] if found else None


def schedule_row(html, name):
    """The schedules table row of `name`: its health and its actions."""
    match = re.search(r'<tr[^>]*data-display="%s"[^>]*>(.*?)</tr>'
                      % re.escape(name), html, re.S)
    assert match, '%s is not in the overview' % name
    return match.group(1)


def health_of(row):
    return re.search(r'data-health="([a-z]+)"', row).group(1)


def forget_runs(project, name, trigger_id):
    """Delete the every-minute trigger first, so no run follows."""
    if trigger_of(project, name) is not None:
        project.mistral.cron_triggers.delete(name)
    for run in project.mistral.executions.list(
            workflow_name=domain.SCHEDULE_WORKFLOW,
            description='has:%s' % trigger_id):
        project.mistral.executions.delete(run.id, force=True)


def test_unprotected_broken_and_missed_shown_and_reowned(
        dashboard, synced_workbooks, admin, demo, alt, cleanup):  # noqa: F811
    started = time.time()
    people = Throwaway(admin, cleanup)
    # The every-minute schedule first: its owner's trust is refused for its
    # next fire, and the rest is set up while that minute passes.
    sleeper, sleeper_name, sleeper_pw = people.user('ovx-sleeper')
    missed = conftest.unique('ovx-missed')
    create_schedule(dashboard, demo, sleeper_name, sleeper_pw, missed,
                    '* * * * *')
    missed_id = trigger_of(demo, missed).id
    cleanup.add('forget runs of %s' % missed, forget_runs, demo, missed,
                missed_id)
    people.revoke(sleeper)
    revoked = datetime.datetime.now(datetime.timezone.utc)
    fire = revoked.replace(second=0, microsecond=0) + \
        datetime.timedelta(minutes=1)
    if fire - revoked < datetime.timedelta(seconds=5):
        # Mistral fires up to ~2 s early: this one may have gone already.
        fire += datetime.timedelta(minutes=1)

    # Meanwhile: a schedule whose owner leaves the project for good...
    leaver, leaver_name, leaver_pw = people.user('ovx-leaver')
    fixer, fixer_name, fixer_pw = people.user('ovx-admin',
                                              role=people.admin_role)
    broken = conftest.unique('ovx-broken')
    create_schedule(dashboard, demo, leaver_name, leaver_pw, broken,
                    '0 3 * * *')
    assert '"backup_dashboard_owner"' in str(
        trigger_of(demo, broken).workflow_params), 'the owner is recorded'
    people.revoke(leaver)
    # ... and alt's seeded instance, which no schedule of alt covers.
    lonely = alt.nova.servers.find(name='alt-app')
    alt_tags = {domain.tag_for(t.name) for t in
                alt.mistral.cron_triggers.list()
                if t.workflow_name == domain.SCHEDULE_WORKFLOW}
    assert not alt_tags.intersection(lonely.tags), 'alt-app has a schedule'

    # Judged once the fire is 30 s (its tolerance) in the past.
    wait = (fire + datetime.timedelta(seconds=33) -
            datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    if wait > 0:
        time.sleep(wait)
    people.grant(sleeper)
    runs_at_fire = [
        r for r in demo.mistral.executions.list(
            workflow_name=domain.SCHEDULE_WORKFLOW,
            description='has:%s' % missed_id)
        if abs((datetime.datetime.strptime(
            r.created_at, '%Y-%m-%d %H:%M:%S').replace(
                tzinfo=datetime.timezone.utc) - fire).total_seconds()) < 30]
    assert runs_at_fire == [], 'Mistral ran the fire it should have dropped'

    operator = horizon.Browser(dashboard, 'admin', 'admin')
    page = operator.get(OVERVIEW).text
    assert health_of(schedule_row(page, broken)) == 'broken'
    assert leaver_name in schedule_row(page, broken)
    assert 'is no longer a member of project demo' in page
    assert health_of(schedule_row(page, missed)) == 'missed'
    assert 'No run started near %s' % fire.strftime('%Y-%m-%d %H:%M') \
        in schedule_row(page, missed)

    project = operator.get(OVERVIEW + '%s/' % alt.project_id).text
    row = re.search(r'<tr[^>]*data-object-id="%s"[^>]*>(.*?)</tr>'
                    % lonely.id, project, re.S)
    assert row and 'data-state="unprotected"' in row.group(1)
    assert 'Backup quota' in project

    report = operator.get(OVERVIEW + 'report.csv')
    assert report.headers['Content-Type'].startswith('text/csv')
    assert ',%s,' % alt.project_id in report.text

    # An admin working in demo re-owns the broken schedule.
    admin_in_demo = horizon.Browser(dashboard, fixer_name, fixer_pw)
    old_id = trigger_of(demo, broken).id
    res = admin_in_demo.post(SCHEDULES,
                             {'action': 'schedules__reown__%s' % broken})
    assert not [m for m in horizon.messages(res.text) if 'Unable' in m], \
        horizon.messages(res.text)
    reowned = trigger_of(demo, broken)
    assert reowned.id != old_id and reowned.pattern == '0 3 * * *'
    assert fixer_name in str(reowned.workflow_params)
    page = operator.get(OVERVIEW).text
    assert health_of(schedule_row(page, broken)) != 'broken'
    print('overview cloud test body: %.1f s' % (time.time() - started))
