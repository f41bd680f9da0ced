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

"""Every URL the plugin serves, enumerated from Django's own resolver.

Every pattern whose view lives in ``backup_dashboard`` (any dashboard, any
panel, the Instances integration), each with its id groups filled with a
sample value, so that a panel added later is covered by the tests that use
this (CSRF, isolation, Mistral down) without touching them.
"""
import re

from django.urls import get_resolver
from django.urls import URLPattern
from django.urls import URLResolver

SAMPLE = 'csrf-probe-1'


def _view_module(pattern):
    callback = pattern.callback
    view = getattr(callback, 'view_class', None) or \
        getattr(callback, 'cls', None) or callback
    # Horizon wraps panel views in decorators that keep __wrapped__.
    while getattr(view, '__wrapped__', None) is not None:
        view = view.__wrapped__
    view = getattr(view, 'view_class', None) or view
    return getattr(view, '__module__', '') or ''


def _walk(resolver, prefix=''):
    for item in resolver.url_patterns:
        regex = prefix + item.pattern.regex.pattern.lstrip('^')
        if isinstance(item, URLResolver):
            yield from _walk(item, regex)
        elif isinstance(item, URLPattern):
            yield regex, item


def _concrete(regex, values):
    """A URL matching `regex`, each named group filled from `values`."""
    def fill(match):
        return values(match.group(1))
    path = re.sub(r'\(\?P<(\w+)>[^)]*\)', fill, regex)
    path = path.replace('\\', '').rstrip('$')
    assert not re.search(r'[()\[\]*+?^$]', path), (regex, path)
    return '/' + path


def plugin_urls(values=lambda group: SAMPLE):
    """[(url, view module, group names)] of every URL the plugin serves.

    `values(group name)` gives the text put in each id group.
    """
    found = []
    for regex, pattern in _walk(get_resolver()):
        module = _view_module(pattern)
        if module.startswith('backup_dashboard.'):
            groups = tuple(pattern.pattern.regex.groupindex)
            found.append((_concrete(regex, values), module, groups))
    return sorted(set(found))


def admin_urls():
    return [url for url, module, _ in plugin_urls()
            if module.startswith('backup_dashboard.dashboards.admin.')]
