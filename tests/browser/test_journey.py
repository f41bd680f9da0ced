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

"""The product as a person uses it.

Headless chromium on Horizon with the plugin, over the real local OpenStack
(issue 8).

Journey 1 protects an instance with a boot volume and a data volume through
"Configure backups", waits for the every-minute schedule's cron trigger to
fire, follows the runs until rotation deletes, and opens the instance's
Backups tab. Journey 2 gives the forms bad input and XSS-shaped text.
Journey 3 makes a schedule in America/St_Johns (UTC-03:30) as a user whose
own zone is Europe/Berlin: the form's preview, the list, the detail, the
Configure-backups modal and the instance's tab all show the same next run,
the one ``tests/oracle.py`` works out independently.

With BACKUP_DASHBOARD_SCREENSHOTS=1 every screen is saved under
docs/screenshots/ (``make screenshots``).
"""
import datetime
import json
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
import pytest

from backup_dashboard import schedule as domain
from tests.browser.journey import cell
from tests.browser.journey import errors_of
from tests.cloud import conftest
from tests.oracle import oracle_runs

pytestmark = pytest.mark.browser

SCHEDULES = '/project/backup_schedules/'
RUNS = '/project/backup_runs/'
# A cron trigger fires at the next minute boundary; a run of two 1 GiB
# volumes takes ~30-60 s on an idle minicloud; far longer when the single
# cinder-backup worker has a queue. The timeouts are for a busy cloud.
FIRE_TIMEOUT = 150
RUN_TIMEOUT = 420
ROTATION_TIMEOUT = 900
XSS = '<script>alert(1)</script>'


# ----------------------------------------------------------------- helpers
def trigger_of(project, name):
    found = [t for t in project.mistral.cron_triggers.list()
             if t.name == name]
    return found[0] if found else None


def runs_of(project, trigger_id):
    """The schedule's runs (cron-fired and manual), oldest first."""
    runs = project.mistral.executions.list(
        workflow_name=domain.SCHEDULE_WORKFLOW,
        description='has:%s' % trigger_id, sort_keys='created_at',
        sort_dirs='asc', limit=100, include_output=True)
    return list(runs)


def finished(project, execution_id):
    run = project.mistral.executions.get(execution_id)
    return run if run.state in ('SUCCESS', 'ERROR', 'CANCELLED') else None


def output(run):
    return json.loads(run.output or '{}')


def record_schedule_leftovers(project, name, volume_ids, trigger_ids):
    """Cleanup (newest-first, so these run before the volumes go).

    The cron trigger first, so nothing new starts, then the runs, then every
    backup the runs made of the journey's volumes, incrementals before fulls.
    """
    def delete_backups():
        backups = []
        for volume_id in volume_ids:
            backups += project.cinder.backups.list(
                search_opts={'volume_id': volume_id})
        for backup in sorted(backups, key=lambda b: b.created_at,
                             reverse=True):
            project.delete_backup(backup.id)

    def delete_runs():
        for trigger_id in trigger_ids:
            for run in runs_of(project, trigger_id):
                conftest.wait_for('run %s to end' % run.id,
                                  lambda: finished(project, run.id),
                                  timeout=RUN_TIMEOUT, delay=3)
                project.mistral.executions.delete(run.id, force=True)

    project.cleanup.add('delete backups of %s' % volume_ids, delete_backups)
    project.cleanup.add('delete runs of %s' % name, delete_runs)
    project.cleanup.add('delete schedule %s' % name,
                        project.mistral.cron_triggers.delete, name)


