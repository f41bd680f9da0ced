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

"""Project isolation through the served dashboard: 0 reads, 0 writes.

``demo`` owns a schedule, a run of it, a volume, a backup and an instance,
each named with a secret marker. ``alt`` (a member of another project) then
tries every plugin URL - enumerated from Django's resolver, so panels added
later (restore, admin overview, ...) are included by themselves - with
demo's schedule name, run id, backup id, volume id, instance id and project
id in every id slot, by GET and by POST (with every form field the plugin's
forms know filled with demo's ids), plus the list pages filtered by demo's
ids. Every request is sent twice: as a browser sends it and as Horizon's
JavaScript does (AJAX: modal forms answer with their "_" template, a
redirect with X-Horizon-Location, the messages in X-Horizon-Messages). A
read is a leak when a page or its messages show one of demo's markers; a
write is a leak when any of demo's objects changed, or alt got something
from them.
"""
import json

import pytest

from backup_dashboard import schedule as domain
from tests.cloud import conftest
from tests.cloud import horizon
from tests import figures
from tests.figures import robustness_figures  # noqa: F401 (fixture)
from tests.figures import robustness_figures_per_test  # noqa: F401,E501
from tests.plugin_urls import plugin_urls

pytestmark = pytest.mark.cloud

# Plain (as a browser sends it), then AJAX (as Horizon's JavaScript does).
BOTH_WAYS = (False, True)


def wait_run(project, ex):
    def done():
        e = project.mistral.executions.get(ex.id)
        return e if e.state in ('SUCCESS', 'ERROR') else None
    return conftest.wait_for('run %s' % ex.id, done, timeout=300, delay=2)


def demo_state(demo, objects):
    """Everything alt must not be able to change, as demo's clients see it."""
    trigger = [t for t in demo.mistral.cron_triggers.list()
               if t.name == objects['name']]
    runs = demo.mistral.executions.list(
        workflow_name=domain.SCHEDULE_WORKFLOW,
        description='has:%s' % objects['trigger_id'])
    backup = demo.cinder.backups.get(objects['backup_id'])
    volume = demo.cinder.volumes.get(objects['volume_id'])
    server = demo.nova.servers.get(objects['instance_id'])
    return {
        'triggers': [(t.id, t.pattern, t.workflow_input) for t in trigger],
        'runs': sorted((e.id, e.state) for e in runs),
        'backup': (backup.name, backup.metadata, backup.volume_id),
        'volume': (volume.name, volume.metadata, volume.size),
        'server': (server.status, server.name, sorted(server.tags),
                   server.metadata),
        'backups': sorted(b.id for b in demo.cinder.backups.list()
                          if b.volume_id == objects['volume_id']),
    }


def alt_state(alt):
    return {
        'volumes': sorted(v.id for v in alt.cinder.volumes.list()),
        'triggers': sorted(t.name for t in alt.mistral.cron_triggers.list()),
        'backups': sorted(b.id for b in alt.cinder.backups.list()),
    }


