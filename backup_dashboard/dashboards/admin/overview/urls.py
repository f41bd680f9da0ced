from django.urls import re_path

from backup_dashboard.dashboards.admin.overview import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^report\.csv$', views.CsvReportView.as_view(), name='csv'),
    re_path(r'^schedules\.csv$', views.SchedulesCsvView.as_view(),
            name='schedules_csv'),
    re_path(r'^(?P<project_id>[^/]+)/$', views.ProjectView.as_view(),
            name='project'),
]