# ---------------------------------------------------------------- journey 1
def test_protect_an_instance_watch_runs_rotate(journey, demo,
                                               synced_workbooks):
    page = journey.page
    name = conftest.unique('browser')
    schedule = name + '-minutely'
    server = demo.server(name=name)
    data = demo.volume(name=name + '-data')
    demo.attach(server, data)
    boot_id = [a['id'] for a in getattr(
        demo.nova.servers.get(server.id),
        'os-extended-volumes:volumes_attached') if a['id'] != data.id][0]
    volumes = {boot_id: name + '-boot', data.id: name + '-data'}
    trigger_ids = []
    record_schedule_leftovers(demo, schedule, list(volumes), trigger_ids)

    journey.step('log in')
    journey.login('demo', 'demo', shot='01-login')

    journey.step('open Configure backups from the row actions')
    journey.goto('/project/instances/')
    row = journey.row('instances', name)
    expect(row.locator('.backup-dashboard-unprotected')).to_have_text(
        'Not protected')
    action = journey.row_action(row, 'Configure backups')
    journey.shot('02-instances-row-actions')
    action.click()
    modal = journey.modal()
    expect(modal.locator('.modal-title')).to_have_text('Configure backups')
    expect(modal.locator('.backup-dashboard-instance')).to_contain_text(name)
    for volume_name in volumes.values():
        expect(modal.get_by_text(volume_name, exact=False)).to_be_visible()
    journey.shot('03-configure-backups')

    journey.step('create a new schedule from the modal')
    modal.locator('a.backup-dashboard-create-schedule').click()
    page.wait_for_url(re.compile(r'/backup_schedules/create/\?next='))
    form = page.locator('form').filter(
        has=page.locator('.backup-schedule-form'))
    form.locator('input[name=name]').fill(schedule)
    form.locator('textarea[name=description]').fill(
        'Every minute: made by the browser journey')
    journey.choose(form, 'kind', 'Cron pattern')
    form.locator('select[name=timezone]').select_option('UTC')
    journey.type(form.locator('input[name=cron]'), '* * * * *')
    # The live preview shows the next runs.
    expect(form.locator('.schedule-preview-words')).to_contain_text(
        '* * * * *')
    expect(form.locator('.schedule-preview-runs tbody tr')).to_have_count(5)
    form.locator('input[name=max_full]').fill('1')
    # fulls only: the second run already rotates (incrementals are the
    # cloud tests')
    form.locator('input[name=max_incremental]').fill('0')
    form.locator('select[name=in_use]').select_option('force')
    journey.shot('04-create-schedule')
    form.locator('[type=submit]').click()

    journey.step('assign the instance to the new schedule')
    page.wait_for_url(re.compile(
        r'/backup_schedules/instances/%s/configure/$' % server.id))
    journey.expect_message('Schedule "%s" was created' % schedule,
                           'success')
    trigger = trigger_of(demo, schedule)
    assert trigger is not None and trigger.pattern == '* * * * *'
    trigger_ids.append(trigger.id)
    box = page.locator('input[name=schedules][value="%s"]' % schedule)
    box.check()
    journey.shot('05-configure-backups-assign')
    page.locator('form').filter(has=box).locator('[type=submit]').click()
    page.wait_for_url(re.compile(r'/project/instances/$'))
    journey.expect_message('added to schedule "%s"' % schedule, 'success')
    row = journey.row('instances', name)
    expect(row.locator('.backup-dashboard-protected')).to_have_text(
        'Protected')
    journey.shot('06-instances-protected')
    assert 'backup:' + schedule in demo.nova.servers.tag_list(server.id)
    journey.step('see the schedule and its next runs')
    journey.goto(SCHEDULES)
    row = journey.row('schedules', schedule)
    expect(cell(page, 'schedules', row, 'Cron')).to_have_text('* * * * *')
    expect(cell(page, 'schedules', row, 'Time zone')).to_have_text('UTC')
    expect(cell(page, 'schedules', row, 'Instances')).to_have_text('1')
    expect(cell(page, 'schedules', row, 'Next run')).to_have_text(
        re.compile(r'\d{4}-\d\d-\d\d \d\d:\d\d'))
    journey.shot('07-backup-schedules')
    row.get_by_role('link', name=schedule).click()
    next_runs = page.locator('table.next-runs tbody tr')
    expect(next_runs).to_have_count(5)
    expect(page.locator('.assigned-instances')).to_contain_text(name)
    journey.shot('08-schedule-detail')

    journey.step('wait for the cron trigger to fire')
    # A fire just before the tag landed may still have seen it (a run lists
    # servers a moment after it starts), so no clock tells which run made
    # the fulls: follow the oldest run that created backups.

    def first_backing_run():
        for run in runs_of(demo, trigger.id):
            if run.state not in ('SUCCESS', 'ERROR', 'CANCELLED'):
                return None
            if output(run).get('counts', {}).get('created'):
                return run
    first = conftest.wait_for('the first run that backs up', first_backing_run,
                              timeout=FIRE_TIMEOUT + RUN_TIMEOUT, delay=3)
    assert json.loads(first.description)['triggered_by']['type'] == \
        'cron_trigger'
    assert first.state == 'SUCCESS', (first.state_info, first.output)

    journey.step('see the first run with both volumes backed up')
    journey.goto(RUNS)
    row = page.locator('table#runs tr[data-object-id="%s"]' % first.id)
    expect(cell(page, 'runs', row, 'Schedule')).to_have_text(schedule)
    expect(cell(page, 'runs', row, 'Started by')).to_have_text('Schedule')
    expect(cell(page, 'runs', row, 'State')).to_have_text('SUCCESS')
    expect(cell(page, 'runs', row, 'Outcome')).to_have_text('Backed up')
    expect(cell(page, 'runs', row, 'Backed up')).to_have_text('2')
    expect(cell(page, 'runs', row, 'Created')).to_have_text('2')
    expect(cell(page, 'runs', row, 'Failed')).to_have_text('0')
    journey.shot('09-backup-runs')
    cell(page, 'runs', row, 'Started').get_by_role('link').click()
    volume_rows = page.locator('table#volumes > tbody > tr')
    expect(volume_rows).to_have_count(2)
    for volume_name in volumes.values():
        vrow = journey.row('volumes', volume_name)
        expect(cell(page, 'volumes', vrow, 'Result')).to_have_text('Backed up')
        expect(cell(page, 'volumes', vrow, 'Kind')).to_have_text('full')
        expect(cell(page, 'volumes', vrow, 'Instance')).to_have_text(name)
    journey.shot('10-run-detail')

    journey.step('let the schedule run until rotation deletes')
    # The schedule runs every minute: its next run makes a new full, after
    # which the old one is deleted. (On a busy cloud a run may still be
    # going when the next fires: that one skips the volumes being backed
    # up, and rotation comes a run later.)

    def rotated_run():
        for run in runs_of(demo, trigger.id):
            if run.state == 'SUCCESS' and \
                    output(run).get('counts', {}).get('deleted'):
                return run
    rotated = conftest.wait_for('a run that rotates', rotated_run,
                                timeout=ROTATION_TIMEOUT, delay=3)
    assert rotated.state == 'SUCCESS', (rotated.state_info, rotated.output)
    journey.goto(RUNS)
    row = page.locator('table#runs tr[data-object-id="%s"]' % rotated.id)
    expect(cell(page, 'runs', row, 'Outcome')).to_have_text('Backed up')
    expect(cell(page, 'runs', row, 'Backed up')).to_have_text('2')
    expect(cell(page, 'runs', row, 'Deleted')).to_have_text(
        re.compile(r'[1-9]\d*'))
    journey.shot('11-backup-runs-rotation')
    cell(page, 'runs', row, 'Started').get_by_role('link').click()
    for volume_name in volumes.values():
        vrow = journey.row('volumes', volume_name)
        expect(cell(page, 'volumes', vrow, 'Result')).to_have_text('Backed up')
        expect(cell(page, 'volumes', vrow,
                    'Deleted backups')).not_to_have_text('-')
    deleted = [b for v in output(rotated)['volumes'] for b in v['deleted']]
    for backup_id in deleted:
        conftest.wait_gone(demo.cinder.backups.get, backup_id,
                           what='rotated backup')

    journey.step('stop the every-minute schedule before restoring')
    # Its runs would queue backups ahead of the restore in the single
    # cinder-backup worker, and make backups newer than the tab shows.
    # Deleting the trigger mid-run would fail that run (Mistral revokes its
    # trust), so wait for the runs to end first: untagged meanwhile, the
    # instance is not backed up by the runs still to fire, which end at once.
    tag = domain.tag_for(schedule)
    demo.nova.servers.delete_tag(server.id, tag)
    stop_schedule(demo, schedule, trigger.id)
    demo.nova.servers.add_tag(server.id, tag)

    journey.step("open the instance's Backups tab")
    journey.goto('/project/instances/%s/' % server.id)
    page.locator('ul.nav-tabs a[data-target$="__backup_dashboard_backups"]'
                 ).click()
    tab = page.locator('.backup-dashboard-instance-backups')
    expect(tab.locator('table.backup-dashboard-schedules')).to_contain_text(
        schedule)
    expect(tab.locator('.backup-dashboard-last-status')).to_have_text(
        'OK: every volume was backed up')
    for volume_id, volume_name in volumes.items():
        expect(tab.get_by_role('heading', name=volume_name)).to_be_visible()
        newest = demo.cinder.backups.list(
            search_opts={'volume_id': volume_id})
        assert newest, volume_name
        for backup in newest:
            if backup.status == 'available':
                expect(tab.locator(
                    'a.backup-dashboard-restore[href$="backup_id=%s"]'
                    % backup.id)).to_be_visible()
    # which schedule made each backup (Cinder's metadata, from 3.43 on)
    made_by = tab.locator('.backup-dashboard-backup-schedule')
    expect(made_by.first).to_have_text('schedule ' + schedule)
    assert set(made_by.all_inner_texts()) == {'schedule ' + schedule}
    journey.shot('12-instance-backups-tab')

    journey.step('restore the data volume to a new volume and attach it')
    point = newest_available(demo, data.id)
    restored_name = name + '-restored'
    demo.cleanup.add('delete volume %s' % restored_name,
                     delete_volumes_named, demo, restored_name)
    tab.locator('a.backup-dashboard-restore[href$="backup_id=%s"]'
                % point.id).click()
    page.wait_for_url(re.compile(r'/project/backup_restore/\?backup_id='))
    form = page.locator('#restore_form')
    expect(form.locator('#backup-%s' % point.id)).to_be_checked()
    expect(form.locator('#id_target_new')).to_be_checked()
    form.locator('input[name=name]').fill(restored_name)
    # The instance the volume came from is offered first.
    expect(form.locator('select[name=server_id]')).to_have_value(server.id)
    journey.shot('13-restore-form')
    form.locator('#restore_submit').click()
    page.wait_for_url(re.compile(r'/project/backup_restore/restores/[^/]+/$'))
    execution_id = page.url.rstrip('/').rsplit('/', 1)[1]
    demo.record_execution(execution_id)
    # The progress page follows the restore by itself.
    outcome = page.locator('#restore_outcome')
    expect(outcome).to_contain_text('Done: backup', timeout=RUN_TIMEOUT * 1000)
    expect(outcome).to_contain_text(
        'It is attached to instance \u201c%s\u201d as /dev/' % name)
    restored_id = page.locator('#restore_volume').get_attribute(
        'data-volume-id')
    journey.shot('14-restore-done')

    journey.step('see the restored volume attached, in Nova too')
    attached = [a.volumeId for a in
                demo.nova.volumes.get_server_volumes(server.id)]
    assert restored_id in attached, attached
    restored = demo.cinder.volumes.get(restored_id)
    assert (restored.name, restored.status) == (restored_name, 'in-use')
    assert restored.metadata.get('src_backup_id') == point.id
    journey.goto('/project/instances/%s/' % server.id)
    # Horizon reopens the tab shown last on this page (the Backups tab)
    page.locator('ul.nav-tabs a[data-target$="__overview"]').click()
    attached_row = page.locator('dd').filter(
        has=page.get_by_role('link', name=restored_name, exact=True))
    expect(attached_row).to_contain_text(re.compile(r' on /dev/\w+'))
    attached_row.scroll_into_view_if_needed()
    journey.shot('15-instance-restored-volume-attached')
    assert not journey.dialogs


