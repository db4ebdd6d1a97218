"""A department or station with staff is deactivated, never deleted from under its people."""

import pytest
from django.urls import reverse

from wangjian.org.choices import DepartmentKind
from wangjian.org.models import Department

pytestmark = pytest.mark.django_db


def test_deleting_a_department_with_staff_is_refused_and_says_why(demo, login):
    dept = Department.objects.get(bureau=demo.county, kind=DepartmentKind.ADVERTISING)
    client = login(demo.users["office"])
    response = client.post(reverse("org:department_delete", args=[dept.pk]), follow=True)
    assert Department.objects.filter(pk=dept.pk).exists()
    assert "不能删除" in response.content.decode()
    assert (
        demo.users["ad_officer"].__class__.objects.get(pk=demo.users["ad_officer"].pk).department_id
        == dept.pk
    )


def test_an_empty_department_can_be_deleted(demo, login):
    dept = Department.objects.create(bureau=demo.county, name="临时专班", kind=DepartmentKind.ONLINE_TRADE)
    login(demo.users["office"]).post(reverse("org:department_delete", args=[dept.pk]))
    assert not Department.objects.filter(pk=dept.pk).exists()
