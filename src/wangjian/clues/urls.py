from django.urls import path

from wangjian.clues import views

app_name = "clues"

urlpatterns = [
    path("clues/", views.ClueList.as_view(), name="clue_list"),
    path("clues/add/", views.clue_add, name="clue_add"),
    path("clues/saved/", views.saved_filter_save, name="saved_filter_save"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("clues/<int:pk>/act/<str:action>/", views.clue_act, name="clue_act"),
    path("clues/<int:pk>/transfer-partner/", views.clue_transfer_partner, name="clue_transfer_partner"),
    path("clues/<int:pk>/attachments/<int:attachment_id>/", views.clue_attachment, name="clue_attachment"),
    path("clues/<int:pk>/changelog/", views.ClueChangelog.as_view(), name="clue_changelog"),
    path("overview/", views.overview, name="overview"),
    path("statistics.xlsx", views.statistics_export, name="statistics_export"),
    path("entities/<int:entity_id>/clues/", views.entity_clues, name="entity_clues"),
]
