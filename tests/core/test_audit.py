"""The change log: every change of organisation, duty list, calendar and users, with who, before and after."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from tests.org import demo_once as shared
from wangjian.core.audit import acting, mask
from wangjian.core.models import CalendarDay, ChangeRecord
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department, DutyRule, User

# The demo organisation built once per module (see tests/org/demo_once.py).
demo, demo_once, fast_password_hashing = shared.demo, shared.demo_once, shared.fast_password_hashing


def records(obj_or_model, pk=None):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    pk = pk if pk is not None else obj_or_model.pk
    return list(
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).order_by("id")
    )


# ------------------------------------------------------------------ what is recorded


def test_a_department_created_changed_and_deleted_on_the_web_is_recorded_with_who(demo, login):
    office = demo.users["office"]
    client = login(office)
    data = {"bureau": demo.county.pk, "name": "信息中心", "kind": K.INFORMATION, "is_active": "on"}
    client.post(reverse("org:department_add"), data)
    dept = Department.objects.get(name="信息中心")
    client.post(reverse("org:department_edit", args=[dept.pk]), {**data, "phone": "0563-8021234"})
    client.post(reverse("org:department_delete", args=[dept.pk]))
    create, update, delete = records(Department, dept.pk)
    for r in (create, update, delete):
        assert (r.user, r.user_name, r.via, r.bureau_id) == (office, "office", "web", demo.county.pk)
    assert create.action == "create" and create.before is None and create.after["name"] == "信息中心"
    assert update.action == "update"
    assert update.before["phone"] == "" and update.after["phone"] == "0563-8021234"
    assert [f for f, _, _ in update.changed_fields()] == ["phone"]
    assert delete.action == "delete" and delete.after is None and delete.before["name"] == "信息中心"


def test_a_duty_rule_changed_through_the_api_is_recorded_as_api(demo, api):
    rule = DutyRule.objects.get(bureau=demo.county, domain="mlm")
    response = api(demo.users["office"]).patch(
        f"/api/org/duty-rules/{rule.pk}/", {"legal_basis_article": "第七条、第二十四条"}, format="json"
    )
    assert response.status_code == 200
    last = records(rule)[-1]
    assert (last.action, last.via, last.user_name) == ("update", "api", "office")
    assert (
        last.before["legal_basis_article"] == "第七条"
        and last.after["legal_basis_article"] == "第七条、第二十四条"
    )


def test_a_calendar_day_entered_on_the_calendar_page_is_recorded_with_who(demo, login):
    login(demo.users["province_office"]).post(
        reverse("platform:calendar_year", args=[2026]),
        {"date": "2026-12-31", "kind": "holiday", "name": "演练"},
    )
    day = CalendarDay.objects.get(date=dt.date(2026, 12, 31))
    (create,) = records(day)
    assert (create.action, create.via, create.user_name) == ("create", "web", "province_office")
    assert create.after["kind"] == "holiday" and create.after["date"] == "2026-12-31"


def test_a_calendar_change_from_the_command_line_is_recorded_as_cli(demo, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n", encoding="utf-8")
    call_command("workdays", "import", str(path), stdout=open("/dev/null", "w"))
    (create,) = records(CalendarDay.objects.get(date=dt.date(2027, 1, 1)))
    assert (create.user, create.user_name, create.via) == (None, "cli", "cli")


def test_a_user_created_from_the_command_line_is_recorded_with_the_phone_masked(demo, capsys):
    call_command("createuser", "newcomer", "--bureau", "341825", "--phone", "13912345678")
    user = User.objects.get(username="newcomer")
    (create,) = records(user)
    assert create.via == "cli" and create.user_name == "cli"
    assert create.after["phone"] == mask("13912345678") == "139****5678"
    assert create.after["password"] == "••••"


def test_a_password_hash_is_never_stored_in_the_log_and_a_change_is_still_recorded(demo, login):
    user = demo.users["ad_officer"]
    client = login(user)
    client.post(
        "/password/",
        {"old_password": demo.password, "new_password1": "Jingde2026x", "new_password2": "Jingde2026x"},
    )
    user.refresh_from_db()
    everything = json.dumps([[r.before, r.after] for r in ChangeRecord.objects.all()], ensure_ascii=False)
    assert user.password not in everything
    assert "md5$" not in everything and "pbkdf2" not in everything
    change = records(user)[-1]
    assert change.action == "update" and change.user == user
    assert "已更改" in change.after["password"]


def test_a_user_edited_on_the_web_is_recorded_with_before_and_after(demo, login):
    user = demo.users["price_officer"]
    food = Department.objects.get(bureau=demo.county, kind=K.FOOD)
    data = {
        "username": user.username,
        "name": user.name,
        "bureau": demo.county.pk,
        "department": food.pk,
        "role": "officer",
        "phone": "13700001111",
        "is_active": "on",
    }
    login(demo.users["office"]).post(reverse("org:user_edit", args=[user.pk]), data)
    last = records(user)[-1]
    assert last.user_name == "office" and last.via == "web"
    assert last.before["department"] != last.after["department"] == food.pk
    assert last.after["phone"] == "137****1111"
    assert "13700001111" not in json.dumps(last.after)


def test_a_user_deleted_is_recorded(demo):
    user = User.objects.create(username="leaver", bureau=demo.county)
    pk = user.pk
    with acting(demo.users["office"], via="web"):
        user.delete()
    last = records(User, pk)[-1]
    assert last.action == "delete" and last.before["username"] == "leaver" and last.user_name == "office"


def test_log_in_counters_are_not_changes(demo, client):
    before = ChangeRecord.objects.count()
    client.post("/login/", {"username": "ad_officer", "password": "wrong-guess-1"})
    client.post("/login/", {"username": "ad_officer", "password": demo.password})
    assert ChangeRecord.objects.count() == before


# ------------------------------------------------------------------ who may read it


@pytest.fixture
def county_and_neighbour_changes(demo):
    with acting(demo.users["office"], via="web"):
        mine = Department.objects.create(bureau=demo.county, name="旌德县审计样本股", kind=K.LEGAL)
    with acting(demo.users["jixi_officer"], via="web"):
        theirs = Department.objects.create(bureau=demo.other_county, name="绩溪县审计样本股", kind=K.LEGAL)
    return records(mine)[0], records(theirs)[0]


@pytest.mark.parametrize("who", ["office", "auditor"])
def test_the_change_log_is_open_to_office_and_auditor_for_their_bureaus_only(
    demo, login, county_and_neighbour_changes, who
):
    mine, theirs = county_and_neighbour_changes
    client = login(demo.users[who])
    html = client.get(reverse("platform:changelog")).content.decode()
    assert "旌德县审计样本股" in html and "绩溪县审计样本股" not in html
    assert client.get(reverse("platform:changerecord", args=[mine.pk])).status_code == 200
    assert client.get(reverse("platform:changerecord", args=[theirs.pk])).status_code == 403


def test_the_city_office_reads_the_change_log_of_the_counties_below(
    demo, login, county_and_neighbour_changes
):
    html = login(demo.users["city_office"]).get(reverse("platform:changelog")).content.decode()
    assert "旌德县审计样本股" in html and "绩溪县审计样本股" in html


@pytest.mark.parametrize("who", ["ad_officer", "station_officer", "legal"])
def test_the_change_log_is_refused_to_officers(demo, login, county_and_neighbour_changes, who):
    mine, _ = county_and_neighbour_changes
    client = login(demo.users[who])
    assert client.get(reverse("platform:changelog")).status_code == 403
    assert client.get(reverse("platform:changerecord", args=[mine.pk])).status_code == 403


def test_calendar_changes_are_in_every_auditors_change_log(demo, login):
    with acting(demo.users["province_office"], via="web"):
        from wangjian.core.services import calendar_day_set

        day = calendar_day_set(
            date=dt.date(2026, 12, 31), kind="holiday", name="演练", user=demo.users["province_office"]
        ).day
    (record,) = records(day)
    client = login(demo.users["auditor"])
    assert client.get(reverse("platform:changerecord", args=[record.pk])).status_code == 200
    assert "2026-12-31" in client.get(reverse("platform:changelog"), {"type": "calendarday"}).content.decode()


def test_the_objects_own_change_log_page_shows_its_history(demo, login):
    dept = Department.objects.get(bureau=demo.county, kind=K.ADVERTISING)
    with acting(demo.users["office"], via="web"):
        dept.phone = "0563-8029999"
        dept.save()
    html = (
        login(demo.users["office"]).get(reverse("org:department_changelog", args=[dept.pk])).content.decode()
    )
    assert "0563-8029999" in html


# ------------------------------------------------------------------ conditional writes


@pytest.mark.django_db
def test_a_conditional_update_of_an_audited_row_is_in_the_change_log_and_a_lost_claim_writes_nothing():
    from django.db.models import Q

    from wangjian.core.models import HolidayArrangement

    arrangement = HolidayArrangement.objects.create(year=2030, notice="")
    arrangement = HolidayArrangement.objects.get(pk=arrangement.pk)
    with acting(None, via="worker"):
        assert arrangement.update_if(Q(notice=""), notice="国办发明电〔2029〕1号") is True
        # the second claim finds the row changed and writes neither the row nor the log
        assert arrangement.update_if(Q(notice=""), notice="另一个") is False
    create, update = records(arrangement)
    assert update.action == "update" and update.via == "worker"
    assert [f for f, _, _ in update.changed_fields()] == ["notice"]
    assert update.after["notice"] == "国办发明电〔2029〕1号"
    assert HolidayArrangement.objects.get(pk=arrangement.pk).notice == "国办发明电〔2029〕1号"


@pytest.mark.django_db
def test_a_conditional_update_of_bookkeeping_fields_only_writes_no_change_record(demo):
    office = User.objects.get(pk=demo.users["office"].pk)
    before = len(records(office))
    assert office.update_if(None, failed_logins=3)  # audit_ignore: log-in counters
    assert len(records(office)) == before