def test_alt_can_neither_read_nor_change_demos_backups(
        dashboard, synced_workbooks, demo, alt):  # noqa: F811
    marker = conftest.unique('bd9-secret')
    server = demo.server(name=marker + '-srv')
    volume = demo.volume(name=marker + '-vol')
    # Not waited for: the shared backup service may be busy for minutes,
    # and a backup still being made must be out of alt's reach all the same.
    backup = demo.backup(volume, name=marker + '-bkp', wait=False)
    name = conftest.unique('bd9-iso')
    wf_input = domain.Schedule(name=name, pattern='0 3 * * *',
                               description=marker + '-desc',
                               report_to=['%s@example.com' % marker]
                               ).workflow_input()
    trigger = demo.cron_trigger(name, domain.SCHEDULE_WORKFLOW,
                                workflow_input=wf_input, pattern='0 3 * * *')
    run = demo.mistral.executions.create(
        domain.SCHEDULE_WORKFLOW, workflow_input=json.dumps(wf_input),
        description=json.dumps({'description': 'isolation test run',
                                'triggered_by': {'type': 'backup_dashboard',
                                                 'id': trigger.id}}))
    demo.record_execution(run.id)
    wait_run(demo, run)
    objects = {'name': name, 'trigger_id': trigger.id,
               'execution_id': run.id, 'backup_id': backup.id,
               'volume_id': volume.id, 'instance_id': server.id,
               'server_id': server.id, 'project_id': demo.project_id}
    secrets = [marker + '-srv', marker + '-vol', marker + '-bkp',
               marker + '-desc', marker + '@example.com']
    before = demo_state(demo, objects)
    alt_before = alt_state(alt)

    intruder = horizon.Browser(dashboard, 'alt', 'alt')
    attempts, leaks = 0, []

    def look(url, res, ids_given):
        # A page may repeat the id it was asked for ("Unable to retrieve
        # run X"); it must never show what demo's objects hold.
        # An AJAX answer carries its messages in a header.
        text = res.text + res.headers.get('X-Horizon-Messages', '')
        shown = [s for s in secrets if s in text]
        shown += ['%s id %s' % (what, i) for what, i in (
            ('run', run.id), ('backup', backup.id), ('volume', volume.id),
            ('server', server.id), ('trigger', trigger.id))
            if i in text and i not in ids_given]
        if shown:
            leaks.append((url, res.status_code, shown))

    def send(method, url, ids_given, *data):
        """One request both ways.

        An AJAX redirect is followed as Horizon's JavaScript follows it (the
        messages it queued show there).
        """
        nonlocal attempts
        for ajax in BOTH_WAYS:
            res = getattr(intruder, method)(url, *data, ajax=ajax)
            attempts += 1
            look(url, res, ids_given)
            location = res.headers.get('X-Horizon-Location')
            if ajax and location:
                look(url, intruder.get(location), ids_given)

    # every plugin URL, every id slot filled with one of demo's ids
    fields = {'backup_id': backup.id, 'volume_id': volume.id,
              'server_id': server.id, 'instance_id': server.id,
              'schedules': [name], 'skip_volumes': [volume.id],
              'name': name, 'target': 'existing', 'confirm_overwrite': '1',
              'kind': 'cron', 'cron': '0 4 * * *', 'timezone': 'UTC',
              'mode': 'full',
              'max_full': '1', 'max_incremental': '0', 'in_use': 'force',
              'project_id': demo.project_id,
              # never a valid schedule: alt must not create one of its own
              # named like demo's by posting to the create form
              'report_to': 'not-an-address'}
    posted_ids = [backup.id, volume.id, server.id]
    for slot_ids in ({}, {'execution_id': trigger.id}):
        values = dict(objects, **slot_ids)
        for url, _, groups in plugin_urls(
                lambda group: values.get(group, run.id)):
            given = [values.get(g, run.id) for g in groups]
            send('get', url, given)
            # a form may show back what was posted to it
            send('post', url, given + posted_ids, fields)
    # list pages and filters with demo's ids
    for url, given in (
            ('/project/backup_schedules/', []),
            ('/project/backup_runs/', []),
            ('/project/backup_runs/?schedule=%s' % name, []),
            ('/project/backup_restore/', []),
            ('/project/backup_restore/?server_id=%s' % server.id,
             [server.id]),
            ('/project/backup_restore/?volume_id=%s' % volume.id,
             [volume.id]),
            ('/project/backup_restore/?backup_id=%s' % backup.id,
             [backup.id]),
            ('/project/instances/', [])):
        send('get', url, given)
    # the table actions, by name and id, as the pages would post them
    for url, action in (
            ('/project/backup_schedules/', 'schedules__delete__%s' % name),
            ('/project/backup_schedules/', 'schedules__run_now__%s' % name),
            ('/project/backup_runs/', 'runs__delete__%s' % run.id),
            ('/project/backup_runs/', 'runs__cancel__%s' % run.id)):
        send('post', url, [], {'action': action})
    # a valid edit of demo's schedule by its name
    send('post', '/project/backup_schedules/%s/update/' % name,
         [name] + posted_ids,
         dict(fields, report_to='', description='changed by alt'))
    # a restore of demo's backup into alt's project, both targets
    for target in ('new', 'existing'):
        send('post', '/project/backup_restore/?backup_id=%s' % backup.id,
             posted_ids, dict(fields, target=target, name=marker + '-stolen'))

    after = demo_state(demo, objects)
    alt_after = alt_state(alt)
    for key in before:
        if before[key] != after[key]:
            leaks.append(('write', key, before[key], after[key]))
    if alt_before != alt_after:
        leaks.append(('alt gained', alt_before, alt_after))
    # cleanup deletes the backup: let the busy backup service finish it
    conftest.wait_status(demo.cinder.backups.get, backup.id,
                         ('available', 'error'), timeout=900, what='backup')
    figures.record('isolation_attempts', attempts)
    figures.record('isolation_leaks', len(leaks))
    assert not leaks, leaks
    assert attempts > 40
