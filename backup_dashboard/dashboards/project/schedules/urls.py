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

"""The Backup Schedules panel's URLs, and the Instances integration's."""
from django.urls import include
from django.urls import re_path

from backup_dashboard.dashboards.project.schedules import drill_views
from backup_dashboard.dashboards.project.schedules import views

# Schedule names may hold spaces, dots and colons, never '/'.
NAME = r'(?P<name>[^/]+)'

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    # "Configure backups" of one instance (Instances page integration).
    re_path(r'^instances/',
            include('backup_dashboard.dashboards.project.instances.urls')),
    re_path(r'^create/$', views.CreateView.as_view(), name='create'),
    re_path(r'^preview/$', views.PreviewView.as_view(), name='preview'),
    re_path(r'^preview/consequences/$', views.ConsequencesView.as_view(),
            name='consequences_new'),
    re_path(r'^%s/$' % NAME, views.DetailView.as_view(), name='detail'),
    re_path(r'^%s/update/$' % NAME, views.UpdateView.as_view(),
            name='update'),
    re_path(r'^%s/drill/$' % NAME, drill_views.DrillView.as_view(),
            name='drill'),
    re_path(r'^%s/consequences/$' % NAME, views.ConsequencesView.as_view(),
            name='consequences'),
]
