"""The pages of complaints and reports: the list, registration, the record, its steps and the person's data."""

from django.urls import path

from wangjian.complaints import views

urlpatterns = [
    path("complaints/", views.ComplaintList.as_view(), name="complaint_list"),
    path("complaints/add/", views.complaint_add, name="complaint_add"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/act/<str:action>/", views.complaint_act, name="complaint_act"),
    path("complaints/<int:pk>/person/", views.complaint_person, name="complaint_person"),
    path("complaints/<int:pk>/changelog/", views.ComplaintChangelog.as_view(), name="complaint_changelog"),
]
