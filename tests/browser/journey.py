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

"""A person using the dashboard in a real browser.

The steps the journeys share (log in, open a row action, read Horizon's
messages...), named steps for the failure report, and the screenshots for
docs/screenshots/.

Every wait here is on something the page shows (Playwright's ``expect``
retries until its timeout): no fixed sleeps.
"""
import os
import re
import time

from playwright.sync_api import expect

# Horizon's alert messages (page messages and toasts).
MESSAGES = '.messages .alert, #main_content .alert-dismissable'


def slug(text):
    return re.sub(r'[^a-z0-9]+', '-', (text or 'start').lower()).strip('-')


class Journey(object):
    """One page of one browser, with what it saw along the way."""

    def __init__(self, page, base_url, screenshots=None):
        self.page = page
        self.base = base_url
        self.screenshots = screenshots
        self.current_step = 'start'
        self.started = time.time()
        self.log = []
        self.dialogs = []
        self.problems = []
        page.on('dialog', self._dialog)
        page.on('pageerror', lambda error: self._problem(
            'JavaScript error: %s' % error))
        page.on('response', self._response)
        page.on('requestfailed', self._request_failed)

    # -- what the browser saw ------------------------------------------------

    def _note(self, text):
        self.log.append('%7.1f s  [%s] %s' % (time.time() - self.started,
                                              self.current_step, text))

    def _dialog(self, dialog):
        # Any alert/confirm/prompt is a failure (an XSS payload would open
        # one); dismiss it so the page goes on and the test can say so.
        self.dialogs.append('%s: %s' % (dialog.type, dialog.message))
        self._note('DIALOG %s: %s' % (dialog.type, dialog.message))
        dialog.dismiss()

    def _problem(self, text):
        self.problems.append('[%s] %s' % (self.current_step, text))
        self._note(text)

    def _response(self, response):
        if not response.url.startswith(self.base):
            return
        if response.status >= 500:
            self._problem('HTTP %d for %s' % (response.status, response.url))
        elif response.status == 404 and '/static/' in response.url:
            self._problem('missing static file %s' % response.url)

    def _request_failed(self, request):
        # Leaving a page aborts its pending row updates: not a problem.
        if request.url.startswith(self.base) and '/static/' in request.url:
            self._problem('static file did not load: %s (%s)'
                          % (request.url, request.failure))

    def finish(self):
        return ['%7.1f s  end' % (time.time() - self.started)]

    def assert_clean(self):
        assert not self.dialogs, 'a dialog opened: %s' % self.dialogs
        assert not self.problems, '\n'.join(self.problems)

    # -- steps and screenshots -----------------------------------------------

    def step(self, name):
        """Name what comes next (the failure report names the step)."""
        self.current_step = name
        self._note('step')

    def shot(self, name):
        """Save the screen as docs/screenshots/<name>.png when asked to."""
        if not self.screenshots:
            return
        os.makedirs(self.screenshots, exist_ok=True)
        # No blinking caret or half-finished fade in the picture.
        self.page.screenshot(path=os.path.join(self.screenshots,
                                               name + '.png'),
                             animations='disabled', caret='hide')

    # -- navigation ----------------------------------------------------------

    def goto(self, path):
        self._note('GET %s' % path)
        self.page.goto(self.base + path)

    def login(self, username, password, shot=None):
        # Horizon re-saves the session on every response, so a request of
        # the last page still in flight could bring the old user's cookie
        # back: leave the page (which aborts them) before forgetting it.
        self.page.goto('about:blank')
        self.page.context.clear_cookies()
        self.goto('/auth/login/')
        page = self.page
        page.fill('#id_username', username)
        page.fill('#id_password', password)
        if shot:
            self.shot(shot)
        page.click('#loginBtn')
        expect(page.locator('.user-menu .user-name')).to_have_text(username)

    # -- reading the page ----------------------------------------------------

    def messages(self):
        return [re.sub(r'\s+', ' ', t).strip()
                for t in self.page.locator(MESSAGES).all_inner_texts()]

    def expect_message(self, pattern, level=None):
        """Wait for a Horizon message matching `pattern` (a regex)."""
        selector = '.messages .alert' + ('.alert-%s' % level if level
                                         else '')
        expect(self.page.locator(selector).filter(
            has_text=re.compile(pattern))).not_to_have_count(0)

    def row(self, table, text):
        """The row of a Horizon DataTable that shows `text`."""
        return self.page.locator('table#%s > tbody > tr' % table).filter(
            has_text=text)

    def row_action(self, row, action_text):
        """Open a row's actions dropdown and click one of its actions."""
        row.locator('.btn-group .dropdown-toggle').first.click()
        action = row.locator('.dropdown-menu').get_by_text(action_text,
                                                           exact=True)
        expect(action).to_be_visible()
        return action

    def modal(self):
        """The topmost Horizon modal, once it is shown."""
        modal = self.page.locator('#modal_wrapper .modal').last
        expect(modal).to_be_visible()
        expect(modal.locator('.modal-footer')).to_be_visible()
        return modal

    def type(self, field, text):
        """Type into a field key by key, as a person does.

        Type into a field key by key, as a person does (the schedule form's
        live preview listens to key presses).
        """
        field.fill('')
        field.press_sequentially(text)

    def choose(self, scope, name, label):
        """Pick `label` in one of Horizon's themable selects.

        Pick `label` in one of Horizon's themable selects (a dropdown button
        over a hidden <select>), as a person does.
        """
        select = scope.locator('.themable-select').filter(
            has=self.page.locator('select[name=%s]' % name))
        select.locator('button.dropdown-toggle').click()
        select.locator('.dropdown-menu a').get_by_text(label,
                                                       exact=True).click()
        expect(select.locator('select')).to_have_value(
            re.compile('.+'))


def errors_of(scope):
    """Field and form errors shown in a form."""
    return [re.sub(r'\s+', ' ', t).strip() for t in scope.locator(
        '.has-error .help-block, .has-error .error, .alert-danger'
    ).all_inner_texts()]


def cell(page, table, row, header):
    """One cell of a DataTable row, by its column's header text."""
    headers = [h.strip() for h in page.locator(
        'table#%s > thead > tr:last-child > th' % table).all_inner_texts()]
    return row.locator('xpath=./td').nth(headers.index(header))
