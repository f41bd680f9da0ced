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

An admin locks a project's retention at two full backups, publishes a
schedule template to it and bounds its schedules to one run a day. Its
member's schedules below the lock or outside the bounds are refused with
what was typed kept; one from the template and one of the member's own are
saved and both ticked on one instance, whose backups then say which
schedule made each. The member puts a legal hold on one, which the delete
page then refuses; the admin sees the template, the bounds and no drift,
and the compliance view and its exports list the hold; the member releases
it.

The project is made for the test, not demo: the cloud tests use demo
meanwhile, and a lock there would refuse their schedules. Backups are made
through the API with the schedules' marks, so no cron fire runs here.
"""
import csv as csv_module
import io
import json
import re
import uuid

from playwright.sync_api import expect
import pytest

from backup_dashboard import governance
from backup_dashboard import guardrails
from tests.cloud import conftest
from tests.cloud.conftest import admin  # noqa: F401 (fixture)
from tests.cloud.test_governance_cloud import governance_alone
from tests.cloud.test_governance_cloud import set_lock
from tests.cloud.test_governance_cloud import variables

pytestmark = pytest.mark.browser

SCHEDULES = '/project/backup_schedules/'
RESTORE = '/project/backup_restore/'
OVERVIEW = '/admin/backups_overview/'
# Fires once a year, on 1 January: never during the test.
YEARLY = '0 3 1 1 *'


def create_schedule(journey, name, max_full, pattern=YEARLY, template=None):
    page = journey.page
    journey.goto(SCHEDULES + 'create/')
    form = page.locator('form').filter(
        has=page.locator('.backup-schedule-form'))
    form.locator('input[name=name]').fill(name)
    if template:
        form.locator('select[name=template]').select_option(template)
    journey.choose(form, 'kind', 'Cron pattern')
    form.locator('select[name=timezone]').select_option('UTC')
    journey.type(form.locator('input[name=cron]'), pattern)
    form.locator('input[name=max_full]').fill(str(max_full))
    form.locator('input[name=max_incremental]').fill('0')
    form.locator('[type=submit]').click()
    return form


def forget(workflows, project_id, template):
    """The project's lock and bounds and the template, gone again."""
    kept = governance.with_lock(variables(workflows), project_id, None, None)
    kept = guardrails.with_bounds(guardrails.without_template(
        kept, template), project_id, {})
    workflows.update(governance.definition(kept), scope='public')


def test_lock_two_schedules_hold_and_compliance(
        journey, admin, clients, minicloud, cleanup,  # noqa: F811
        synced_workbooks):
    temp = conftest.TempProject(admin, minicloud['demo'], 'bd-govjourney')
    member = conftest.Project(conftest.Clients(temp.creds), cleanup)
    workflows = clients('admin').mistral.workflows
    template = temp.name + '-tpl'
    with governance_alone():
        try:
            walk(journey, temp, member, workflows, template)
        finally:
            forget(workflows, temp.project_id, template)


def test_a_deleted_projects_lock_is_listed_and_removed(
        journey, clients, synced_workbooks):
    workflows = clients('admin').mistral.workflows
    gone = uuid.uuid4().hex             # the id of no project
    with governance_alone():
        set_lock(workflows, gone, 3)
        try:
            journey.step("a lock whose project is gone is listed")
            journey.login('admin', 'admin')
            journey.goto(OVERVIEW + 'locks/')
            row = journey.row('locks', gone)
            expect(row).to_contain_text('%s (no such project)' % gone)
            expect(row.locator('a', has_text='Set Lock')).to_have_count(0)

            journey.step("and removed from its row")
            row.get_by_role('link', name='Remove Own Lock').click()
            modal = journey.modal()
            modal.locator('label', has_text='I confirm lowering').click()
            expect(modal.locator('[name=confirm]')).to_be_checked()
            modal.locator('[type=submit]').click()
            journey.expect_message('Retention lock of project %s saved'
                                   % gone, 'success')
            expect(journey.row('locks', gone)).to_have_count(0)
            assert gone not in governance.project_locks(variables(workflows))
        finally:
            set_lock(workflows, gone, None)


