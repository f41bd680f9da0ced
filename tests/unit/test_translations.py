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

"""The translation catalogs hold every string marked, and compile.

``backup_dashboard/locale/en`` is what Django's makemessages finds in the
package (``make messages``, ``tools/messages.py``): ``django.po`` for the
Python code and templates, ``djangojs.po`` for the JavaScript. Here
makemessages runs again on a copy of the package and finds the same
strings as the committed catalogs, so that a string marked, reworded or
unmarked without ``make messages`` fails, named. Every committed catalog
must compile with GNU msgfmt's checks, as Django's compilemessages runs it.
"""
import os
import pathlib
import shutil
import subprocess
import sys

from babel.messages import pofile
from django.apps import apps
from django.conf import settings
from openstack_dashboard import context_processors
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / 'backup_dashboard'
LOCALE = PACKAGE / 'locale'
DOMAINS = ('django', 'djangojs')
# What each domain is made from: a catalog without one of them means
# makemessages no longer reached those files.
SOURCES = {'django': {'.py', '.html'}, 'djangojs': {'.js'}}


def read(path):
    with open(path, 'rb') as catalog:
        return [m for m in pofile.read_po(catalog) if m.id]


def msgids(messages):
    """(context, msgid) of each entry.

    A plural's msgid is (singular, plural).
    """
    return {(m.context, m.id) for m in messages}


@pytest.fixture(scope='module')
def fresh(tmp_path_factory):
    """The catalogs makemessages makes of the package as it is now."""
    copy = tmp_path_factory.mktemp('messages') / 'backup_dashboard'
    # Links (templates, static, enabled) are followed: copied as files.
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        '__pycache__', 'locale'))
    done = subprocess.run(
        [sys.executable, str(ROOT / 'tools' / 'messages.py'), str(copy)],
        capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return copy / 'locale'


def _listed(entries):
    return '\n'.join(sorted(repr(msgid) for _context, msgid in entries))


@pytest.mark.parametrize('domain', DOMAINS)
def test_the_catalog_holds_every_marked_string(fresh, domain):
    found = read(fresh / 'en' / 'LC_MESSAGES' / ('%s.po' % domain))
    committed = read(LOCALE / 'en' / 'LC_MESSAGES' / ('%s.po' % domain))
    missing = msgids(found) - msgids(committed)
    assert not missing, (
        'Marked for translation but not in the %s catalog; run `make '
        'messages` and commit backup_dashboard/locale:\n%s'
        % (domain, _listed(missing)))
    stale = msgids(committed) - msgids(found)
    assert not stale, (
        'In the %s catalog but no longer marked anywhere; run `make '
        'messages`:\n%s' % (domain, _listed(stale)))
    made_from = {pathlib.PurePath(path).suffix
                 for m in found for path, _line in m.locations}
    assert SOURCES[domain] <= made_from


def test_every_catalog_compiles():
    msgfmt = shutil.which('msgfmt')
    assert msgfmt, 'GNU gettext is missing: `make unit` installs it'
    catalogs = sorted(LOCALE.glob('*/LC_MESSAGES/*.po'))
    assert {(p.parent.parent.name, p.stem) for p in catalogs} >= {
        ('en', domain) for domain in DOMAINS}
    for catalog in catalogs:
        done = subprocess.run([msgfmt, '--check', '-o', os.devnull,
                               str(catalog)], capture_output=True, text=True)
        assert done.returncode == 0, '%s: %s' % (catalog, done.stderr)


def test_the_catalogs_are_where_django_and_horizon_look():
    # Django reads each installed app's <app>/locale; Horizon's JavaScript
    # catalog reads it for each plugin app its enabled files add.
    app = apps.get_app_config('backup_dashboard')
    assert pathlib.Path(app.path, 'locale').resolve() == LOCALE.resolve()
    assert 'backup_dashboard' in context_processors.get_js_catalog(
        settings).split('+')
