from django.urls import path

from wangjian.platform import views
from wangjian.platform.clocks import views as clock_views
from wangjian.platform.numbering import views as number_views

app_name = "platform"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("changelog/", views.changelog, name="changelog"),
    path("changelog/<int:pk>/", views.changerecord, name="changerecord"),
    path("leads/<str:number>/", views.lead_redirect, name="lead"),
    path("clocks/", clock_views.clock_list, name="clock_list"),
    path("numbers/", number_views.number_kinds, name="number_kinds"),
    path("numbers/<str:kind>/", number_views.number_register, name="number_register"),
]
