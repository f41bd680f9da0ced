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

"""Build with pbr; ship the repo-root asset folders inside the package.

The repository keeps ``templates/``, ``static/``, ``enabled/`` and
``workbooks/`` at its top level, where nobody's loader looks. The package
reaches them through symlinks (``backup_dashboard/templates -> ../templates``
and so on), which is all an editable install needs. A wheel must carry real
files, so ``build_py`` copies each asset folder into the built package in
place of its symlink.
"""
import os
import shutil

from setuptools.command.build_py import build_py

ASSET_DIRS = ('templates', 'static', 'enabled', 'workbooks')
PACKAGE = 'backup_dashboard'


class BuildPyWithAssets(build_py):
    # pbr names a command after this attribute (setup.cfg [global] commands).
    command_name = 'build_py'

    def run(self):
        # pbr lists every file git tracks, the asset symlinks among them;
        # they point at folders, which are copied in whole below.
        self.data_files = [
            (package, src_dir, build_dir,
             [f for f in files
              if not os.path.isdir(os.path.join(src_dir, f))])
            for package, src_dir, build_dir, files in self.data_files]
        self._run_and_copy_assets()

    def _run_and_copy_assets(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        for name in ASSET_DIRS:
            source = os.path.join(here, name)
            target = os.path.join(self.build_lib, PACKAGE, name)
            if os.path.islink(target) or os.path.isfile(target):
                os.unlink(target)
            elif os.path.isdir(target):
                shutil.rmtree(target)
            shutil.copytree(source, target,
                            ignore=shutil.ignore_patterns('__pycache__',
                                                          '*.pyc'))
