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

"""What a form is given is what reaches the api layer, or it is refused.

For every case of the table, one field of a form holds one value (the
hostile text of ``tests/hostile.py``, long text, whitespace, numbers out of
range...) and the form is posted, plain and as Horizon's JavaScript posts
it (AJAX), the api layer mocked (``tests/backend.py``):

- a case with no message must be accepted, and what reaches the api layer
  for that field equals exactly what was typed (a number: its value);
- a case with a message must be refused: the form again, with that
  message, the value still in its field, and nothing sent.

``FORMS`` says, per form, where it posts, a valid submission to start from
and how to read back what reached the api layer; ``CASES`` is the table of
(form, field, value, message). A form joins by adding one of each.
"""
import collections
from unittest import mock

from django.urls import reverse
from django.utils.html import escape
from novaclient.v2 import flavors as nova_flavors

from backup_dashboard import api
from testkit import helpers
from tests import backend
from tests import hostile
from tests.unit.dashboards.project.restore import data as rdata


# url: where the form posts; data: a valid submission; setup(test): the
# mocks beyond tests/backend.py, returning a function that gives
# {field: value} of what reached the api layer (None: nothing did).
Form = collections.namedtuple('Form', 'url data setup')
Case = collections.namedtuple('Case', 'id form field value message extra')


def _restore(test):
    start = test.patch(api.restores, 'restore_start',
                       return_value=rdata.execution())

    def sent():
        if not start.called:
            return None
        args, kwargs = start.call_args
        return dict(kwargs, backup_id=args[1], target=args[2])
    return sent


def _configure(test):
    for name in ('Sauvegarde-été 日本', 'n' * 53, 'db.backup:1@site+x'):
        test.backend.add_schedule(name)
    mocks = test.backend.mocks

    def sent():
        calls = {name: [c[0][1:] for c in mocks[name].call_args_list]
                 for name in ('server_add_tag', 'server_delete_tag',
                              'volume_set_skip')}
        if not any(calls.values()):
            return None
        # srv-1 carries backup:nightly; what it carries after the calls
        tags = ({'backup:nightly'} - {t for _, t in calls[
            'server_delete_tag']}) | {t for _, t in calls['server_add_tag']}
        return {'schedules': sorted(t[len('backup:'):] for t in tags),
                'skip_volumes': [v for v, skip in calls['volume_set_skip']
                                 if skip]}
    return sent


def _point(test):
    test.patch(api.compute, 'flavors', return_value=[
        nova_flavors.Flavor(nova_flavors.FlavorManager(None), {
            'id': 'f1', 'name': 'm1.tiny', 'vcpus': 1, 'ram': 512})])
    start = test.patch(api.restores, 'point_restore_start',
                       return_value=rdata.execution(exec_id='ex-p1'))

    def sent():
        if not start.called:
            return None
        args, kwargs = start.call_args
        return dict(kwargs, name_0=args[1][0]['name'])
    return sent


FORMS = {
    'restore': Form(
        reverse('horizon:project:backup_restore:index') + '?volume_id=vol-1',
        {'backup_id': 'b-full-2', 'target': 'new', 'name': 'back',
         'size': '2', 'volume_type': '', 'availability_zone': '',
         'server_id': '', 'device': ''},
        _restore),
    'point': Form(
        reverse('horizon:project:backup_restore:point',
                args=['srv-1', 'run-1']),
        {'target': 'new_server', 'server_name': 'web-back', 'flavor': 'f1',
         'network': '', 'name_0': 'root-back'},
        _point),
    'configure': Form(
        reverse('horizon:project:backup_schedules:instance_configure',
                args=['srv-1']),
        {'schedules': ['nightly'], 'skip_volumes': []},
        _configure),
}


def case(form, field, label, value, message=None, **extra):
    return Case('%s_%s_%s' % (form, field, label), form, field, value,
                message, extra)


ATTACH = {'server_id': 'srv-1'}
NOVA_REFUSES = dict(
    {label: 'printable characters only' for label in (
        'rtl_override', 'zero_width', 'escape_char', 'crlf', 'tab')},
    spaces_around='cannot begin or end with a space')
