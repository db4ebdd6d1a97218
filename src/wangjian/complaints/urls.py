from django.urls import path

from wangjian.complaints import (
    urls_import,
    urls_web,
    views_analysis,
    views_registers,
    views_reports,
    views_returns,
)
from wangjian.platform.generic import crud_urls

app_name = "complaints"

# the pages of the records and their steps (urls_web), of the 12315 imports (urls_import), the returns helper
urlpatterns = [
    *urls_web.urlpatterns,
    *urls_import.urlpatterns,
    path("returns/", views_returns.returns, name="returns"),
    path("analysis/", views_analysis.analysis, name="analysis"),
    path("analysis/warning/", views_analysis.warning_draft, name="warning_draft"),
    path("settings/", views_analysis.settings_page, name="settings"),
    # the periodic analysis report to the leading group (投诉举报分析报告)
    path("reports/", views_reports.report_list, name="report_list"),
    path("reports/add/", views_reports.report_add, name="report_add"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report"),
    path("reports/<int:pk>/pdf/", views_reports.report_pdf, name="report_pdf"),
    *crud_urls(
        "servicestation",
        list_view=views_registers.StationList.as_view(),
        detail_view=views_registers.StationDetail.as_view(),
        edit_view=views_registers.StationEdit.as_view(),
        delete_view=views_registers.StationDelete.as_view(),
        changelog_view=views_registers.StationChangelog.as_view(),
        base="service-stations",
    ),
    *crud_urls(
        "odrcontact",
        list_view=views_registers.OdrList.as_view(),
        detail_view=views_registers.OdrDetail.as_view(),
        edit_view=views_registers.OdrEdit.as_view(),
        delete_view=views_registers.OdrDelete.as_view(),
        changelog_view=views_registers.OdrChangelog.as_view(),
        base="odr-contacts",
    ),
]
