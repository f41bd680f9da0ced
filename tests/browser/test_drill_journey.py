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

"""A restore drill in the browser, on the real local OpenStack.

A user opens a schedule's Drills tab, runs a drill from the modal, sees it
pass with its restore time; the operator then sees the project's last good
drill in the Backups Overview. The schedule and its backup are made through
the APIs (the main journey already shows how a user makes them), so that
no cron fire can run beside the drill.
"""
import json
import re

from playwright.sync_api import expect
import pytest

from backup_dashboard import drills
from backup_dashboard import schedule as domain
from tests.browser.journey import cell
from tests.cloud import conftest
from tests.cloud.test_drill_cloud import _delete_if_there
from tests.cloud.test_drill_cloud import schedule_backup

pytestmark = pytest.mark.browser

SCHEDULES = '/project/backup_schedules/'
OVERVIEW = '/admin/backups_overview/'
DRILL_TIMEOUT = 300


def test_run_a_drill_and_see_it_in_the_overview(journey, demo,
                                                synced_workbooks):
    page = journey.page
    name = conftest.unique('drill-journey')
    # Fires once a year, on 1 January: never during the test.
    trigger = demo.cron_trigger(
        name, domain.SCHEDULE_WORKFLOW, workflow_input=domain.Schedule(
            name=name, pattern='0 3 1 1 *').workflow_input(),
        pattern='0 3 1 1 *')
    volume = demo.volume(size=1, name=name + '-data')
    schedule_backup(demo, volume, name)

    journey.step('open the Drills tab of the schedule')
    journey.login('demo', 'demo')
    journey.goto(SCHEDULES + '%s/?tab=schedule_details__drills' % name)
    expect(page.locator('table#drills')).to_contain_text('No drill yet.')

    journey.step('run a drill from the modal')
    page.locator('#drills__action_run_drill').click()
    modal = journey.modal()
    expect(modal.locator('.modal-title')).to_have_text('Run Drill Now')
    expect(modal.locator('.backup-drill-schedule')).to_contain_text(
        'has an available backup of 1 volume')
    expect(modal.locator('.backup-drill-room')).to_contain_text(
        '1 GB in all')
    journey.shot('24-run-drill')
    modal.locator('[type=submit]').click()
    page.wait_for_url(re.compile(r'\?tab=schedule_details__drills$'))
    journey.expect_message('A restore drill of schedule "%s" was started'
                           % name, 'success')

    journey.step('wait for the drill and see it pass')
    (started,) = demo.mistral.executions.list(
        workflow_name=drills.DRILL_WORKFLOW,
        description='has:%s' % trigger.id)
    demo.record_execution(started.id)
    done = conftest.wait_for(
        'the drill to end',
        lambda: (lambda e: e if e.state in ('SUCCESS', 'ERROR') else None)(
            demo.mistral.executions.get(started.id)),
        timeout=DRILL_TIMEOUT, delay=3)
    result = json.loads(done.output)
    assert result['status'] == 'ok', result
    page.reload()
    row = page.locator('table#drills > tbody > tr').first
    expect(row.locator('.backup-drill-outcome')).to_have_text('Passed')
    expect(cell(page, 'drills', row, 'Volumes')).to_contain_text(
        re.compile(r'%s-data: passed, restored in \d+s from a full backup'
                   % re.escape(name)))
    expect(cell(page, 'drills', row, 'Slowest restore (RTO)')).to_have_text(
        re.compile(r'^\s*\d+s\s*$'))
    journey.shot('25-schedule-drills')
    assert demo.cinder.volumes.get(volume.id).status == 'available'

    journey.step('give the schedule weekly drills of its own')
    page.locator('a.btn', has_text='Edit Schedule').first.click()
    modal = journey.modal()
    hour = modal.locator('input[name=drill_hour]')
    expect(hour).to_be_hidden()             # drills are off at first
    journey.choose(modal, 'drill', 'Weekly')
    expect(hour).to_be_visible()
    expect(modal.locator('input[name=drill_day]')).to_be_hidden()
    hour.fill('5')
    modal.locator('input[name=drill_sample]').fill('1')
    journey.shot('27-schedule-drill-settings')
    demo.cleanup.add('delete drills of %s' % name, _delete_if_there, demo,
                     name + ' (drill)')
    modal.locator('[type=submit]').click()
    journey.expect_message('Schedule "%s" was saved' % name, 'success')
    assert demo.mistral.cron_triggers.get(name + ' (drill)').pattern \
        .startswith('0 5 * * ')
    journey.goto(SCHEDULES + '%s/?tab=schedule_details__drills' % name)
    expect(page.locator('p.backup-drill-settings')).to_contain_text(
        re.compile(r'Scheduled drills: Weekly on \w+ at 05:00 \(UTC\), '
                   r'1 volume per drill, in turn\. Next: '))

    journey.step("the operator sees the project's last good drill")
    journey.login('admin', 'admin')
    journey.goto(OVERVIEW)
    project = journey.row('projects', 'demo').filter(
        has=page.locator('a', has_text=re.compile(r'^demo$')))
    expect(cell(page, 'projects', project, 'Last Good Drill')).to_contain_text(
        re.compile(r'ago\s*RTO \d+s median, \d+s worst'))
    journey.shot('26-overview-drills')