def newest_available(project, volume_id):
    backups = [b for b in project.cinder.backups.list(
        search_opts={'volume_id': volume_id}) if b.status == 'available']
    assert backups, 'no available backup of %s' % volume_id
    return max(backups, key=lambda b: b.created_at)


def delete_volumes_named(project, name):
    for volume in project.cinder.volumes.list(search_opts={'name': name}):
        project.delete_volume(volume.id)


def stop_schedule(project, name, trigger_id):
    def idle():
        return all(finished(project, run.id)
                   for run in runs_of(project, trigger_id))
    conftest.wait_for('the runs of %s to end' % name, idle,
                      timeout=RUN_TIMEOUT, delay=2)
    project.mistral.cron_triggers.delete(name)
    # A fire in the instant before the delete: let it end too.
    conftest.wait_for('the runs of %s to end' % name, idle,
                      timeout=RUN_TIMEOUT, delay=2)


# ---------------------------------------------------------------- journey 2
def test_bad_input_gets_a_clear_message(journey, demo, synced_workbooks):
    page = journey.page
    name = conftest.unique('browser-bad')
    # For the restore at the end: a volume with a backup, and an instance
    # to attach that volume to behind the page's back.
    target = demo.volume(name=name + '-target')
    backup = demo.backup(target, wait=False, name=name + '-backup')
    server = demo.server(name=name + '-server')
    demo.cleanup.add('delete schedule %s' % name,
                     demo.mistral.cron_triggers.delete, name)
    journey.step('log in')
    journey.login('demo', 'demo')

    journey.step('an XSS-shaped name and a bad cron pattern')
    journey.goto(SCHEDULES)
    page.locator('#schedules__action_create').click()
    modal = journey.modal()
    modal.locator('input[name=name]').fill(XSS)
    journey.choose(modal, 'kind', 'Cron pattern')
    journey.type(modal.locator('input[name=cron]'), '61 * * * *')
    # The live preview says what is wrong before anything is sent.
    expect(modal.locator('.schedule-preview-error')).to_contain_text(
        '"61 * * * *" is not a cron pattern this dashboard reads')
    modal.locator('[type=submit]').click()
    modal = journey.modal()
    name_group = modal.locator('.form-group').filter(
        has=page.locator('input[name=name]'))
    expect(name_group).to_contain_text(
        'The name cannot contain "/" or ",": Nova refuses them in instance '
        'tags.')
    # The name is kept, as text, for the user to fix.
    expect(modal.locator('input[name=name]')).to_have_value(XSS)
    journey.shot('20-refused-name')

    journey.step('a bad cron pattern with a good name')
    modal.locator('input[name=name]').fill(name)
    journey.type(modal.locator('input[name=cron]'), '61 * * * *')
    modal.locator('[type=submit]').click()
    modal = journey.modal()
    cron_group = modal.locator('.form-group').filter(
        has=page.locator('input[name=cron]'))
    expect(cron_group).to_contain_text(
        '"61 * * * *" is not a cron pattern this dashboard reads')
    expect(modal.locator('input[name=cron]')).to_have_value('61 * * * *')
    journey.shot('21-refused-cron-pattern')
    assert trigger_of(demo, name) is None

    journey.step('XSS in a cron pattern is echoed as text')
    bad = XSS + ' * * * *'
    journey.type(modal.locator('input[name=cron]'), bad)
    expect(modal.locator('.schedule-preview-error')).to_contain_text(
        '"%s" is not a cron pattern this dashboard reads' % bad)
    modal.locator('[type=submit]').click()
    modal = journey.modal()
    cron_group = modal.locator('.form-group').filter(
        has=page.locator('input[name=cron]'))
    expect(cron_group).to_contain_text(
        '"%s" is not a cron pattern this dashboard reads' % bad)
    assert_no_injected_script(page)

    journey.step('XSS in a description is shown as text')
    journey.type(modal.locator('input[name=cron]'), '0 3 * * *')
    modal.locator('textarea[name=description]').fill(
        XSS + '<img src=x onerror=alert(2)>')
    modal.locator('[type=submit]').click()
    page.wait_for_url(re.compile(SCHEDULES + '$'))
    journey.expect_message('Schedule "%s" was created' % name, 'success')
    journey.row('schedules', name).get_by_role('link', name=name).click()
    description = page.locator('dt:text-is("Description") + dd')
    expect(description).to_have_text(XSS + '<img src=x onerror=alert(2)>')
    expect(page.locator('img[src=x]')).to_have_count(0)
    assert_no_injected_script(page)
    journey.shot('22-description-as-text')
    assert errors_of(page.locator('#main_content')) == []

    journey.step('restore into a volume that is in use')
    conftest.wait_status(demo.cinder.backups.get, backup.id, 'available',
                         timeout=RUN_TIMEOUT, what='backup')
    journey.goto('/project/backup_restore/?backup_id=%s' % backup.id)
    form = page.locator('#restore_form')
    expect(form.locator('#backup-%s' % backup.id)).to_be_checked()
    # A volume in use is offered disabled, saying why ...
    boot = form.locator('select[name=volume_id] option').filter(
        has_text=name + '-server-boot')
    expect(boot).to_be_disabled()
    expect(boot).to_contain_text('not available: detach it first')
    # ... and one attached after the page was loaded is refused on submit.
    form.locator('#id_target_existing').check()
    form.locator('select[name=volume_id]').select_option(target.id)
    form.locator('#id_confirm_overwrite').check()
    demo.attach(server, target)
    before = restores(demo)
    form.locator('#restore_submit').click()
    existing = page.locator('#restore_existing')
    expect(existing).to_contain_text(
        'Volume %s is in use (attached to an instance); detach it first, or '
        'restore to a new volume.' % target.name)
    existing.scroll_into_view_if_needed()
    journey.shot('23-restore-into-in-use-volume')
    assert restores(demo) == before, 'a restore was started'
    assert demo.cinder.volumes.get(target.id).status == 'in-use'
    assert not journey.dialogs, journey.dialogs


