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

"""The Backup Schedules panel against the real local OpenStack.

Create, edit, run now and delete a schedule through the plugin's pages, and see
the real cron triggers and executions in Mistral.
"""
import json
import pytest

from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud import horizon

pytestmark = pytest.mark.cloud
PANEL = '/project/backup_schedules/'
FORM = {
    'description': 'made by a cloud test', 'kind': 'cron', 'minute': '0',
    'timezone': 'UTC',
    'hour': '2', 'weekday': '1', 'day': '1', 'cron': '0 3 * * *',
    'mode': 'rotation', 'max_full': '2', 'max_incremental': '3',
    'keep_days': '', 'in_use': 'snapshot', 'report_to': '',
}


def trigger_of(project, name):
    matches = [t for t in project.mistral.cron_triggers.list()
               if t.name == name]
    return matches[0] if matches else None


def test_create_edit_run_delete_through_the_panel(
        dashboard, synced_workbooks, demo):  # noqa: F811
    name = conftest.unique('panel')
    demo.cleanup.add('delete trigger %s' % name,
                     demo.mistral.cron_triggers.delete, name)
    user = horizon.Browser(dashboard, 'demo', 'demo')

    res = user.post(PANEL + 'create/', dict(FORM, name=name))
    assert res.url.endswith(PANEL), horizon.messages(res.text)
    trigger = trigger_of(demo, name)
    assert trigger is not None
    assert trigger.pattern == '0 3 * * *'
    assert trigger.workflow_name == domain.SCHEDULE_WORKFLOW
    stored = json.loads(trigger.workflow_input)
    assert stored['tag'] == 'backup:' + name
    assert stored['max_incremental'] == 3
    assert name in user.get(PANEL).text

    res = user.post(PANEL + '%s/update/' % name,
                    dict(FORM, name=name, max_full='4', cron='30 4 * * *'))
    edited = trigger_of(demo, name)
    assert edited.id != trigger.id, 'an edit re-creates the trigger'
    assert edited.pattern == '30 4 * * *'
    assert json.loads(edited.workflow_input)['max_full'] == 4

    # A bad edit is refused by the form and loses nothing.
    user.post(PANEL + '%s/update/' % name, dict(FORM, name=name,
                                                cron='61 * * * *'))
    assert trigger_of(demo, name).id == edited.id

    user.post(PANEL, {'action': 'schedules__run_now__%s' % name})
    runs = demo.mistral.executions.list(
        workflow_name=domain.SCHEDULE_WORKFLOW,
        description='has:%s' % edited.id)
    assert len(runs) == 1
    demo.record_execution(runs[0].id)
    run = conftest.wait_for(
        'the manual run to end',
        lambda: (lambda e: e if e.state in ('SUCCESS', 'ERROR') else None)(
            demo.mistral.executions.get(runs[0].id)), timeout=180)
    assert json.loads(run.description)['triggered_by']['type'] == \
        'backup_dashboard'
    detail = user.get(PANEL + '%s/?tab=schedule_details__runs' % name)
    assert 'Run now' in detail.text

    user.post(PANEL, {'action': 'schedules__delete__%s' % name})
    assert trigger_of(demo, name) is None


def test_another_projects_schedule_is_unreachable(
        dashboard, synced_workbooks, demo, alt):  # noqa: F811
    name = conftest.unique('private')
    demo.cron_trigger(name, domain.SCHEDULE_WORKFLOW,
                      workflow_input=domain.Schedule(
                          name=name, pattern='0 3 * * *').workflow_input(),
                      pattern='0 3 * * *')
    intruder = horizon.Browser(dashboard, 'alt', 'alt')
    assert name not in intruder.get(PANEL).text
    res = intruder.get(PANEL + '%s/' % name)
    assert res.url.endswith(PANEL), 'the detail page must not open'
    intruder.post(PANEL, {'action': 'schedules__delete__%s' % name})
    intruder.post(PANEL, {'action': 'schedules__run_now__%s' % name})
    assert trigger_of(demo, name) is not None
    assert not demo.mistral.executions.list(
        workflow_name=domain.SCHEDULE_WORKFLOW, description='has:%s'
        % trigger_of(demo, name).id)
