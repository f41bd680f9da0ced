"""Start the Mistral engine simulations early: see tests/simulations.py."""
from tests import simulations


def pytest_collection_finish(session):
    if not session.config.option.collectonly:
        simulations.start_for(session.items)


def pytest_sessionfinish(session):
    simulations.kill_all()
