from django.urls import path

from wangjian.credit import views

app_name = "credit"

urlpatterns = [
    path("abnormal/", views.AbnormalList.as_view(), name="abnormal_list"),
    path("abnormal/add/", views.abnormal_add, name="abnormal_add"),
    path("abnormal/<int:pk>/", views.abnormal_detail, name="abnormal"),
    path("abnormal/<int:pk>/changelog/", views.AbnormalChangelog.as_view(), name="abnormal_changelog"),
    path("serious/", views.SeriousList.as_view(), name="serious_list"),
    path("serious/add/", views.serious_add, name="serious_add"),
    path("serious/<int:pk>/", views.serious_detail, name="serious"),
    path("serious/<int:pk>/changelog/", views.SeriousChangelog.as_view(), name="serious_changelog"),
    path("repairs/", views.RepairList.as_view(), name="repair_list"),
    path("repairs/add/", views.repair_add, name="repair_add"),
    path("repairs/<int:pk>/", views.repair_detail, name="repair"),
    path("mismatches/", views.MismatchList.as_view(), name="mismatch_list"),
    path("mismatches/<int:pk>/", views.mismatch_detail, name="mismatch"),
    path("<str:record>/<int:pk>/act/<str:action>/", views.record_act, name="act"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("entities/<int:pk>/credit/", views.entity_credit, name="entity_credit"),
]
