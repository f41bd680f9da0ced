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

"""Robustness figures, counted by the tests themselves (never typed by hand).

The hostile-input, CSRF, rotation, fault and isolation tests call
``record(key, n)`` once a case has *passed* its assertions (leaks are recorded
before the assertion that fails on them, so a leak shows in the table too).
At the end of the session the counts of this session are merged into
``robustness-figures.json`` (a key measured now replaces its previous value;
keys not measured now keep theirs, with the date they were measured), and
``robustness-figures.rst`` is generated from it. Every run writes them under
``test-output/`` (so a test run never changes tracked files);
``BACKUP_DASHBOARD_FIGURES=1`` (``make figures``) writes them into ``docs/``,
whose robustness.rst includes that table.

A test module enables the writer by importing the session fixture::

    from tests.figures import robustness_figures  # noqa: F401 (fixture)
"""
import collections
import datetime
import json
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JSON_PATH = os.path.join(REPO, 'docs', 'robustness-figures.json')
RST_PATH = os.path.join(REPO, 'docs', 'robustness-figures.rst')
OUTPUT = os.path.join(REPO, 'test-output')

# key -> (row label, where it is measured)
ROWS = collections.OrderedDict([
    ('hostile_cases', ('Hostile inputs tried (form error or stored inert, '
                       'no 500)', 'tests/unit/test_hostile_inputs.py')),
    ('hostile_rejected', ('... of which refused by a form error, nothing '
                          'stored', 'tests/unit/test_hostile_inputs.py')),
    ('hostile_inert', ('... of which stored inert and shown escaped',
                       'tests/unit/test_hostile_inputs.py')),
    ('csrf_endpoints', ('Plugin URLs refusing a POST without CSRF token '
                        '(403)', 'tests/unit/test_csrf.py')),
    ('admin_views_hidden', ('Admin views refused to a non-admin user',
                            'tests/unit/test_csrf.py')),
    ('generated_histories', ('Generated backup histories (hypothesis)',
                             'tests/unit/test_rotation.py')),
    ('rotation_cycles', ('Rotation cycles on generated histories, '
                         'invariant checked after each',
                         'tests/unit/test_rotation.py')),
    ('real_cycles', ('Real schedule runs on the local OpenStack, invariant '
                     'checked after each', 'tests/cloud/test_faults.py')),
    ('faults_survived', ('Faults injected on the local OpenStack and '
                         'survived', 'tests/cloud/test_faults.py')),
    ('isolation_attempts', ('Cross-project reads and writes tried (URLs, '
                            'forms, ids of another project)',
                            'tests/cloud/test_isolation.py')),
    ('isolation_leaks', ('Leaks found (reads + writes that succeeded)',
                         'tests/cloud/test_isolation.py')),
])

# (key, test node id) -> count, and the tests that ran, in this session
_counts = collections.Counter()
_ran = set()


def _current_test():
    # "tests/unit/test_x.py::TestClass::test_y (call)"
    return os.environ.get('PYTEST_CURRENT_TEST', 'unknown').rsplit(' ', 1)[0]


def record(key, n=1):
    """Count `n` more of `key` for the running test (0 marks it measured)."""
    if key not in ROWS:
        raise KeyError('unknown figure %r (add it to tests/figures.ROWS)'
                       % key)
    _counts[key, _current_test()] += n


def _to_docs():
    return os.environ.get('BACKUP_DASHBOARD_FIGURES', '') not in (
        '', '0', 'no', 'false')


def _paths():
    """(json, rst) written by this run: docs/ when asked, else test-output/."""
    if _to_docs():
        return JSON_PATH, RST_PATH
    return (os.path.join(OUTPUT, 'robustness-figures.json'),
            os.path.join(OUTPUT, 'robustness-figures.rst'))


def _load(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    # {key: {test id: {"value": n, "measured": date}}}; anything else is an
    # older layout, measured again by the next run
    return {k: v for k, v in data.items() if isinstance(v, dict) and
            all(isinstance(e, dict) and 'value' in e for e in v.values())}


def write():
    """Merge this session's figures into the JSON file and render the rst.

    Per test: a test that ran now replaces what it recorded before (a test
    that failed before recording now contributes nothing); tests that did not
    run keep their last figures, with the date they were measured.
    """
    if not _ran:
        return
    json_path, rst_path = _paths()
    # test-output/ starts from the published figures, then keeps its own
    data = _load(json_path if os.path.exists(json_path) else JSON_PATH)
    today = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')
    for per_test in data.values():
        for test in list(per_test):
            if test in _ran:
                del per_test[test]
    for (key, test), value in _counts.items():
        data.setdefault(key, {})[test] = {'value': value, 'measured': today}
    os.makedirs(os.path.dirname(json_path), exist_ok=True)
    with open(json_path, 'w') as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write('\n')
    with open(rst_path, 'w') as f:
        f.write(render(data))


def render(data):
    rows = []
    for key, (label, where) in ROWS.items():
        per_test = data.get(key)
        if not per_test:
            continue
        dates = sorted({e['measured'] for e in per_test.values()})
        measured = dates[0] if len(dates) == 1 else \
            '%s to %s' % (dates[0], dates[-1])
        rows.append((label, str(sum(e['value'] for e in per_test.values())),
                     measured, where))
    header = ('Figure', 'Count', 'Measured', 'By')
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
    line = '  '.join('=' * w for w in widths)

    def fmt(row):
        return '  '.join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
    out = ['.. Generated by tests/figures.py (make figures); do not edit.',
           '', line, fmt(header), line]
    out += [fmt(r) for r in rows]
    out += [line, '']
    return '\n'.join(out)


@pytest.fixture(scope='session', autouse=True)
def robustness_figures():
    yield
    write()


@pytest.fixture(autouse=True)
def robustness_figures_per_test():
    _ran.add(_current_test())
    yield
