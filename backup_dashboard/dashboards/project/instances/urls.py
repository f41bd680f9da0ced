"""The Instances integration's own page, "Configure backups" of one
instance, mounted under the Backup Schedules panel's URLs (Horizon lets a
plugin add URLs only through its panels)."""
from django.urls import re_path

from backup_dashboard.dashboards.project.instances import views

urlpatterns = [
    re_path(r'^(?P<instance_id>[^/]+)/configure/$',
            views.ConfigureView.as_view(), name='instance_configure'),
]