def restores(project):
    return {e.id for e in project.mistral.executions.list(
        workflow_name='backup_dashboard_restore', limit=-1)}


def assert_no_injected_script(page):
    injected = page.evaluate(
        "() => Array.from(document.scripts).filter("
        "s => s.textContent.includes('alert(')).length")
    assert injected == 0


# ---------------------------------------------------------------- journey 3
ST_JOHNS = 'America/St_Johns'
VIEWER = 'Europe/Berlin'
RUN_FORMAT = '%a %Y-%m-%d %H:%M %Z'


def local(instant, zone, fmt='%Y-%m-%d %H:%M %Z'):
    return instant.astimezone(ZoneInfo(zone)).strftime(fmt)


def test_a_schedule_in_st_johns_shows_one_next_run_everywhere(
        journey, demo, dashboard, synced_workbooks):
    page = journey.page
    name = conftest.unique('st-johns')
    server = demo.server(name=name + '-server')
    demo.cleanup.add('delete schedule %s' % name,
                     demo.mistral.cron_triggers.delete, name)
    # Half a day from now there: its next run cannot pass during the test.
    there = datetime.datetime.now(ZoneInfo(ST_JOHNS)) + \
        datetime.timedelta(hours=12)
    pattern = '30 %d * * *' % there.hour

    def expected():
        return oracle_runs(pattern, ST_JOHNS, datetime.datetime.now(
            datetime.timezone.utc), 5)

    journey.step('log in as a user whose own zone is Europe/Berlin')
    journey.login('demo', 'demo')
    page.context.add_cookies([{'name': 'django_timezone', 'value': VIEWER,
                               'url': dashboard.url}])

    journey.step("create a daily schedule in St John's time")
    journey.goto(SCHEDULES)
    page.locator('#schedules__action_create').click()
    modal = journey.modal()
    expect(modal.locator('select[name=timezone]')).to_have_value(VIEWER)
    modal.locator('input[name=name]').fill(name)
    modal.locator('select[name=timezone]').select_option(ST_JOHNS)
    journey.type(modal.locator('input[name=hour]'), str(there.hour))
    journey.type(modal.locator('input[name=minute]'), '30')
    runs = expected()
    preview = modal.locator('.schedule-preview-runs tbody tr')
    expect(preview).to_have_count(5)
    expect(modal.locator('.schedule-preview-own')).to_have_text(
        "Schedule's time (%s)" % ST_JOHNS)
    expect(preview.first.locator('td')).to_have_text(
        [local(runs[0], ST_JOHNS, RUN_FORMAT), local(runs[0], VIEWER,
                                                     RUN_FORMAT),
         local(runs[0], 'UTC', RUN_FORMAT)])
    journey.shot('16-schedule-in-st-johns')
    modal.locator('[type=submit]').click()
    journey.expect_message('Schedule "%s" was created' % name, 'success')
    trigger = trigger_of(demo, name)
    assert json.loads(trigger.workflow_input)['timezone'] == ST_JOHNS

    journey.step('the list shows its pattern, zone and next run')
    journey.goto(SCHEDULES)
    row = journey.row('schedules', name)
    expect(cell(page, 'schedules', row, 'Cron')).to_have_text(pattern)
    expect(cell(page, 'schedules', row, 'Time zone')).to_have_text(ST_JOHNS)
    shown = cell(page, 'schedules', row, 'Next run').locator('time')
    runs = expected()
    expect(shown).to_have_attribute('datetime', runs[0].isoformat())
    expect(shown).to_have_text(local(runs[0], VIEWER))
    journey.shot('17-schedules-in-two-zones')

    journey.step('the detail shows the same runs in both zones and UTC')
    row.get_by_role('link', name=name).click()
    rows = page.locator('table.next-runs tbody tr')
    expect(rows).to_have_count(5)
    runs = expected()
    for i, run in enumerate(runs):
        expect(rows.nth(i).locator('td')).to_have_text(
            [local(run, ST_JOHNS, RUN_FORMAT), local(run, VIEWER, RUN_FORMAT),
             local(run, 'UTC', RUN_FORMAT)])
    journey.shot('18-schedule-detail-st-johns')

    journey.step('Configure backups names the same next run')
    journey.goto('/project/instances/')
    row = journey.row('instances', name + '-server')
    journey.row_action(row, 'Configure backups').click()
    modal = journey.modal()
    box = page.locator('input[name=schedules][value="%s"]' % name)
    expect(modal.locator('.form-group').filter(has=box)).to_contain_text(
        '%s: Daily at %02d:30 (%s); keeps 2 full x 6 incremental; next run %s'
        % (name, there.hour, ST_JOHNS, local(expected()[0], VIEWER)))
    box.check()
    modal.locator('[type=submit]').click()
    journey.expect_message('added to schedule "%s"' % name, 'success')
    demo.cleanup.add('untag %s' % server.id, demo.nova.servers.delete_tag,
                     server.id, 'backup:' + name)

    journey.step("the instance's Backups tab shows it too")
    journey.goto('/project/instances/%s/' % server.id)
    page.locator('ul.nav-tabs a[data-target$="__backup_dashboard_backups"]'
                 ).click()
    tab = page.locator('table.backup-dashboard-schedules')
    shown = tab.locator('tr').filter(has_text=name).locator('time')
    expect(shown).to_have_attribute('datetime', expected()[0].isoformat())
    expect(shown).to_have_text(local(expected()[0], VIEWER))
    journey.shot('19-instance-tab-st-johns')

    journey.step("delete the schedule from its row's menu")
    # The row's actions menu (the plugin writes Horizon's dropdown markup
    # itself): opened by Horizon's toggle, confirmed in Horizon's modal.
    journey.goto(SCHEDULES)
    row = journey.row('schedules', name)
    journey.row_action(row, 'Delete Schedule').click()
    confirm = journey.modal()
    expect(confirm).to_contain_text(name)
    confirm.locator('.modal-footer .btn-danger').click()
    journey.expect_message('Deleted Schedule: %s' % re.escape(name),
                           'success')
    expect(journey.row('schedules', name)).to_have_count(0)
    assert trigger_of(demo, name) is None
