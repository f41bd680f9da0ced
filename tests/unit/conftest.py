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

"""Start the Mistral engine simulations early: see tests/simulations.py.

And ``ev``: Mistral's own expression evaluator, for the tests that evaluate
the workbooks' YAQL as written.
"""
import pytest

from tests import simulations
from tests.workbooks import bridge


def pytest_collection_finish(session):
    if not session.config.option.collectonly:
        simulations.start_for(session.items)


def pytest_sessionfinish(session):
    simulations.kill_all()


@pytest.fixture(scope='module')
def ev():
    simulations.require_mistral()
    evaluator = bridge.Evaluator()
    yield evaluator
    evaluator.close()
