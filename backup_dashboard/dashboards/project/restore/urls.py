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

"""The Restore panel's URLs: restore, its progress, holding or deleting."""
from django.urls import re_path

from backup_dashboard.dashboards.project.restore import hold_views
from backup_dashboard.dashboards.project.restore import point_views
from backup_dashboard.dashboards.project.restore import views

HOLD, RELEASE = hold_views.HOLD, hold_views.RELEASE

urlpatterns = [
    # Choose an instance or a volume, then a restore point and a target;
    # entered with ?server_id=, ?volume_id= or ?backup_id=.
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^restores/(?P<execution_id>[^/]+)/$',
            views.ProgressView.as_view(), name='progress'),
    re_path(r'^points/(?P<server_id>[^/]+)/(?P<run_id>[^/]+)/$',
            point_views.PointRestoreView.as_view(), name='point'),
    re_path(r'^point-restores/(?P<execution_id>[^/]+)/$',
            point_views.PointProgressView.as_view(), name='point_progress'),
    re_path(r'^backups/(?P<backup_id>[^/]+)/hold/$',
            hold_views.BackupHoldView.as_view(), {'action': HOLD},
            name='backup_hold'),
    re_path(r'^backups/(?P<backup_id>[^/]+)/release/$',
            hold_views.BackupHoldView.as_view(), {'action': RELEASE},
            name='backup_release'),
    re_path(r'^points/(?P<server_id>[^/]+)/(?P<run_id>[^/]+)/hold/$',
            hold_views.PointHoldView.as_view(), {'action': HOLD},
            name='point_hold'),
    re_path(r'^points/(?P<server_id>[^/]+)/(?P<run_id>[^/]+)/release/$',
            hold_views.PointHoldView.as_view(), {'action': RELEASE},
            name='point_release'),
    re_path(r'^backups/(?P<backup_id>[^/]+)/delete/$',
            views.DeleteBackupView.as_view(), name='delete_backup'),
]
