from django.urls import path

from wangjian.platform.generic import crud_urls
from wangjian.registry import linkage_views, permit_views, views

app_name = "registry"

urlpatterns = [
    *crud_urls(
        "entity",
        base="entities",
        list_view=views.EntityList.as_view(),
        detail_view=views.EntityDetail.as_view(),
        changelog_view=views.EntityChangelog.as_view(),
    ),
    *crud_urls(
        "platform",
        list_view=views.PlatformList.as_view(),
        detail_view=views.PlatformDetail.as_view(),
        edit_view=views.PlatformEdit.as_view(),
        delete_view=views.PlatformDelete.as_view(),
        changelog_view=views.PlatformChangelog.as_view(),
    ),
    *crud_urls(
        "presence",
        base="presences",
        list_view=views.PresenceList.as_view(),
        detail_view=views.PresenceDetail.as_view(),
        edit_view=views.PresenceEdit.as_view(),
        changelog_view=views.PresenceChangelog.as_view(),
    ),
    path("imports/upload/", views.upload, name="import_upload"),
    path("imports/preview/<str:token>/", views.preview, name="import_preview"),
    path("imports/<int:pk>/rejected.csv", views.rejected_csv, name="importbatch_rejected"),
    path("imports/<int:pk>/progress/", views.batch_progress, name="importbatch_progress"),
    *crud_urls(
        "importbatch",
        base="imports",
        list_view=views.ImportBatchList.as_view(),
        detail_view=views.ImportBatchDetail.as_view(),
        changelog_view=views.ImportBatchChangelog.as_view(),
    ),
    path("permits/import/", permit_views.permit_import, name="permit_import"),
    *crud_urls(
        "permit",
        base="permits",
        list_view=permit_views.PermitList.as_view(),
        detail_view=permit_views.PermitDetail.as_view(),
        changelog_view=permit_views.PermitChangelog.as_view(),
    ),
    path("matches/", views.MatchResultList.as_view(), name="match_list"),
    path("matches/<int:pk>/decide/", views.decide, name="match_decide"),
    path("matches/<int:pk>/clue/", views.match_to_clue, name="match_to_clue"),
    path("matches/to-clues/", views.matches_to_clues, name="matches_to_clues"),
    path("review/", views.review_queue, name="review"),
    path("linkage/", linkage_views.linkage_list, name="linkage_list"),
    path("linkage/<int:pk>/", linkage_views.linkage_detail, name="linkage"),
    *crud_urls(
        "correction",
        list_view=views.CorrectionList.as_view(),
        detail_view=views.CorrectionDetail.as_view(),
        changelog_view=views.CorrectionChangelog.as_view(),
    ),
    path("corrections/<int:pk>/decide/", views.correction_decide, name="correction_decide"),
    path("corrections/new/<str:kind>/<int:pk>/", views.correction_new, name="correction_new"),
]
