from django.urls import path

from wangjian.orgweb import views
from wangjian.platform.generic import crud_urls

app_name = "org"

urlpatterns = [
    *crud_urls(
        "bureau",
        list_view=views.BureauList.as_view(),
        detail_view=views.BureauDetail.as_view(),
        edit_view=views.BureauEdit.as_view(),
        delete_view=views.BureauDelete.as_view(),
        changelog_view=views.BureauChangelog.as_view(),
    ),
    *crud_urls(
        "department",
        list_view=views.DepartmentList.as_view(),
        detail_view=views.DepartmentDetail.as_view(),
        edit_view=views.DepartmentEdit.as_view(),
        delete_view=views.DepartmentDelete.as_view(),
        changelog_view=views.DepartmentChangelog.as_view(),
    ),
    *crud_urls(
        "station",
        list_view=views.StationList.as_view(),
        detail_view=views.StationDetail.as_view(),
        edit_view=views.StationEdit.as_view(),
        delete_view=views.StationDelete.as_view(),
        changelog_view=views.StationChangelog.as_view(),
    ),
    *crud_urls(
        "user",
        list_view=views.UserList.as_view(),
        detail_view=views.UserDetail.as_view(),
        edit_view=views.UserEdit.as_view(),
        delete_view=views.UserDelete.as_view(),
        changelog_view=views.UserChangelog.as_view(),
    ),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/lock/", views.user_lock, name="user_lock"),
    path("dutyrules/gaps/", views.duty_gaps, name="duty_gaps"),
    path("dutyrules/export/", views.duty_export, name="duty_export"),
    path("dutyrules/import/", views.duty_import, name="duty_import"),
    *crud_urls(
        "dutyrule",
        list_view=views.DutyRuleList.as_view(),
        detail_view=views.DutyRuleDetail.as_view(),
        edit_view=views.DutyRuleEdit.as_view(),
        delete_view=views.DutyRuleDelete.as_view(),
        changelog_view=views.DutyRuleChangelog.as_view(),
    ),
    *crud_urls(
        "leading_group",
        base="leading-groups",
        detail_view=views.LeadingGroupDetail.as_view(),
        edit_view=views.LeadingGroupEdit.as_view(),
        changelog_view=views.LeadingGroupChangelog.as_view(),
    ),
    path("leading-groups/<int:pk>/members/", views.leading_group_member, name="leading_group_member"),
    path("leading-groups/<int:pk>/liaisons/", views.liaison_set, name="liaison_set"),
    path("notices/", views.NoticeList.as_view(), name="notice_list"),
    path("notices/add/", views.NoticeEdit.as_view(), name="notice_add"),
    path("notices/<int:pk>/edit/", views.NoticeEdit.as_view(), name="notice_edit"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path(
        "notices/<int:pk>/attachments/<int:attachment_id>/", views.notice_attachment, name="notice_attachment"
    ),
    path("notices/<int:pk>/delete/", views.NoticeDelete.as_view(), name="notice_delete"),
    path("notices/<int:pk>/changelog/", views.NoticeChangelog.as_view(), name="notice_changelog"),
    path("attendance/", views.attendance, name="attendance"),
    path("domains/<str:domain>/", views.domain_overview, name="domain"),
]
