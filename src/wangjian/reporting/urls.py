from django.urls import path

from wangjian.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("overview/", views.overview, name="overview"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
]
