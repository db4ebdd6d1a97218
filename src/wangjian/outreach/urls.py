from django.urls import path

from wangjian.outreach import views
from wangjian.outreach import views_records as records
from wangjian.platform.generic import crud_urls

app_name = "outreach"


def _record(prefix: str, base: str, names: tuple) -> list:  # noqa: ANN001
    list_view, detail, create, changelog = names
    return [
        path(f"{base}/add/", create.as_view(), name=f"{prefix}_add"),
        *crud_urls(
            prefix,
            list_view=list_view.as_view(),
            detail_view=detail.as_view(),
            changelog_view=changelog.as_view(),
            base=base,
        ),
    ]


urlpatterns = [
    path("platforms/", views.platform_list, name="platform_list"),
    path("platforms/<int:pk>/", views.platform_duties, name="platform"),
    path("platforms/<int:pk>/reports/add/", views.report_add, name="report_add"),
    path("platforms/<int:pk>/reverifications/add/", views.reverification_add, name="reverification_add"),
    path("settings/", views.settings_page, name="settings"),
    *_record(
        "guidance",
        "guidance",
        (records.GuidanceList, records.GuidanceDetail, records.GuidanceCreate, records.GuidanceChangelog),
    ),
    *_record(
        "request",
        "requests",
        (records.RequestList, records.RequestDetail, records.RequestCreate, records.RequestChangelog),
    ),
    *_record(
        "authority",
        "authorities",
        (records.AuthorityList, records.AuthorityDetail, records.AuthorityCreate, records.AuthorityChangelog),
    ),
    *_record(
        "authority_request",
        "authority-requests",
        (
            records.AuthorityRequestList,
            records.AuthorityRequestDetail,
            records.AuthorityRequestCreate,
            records.AuthorityRequestChangelog,
        ),
    ),
    path("<str:record>/<int:pk>/act/<str:action>/", records.record_act, name="act"),
    path("<str:record>/<int:pk>/file/<str:field>/", records.record_file, name="file"),
]
