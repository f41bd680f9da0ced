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

"""Regenerate the plugin's translation catalogs with Django's makemessages.

``python tools/messages.py [PACKAGE_DIR]`` (``make messages``) writes
PACKAGE_DIR/locale/en/LC_MESSAGES/django.po (Python code and templates) and
djangojs.po (JavaScript): the English catalogs other languages start from,
in the app's own ``locale/``, where Django's translation machinery and
Horizon's JavaScript catalog look for a plugin's. It runs in the package
directory, as Django's makemessages expects of an app, and follows the
package's links to its templates, static files and enabled files.
tests/unit/test_translations.py runs it on a copy of the package and
compares the result with the committed catalogs.
"""
import os
import sys

DOMAINS = ('django', 'djangojs')
LANGUAGES = ('en',)
PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                       'backup_dashboard')


def make(package_dir=PACKAGE):
    # No project settings: their LOCALE_PATHS would take the strings to
    # another project's catalog.
    os.environ.pop('DJANGO_SETTINGS_MODULE', None)
    from django.core import management
    os.chdir(package_dir)
    os.makedirs('locale', exist_ok=True)
    for domain in DOMAINS:
        # Locations without line numbers: a catalog that changes only when
        # its strings do.
        management.call_command(
            'makemessages', domain=domain, locale=list(LANGUAGES),
            symlinks=True, no_obsolete=True, add_location='file')


if __name__ == '__main__':
    make(*sys.argv[1:2])
