from django.urls import path

from wangjian.risk import views

app_name = "risk"

urlpatterns = [
    path("grades/", views.GradeList.as_view(), name="grade_list"),
    path("grades/<int:pk>/", views.grade_detail, name="grade"),
    path("settings/", views.settings_page, name="settings"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected_csv, name="import_rejected"),
    # the entity page's panel (registry's entity_detail loads it with HTMX)
    path("entities/<int:pk>/risk/", views.entity_risk, name="entity_risk"),
]
