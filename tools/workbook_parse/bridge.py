"""Reach Mistral's parser, expression evaluator and engine from any Python.

Mistral (23) and mistral-extra (17) need not be installed in Horizon's venv: the
tests talk to ``check.py`` / ``simulate.py`` run by a Python that has them.

Which Python: ``$BD_MISTRAL_PYTHON`` if set; else this interpreter when it can
import ``mistral.lang.parser``; else ``<repo>/.venv-mistral/bin/python``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

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
    proc = subprocess.run([py, str(HERE / 'check.py'), 'validate'] + list(paths or workbook_paths()),
                          capture_output=True, text=True, timeout=300)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        raise RuntimeError('check.py failed: %s\n%s' % (proc.stdout[-2000:], proc.stderr[-4000:]))


def simulate(scenario, timeout=900):
    py = mistral_python()
    scenario = dict(scenario)
    scenario.setdefault('workbooks', workbook_paths())
    proc = subprocess.run([py, str(HERE / 'simulate.py')], input=json.dumps(scenario),
                          capture_output=True, text=True, timeout=timeout)
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError('simulate.py failed: %s\n%s' % (proc.stdout[-2000:], proc.stderr[-4000:]))
    if out['errors']:
        raise RuntimeError('simulate.py: %s\n%s' % (out['errors'], proc.stderr[-4000:]))
    return out['runs']


class Evaluator(object):
    """A long-running check.py serve: evaluate many expressions cheaply."""

    def __init__(self):
        py = mistral_python()
        self.proc = subprocess.Popen([py, str(HERE / 'check.py'), 'serve'], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def __call__(self, expr, data, task_result=None):
        self.proc.stdin.write(json.dumps({'expr': expr, 'data': data,
                                          'task_result': task_result}) + '\n')
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
