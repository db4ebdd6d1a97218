from django.urls import path

from wangjian.cases import views, views_benchmarks, views_province, views_simple
from wangjian.platform.generic import crud_urls

app_name = "cases"

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case_list"),
    path("cases/add/", views.case_add, name="case_add"),
    path("cases/spot/", views_simple.case_spot, name="case_spot"),
    path("figures/", views.figures, name="figures"),
    path("settings/", views.case_settings, name="settings"),
    path("entities/<int:entity_id>/cases/", views.entity_cases, name="entity_cases"),
    path("figures.xlsx", views.figures_export, name="figures_export"),
    path("publicity.xlsx", views.publicity_export, name="publicity_export"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/<str:action>/", views.case_act, name="case_act"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/evidence/upload/", views.case_evidence_upload, name="case_evidence_upload"),
    path("cases/<int:pk>/evidence/link/", views.case_evidence_link, name="case_evidence_link"),
    path("cases/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path("cases/<int:pk>/documents/<int:doc_id>/", views.document_detail, name="document"),
    path("cases/<int:pk>/documents/<int:doc_id>/pdf/", views.document_pdf, name="document_pdf"),
    path("cases/<int:pk>/changelog/", views.CaseChangelog.as_view(), name="case_changelog"),
    path("cases/province/", views_province.province_page, name="province"),
    path("cases/province/export.xlsx", views_province.province_export, name="province_export"),
    path(
        "cases/province/<int:pk>/documents.zip", views_province.province_documents, name="province_documents"
    ),
    *crud_urls(
        "benchmark",
        list_view=views_benchmarks.BenchmarkList.as_view(),
        detail_view=views_benchmarks.BenchmarkDetail.as_view(),
        edit_view=views_benchmarks.BenchmarkEdit.as_view(),
        delete_view=views_benchmarks.BenchmarkDelete.as_view(),
        changelog_view=views_benchmarks.BenchmarkChangelog.as_view(),
    ),
]
