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

"""Fixtures for the browser tests.

Debian's chromium driven by Playwright against Horizon with the plugin, served
for real over the local OpenStack.

The cloud fixtures (``minicloud``, ``clients``, ``cleanup``, ``demo``) and the
served dashboard (``dashboard``, ``synced_workbooks``) are the cloud tests'
own, imported here by name. What this file adds:

- ``chromium``: one Playwright driver for the session. Playwright never
  downloads a browser of its own: it starts ``/usr/bin/chromium`` (or
  ``$BACKUP_DASHBOARD_CHROMIUM``), which ``make browser-test`` installs.
- ``journey``: a fresh headless chromium (its own user-data directory) with
  one page, wrapped in :class:`tests.browser.journey.Journey`. A JavaScript
  ``alert``/``confirm`` (any dialog), an uncaught JavaScript error, a static
  file or page that does not load, or an HTTP 500 fails the test. When a
  test fails, the screenshot and HTML of the step it was at are saved under
  ``test-output/browser/`` with Horizon's log.

``BACKUP_DASHBOARD_SCREENSHOTS=1`` also saves every screen of the journeys
as ``docs/screenshots/*.png`` (``make screenshots``).
"""
import os
import shutil

from playwright.sync_api import expect
from playwright.sync_api import sync_playwright
import pytest

from tests.browser import journey as journey_module
from tests.cloud.conftest import cleanup  # noqa: F401 (fixture)
from tests.cloud.conftest import clients  # noqa: F401 (fixture)
from tests.cloud.conftest import demo  # noqa: F401 (fixture)
from tests.cloud.conftest import minicloud  # noqa: F401 (fixture)
from tests.cloud.horizon import dashboard  # noqa: F401 (fixture)
from tests.cloud.horizon import synced_workbooks  # noqa: F401 (fixture)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CHROMIUM = os.environ.get('BACKUP_DASHBOARD_CHROMIUM', '/usr/bin/chromium')
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu',
                 '--disable-background-networking',
                 '--disable-component-update', '--disable-sync',
                 '--no-first-run', '--disable-quic']
OUTPUT = os.path.join(REPO, 'test-output', 'browser')
SCREENSHOTS = os.path.join(REPO, 'docs', 'screenshots')
VIEWPORT = {'width': 1280, 'height': 800}
# Generous: Horizon's development server on a busy 2-core machine.
TIMEOUT_MS = 60000


def refresh_screenshots():
    return os.environ.get('BACKUP_DASHBOARD_SCREENSHOTS', '') not in (
        '', '0', 'no', 'false')


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, for the fixtures' teardown."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, 'report_' + report.when, report)


@pytest.fixture(scope='session')
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail('%s is missing: `make browser-test` installs Debian\'s '
                    'chromium (apt-get install -y chromium)' % CHROMIUM)
    with sync_playwright() as playwright:
        yield playwright.chromium


@pytest.fixture
def journey(request, chromium, dashboard, tmp_path):  # noqa: F811
    """A fresh browser with one page on the served dashboard."""
    expect.set_options(timeout=TIMEOUT_MS)
    context = chromium.launch_persistent_context(
        str(tmp_path / 'chromium-profile'), executable_path=CHROMIUM,
        headless=True, args=CHROMIUM_ARGS, viewport=VIEWPORT,
        locale='en-US', timezone_id='UTC')
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(2 * TIMEOUT_MS)
    page = context.pages[0] if context.pages else context.new_page()
    trip = journey_module.Journey(
        page, dashboard.url,
        screenshots=SCREENSHOTS if refresh_screenshots() else None)
    try:
        yield trip
    finally:
        failed = any(getattr(getattr(request.node, 'report_' + when, None),
                             'failed', False) for when in ('setup', 'call'))
        save_events(request.node.name, trip)
        if failed:
            save_failure(request.node.name, trip, dashboard)
        context.close()
    # After the test's own verdict: what the browser saw along the way.
    trip.assert_clean()


def save_events(test_name, trip):
    """The steps with their times (and any dialog or page problem)."""
    os.makedirs(OUTPUT, exist_ok=True)
    with open(os.path.join(OUTPUT, test_name + '.events.txt'), 'w') as f:
        f.write('\n'.join(trip.log + trip.finish()) + '\n')


def save_failure(test_name, trip, served):
    """The failing step's screenshot and HTML, and Horizon's log."""
    os.makedirs(OUTPUT, exist_ok=True)
    base = os.path.join(OUTPUT, '%s--%s' % (
        test_name, journey_module.slug(trip.current_step)))
    try:
        trip.page.screenshot(path=base + '.png', full_page=True)
        with open(base + '.html', 'w') as f:
            f.write(trip.page.content())
    except Exception as error:  # the page itself may be what broke
        with open(base + '.error.txt', 'w') as f:
            f.write('could not save the page: %r\n' % error)
    log = getattr(getattr(served, 'log', None), 'name', None)
    if log and os.path.exists(log):
        shutil.copy(log, os.path.join(OUTPUT, '%s--horizon.log' % test_name))
