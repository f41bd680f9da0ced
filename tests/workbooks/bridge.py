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

"""Reach Mistral's parser, expression evaluator and engine from any Python.

Mistral (23) and mistral-extra (17) need not be installed in Horizon's venv:
the tests talk to ``check.py`` / ``simulate.py`` run by a Python that has
them.

Which Python: ``$BD_MISTRAL_PYTHON`` if set; else this interpreter when it can
import ``mistral.lang.parser``; else ``<repo>/.venv-mistral/bin/python``.
"""

import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile
import time

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORKBOOKS = REPO / 'workbooks'


def mistral_python():
    env = os.environ.get('BD_MISTRAL_PYTHON')
    if env:
        return env
    try:
        import mistral.lang.parser  # noqa: F401
        return sys.executable
    except Exception:
        pass
    cand = REPO / '.venv-mistral' / 'bin' / 'python'
    if cand.exists():
        return str(cand)
    return None


def workbook_paths():
    return sorted(str(p) for p in WORKBOOKS.glob('*.yaml'))


def validate(paths=None):
    py = mistral_python()
    proc = subprocess.run([py, str(HERE / 'check.py'), 'validate'] +
                          list(paths or workbook_paths()), capture_output=True,
                          text=True, timeout=1800)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        raise RuntimeError('check.py failed: %s\n%s' %
                           (proc.stdout[-2000:], proc.stderr[-4000:]))


def governance_definition(cloud):
    """The admins' public workflow a scenario's runs read their lock from.

    Written by the product's own ``governance.definition`` from the cloud
    knob ``governance`` (the variables the admins set; none by default);
    None for ``governance_missing`` (never synced: runs cannot read a lock).
    """
    if cloud.get('governance_missing'):
        return None
    from backup_dashboard import governance
    return governance.definition(cloud.get('governance') or {})


class Simulation(object):
    """simulate.py (or a harness speaking its protocol) run in the background.

    The engine mostly waits (workflow delays, polling), so several simulations
    can run side by side; ``result()`` waits for this one.  Protocol: the
    scenario as JSON on stdin; the last stdout line ``{"runs": [...], "errors":
    [...]}``.  Each process keeps its sqlite in memory and its log in its own
    temporary directory, so nothing is shared between simultaneous ones.
    """

    def __init__(self, scenario, script=HERE / 'simulate.py', timeout=2700):
        scenario = dict(scenario)
        scenario.setdefault('workbooks', workbook_paths())
        scenario.setdefault('governance', governance_definition(
            scenario.get('cloud') or {}))
        self.name = Path(script).name
        self.deadline = time.monotonic() + timeout
        # Files, not pipes: nobody reads the output until result(), and a
        # full pipe would stall the engine.
        self.stdout, self.stderr = tempfile.TemporaryFile(
            'w+'), tempfile.TemporaryFile('w+')
        with tempfile.TemporaryFile('w+') as stdin:
            json.dump(scenario, stdin)
            stdin.seek(0)
            self.proc = subprocess.Popen(
                [mistral_python(), str(script)], stdin=stdin,
                stdout=self.stdout, stderr=self.stderr, text=True)
        self._result = None

    def result(self):
        """The runs.

        RuntimeError with the output's tails if the harness failed or timed
        out.
        """
        if self._result is None:
            self._result = self._collect()
        if isinstance(self._result, Exception):
            raise self._result
        return self._result

    def _collect(self):
        try:
            self.proc.wait(timeout=max(0, self.deadline - time.monotonic()))
            problem = None
        except subprocess.TimeoutExpired:
            self.kill()
            problem = 'timed out'
        self.stdout.seek(0)
        self.stderr.seek(0)
        stdout, stderr = self.stdout.read(), self.stderr.read()
        self.stdout.close()
        self.stderr.close()
        try:
            out = json.loads(stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            problem = problem or 'failed'
        if problem:
            return RuntimeError(
                '%s %s: %s\n%s' %
                (self.name, problem, stdout[-2000:], stderr[-4000:]))
        if out['errors']:
            return RuntimeError('%s: %s\n%s' %
                                (self.name, out['errors'], stderr[-4000:]))
        return out['runs']

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Evaluator(object):
    """A long-running check.py serve: evaluate many expressions cheaply."""

    def __init__(self):
        py = mistral_python()
        self.proc = subprocess.Popen([py, str(HERE / 'check.py'), 'serve'],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)

    def __call__(self, expr, data, task_result=None, task_created_at=None):
        self.proc.stdin.write(json.dumps({
            'expr': expr, 'data': data, 'task_result': task_result,
            'task_created_at': task_created_at}) + '\n')
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError('check.py serve died')
        out = json.loads(line)
        if not out['ok']:
            raise ValueError(out['error'])
        return out['value']

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
