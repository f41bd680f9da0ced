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

"""Governance in the browser, on the real local OpenStack.

An admin locks a project's retention at two full backups. Its member's
schedule below the lock is refused with what was typed kept; two schedules
at the lock are saved and both ticked on one instance, whose backups then
say which schedule made each. The member puts a legal hold on one, which
the delete page then refuses; the admin's compliance view and its exports
list the hold; the member releases it.

The project is made for the test, not demo: the cloud tests use demo
meanwhile, and a lock there would refuse their schedules. Backups are made
through the API with the schedules' marks, so no cron fire runs here.
"""
import json
import re

from playwright.sync_api import expect
import pytest

from backup_dashboard import governance
from tests.cloud import conftest
from tests.cloud.conftest import admin  # noqa: F401 (fixture)
from tests.cloud.test_governance_cloud import set_lock

pytestmark = pytest.mark.browser

SCHEDULES = '/project/backup_schedules/'
RESTORE = '/project/backup_restore/'
OVERVIEW = '/admin/backups_overview/'
# Fires once a year, on 1 January: never during the test.
YEARLY = '0 3 1 1 *'


def create_schedule(journey, name, max_full):
    page = journey.page
    journey.goto(SCHEDULES + 'create/')
    form = page.locator('form').filter(
        has=page.locator('.backup-schedule-form'))
    form.locator('input[name=name]').fill(name)
    journey.choose(form, 'kind', 'Cron pattern')
    form.locator('select[name=timezone]').select_option('UTC')
    journey.type(form.locator('input[name=cron]'), YEARLY)
    form.locator('input[name=max_full]').fill(str(max_full))
    form.locator('input[name=max_incremental]').fill('0')
    form.locator('[type=submit]').click()
    return form


