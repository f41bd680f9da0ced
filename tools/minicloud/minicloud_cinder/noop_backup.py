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

"""NoopBackupDriver: Cinder backups that move no data, for benchmarks only.

``MINICLOUD_BACKUP_DRIVER=noop tools/minicloud/minicloud up`` configures
cinder-backup with it. Everything else about a backup is unmodified Cinder
(API, quota, statuses, attaching the volume to the backup host, metadata,
incremental parents, deletion rules), so a workflow's orchestration can be
timed without the cost of reading and compressing the volumes, which on a
two-core machine swamps it (benchmarks/runs_cloud.py). A restore from such
a backup leaves the volume as it was: never use it for anything else.
"""

from cinder.backup import driver


class NoopBackupDriver(driver.BackupDriver):
    def backup(self, backup, volume_file, backup_metadata=False):
        return None

    def restore(self, backup, volume_id, volume_file, volume_is_new):
        return None

    def delete_backup(self, backup):
        return None
