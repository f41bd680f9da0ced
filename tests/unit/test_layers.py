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
"""The import graph the README describes, read from the package's source.

Panels call ``api/``; the domain modules speak to no service, so they
import neither ``api/`` nor a panel; ``api/`` imports no panel; a panel
imports only ``dashboards/common`` of the other panels; nothing imports a
panel but the AppConfig's row-action wiring; and there are no cycles.
"""
import ast
import os

import backup_dashboard

PACKAGE = os.path.dirname(backup_dashboard.__file__)
PANELS = 'backup_dashboard.dashboards'
API = 'backup_dashboard.api'
#    Horizon has no registry for extra row actions: the AppConfig adds it.
WIRING = {('backup_dashboard.apps',
           'backup_dashboard.dashboards.project.instances.extend')}


def modules():
    """{module name: source path} of every module of the package."""
    found = {}
    for folder, _dirs, files in os.walk(PACKAGE):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, os.path.dirname(PACKAGE))[:-3]
            module = parts.replace(os.sep, '.')
            found[module[:-len('.__init__')]
                  if module.endswith('.__init__') else module] = path
    return found


def imports_of(module, path, known):
    """The package's modules that ``module`` imports (what it names)."""
    package = module if path.endswith('__init__.py') else \
        module.rpartition('.')[0]
    targets = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')
                parts = parts[:len(parts) - node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            names = [base + '.' + alias.name for alias in node.names
                     if base + '.' + alias.name in known] or [base]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition('.')[0]
            if name and name != module:
                targets.add(name)
    return targets


def graph():
    known = modules()
    return {module: imports_of(module, path, known)
            for module, path in known.items()}


def layer(module):
    if module == PANELS or module.startswith(PANELS + '.'):
        return 'panel'
    if module == API or module.startswith(API + '.'):
        return 'api'
    return 'domain'


def panel_of(module):
    """'project.schedules', 'common', 'admin.overview', ...."""
    parts = module.split('.')[2:]
    return '.'.join(parts[:1] if parts[:1] == ['common'] else parts[:2])


def edges():
    return {(source, target) for source, targets in graph().items()
            for target in targets}


def test_the_graph_is_read():
    # A parser that read nothing would pass every test below.
    found = edges()
    assert ('backup_dashboard.api.schedules',
            'backup_dashboard.api.mistral') in found
    assert len(found) > 100


def test_only_the_row_action_wiring_imports_a_panel_from_below():
    upward = {(source, target) for source, target in edges()
              if layer(target) == 'panel' and layer(source) != 'panel'}
    assert upward == WIRING


def test_the_domain_speaks_to_no_service():
    assert not {(source, target) for source, target in edges()
                if layer(source) == 'domain' and layer(target) == 'api'}


def test_panels_share_only_through_common():
    crossing = {(source, target) for source, target in edges()
                if layer(source) == layer(target) == 'panel' and
                panel_of(target) not in ('', 'common', panel_of(source)) and
                target not in (PANELS, PANELS + '.project',
                               PANELS + '.admin')}
    assert not crossing


def test_no_import_cycle():
    imports = graph()
    done, path = set(), []

    def visit(module):
        if module in path:
            raise AssertionError(' -> '.join(
                path[path.index(module):] + [module]))
        if module in done:
            return
        path.append(module)
        for target in sorted(imports[module]):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(imports):
        visit(module)
