from django.urls import path

from wangjian.assist import views
from wangjian.platform.generic import crud_urls

app_name = "assist"

urlpatterns = [
    path("requests/add/", views.request_add, name="request_add"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/act/<str:action>/", views.request_act, name="request_act"),
    *crud_urls(
        "request", list_view=views.RequestList.as_view(), changelog_view=views.RequestChangelog.as_view()
    ),
    path("internal/add/", views.internal_add, name="internal_add"),
    path("internal/<int:pk>/", views.internal_detail, name="internal"),
    path("internal/<int:pk>/act/<str:action>/", views.internal_act, name="internal_act"),
    *crud_urls(
        "internal",
        list_view=views.InternalList.as_view(),
        changelog_view=views.InternalChangelog.as_view(),
        base="internal",
    ),
    path("settings/", views.settings_page, name="settings"),
]
