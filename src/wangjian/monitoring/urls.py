from django.urls import path

from wangjian.monitoring import feedscan_views, views
from wangjian.platform.generic import crud_urls

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
    *crud_urls(
        "task",
        list_view=views.TaskList.as_view(),
        detail_view=views.TaskDetail.as_view(),
        edit_view=views.TaskEdit.as_view(),
        delete_view=views.TaskDelete.as_view(),
        changelog_view=views.TaskChangelog.as_view(),
    ),
    path("tasks/<int:pk>/run/", views.task_run, name="task_run"),
    *crud_urls(
        "run",
        list_view=views.RunList.as_view(),
        detail_view=views.RunDetail.as_view(),
    ),
    *crud_urls(
        "finding",
        list_view=views.FindingList.as_view(),
        detail_view=views.FindingDetail.as_view(),
        changelog_view=views.FindingChangelog.as_view(),
    ),
    path("findings/<int:pk>/review/", views.finding_review, name="finding_review"),
    path("feed-scans/start/", feedscan_views.feedscan_start, name="feedscan_start"),
    path("feed-scans/<int:pk>/rejected.csv", feedscan_views.feedscan_rejected, name="feedscan_rejected"),
    path("feed-scans/<int:pk>/source/", feedscan_views.feedscan_source, name="feedscan_source"),
    *crud_urls(
        "feedscan",
        list_view=feedscan_views.FeedScanList.as_view(),
        detail_view=feedscan_views.FeedScanDetail.as_view(),
        base="feed-scans",
    ),
    path("licences/", views.LicenceList.as_view(), name="licence_list"),
    *crud_urls(
        "licence",
        detail_view=views.LicenceDetail.as_view(),
        base="licences",
    ),
    path("licences/<int:pk>/clue/", views.licence_to_clue, name="licence_clue"),
    *crud_urls(
        "snapshot",
        list_view=views.SnapshotList.as_view(),
        detail_view=views.SnapshotDetail.as_view(),
    ),
]
