"""Start backup_dashboard_schedule in Mistral's engine at frozen instants.

Mistral's Python runs it as a script (``python fires.py < scenario.json``),
as it runs simulate.py, whose engine harness and fake Cinder/Nova it uses:
each fire of ``scenario['fires']`` (``at``, ``input``, ``params``) starts
the schedule workflow with YAQL's clock frozen at ``at``; the last stdout
line is ``{"runs": [...], "errors": [...]}`` (bridge.Simulation's protocol).
tests/unit/clock/test_guard_engine.py is its test.
"""

import datetime
import json
import os
import sys


def _freeze_yaql_clock():
    """YAQL's now() reads the clock through this module global."""
    from yaql.standard_library import date_time

    class Frozen(datetime.datetime):
        at = None

        @classmethod
        def now(cls, tz=None):
            return cls.at.astimezone(tz) if tz else cls.at
    date_time.DATETIME_TYPE = Frozen
    return Frozen


def _run(scenario):
    import unittest

    # In simulate.py's order: Mistral's test base picks the threading
    # backend before anything else imports Mistral.
    from mistral.tests.unit.engine import base
    from mistral.services import workflows as wf_service
    from mistral.db.v2 import api as db_api
    from mistral.workflow import states
    import simulate

    clock = _freeze_yaql_clock()
    results = []

    class Fires(base.EngineTestCase):
        def test_fires(self):
            for name, cls in simulate.FAKES.items():
                self.register_action_class(name, cls)
            for path in scenario['workbooks']:
                wf_service.create_workflows(open(path).read())
            simulate.CLOUD = simulate.FakeCloud({})
            for fire in scenario['fires']:
                clock.at = datetime.datetime.fromisoformat(fire['at'])
                ex = self.engine.start_workflow(
                    'backup_dashboard_schedule', wf_input=fire['input'],
                    **fire.get('params', {}))
                self.await_workflow_state(ex.id, [states.SUCCESS,
                                                  states.ERROR])
                with db_api.transaction():
                    wex = db_api.get_workflow_execution(ex.id)
                    tasks = sorted(t.name for t in
                                   db_api.get_task_executions(
                                       workflow_execution_id=ex.id))
                    results.append({'at': fire['at'], 'state': wex.state,
                                    'output': wex.output, 'tasks': tasks})

        def await_workflow_state(self, ex_id, wanted):
            def done():
                with db_api.transaction():
                    return db_api.get_workflow_execution(ex_id).state in wanted
            # a hang guard (see simulate.py), not a speed limit
            self._await(done, delay=0.1, timeout=900)

    outcome = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(
        unittest.TestSuite([Fires('test_fires')]))
    return {'runs': results, 'errors': [str(e[1]) for e in
                                         outcome.errors + outcome.failures]}


def main():
    import shutil
    import tempfile
    scenario = json.load(sys.stdin)
    work = tempfile.mkdtemp(prefix='bd-guard-engine-')
    os.chdir(work)        # Mistral's test base logs to ./mistral.log
    try:
        out = _run(scenario)
    except Exception as error:  # pragma: no cover - reported to the test
        out = {'runs': [], 'errors': ['%s: %s' % (type(error).__name__,
                                                   error)]}
    sys.stdout.write(json.dumps(out, default=str) + '\n')
    sys.stdout.flush()
    shutil.rmtree(work, ignore_errors=True)
    os._exit(0)           # Mistral's engine threads do not stop by themselves


if __name__ == '__main__':
    main()
