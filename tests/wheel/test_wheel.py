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

"""Install the plugin into a fresh virtualenv with Horizon, install the
enabled files the way the README tells operators to, and render a plugin
page there: once from the built wheel, once as an editable install of the
checkout (``pip install -e .``). Proves templates, static files, enabled
files and workbooks reach the package both ways although they live at the
repository root (README.rst: the asset symlinks)."""
import os
import pathlib
import subprocess
import sys
import venv

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
INSIDE = pathlib.Path(__file__).parent / 'in_fresh_horizon'


def run(*cmd, **kwargs):
    result = subprocess.run([str(c) for c in cmd], capture_output=True,
                            text=True, **kwargs)
    assert result.returncode == 0, '%s\n%s\n%s' % (cmd, result.stdout[-3000:],
                                                   result.stderr[-3000:])
    return result.stdout


@pytest.fixture(scope='module')
def fresh_venv(tmp_path_factory):
    """A virtualenv with the test requirements only.

    Horizon comes with the plugin's own requirements when a test installs it.
    """
    env_dir = tmp_path_factory.mktemp('fresh') / 'venv'
    venv.create(env_dir, with_pip=True)
    run(env_dir / 'bin' / 'python', '-m', 'pip', 'install', '-q',
        '-r', ROOT / 'test-requirements.txt')
    return env_dir


def installed_package(python, cwd):
    """The plugin's package folder and Horizon's, imported from outside.

    As `python` imports them from ``cwd``, outside the checkout.
    """
    out = run(python, '-c', 'import backup_dashboard, openstack_dashboard;'
              'print(backup_dashboard.__file__);'
              'print(openstack_dashboard.__file__)', cwd=cwd)
    return (pathlib.Path(p).parent for p in out.split())


def renders_in_horizon(python, package, horizon, cwd):
    """Check the installed plugin works inside Horizon.

    Workbooks and the console script are there; with the enabled files
    copied into Horizon's local/enabled (the README's step), the panel is
    registered, its static file found and its page rendered.
    """
    assert sorted(p.name for p in (package / 'workbooks').glob('*.yaml')) \
        == sorted(p.name for p in (ROOT / 'workbooks').glob('*.yaml'))
    run(python, '-c', 'from backup_dashboard import bundled;'
        'assert len(bundled.bundled()) == %d'
        % len(list((ROOT / 'workbooks').glob('*.yaml'))), cwd=cwd)
    local_enabled = horizon / 'local' / 'enabled'
    for stale in local_enabled.glob('_18*.py'):
        stale.unlink()
    for source in (package / 'enabled').glob('_*.py'):
        (local_enabled / source.name).write_text(source.read_text())
    assert (python.parent / 'backup-dashboard-sync-workbooks').exists()

    result = subprocess.run(
        [str(python), '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         str(INSIDE)], cwd=str(cwd), capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(INSIDE),
                 DJANGO_SETTINGS_MODULE='fresh_settings'))
    assert result.returncode == 0, (result.stdout[-5000:] +
                                    result.stderr[-2000:])
    assert '3 passed' in result.stdout


@pytest.mark.wheel
def test_wheel_installs_and_renders_in_a_fresh_horizon(fresh_venv, tmp_path):
    dist = tmp_path / 'dist'
    run(sys.executable, '-m', 'build', '--wheel', '--outdir', dist, ROOT)
    wheel = next(dist.glob('backup_dashboard-*.whl'))
    python = fresh_venv / 'bin' / 'python'
    run(python, '-m', 'pip', 'install', '-q', wheel)

    package, horizon = installed_package(python, tmp_path)
    assert str(package).startswith(str(fresh_venv)), 'not the installed wheel'
    assert not (package / 'templates').is_symlink()
    renders_in_horizon(python, package, horizon, tmp_path)


@pytest.mark.wheel
def test_editable_install_finds_the_assets(fresh_venv, tmp_path):
    python = fresh_venv / 'bin' / 'python'
    run(python, '-m', 'pip', 'install', '-q', '-e', ROOT)

    package, horizon = installed_package(python, tmp_path)
    assert package == ROOT / 'backup_dashboard', 'not the editable install'
    for name in ('templates', 'static', 'enabled', 'workbooks'):
        assert (package / name).is_symlink(), name
    renders_in_horizon(python, package, horizon, tmp_path)
