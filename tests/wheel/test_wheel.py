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

"""The wheel, installed into a fresh Horizon, serves a plugin page.

Build the wheel, install it into a fresh virtualenv with Horizon, install the
enabled files the way the README tells operators to, and render a plugin page
there. Proves templates, static files, enabled files and workbooks travel in
the wheel although they live at the repository root.
"""
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


@pytest.mark.wheel
def test_wheel_installs_and_renders_in_a_fresh_horizon(tmp_path):
    dist = tmp_path / 'dist'
    run(sys.executable, '-m', 'build', '--wheel', '--outdir', dist, ROOT)
    wheel = next(dist.glob('backup_dashboard-*.whl'))

    env_dir = tmp_path / 'venv'
    venv.create(env_dir, with_pip=True)
    python = env_dir / 'bin' / 'python'
    run(python, '-m', 'pip', 'install', '-q', wheel,
        '-r', ROOT / 'test-requirements.txt')

    # What the README tells operators: copy the enabled files into Horizon.
    out = run(python, '-c', 'import backup_dashboard, openstack_dashboard;'
              'print(backup_dashboard.__file__);'
              'print(openstack_dashboard.__file__)', cwd=tmp_path)
    package, horizon = (pathlib.Path(p).parent for p in out.split())
    assert str(package).startswith(str(env_dir)), 'not the installed wheel'
    assert not (package / 'templates').is_symlink()
    assert sorted(p.name for p in (package / 'workbooks').glob('*.yaml')) \
        == sorted(p.name for p in (ROOT / 'workbooks').glob('*.yaml'))
    local_enabled = horizon / 'local' / 'enabled'
    for source in (package / 'enabled').glob('_*.py'):
        (local_enabled / source.name).write_text(source.read_text())
    assert (env_dir / 'bin' / 'backup-dashboard-sync-workbooks').exists()

    result = subprocess.run(
        [str(python), '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
         str(INSIDE)], cwd=str(tmp_path), capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(INSIDE),
                 DJANGO_SETTINGS_MODULE='fresh_settings'))
    assert result.returncode == 0, (result.stdout[-5000:] +
                                    result.stderr[-2000:])
    assert '3 passed' in result.stdout