def walk(journey, temp, member, workflows, template):
    page = journey.page
    daily, monthly = temp.name + '-daily', temp.name + '-monthly'
    for name in (daily, monthly):
        member.cleanup.add('delete schedule %s' % name,
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
    assert governance.lock_for(variables(workflows),
                               temp.project_id).count == 2

    journey.step('the admin publishes a template and bounds the project')
    journey.goto(OVERVIEW + 'guardrails/template/')
    form = page.locator('form').filter(has=page.locator('[name=pattern]'))
    form.locator('input[name=name]').fill(template)
    form.locator('input[name=pattern]').fill(YEARLY)
    form.locator('select[name=mode]').select_option('rotation')
    form.locator('input[name=max_full]').fill('2')
    form.locator('input[name=max_incremental]').fill('0')
    form.locator('select[name=projects]').select_option(temp.project_id)
    form.locator('[type=submit]').click()
    journey.expect_message('Template "%s" published' % template, 'success')
    journey.goto(OVERVIEW + 'guardrails/bounds/%s/' % temp.project_id)
    page.locator('input[name=min_interval_minutes]').fill('1440')
    journey.shot('44-schedule-bounds')
    page.locator('form').filter(has=page.locator(
        '[name=min_interval_minutes]')).locator('[type=submit]').click()
    journey.expect_message('Bounds of project %s saved' % temp.name,
                           'success')
    assert guardrails.bounds_for(variables(workflows), temp.project_id
                                 ).min_interval_minutes == 1440

    journey.step('a schedule below the lock is refused, nothing lost')
    journey.login(temp.name, temp.password)
    form = create_schedule(journey, daily, 1)
    expect(form.locator('.has-error, .alert-danger').filter(
        has_text='retention lock of this project')).not_to_have_count(0)
    expect(form.locator('input[name=name]')).to_have_value(daily)
    expect(form.locator('input[name=max_full]')).to_have_value('1')
    expect(form.locator('input[name=cron]')).to_have_value(YEARLY)
    assert not [t for t in member.mistral.cron_triggers.list()
                if t.name == daily]

    journey.step('a schedule more often than the bounds is refused')
    form = create_schedule(journey, monthly, 3, pattern='0 * * * *')
    expect(form.locator('.has-error, .alert-danger').filter(
        has_text='1440')).not_to_have_count(0)
    expect(form.locator('input[name=cron]')).to_have_value('0 * * * *')
    assert not [t for t in member.mistral.cron_triggers.list()
                if t.name == monthly]

    journey.step('two schedules within the rules, both on one instance')
    create_schedule(journey, daily, 2, template=template)
    journey.expect_message('Schedule "%s" was created' % daily, 'success')
    # the schedule remembers its template
    assert template in json.dumps(member.mistral.cron_triggers.get(
        daily).workflow_params)
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

    journey.step('a legal hold, shown everywhere; its delete refused')
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
    journey.goto('/project/instances/%s/' % server.id)
    page.locator('ul.nav-tabs a[data-target$="__backup_dashboard_backups"]'
                 ).click()
    expect(page.locator('.backup-dashboard-instance-backups '
                        '.backup-restore-held')).to_have_count(1)

    journey.step("the admin sees the template, the bounds and no drift")
    journey.login('admin', 'admin')
    journey.goto(OVERVIEW + 'guardrails/')
    expect(journey.row('templates', template)).to_contain_text(temp.name)
    expect(journey.row('bounds', temp.name)).to_contain_text('1440')
    expect(page.locator('table#drift')).not_to_contain_text(daily)

    journey.step("the admin's compliance view and exports list the hold")
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

    journey.step("filtered by project, the download holds what is shown")
    journey.goto(OVERVIEW + 'compliance/')
    journey.choose(page, 'findings__filter__q_field', 'Project =')
    page.locator('input[name=findings__filter__q]').fill(temp.name)
    page.locator('#findings__action_filter').click()
    shown = page.locator('table#findings > tbody > tr')
    expect(page.locator('table#findings')).to_contain_text(
        'auditor <request> 7')
    link = page.locator('#findings__action_csv').get_attribute('href')
    assert 'filter_field=project' in link, link
    rows = list(csv_module.DictReader(io.StringIO(
        page.request.get(journey.base + link).text())))
    assert {r['project'] for r in rows} == {temp.name}, rows
    assert held.id in {r['subject_id'] for r in rows}
    assert len(rows) == shown.count()

    journey.step('the member releases the hold, with a reason')
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
