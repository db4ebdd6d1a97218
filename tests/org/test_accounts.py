"""Accounts are managed from above (``org.services.user_manage_check``), on the page and through the API alike.

The office manages the accounts of lower roles in its own bureau; the superuser's account, and
accounts whose role ranks equal to or above one's own, are the superuser's to reset, edit, lock,
deactivate or delete. ``wangjian init`` makes the superuser in the first bureau, where the
bureau's office administrator sees it: that office must not take it over.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from wangjian.core.errors import ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.org import services
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.choices import Role
from wangjian.org.models import Department, User

PASSWORD = "Demo2025pass"
RULE_ZH, RULE_EN = services.RANK_RULE


@pytest.fixture
def superuser(demo):
    """The administrator ``wangjian init`` makes: a superuser in the first bureau (旌德县), as its office."""
    user, _ = services.user_create(
        username="admin",
        name="系统管理员",
        bureau=demo.county,
        role=Role.OFFICE_ADMIN,
        password=PASSWORD,
        is_superuser=True,
    )
    return user


@pytest.fixture
def officer(demo):
    user, _ = services.user_create(
        username="newcomer",
        bureau=demo.county,
        role=Role.OFFICER,
        department=Department.objects.get(bureau=demo.county, kind=K.ADVERTISING),
        password=PASSWORD,
    )
    return user


def page_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_an_office_administrator_cannot_reset_the_superusers_password_on_the_page_or_the_api(
    demo, superuser, login, api
):
    office = demo.users["office"]
    page = login(office).post(reverse("org:user_reset_password", args=[superuser.pk]), follow=True)
    assert RULE_ZH in page_messages(page) and "不能重置超级管理员账号 admin 的密码" in page_messages(page)
    response = api(office).post(f"/api/org/users/{superuser.pk}/reset-password/")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["zh"].startswith("不能重置超级管理员账号 admin 的密码") and RULE_ZH in error["zh"]
    assert RULE_EN in error["en"] and error["detail"]["rule"] == "accounts_managed_from_above"
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD) and not superuser.must_change_password
    # the superuser itself may
    assert api(superuser).post(f"/api/org/users/{superuser.pk}/reset-password/").status_code == 200


def test_an_office_administrator_cannot_edit_lock_deactivate_or_delete_the_superuser(
    demo, superuser, login, api
):
    office = demo.users["office"]
    web, rest = login(office), api(office)
    assert web.get(reverse("org:user_edit", args=[superuser.pk])).status_code == 403
    assert web.post(reverse("org:user_delete", args=[superuser.pk])).status_code == 403
    web.post(reverse("org:user_lock", args=[superuser.pk]))
    url = f"/api/org/users/{superuser.pk}/"
    for response in (
        rest.patch(url, {"is_active": False}, format="json"),
        rest.patch(url, {"name": "改名"}, format="json"),
        rest.post(f"{url}lock/", {"locked": True}, format="json"),
        rest.delete(url),
    ):
        assert response.status_code == 403 and RULE_ZH in response.json()["error"]["zh"]
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.name == "系统管理员" and not superuser.is_locked


@pytest.mark.parametrize("whose", ["leader", "auditor", "city_office", "another_office"])
def test_the_office_cannot_reset_an_account_of_an_equal_or_higher_role_or_of_another_bureau(demo, api, whose):
    if whose == "another_office":
        target, _ = services.user_create(
            username="office2", bureau=demo.county, role=Role.OFFICE_ADMIN, password=PASSWORD
        )
    else:
        target = demo.users[whose]
    response = api(demo.users["office"]).post(f"/api/org/users/{target.pk}/reset-password/")
    assert response.status_code in (403, 404)  # the city's account is not even found from the county
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_the_office_resets_an_officers_password_and_the_superuser_resets_anyones(
    demo, superuser, officer, api
):
    response = api(demo.users["office"]).post(f"/api/org/users/{officer.pk}/reset-password/")
    assert response.status_code == 200 and response.json()["username"] == "newcomer"
    officer.refresh_from_db()
    assert officer.check_password(response.json()["password"]) and officer.must_change_password
    for whom in ("office", "leader", "auditor"):
        target = demo.users[whom]
        assert api(superuser).post(f"/api/org/users/{target.pk}/reset-password/").status_code == 200


def test_the_office_cannot_give_a_role_equal_to_or_above_its_own_on_the_page_or_the_api(
    demo, officer, login, api
):
    office = demo.users["office"]
    form = {
        "username": officer.username,
        "name": officer.name,
        "bureau": demo.county.pk,
        "department": officer.department_id,
        "role": Role.OFFICE_ADMIN,
        "is_active": "on",
    }
    page = login(office).post(reverse("org:user_edit", args=[officer.pk]), form)
    assert page.status_code == 200 and "不能授予“办公室管理员”角色" in page.content.decode()
    response = api(office).patch(f"/api/org/users/{officer.pk}/", {"role": Role.AUDITOR}, format="json")
    assert response.status_code == 403 and response.json()["error"]["zh"].startswith("不能授予“只读审计”角色")
    created = api(office).post(
        "/api/org/users/",
        {"username": "boss", "bureau": demo.county.pk, "role": Role.LEADING_GROUP},
        format="json",
    )
    assert created.status_code == 403 and RULE_ZH in created.json()["error"]["zh"]
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER and not User.objects.filter(username="boss").exists()


def test_the_office_creates_edits_deactivates_and_deletes_an_officers_account_through_the_api(demo, api):
    rest = api(demo.users["office"])
    dept = Department.objects.get(bureau=demo.county, kind=K.PRICE)
    created = rest.post(
        "/api/org/users/",
        {
            "username": "zhou",
            "name": "周科员",
            "bureau": demo.county.pk,
            "department": dept.pk,
            "role": "officer",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["password"]
    url = f"/api/org/users/{created.json()['id']}/"
    assert rest.patch(url, {"is_active": False}, format="json").status_code == 200
    assert not User.objects.get(username="zhou").is_active
    assert "phone" not in rest.get(url).json()  # personal data is written, never read back
    assert rest.delete(url).status_code == 204
    assert not User.objects.filter(username="zhou").exists()


def test_the_office_locks_and_unlocks_an_officer_and_the_lock_is_in_the_change_log(demo, officer, login):
    client = login(demo.users["office"])
    client.post(reverse("org:user_lock", args=[officer.pk]))
    officer.refresh_from_db()
    assert officer.is_locked
    assert not client.login(username="newcomer", password=PASSWORD)  # locked: refused even with the password
    login(demo.users["office"]).post(reverse("org:user_lock", args=[officer.pk]), {"locked": "0"})
    officer.refresh_from_db()
    assert not officer.is_locked
    reasons = list(
        ChangeRecord.objects.filter(object_id=str(officer.pk), content_type__model="user")
        .exclude(reason="")
        .values_list("reason", "user_name")
    )
    assert ("锁定账号 / account locked", "office") in reasons and (
        "解锁账号 / account unlocked",
        "office",
    ) in reasons


def test_a_department_head_or_officer_manages_no_account(demo, officer, api):
    for who in ("ad_head", "leader", "auditor"):
        response = api(demo.users[who]).post(f"/api/org/users/{officer.pk}/reset-password/")
        assert response.status_code == 403 and "org.users.manage" in response.json()["error"]["zh"]


def test_the_province_office_role_is_for_a_province_bureau_only(demo):
    with pytest.raises(ValidationFailed):
        services.user_create(username="fake_province", bureau=demo.county, role=Role.PROVINCE_OFFICE)
    user, _ = services.user_create(username="anhui_office", bureau=demo.province, role=Role.PROVINCE_OFFICE)
    assert user.is_staff
