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

"""The URL of "Configure backups" of one instance.

The Instances integration's own page, "Configure backups" of one instance,
mounted under the Backup Schedules panel's URLs (Horizon lets a plugin add URLs
only through its panels).
"""
from django.urls import re_path

from backup_dashboard.dashboards.project.instances import views

urlpatterns = [
    re_path(r'^(?P<instance_id>[^/]+)/configure/$',
            views.ConfigureView.as_view(), name='instance_configure'),
]
