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

"""Schedule templates and bounds: visibility, refusals, drift, storage."""
import pytest

from backup_dashboard import errors
from backup_dashboard import governance
from backup_dashboard import guardrails
from backup_dashboard import schedule as domain

DAILY = guardrails.Template('Daily, keep 14', '0 2 * * *', None, 'rotation',
                            14, 6)
HOURLY = guardrails.Template('Hourly, keep 48', '0 * * * *', 'UTC', 'full',
                             48, 5, ('p1',))
VARIABLES = {
    'retention_lock': {'default': {'count': 2, 'days': None}},
    guardrails.TEMPLATES_KEY: [DAILY.as_entry(), HOURLY.as_entry(),
                               {'name': '{{ bad }}', 'pattern': '* * * * *',
                                'mode': 'full', 'max_full': 1,
                                'max_incremental': 0}],
    guardrails.BOUNDS_KEY: {
        'default': {'min_interval_minutes': 60, 'max_full': 30},
        'projects': {'p1': {'min_interval_minutes': 30, 'min_full': 3,
                            'max_full': None, 'max_gb_per_run': 100}}},
}


def schedule(pattern='0 2 * * *', **values):
    return domain.Schedule(name='n', local_pattern=pattern, **values)


def test_templates_visible_to_a_project_and_unreadable_ones_left_out():
    assert [t.name for t in guardrails.visible_templates(VARIABLES, 'p1')] \
        == ['Daily, keep 14', 'Hourly, keep 48']
    assert guardrails.visible_templates(VARIABLES, 'p2') == [DAILY]
    assert guardrails.template_named(VARIABLES, '{{ bad }}') is None
    assert guardrails.templates({guardrails.TEMPLATES_KEY: 'junk'}) == []


def test_a_projects_own_bounds_replace_the_default():
    own = guardrails.bounds_for(VARIABLES, 'p1')
    assert (own.min_interval_minutes, own.min_full, own.max_full,
            own.source) == (30, 3, None, guardrails.PROJECT)
    assert guardrails.bounds_for(VARIABLES, 'p2') == guardrails.Bounds(
        60, None, 30, None, guardrails.DEFAULT)
    assert guardrails.bounds_for({}, 'p2') is None


def test_the_interval_refusal_names_the_bound_and_its_limit():
    bounds = guardrails.bounds_for(VARIABLES, 'p1')
    text = guardrails.bounds_refusal(schedule('*/15 * * * *', max_full=3),
                                     bounds)
    assert text == ("This schedule runs every 15 minutes; this project's "
                    "bounds allow at most one run every 30 minutes.")
    # the shortest gap, not the usual one
    assert guardrails.shortest_gap_minutes('0,20 2 * * *') == 20
    assert guardrails.bounds_refusal(schedule('*/30 * * * *', max_full=3),
                                     bounds) is None


def test_retention_and_gb_bounds_are_named_each():
    own = guardrails.bounds_for(VARIABLES, 'p1')
    why = guardrails.bounds_refusals(schedule(max_full=2), own,
                                     run_gigabytes=150)
    assert why == ["keeps 2 full backups; this project's bounds require at "
                   "least 3",
                   "backs up 150 GB per run; this project's bounds allow "
                   "at most 100 GB per run"]
    default = guardrails.bounds_for(VARIABLES, 'p2')
    assert guardrails.bounds_refusals(schedule(max_full=31), default) == [
        "keeps 31 full backups; the cloud's default bounds allow at most 30"]
    # GB unknown (no forecast): not judged
    assert guardrails.bounds_refusals(schedule(max_full=3), own) == []


def test_a_template_mismatch_is_refused_with_the_templates_values():
    same = schedule(max_full=14, max_incremental=6, timezone='Europe/Paris')
    assert guardrails.template_refusal(same, DAILY) is None
    other = schedule('0 3 * * *', max_full=14, max_incremental=6)
    assert guardrails.differences(other, DAILY) == ['local_pattern']
    text = guardrails.template_refusal(other, DAILY)
    assert 'cron "0 2 * * *"' in text and '14 full backups kept' in text
    assert '6 incrementals per full' in text
    # a template with a zone fixes it
    assert guardrails.differences(schedule(
        '0 * * * *', mode='full', max_full=48, max_incremental=5,
        timezone='Europe/Paris'), HOURLY) == ['timezone']


def test_drift_is_a_difference_from_the_templates_current_values():
    saved = schedule(max_full=14, max_incremental=6, template=DAILY.name)
    assert guardrails.drift(saved, VARIABLES) is None
    assert guardrails.drift(schedule(), VARIABLES) is None
    changed = guardrails.with_template(VARIABLES, guardrails.Template(
        DAILY.name, '0 2 * * *', None, 'rotation', 10, 6))
    assert guardrails.drift(saved, changed) == ['max_full']
    gone = guardrails.without_template(VARIABLES, DAILY.name)
    assert guardrails.drift(saved, gone) == ['template']


@pytest.mark.parametrize('name', ['<% $.x %>', 'a {{ b }}', '{% if %}',
                                  'x %>', ' lead', '', 'a\nb', 'x' * 65])
def test_template_names_that_could_be_expressions_are_refused(name):
    with pytest.raises(errors.InputError):
        guardrails.check_name(name)
    entry = dict(DAILY.as_entry(), name=name)
    with pytest.raises(ValueError):
        governance.definition({guardrails.TEMPLATES_KEY: [entry]})


def test_bounds_typed_are_taken_as_typed_or_refused():
    assert guardrails.validate_bounds({'min_interval_minutes': '60',
                                       'max_full': ''}) == {
        'min_interval_minutes': 60, 'min_full': None, 'max_full': None,
        'max_gb_per_run': None}
    for values in ({'min_full': '0'}, {'max_full': '101'},
                   {'max_gb_per_run': '07'}, {'min_full': '5',
                                              'max_full': '4'}):
        with pytest.raises(errors.InputError):
            guardrails.validate_bounds(values)


def test_stored_with_the_lock_and_read_back():
    new = guardrails.with_bounds(VARIABLES, 'p2', {'max_full': 5})
    # an unreadable template is refused, not written
    with pytest.raises(ValueError):
        governance.definition(new)
    new = guardrails.without_template(new, 'none')
    text = governance.definition(new)
    back = governance.variables_of(text)
    assert back['retention_lock']['default']['count'] == 2
    assert guardrails.bounds_for(back, 'p2').max_full == 5
    assert guardrails.templates(back) == [DAILY, HOURLY]
    cleared = guardrails.with_bounds(back, 'p2', {'max_full': None})
    assert guardrails.bounds_for(cleared, 'p2').source == guardrails.DEFAULT
    with pytest.raises(ValueError):
        governance.definition({guardrails.BOUNDS_KEY: {
            'default': {'max_full': '<% 1 %>'}}})


def test_a_schedule_remembers_its_template_in_the_trigger():
    saved = domain.validate(schedule(template=DAILY.name))
    kwargs = saved.to_trigger()
    assert kwargs['workflow_params'][domain.TEMPLATE_PARAM] == DAILY.name
    assert 'template' not in kwargs['workflow_input']

    class Trigger:
        name = 'n'
        workflow_name = domain.SCHEDULE_WORKFLOW
        pattern = kwargs['pattern']
        workflow_input = kwargs['workflow_input']
        workflow_params = kwargs['workflow_params']
    assert domain.Schedule.from_trigger(Trigger).template == DAILY.name
