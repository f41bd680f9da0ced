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

"""The Backups Overview's URLs.

Every project, one project, the compliance findings, the CSV and JSON
reports, the retention locks, the schedule templates and bounds, and their
forms.
"""
from django.urls import re_path

from backup_dashboard.dashboards.admin.overview import guardrail_views
from backup_dashboard.dashboards.admin.overview import lock_views
from backup_dashboard.dashboards.admin.overview import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^report\.csv$', views.CsvReportView.as_view(), name='csv'),
    re_path(r'^schedules\.csv$', views.SchedulesCsvView.as_view(),
            name='schedules_csv'),
    re_path(r'^compliance/$', views.ComplianceView.as_view(),
            name='compliance'),
    re_path(r'^compliance\.csv$', views.ComplianceCsvView.as_view(),
            name='compliance_csv'),
    re_path(r'^compliance\.json$', views.ComplianceJsonView.as_view(),
            name='compliance_json'),
    re_path(r'^locks/$', lock_views.LocksView.as_view(), name='locks'),
    re_path(r'^locks/default/$', lock_views.DefaultLockView.as_view(),
            name='default_lock'),
    re_path(r'^locks/(?P<project_id>[^/]+)/$',
            lock_views.ProjectLockView.as_view(), name='project_lock'),
    re_path(r'^guardrails/$', guardrail_views.GuardrailsView.as_view(),
            name='guardrails'),
    re_path(r'^guardrails/template/$', guardrail_views.TemplateView.as_view(),
            name='template'),
    re_path(r'^guardrails/bounds/default/$',
            guardrail_views.DefaultBoundsView.as_view(),
            name='default_bounds'),
    re_path(r'^guardrails/bounds/(?P<project_id>[^/]+)/$',
            guardrail_views.ProjectBoundsView.as_view(),
            name='project_bounds'),
    re_path(r'^(?P<project_id>[^/]+)/$', views.ProjectView.as_view(),
            name='project'),
]
