from django.urls import path

from wangjian.leadership import views, views_editing

app_name = "leadership"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("plans/add/", views.plan_add, name="plan_add"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views_editing.plan_edit, name="plan_edit"),
    path("tasks/<int:pk>/edit/", views_editing.task_edit, name="task_edit"),
    path("plans/<int:pk>/summaries/", views.summaries, name="summaries"),
    path("plans/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("summaries/<int:pk>/attachment/", views.summary_attachment, name="summary_attachment"),
    path("items/<int:pk>/complete/", views.item_complete, name="item_complete"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/add/", views.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views_editing.meeting_edit, name="meeting_edit"),
    path("activities/", views.activity_list, name="activity_list"),
]
