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

"""Which trigger started a run, and the index's health from its runs.

executions: which trigger started a run, and the index's health from the one
project-wide run list.
"""
import datetime
import json
import types
from unittest import mock

from backup_dashboard import executions
from backup_dashboard import schedule as domain

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def run(trigger_id, created_at, state='SUCCESS'):
    return types.SimpleNamespace(
        id='ex-%s-%s' % (trigger_id, created_at), state=state,
        created_at=created_at, state_info=None,
        description=json.dumps({'triggered_by': {
            'type': 'cron_trigger', 'id': trigger_id}}))


def daily(name, trigger_id):
    return domain.Schedule(name=name, pattern='0 2 * * *', id=trigger_id,
                           created_at='2026-11-01 00:00:00')


def test_runs_by_trigger_groups_in_the_order_given():
    runs = [run('a', '2026-11-22 02:00:00'), run('b', '2026-11-22 01:00:00'),
            run('a', '2026-11-21 02:00:00')]
    grouped = executions.runs_by_trigger(runs)
    assert grouped == {'a': [runs[0], runs[2]], 'b': [runs[1]]}
    assert executions.runs_by_trigger(None) == {}


def test_a_full_window_judges_fires_from_its_oldest_run_on():
    # The window (limit 3) is full: its oldest run, wherever it is in the
    # list, starts the history judged. Schedule "a" ran on the 21st and
    # 22nd; its fire of the 20th is before the window: not missed.
    runs = [run('b', '2026-11-21 01:00:00'),
            run('a', '2026-11-22 02:00:00'),
            run('a', '2026-11-21 02:00:00')]
    schedules = [daily('a', 'a')]
    executions.attach_health(schedules, runs, [], limit=3, now=NOW)
    assert schedules[0].health.problems == []
    # Not full: every fire since its creation is judged.
    executions.attach_health(schedules, runs, [], limit=4, now=NOW)
    assert schedules[0].health.code == 'missed'


def test_runs_already_grouped_are_not_read_again():
    runs = [run('a', '2026-11-22 02:00:00'), run('a', '2026-11-21 02:00:00'),
            run('a', '2026-11-20 02:00:00')]
    grouped = executions.runs_by_trigger(runs)
    schedules = [daily('a', 'a')]
    with mock.patch.object(executions, 'runs_by_trigger',
                           side_effect=AssertionError('read again')):
        executions.attach_health(schedules, runs, [], now=NOW,
                                 by_trigger=grouped)
    assert schedules[0].health.problems == []


def test_what_a_description_says_whatever_it_holds():
    def execution(description):
        return types.SimpleNamespace(description=description)
    cron = execution(json.dumps({'triggered_by': {'type': 'cron_trigger',
                                                  'id': 't1'}}))
    manual = execution(json.dumps({'triggered_by': {'type': 'backup_dashboard',
                                                    'id': 't1'}}))
    assert executions.trigger_id_of(cron) == 't1'
    assert executions.fired_by_cron(cron)
    assert executions.trigger_id_of(manual) == 't1'
    assert not executions.fired_by_cron(manual)
    for odd in (None, '', 'not json', '[1, 2]', '"text"', 5,
                json.dumps({'triggered_by': 'cron_trigger'}),
                json.dumps({'triggered_by': {'id': None}})):
        assert executions.trigger_id_of(execution(odd)) is None
        assert not executions.fired_by_cron(execution(odd))
    assert executions.trigger_id_of(types.SimpleNamespace()) is None


def _summary(state, status, counts=None):
    return executions.Summary(types.SimpleNamespace(
        state=state, output=json.dumps({'status': status,
                                        'counts': counts})))


def test_an_outcome_in_words():
    assert _summary('SUCCESS', 'ok', {'ok': 2}).words == (
        'Backed up', 'success')
    assert _summary('SUCCESS', 'partial', {'ok': 1, 'failed': 1}).words == (
        'Partly failed', 'warning')
    assert _summary('ERROR', None).words == ('Failed', 'danger')
    assert _summary('RUNNING', None).words == ('Running', 'info')
    assert _summary('SUCCESS', 'not_due', {}).words[0] == 'Not due (DST)'
    assert _summary('SUCCESS', 'odd').words[0] == 'Unknown'
    # no volume assigned: nothing to back up
    assert _summary('SUCCESS', 'empty', {'ok': 0, 'skipped': 0}).words == (
        'Nothing to back up', 'default')


def test_a_run_that_skipped_every_volume_says_so():
    # every volume opted out or being backed up by another run: there
    # was something to back up, and nothing was
    assert _summary('SUCCESS', 'empty', {'ok': 0, 'skipped': 3}).words[0] \
        == 'Nothing backed up: 3 volumes skipped'
    assert _summary('SUCCESS', 'empty', {'ok': 0, 'skipped': 1}).words[0] \
        == 'Nothing backed up: 1 volume skipped'


def test_why_says_each_volume_error_in_the_words_given():
    summary = executions.Summary(types.SimpleNamespace(
        state='SUCCESS', output=json.dumps({
            'status': 'partial', 'counts': {'ok': 1, 'failed': 2},
            'volumes': [
                {'status': 'ok'},
                {'status': 'failed', 'error': 'raw A'},
                {'status': 'failed', 'error': 'raw B'},
                {'status': 'skipped', 'reason': 'overlap: raw C'}]})))
    assert summary.why() == 'raw A; raw B; overlap: raw C'
    # the words for errors only: a reason is the workflow's own
    assert summary.why(say=lambda t: t.replace('raw', 'plain')) == \
        'plain A; plain B; overlap: raw C'


def test_why_says_the_runs_own_error_in_the_words_given():
    # a run that failed as a whole (its workflow's error, a service's text)
    summary = executions.Summary(types.SimpleNamespace(
        state='ERROR', output=json.dumps({
            'status': 'failed', 'error': 'raw quota text', 'volumes': []})))
    assert summary.why() == 'raw quota text'
    assert summary.why(say=lambda t: t.replace('raw', 'plain')) == \
        'plain quota text'