CASES = [case('restore', 'name', label, text)
         for label, text in hostile.TEXTS] + [
    case('restore', 'name', 'longest', hostile.long_text(255)),
    case('restore', 'name', 'pasted_300', hostile.long_text(300),
         'This is 300 characters long; at most 255 fit here.'),
    case('restore', 'name', 'huge', hostile.long_text(100000),
         'at most 255 fit here'),
    case('restore', 'name', 'null_byte', hostile.NULL_BYTE,
         'Null characters are not allowed.'),
    case('restore', 'name', 'empty', '',
         'Enter a name for the new volume (at most 255 characters).'),
    case('restore', 'name', 'blank', '   ',
         'Enter a name for the new volume'),
    case('restore', 'size', 'the_backups', '2'),
    case('restore', 'size', 'larger', '7'),
    case('restore', 'size', 'spaces_around', ' 3 '),
    case('restore', 'size', 'zero', '0',
         'at least as big as the backup: 2 GB (and at most 2147483647 GB)'),
    case('restore', 'size', 'below_the_backup', '1',
         'at least as big as the backup: 2 GB'),
    case('restore', 'size', 'negative', '-5',
         'at least as big as the backup: 2 GB'),
    case('restore', 'size', 'over_cinders_largest', '2147483648',
         'and at most 2147483647 GB'),
    case('restore', 'size', 'over_the_quota', '101',
         'quota has 100 GB left; the new volume needs 101 GB'),
    case('restore', 'size', 'empty', '',
         'Enter the size of the new volume in GB: from 2 (the size of the '
         'backup) to 2147483647.'),
    case('restore', 'size', 'fraction', '2.5', 'Enter a whole number.'),
    case('restore', 'size', 'yaql', hostile.YAQL, 'Enter a whole number.'),
    case('restore', 'device', 'vdc', '/dev/vdc', **ATTACH),
    case('restore', 'device', 'empty_nova_chooses', '', **ATTACH),
    case('restore', 'device', 'markup', '<i>/dev/vdb</i>',
         'A device name looks like /dev/vdb', **ATTACH),
    case('restore', 'device', 'shell', '/dev/vdb; rm -rf',
         'A device name looks like /dev/vdb', **ATTACH),
    case('restore', 'device', 'spaces_around', ' /dev/vdc ',
         'A device name looks like /dev/vdb', **ATTACH),
    case('restore', 'device', 'too_long', '/dev/' + 'v' * 17,
         'at most 21 fit here', **ATTACH),
    case('restore', 'device', 'without_an_instance', '/dev/vdc',
         'Choose the instance to attach to'),
] + [
    case('point', 'name_0', label, text) for label, text in hostile.TEXTS
] + [
    # what Nova would refuse in a server's name is refused here first
    case('point', 'server_name', label, text, NOVA_REFUSES.get(label))
    for label, text in hostile.TEXTS
] + [
    case('point', 'server_name', 'longest', hostile.long_text(255)),
    case('point', 'server_name', 'pasted_300', hostile.long_text(300),
         'This is 300 characters long; at most 255 fit here.'),
    case('point', 'server_name', 'blank', '   ',
         'Enter a name for the new server (at most 255 characters).'),
    case('point', 'name_0', 'longest', hostile.long_text(255)),
    case('point', 'name_0', 'pasted_300', hostile.long_text(300),
         'This is 300 characters long; at most 255 fit here.'),
    case('point', 'name_0', 'empty', '',
         'Enter a name for the new volume (at most 255 characters).'),
    case('configure', 'schedules', 'existing_unicode',
         ['Sauvegarde-été 日本']),
    case('configure', 'schedules', 'existing_longest', ['n' * 53]),
    case('configure', 'schedules', 'existing_punctuation',
         ['db.backup:1@site+x']),
    case('configure', 'skip_volumes', 'attached', ['vol-1']),
] + [
    case('configure', 'schedules', label, [text], 'no longer exists')
    for label, text in hostile.TEXTS] + [
    case('configure', 'schedules', 'huge', [hostile.long_text(5000)],
         'no longer exists'),
    case('configure', 'skip_volumes', 'not_attached', ['vol-spare'],
         'is not attached to this instance'),
    case('configure', 'skip_volumes', 'xss', [hostile.XSS],
         'is not attached to this instance'),
]


def expected(field, value):
    """What must reach the api layer for `value` typed in `field`."""
    if field == 'size':
        return int(value)
    return value


class RoundTripTests(helpers.TestCase):
    """Filled with one test method per case below the class."""

    def patch(self, module, name, **kwargs):
        patcher = mock.patch.object(module, name, **kwargs)
        self.addCleanup(patcher.stop)
        self.backend.mocks[name] = patcher.start()
        return self.backend.mocks[name]

    def check(self, c):
        form = FORMS[c.form]
        self.backend = backend.Backend(self)
        sent = form.setup(self)
        posted = dict(form.data, **c.extra)
        posted[c.field] = c.value
        for extra in ({}, helpers.AJAX):
            with self.subTest(ajax=bool(extra)):
                for called in self.backend.mocks.values():
                    called.reset_mock()
                res = self.client.post(form.url, posted, **extra)
                self.assertLess(res.status_code, 500)
                if c.message is None:
                    self.assertNoFormErrors(res)
                    self.assertTrue(res.status_code == 302 or
                                    res.get('X-Horizon-Location'))
                    self.assertEqual(expected(c.field, c.value),
                                     sent()[c.field])
                else:
                    self.assertEqual(200, res.status_code)
                    self.assertTrue(res.context['form'].errors)
                    self.assertContains(res, escape(c.message))
                    # the form again, with the value as it was typed
                    for value in (c.value if isinstance(c.value, list)
                                  else [c.value]):
                        self.assertIn(escape(value), res.content.decode())
                    self.assertIsNone(sent())
                    self.assertEqual({}, self.backend.writes())


def _make(c):
    def test(self):
        self.check(c)
    test.__name__ = 'test_' + c.id
    test.__doc__ = '%s %s: %s' % (c.form, c.field, 'refused' if c.message
                                  else 'as typed')
    return test


for _case in CASES:
    assert not hasattr(RoundTripTests, 'test_' + _case.id), _case.id
    setattr(RoundTripTests, 'test_' + _case.id, _make(_case))


def test_every_form_has_cases_both_ways():
    for name in FORMS:
        cases = [c for c in CASES if c.form == name]
        assert any(c.message for c in cases), name
        assert any(not c.message for c in cases), name