def test_lock_two_schedules_hold_and_compliance(
        journey, admin, clients, minicloud, cleanup,  # noqa: F811
        synced_workbooks):
    page = journey.page
    temp = conftest.TempProject(admin, minicloud['demo'], 'bd-govjourney')
    member = conftest.Project(conftest.Clients(temp.creds), cleanup)
    workflows = clients('admin').mistral.workflows
    cleanup.add('remove the lock of %s' % temp.name, set_lock, workflows,
                temp.project_id, None)
    daily, monthly = temp.name + '-daily', temp.name + '-monthly'
    for name in (daily, monthly):
        cleanup.add('delete schedule %s' % name,
                    member.mistral.cron_triggers.delete, name)
    server = member.server(name=temp.name + '-srv')
    (boot,) = [a['id'] for a in getattr(
        member.nova.servers.get(server.id),
        'os-extended-volumes:volumes_attached')]

    journey.step('the admin locks the project at two full backups')
    journey.login('admin', 'admin')
    journey.goto(OVERVIEW + 'locks/%s/' % temp.project_id)
    page.locator('input[name=count]').fill('2')
    journey.shot('40-retention-lock')
    page.locator('form [type=submit]').last.click()
    journey.expect_message('Retention lock of project %s saved: now at least '
                           '2 full backups' % temp.name, 'success')
    assert governance.lock_for(governance.variables_of(workflows.get(
        governance.WORKFLOW).definition), temp.project_id).count == 2

    journey.step('a schedule below the lock is refused, nothing lost')
    page.context.clear_cookies()
    journey.login(temp.name, temp.password)
    form = create_schedule(journey, daily, 1)
    expect(form).to_contain_text('retention lock of this project')
    expect(form.locator('input[name=name]')).to_have_value(daily)
    expect(form.locator('input[name=max_full]')).to_have_value('1')
    expect(form.locator('input[name=cron]')).to_have_value(YEARLY)
    assert not [t for t in member.mistral.cron_triggers.list()
                if t.name == daily]

    journey.step('two schedules at the lock, both on one instance')
    form.locator('input[name=max_full]').fill('2')
    form.locator('[type=submit]').click()
    journey.expect_message('Schedule "%s" was created' % daily, 'success')
    create_schedule(journey, monthly, 3)
    journey.expect_message('Schedule "%s" was created' % monthly, 'success')
    journey.goto(SCHEDULES)
    expect(page.locator('body')).to_contain_text('at least 2 full backups')
    journey.goto(SCHEDULES + 'instances/%s/configure/' % server.id)
    for name in (daily, monthly):
        page.locator('input[name=schedules][value="%s"]' % name).check()
    journey.shot('41-two-schedules-one-instance')
    page.locator('form').filter(has=page.locator(
        'input[name=schedules]')).locator('[type=submit]').click()
    journey.expect_message('added to schedule', 'success')
    assert {'backup:' + daily, 'backup:' + monthly} <= set(
        member.nova.servers.tag_list(server.id))

    journey.step("each backup says which schedule made it")
    volume = member.cinder.volumes.get(boot)
    # in use: forced, as a schedule's run forces it (or snapshots)
    made = {name: member.backup(volume, force=True, metadata={
        'backup_dashboard:schedule': name,
        'backup_dashboard:automated': 'true'}) for name in (daily, monthly)}
    journey.goto(RESTORE + '?volume_id=%s' % boot)
    history = page.locator('#restore_history')
    for name, backup in made.items():
        expect(history.locator('li[data-backup-id="%s"] '
                               '.backup-restore-schedule' % backup.id)
               ).to_have_text('schedule %s' % name)

    journey.step('a legal hold, then its delete refused')
    held = made[daily]
    point = history.locator('li[data-backup-id="%s"]' % held.id)
    point.get_by_role('link', name='Hold', exact=True).click()
    page.locator('[name=reason]').fill('auditor <request> 7')
    journey.shot('42-legal-hold')
    page.locator('form').filter(has=page.locator('[name=reason]')).locator(
        '[type=submit]').click()
    journey.expect_message('On legal hold: ', 'success')
    point = page.locator('#restore_history li[data-backup-id="%s"]'
                         % held.id)
    expect(point.locator('.backup-restore-held')).to_have_attribute(
        'title', re.compile(r'^Legal hold: auditor <request> 7 \(%s, '
                            % re.escape(temp.name)))
    expect(point.locator('.backup-restore-delete')).to_have_text(
        'held: cannot be deleted')
    journey.goto(RESTORE + 'backups/%s/delete/' % held.id)
    expect(page.locator('#delete_refused')).to_contain_text(
        'On legal hold since')
    expect(page.locator('#delete_backup_form')).to_have_count(0)
    assert member.cinder.backups.get(held.id).status == 'available'

    journey.step("the admin's compliance view and exports list the hold")
    page.context.clear_cookies()
    journey.login('admin', 'admin')
    journey.goto(OVERVIEW + 'compliance/?category=held')
    findings = page.locator('table#findings')
    expect(findings).to_contain_text('auditor <request> 7')
    expect(findings).to_contain_text(temp.name)
    journey.shot('43-compliance')
    exported = page.request.get(journey.base + OVERVIEW + 'compliance.json'
                                '?category=held').json()
    assert exported['generated_at'], exported
    assert held.id in json.dumps(exported)
    csv = page.request.get(journey.base + OVERVIEW + 'compliance.csv'
                           '?category=held')
    assert csv.headers['content-type'].startswith('text/csv')
    assert held.id in csv.text()

    journey.step('the member releases the hold, with a reason')
    page.context.clear_cookies()
    journey.login(temp.name, temp.password)
    journey.goto(RESTORE + '?volume_id=%s' % boot)
    point = page.locator('#restore_history li[data-backup-id="%s"]'
                         % held.id)
    point.get_by_role('link', name='Release hold').click()
    page.locator('[name=reason]').fill('dispute settled')
    page.locator('form').filter(has=page.locator('[name=reason]')).locator(
        '[type=submit]').click()
    journey.expect_message('Hold released: ', 'success')
    point = page.locator('#restore_history li[data-backup-id="%s"]'
                         % held.id)
    expect(point.locator('.backup-restore-held')).to_have_count(0)
    expect(point.locator('.backup-restore-delete')).to_contain_text(
        'protected')
