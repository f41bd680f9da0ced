from django.urls import re_path

from backup_dashboard.dashboards.project.runs import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^(?P<execution_id>[^/]+)/$', views.DetailView.as_view(),
            name='detail'),
]
