from django.urls import path

from wangjian.platform import views

app_name = "platform"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("changelog/", views.changelog, name="changelog"),
    path("changelog/<int:pk>/", views.changerecord, name="changerecord"),
    path("leads/<str:number>/", views.lead_redirect, name="lead"),
]
