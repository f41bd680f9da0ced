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

"""The plugin's Django app.

Once Django has loaded every app, ``ready()`` adds the plugin's
"Configure backups" row action and "Backup" column to Horizon's Instances
table (``dashboards.project.instances.extend``).
"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupDashboardConfig(AppConfig):
    name = 'backup_dashboard'
    label = 'backup_dashboard'
    verbose_name = _('Backup dashboard')

    def ready(self):
        # Horizon has no registry for extra row actions or columns of another
        # panel's table (customization_module is the deployer's), so they are
        # put into InstancesTable once its module can be imported: here.
        # Idempotent, so a second ready() (tests) changes nothing.
        from backup_dashboard.dashboards.project.instances import extend
        extend.install()
