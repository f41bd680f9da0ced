from django.urls import re_path

from backup_dashboard.dashboards.project.restore import views

urlpatterns = [
    # Choose an instance or a volume, then a restore point and a target;
    # entered with ?server_id=, ?volume_id= or ?backup_id=.
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^restores/(?P<execution_id>[^/]+)/$',
            views.ProgressView.as_view(), name='progress'),
    re_path(r'^backups/(?P<backup_id>[^/]+)/delete/$',
            views.DeleteBackupView.as_view(), name='delete_backup'),
]
