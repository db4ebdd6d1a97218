from django.urls import path

from wangjian.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/act/<str:action>/", views.campaign_act, name="campaign_act"),
    path("<int:pk>/summary/", views.campaign_summary, name="summary"),
    path("<int:pk>/media/<int:media_pk>/", views.media_file, name="media"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:period_pk>/units/<int:unit_pk>/", views.report_open, name="report_open"),
    path("tables/<int:pk>/", views.report_detail, name="report"),
]
