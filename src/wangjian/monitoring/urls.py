from django.urls import path

from wangjian.core.generic import crud_urls
from wangjian.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("libraries/import/", views.library_import, name="library_import"),
    *crud_urls(
        "library",
        list_view=views.LibraryList.as_view(),
        detail_view=views.LibraryDetail.as_view(),
        edit_view=views.LibraryEdit.as_view(),
        delete_view=views.LibraryDelete.as_view(),
        changelog_view=views.LibraryChangelog.as_view(),
        base="libraries",
    ),
    path("libraries/<int:pk>/regression/add/", views.regression_line_add, name="regression_add"),
    *crud_urls(
        "version",
        detail_view=views.VersionDetail.as_view(),
        changelog_view=views.VersionChangelog.as_view(),
    ),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/export/", views.version_export, name="version_export"),
    path("versions/<int:pk>/diff/", views.version_diff, name="version_diff"),
    *crud_urls(
        "rule",
        list_view=views.RuleList.as_view(),
        detail_view=views.RuleDetail.as_view(),
        changelog_view=views.RuleChangelog.as_view(),
    ),
    path("bench/", views.bench, name="bench"),
]
