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

"""Mistral engine simulations, started together as soon as the tests are known.

A simulation mostly waits (workflow delays, polling) and takes up to a minute,
so they run side by side rather than one after the other in their fixtures.
A test module declares each as a module fixture::

    @simulation_fixture
    def runs():
        return bridge.Simulation({...})     # started, not awaited

tests/unit/conftest.py starts every simulation a selected test needs once
collection is over (not for ``--collect-only``), so they overlap with each
other and with the rest of the suite; the fixture then only waits for the
result (or starts the simulation itself if it was not started). At the end of
the session any simulation still running is killed.
"""
import pytest

from tests.workbooks import bridge

_DECLARED = {}   # (module name, fixture name) -> function starting it
_STARTED = {}    # function starting it -> bridge.Simulation


def simulation_fixture(start):
    """A module fixture named as ``start``: the runs of its simulation."""
    _DECLARED[start.__module__, start.__name__] = start

    @pytest.fixture(scope='module', name=start.__name__)
    def fixture():
        require_mistral()
        if start not in _STARTED:
            _STARTED[start] = start()
        return _STARTED[start].result()
    return fixture


def require_mistral():
    """Mistral's parser and engine run the workbooks offline.

    A test that needs them fails without them (``make setup`` installs
    .venv-mistral).
    """
    if bridge.mistral_python() is None:
        pytest.fail('no Python with mistral: make setup installs it in '
                    '.venv-mistral (see docs/workflows.rst)')


def start_for(items):
    """Start the simulations these tests need (not yet started)."""
    if bridge.mistral_python() is None:
        return      # the fixtures skip or fail
    for item in items:
        module = item.getparent(pytest.Module)
        for name in getattr(item, 'fixturenames', ()):
            start = _DECLARED.get(
                (module.obj.__name__, name)) if module else None
            if start and start not in _STARTED:
                _STARTED[start] = start()


def kill_all():
    for simulation in _STARTED.values():
        simulation.kill()
