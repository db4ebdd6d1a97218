from django.urls import path

from wangjian.inspections import registers, results, views
from wangjian.platform.generic import crud_urls

app_name = "inspections"

urlpatterns = [
    *crud_urls(
        "item",
        list_view=registers.ItemList.as_view(),
        detail_view=registers.ItemDetail.as_view(),
        edit_view=registers.ItemEdit.as_view(),
        delete_view=registers.ItemDelete.as_view(),
        changelog_view=registers.ItemChangelog.as_view(),
    ),
    *crud_urls(
        "relation",
        list_view=registers.RelationList.as_view(),
        detail_view=registers.RelationDetail.as_view(),
        edit_view=registers.RelationEdit.as_view(),
        delete_view=registers.RelationDelete.as_view(),
        changelog_view=registers.RelationChangelog.as_view(),
    ),
    path("plans/", registers.PlanList.as_view(), name="plan_list"),
    path("plans/add/", views.plan_edit, name="plan_add"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/publish/", views.plan_publish_view, name="plan_publish"),
    path("plans/<int:pk>/draw/", views.draw_publish_view, name="draw_publish"),
    path("plans/<int:pk>/import-draw/", views.draw_import_view, name="draw_import"),
    path("plans/<int:pk>/changelog/", registers.PlanChangelog.as_view(), name="plan_changelog"),
    path("draws/", registers.DrawList.as_view(), name="draw_list"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("draws/<int:pk>/value/<str:step>/", views.draw_value, name="draw_value"),
    path("draws/<int:pk>/rerun/", views.draw_rerun_view, name="draw_rerun"),
    path("draws/<int:pk>/results/<str:step>/", views.draw_results, name="draw_results"),
    path("draws/<int:pk>/export.<str:fmt>", views.draw_results_export, name="draw_results_export"),
    path("results/", results.ResultList.as_view(), name="result_list"),
    path("drawn/", results.DrawnList.as_view(), name="drawn_list"),
    path("drawn/<int:pk>/check/", views.drawn_check, name="drawn_check"),
    path("drawn/<int:pk>/row/", views.drawn_row, name="drawn_row"),
    path("drawn/<int:pk>/result/", views.drawn_result, name="drawn_result"),
    path("checks/<int:pk>/record/", views.check_record, name="check_record"),
    path("settings/", views.settings_page, name="settings"),
    path("entities/<int:pk>/inspections/", views.entity_inspections, name="entity_inspections"),
]
