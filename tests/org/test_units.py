"""A department or station with staff is deactivated, never deleted from under its people (nor a bureau with units)."""

import pytest
from django.urls import reverse

from wangjian.org.choices import DepartmentKind
from wangjian.org.models import Bureau, Department

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


def test_a_bureau_that_still_has_departments_is_not_deleted_and_the_page_says_why(demo, login):
    child = Bureau.objects.create(
        name="旌德县某开发区分局", code="341826", level="county", parent=demo.county
    )
    Department.objects.create(bureau=child, name="综合股", kind=DepartmentKind.GENERAL_OFFICE)
    response = login(demo.users["office"]).post(reverse("org:bureau_delete", args=[child.pk]), follow=True)
    assert Bureau.objects.filter(pk=child.pk).exists()
    assert "仍有其他数据引用该对象，不能删除" in response.content.decode()
