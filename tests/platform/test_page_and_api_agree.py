"""Rules that sat in a form, a view or a serializer now live in a service: the page and the API refuse the same
thing with the same message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wangjian.org.models import Bureau


def page_error(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- the bureaus' tree (org.services.bureau_save)


def test_a_bureau_placed_under_itself_is_refused_alike(demo, login, api):
    data = {"name": demo.city.name, "code": demo.city.code, "level": "city", "parent": demo.county.pk}
    page = login(demo.users["city_office"]).post(reverse("org:bureau_edit", args=[demo.city.pk]), data)
    r = api(demo.users["city_office"]).patch(
        f"/api/org/bureaus/{demo.city.pk}/", {"parent": demo.county.pk}, format="json"
    )
    assert r.status_code == 400 and r.json()["error"]["zh"] == "上级局不能是本局或其下级局"
    assert "上级局不能是本局或其下级局" in page_error(page)
    demo.city.refresh_from_db()
    assert demo.city.parent == demo.province


def test_a_bureau_added_outside_ones_tree_is_refused_alike(demo, api):
    from wangjian.core.errors import PermissionDeniedError
    from wangjian.org.services import bureau_save

    with pytest.raises(PermissionDeniedError, match="只能在本局下新增下级局"):
        bureau_save(
            bureau=Bureau(name="伪造局", code="341899", level="county", parent=demo.other_county),
            user=demo.users["office"],
        )
    payload = {"name": "伪造局", "code": "341899", "level": "county", "parent": demo.other_county.pk}
    r = api(demo.users["office"]).post("/api/org/bureaus/", payload, format="json")
    assert r.status_code == 403 and r.json()["error"]["zh"] == "只能在本局下新增下级局"


# ---------------------------------------------------------------- monitoring tasks (services.monitoring_task_save)


def test_a_monitoring_task_naming_an_unknown_library_is_refused_by_the_api_as_by_the_page(demo, login, api):
    from wangjian.monitoring.models import MonitoringTask

    form = {
        "bureau": demo.county.pk,
        "name": "夜间巡查",
        "libraries": "no_such_library",
        "depth": 0,
        "max_pages": 5,
    }
    form.update({"render": "never", "delay": 0.25, "evidence_threshold": "none", "interval_hours": 0})
    page = login(demo.users["office"]).post(reverse("monitoring:task_add"), form)
    assert "没有名为 no_such_library 的规则库" in page_error(page)
    r = api(demo.users["office"]).post(
        "/api/monitoring/tasks/", {**form, "libraries": ["no_such_library"]}, format="json"
    )
    assert r.status_code == 404 and "没有名为 no_such_library 的规则库" in r.json()["error"]["zh"]
    assert not MonitoringTask.objects.filter(name="夜间巡查").exists()


def test_a_monitoring_task_cannot_select_another_bureaus_presence_through_the_api(demo, api):
    from wangjian.monitoring.models import MonitoringTask
    from wangjian.registry.models import Presence

    theirs = Presence.objects.create(bureau=demo.other_county, kind="website", url="https://jixi.example/")
    payload = {"bureau": demo.county.pk, "name": "越界", "presences": [theirs.pk], "depth": 0, "max_pages": 5}
    r = api(demo.users["office"]).post("/api/monitoring/tasks/", payload, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"].startswith("监测任务只能选择本局的对象")
    assert not MonitoringTask.objects.filter(name="越界").exists()


# ---------------------------------------------------------------- a transferred clue is read-only (services.clue_act)


def test_a_transferred_clue_is_read_only_for_the_sender_on_the_page_and_in_the_api(demo, login, api):
    from wangjian.clues import services

    clue = services.clue_intake(
        bureau=demo.county, source_kind="manual", domain="online_price", facts="虚构原价"
    ).clue
    target = services.clue_transfer(
        clue=clue, user=demo.users["office"], to_bureau=demo.other_county, reason="属地"
    ).clue
    page = login(demo.users["office"]).post(
        f"/clues/clues/{target.pk}/act/escalate/", {"escalate-note": "x"}, follow=True
    )
    r = api(demo.users["office"]).post(
        f"/api/clues/clues/{target.pk}/transition/", {"action": "escalate", "note": "x"}
    )
    assert r.status_code == 403 and r.json()["error"]["zh"] == "移交外局的线索只读：由接收局办理"
    assert "移交外局的线索只读：由接收局办理" in page_error(page)


# ---------------------------------------------------------------- a clue step's input (clues.forms.action_input)


@pytest.mark.parametrize(
    ("step", "page_data", "api_data", "words"),
    [
        # Feedback needs a conclusion from the list (核查结论).
        ("feedback", {"feedback-actions": "已核查"}, {"actions": "已核查"}, "核查结论"),
        # A clue can only be merged into a clue of the same bureau.
        ("merge", {"merge-into": "不存在的编号"}, {"into": "不存在的编号"}, "找不到本局线索 不存在的编号"),
    ],
)
def test_a_clue_step_with_bad_input_is_refused_alike_on_the_page_and_in_the_api(
    demo, login, api, step, page_data, api_data, words
):
    from wangjian.clues import services

    clue = services.clue_intake(
        bureau=demo.county, source_kind="manual", domain="internet_advertising", facts="绝对化用语"
    ).clue
    actor = demo.users["office"]
    if step == "feedback":
        actor = demo.users["ad_officer"]
        services.clue_accept(clue=clue, user=actor)
    page = login(actor).post(f"/clues/clues/{clue.pk}/act/{step}/", page_data, follow=True)
    r = api(actor).post(
        f"/api/clues/clues/{clue.pk}/transition/", {"action": step, **api_data}, format="json"
    )
    assert r.status_code == 400
    message = r.json()["error"]["zh"]
    assert message.startswith("操作参数无效") and words in message
    assert message in page_error(page)


def test_a_unit_of_another_bureau_is_not_a_choice_for_a_clue(demo, api):
    """The step's form offers the clue's bureau's units only; the API cannot slip another bureau's in."""
    from wangjian.clues import services
    from wangjian.org.models import Department

    clue = services.clue_intake(
        bureau=demo.county, source_kind="manual", domain="internet_advertising", facts="x"
    ).clue
    theirs = Department.objects.filter(bureau=demo.other_county).first() or Department.objects.create(
        bureau=demo.other_county, name="绩溪县广告监管股", domains=["internet_advertising"]
    )
    r = api(demo.users["office"]).post(
        f"/api/clues/clues/{clue.pk}/transition/",
        {"action": "override", "department": theirs.pk, "reason": "改派"},
        format="json",
    )
    assert r.status_code == 400 and "承办科室" in r.json()["error"]["zh"]
    clue.refresh_from_db()
    assert clue.department_id != theirs.pk


# ---------------------------------------------------------------- a one-time password is changed first (org.services)


def test_until_a_one_time_password_is_changed_the_api_refuses_as_the_pages_redirect(demo, client, api):
    from wangjian.org.services import user_reset_password

    officer = demo.users["ad_officer"]
    one_time = user_reset_password(user=officer, actor=demo.users["office"])
    client.force_login(officer)
    assert client.get("/").status_code == 302  # to the password page
    r = api(officer).get("/api/clues/clues/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "password_change_required"
    bad = api(officer).post(
        "/api/password/", {"old_password": "wrong", "new_password": "Neu2025pass!"}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["error"]["zh"] == "原密码不正确"
    ok = api(officer).post(
        "/api/password/", {"old_password": one_time, "new_password": "Neu2025pass!"}, format="json"
    )
    assert ok.status_code == 204
    assert api(officer).get("/api/clues/clues/").status_code == 200
