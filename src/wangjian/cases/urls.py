from django.urls import path

from wangjian.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case_list"),
    path("cases/add/", views.case_add, name="case_add"),
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
]
