"""Notices (通知通报): a bureau publishes to its own units and the bureaus below; recipients confirm reading."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selectolax.lexbor import LexborHTMLParser

from wangjian.core.errors import PermissionDeniedError
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department, Notice, Station, User
from wangjian.platform.inbox.models import Message
from wangjian.platform.inbox.selectors import notice_unread_users
from wangjian.platform.inbox.selectors import unread_count as unread_notice_count
from wangjian.platform.inbox.services import notice_mark_read, notice_publish


def notice(bureau, title="关于开展“双十一”网络集中促销检查的通知", **targets) -> Notice:
    n = Notice.objects.create(bureau=bureau, title=title, body="各股室、各所：请于11月10日前完成检查。")
    for field, objs in targets.items():
        getattr(n, field).set(objs)
    return n


def recipients(n: Notice) -> set[str]:
    return set(Message.objects.about(n).values_list("user__username", flat=True))


def test_a_notice_to_a_department_reaches_each_of_its_active_staff(demo):
    dept = Department.objects.get(bureau=demo.county, kind=K.ADVERTISING)
    User.objects.create(username="retired", bureau=demo.county, department=dept, is_active=False)
    n = notice(demo.county, target_departments=[dept])
    assert notice_publish(notice=n, user=demo.users["office"]) == 2
    assert recipients(n) == {"ad_head", "ad_officer"}
    n.refresh_from_db()
    assert n.published_at is not None and n.author == demo.users["office"]


def test_a_notice_to_a_station_reaches_the_station(demo):
    station = Station.objects.get(bureau=demo.county, name="旌阳市场监管所")
    n = notice(demo.county, target_stations=[station])
    notice_publish(notice=n, user=demo.users["office"])
    assert recipients(n) == {"station_officer"}


def test_the_city_publishes_to_the_counties_below_it(demo):
    n = notice(demo.city, target_bureaus=[demo.county, demo.other_county])
    notice_publish(notice=n, user=demo.users["city_office"])
    county_staff = set(User.objects.filter(bureau=demo.county).values_list("username", flat=True))
    assert recipients(n) == county_staff | {"jixi_officer"}


def test_a_county_cannot_publish_to_the_city_above_it(demo):
    n = notice(demo.county, target_bureaus=[demo.city])
    with pytest.raises(PermissionDeniedError):
        notice_publish(notice=n, user=demo.users["office"])
    n.refresh_from_db()
    assert n.published_at is None and recipients(n) == set()


def test_a_county_cannot_publish_to_a_neighbouring_countys_department(demo):
    n = notice(demo.county, target_departments=[Department.objects.filter(bureau=demo.other_county).first()])
    with pytest.raises(PermissionDeniedError):
        notice_publish(notice=n, user=demo.users["office"])
    assert recipients(n) == set()


def test_the_notice_form_offers_no_bureau_above_and_refuses_a_forged_one(demo, login):
    client = login(demo.users["office"])
    form = client.get(reverse("org:notice_add")).context["form"]
    assert demo.city not in form.fields["target_bureaus"].queryset
    data = {
        "bureau": demo.county.pk,
        "kind": "notice",
        "title": "伪造",
        "body": "…",
        "target_bureaus": [demo.city.pk],
    }
    client.post(reverse("org:notice_add"), data)
    assert not Notice.objects.filter(title="伪造").exists()


def test_publishing_again_adds_newcomers_without_duplicating_receipts(demo):
    dept = Department.objects.get(bureau=demo.county, kind=K.ADVERTISING)
    n = notice(demo.county, target_departments=[dept])
    notice_publish(notice=n, user=demo.users["office"])
    first_time = n.published_at
    User.objects.create(username="newcomer", bureau=demo.county, department=dept)
    assert notice_publish(notice=n, user=demo.users["office"]) == 3
    n.refresh_from_db()
    assert n.published_at == first_time


def test_a_notice_without_recipients_is_refused(demo):
    from wangjian.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        notice_publish(notice=notice(demo.county), user=demo.users["office"])


def test_the_recipient_sees_it_on_the_workbench_and_confirms_reading(demo, login):
    n = notice(
        demo.county, target_departments=[Department.objects.get(bureau=demo.county, kind=K.ADVERTISING)]
    )
    notice_publish(notice=n, user=demo.users["office"])
    officer = demo.users["ad_officer"]
    client = login(officer)
    workbench = client.get(reverse("platform:workbench")).content.decode()
    assert n.title in workbench
    assert unread_notice_count(officer) == 1
    assert '<span class="badge text-bg-danger">1</span>' in workbench  # the count beside 工作台
    page = client.get(reverse("org:notice", args=[n.pk])).content.decode()
    assert 'id="confirm-read"' in page
    assert client.post(reverse("org:notice", args=[n.pk]), {"action": "read"}).status_code == 302
    assert Message.objects.about(n).get(user=officer).read_at is not None
    assert unread_notice_count(officer) == 0
    assert "badge text-bg-danger" not in client.get(reverse("platform:workbench")).content.decode()
    assert 'id="confirm-read"' not in client.get(reverse("org:notice", args=[n.pk])).content.decode()


def test_confirming_a_notice_one_did_not_receive_records_nothing(demo):
    n = notice(demo.county, target_stations=[Station.objects.get(name="旌阳市场监管所")])
    notice_publish(notice=n, user=demo.users["office"])
    assert notice_mark_read(notice=n, user=demo.users["ad_officer"]) is False
    assert not Message.objects.about(n).filter(user=demo.users["ad_officer"]).exists()


def test_the_sender_sees_who_has_not_read(demo, login):
    n = notice(
        demo.county, target_departments=[Department.objects.get(bureau=demo.county, kind=K.ADVERTISING)]
    )
    notice_publish(notice=n, user=demo.users["office"])
    notice_mark_read(notice=n, user=demo.users["ad_officer"])
    assert list(notice_unread_users(notice=n)) == [demo.users["ad_head"]]
    html = login(demo.users["office"]).get(reverse("org:notice", args=[n.pk])).content.decode()
    rows = {
        row.css_first("td").text(): row.attributes.get("class", "")
        for row in LexborHTMLParser(html).css("#receipts tr")
        if row.css_first("td")
    }
    assert "table-warning" in rows["赵股长"]  # ad_head has not read
    assert "table-warning" not in rows["钱科员"]


def test_the_office_publishes_through_the_page(demo, login):
    n = notice(demo.county, target_bureaus=[demo.county])
    client = login(demo.users["office"])
    assert client.post(reverse("org:notice", args=[n.pk]), {"action": "publish"}).status_code == 302
    assert recipients(n) == set(User.objects.filter(bureau=demo.county).values_list("username", flat=True))


def test_an_officer_cannot_publish_through_the_page(demo, login):
    n = notice(demo.county, target_bureaus=[demo.county])
    login(demo.users["ad_officer"]).post(reverse("org:notice", args=[n.pk]), {"action": "publish"})
    n.refresh_from_db()
    assert n.published_at is None


def test_another_countys_staff_cannot_read_a_notice_not_sent_to_them(demo, login):
    n = notice(demo.county, target_bureaus=[demo.county])
    notice_publish(notice=n, user=demo.users["office"])
    assert login(demo.users["jixi_officer"]).get(reverse("org:notice", args=[n.pk])).status_code in (403, 404)


def test_the_notice_list_shows_what_was_received_from_above(demo, login):
    n = notice(demo.city, title="市局关于网络交易监管的通报", target_bureaus=[demo.county])
    notice_publish(notice=n, user=demo.users["city_office"])
    assert n.title in login(demo.users["ad_officer"]).get(reverse("org:notice_list")).content.decode()
    assert n.title not in login(demo.users["jixi_officer"]).get(reverse("org:notice_list")).content.decode()


def test_a_published_notice_takes_its_number_and_its_documents_go_with_it(demo, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = login(demo.users["office"])
    table = SimpleUploadedFile("统计表.csv", "单位,案件数\n广告股,3\n".encode())
    data = {"bureau": demo.county.pk, "kind": "bulletin", "title": "十月网络案件通报", "body": "见附表。"}
    office.post(reverse("org:notice_add"), {**data, "target_bureaus": [demo.county.pk], "attachment": table})
    n = Notice.objects.get(title="十月网络案件通报")
    assert n.attachments.get().name == "统计表.csv"
    notice_publish(notice=n, user=demo.users["office"])
    n.refresh_from_db()
    assert n.number.startswith("旌市监网监〔") and n.number.endswith("1号")
    reader = login(demo.users["ad_officer"])
    page = reader.get(reverse("org:notice", args=[n.pk])).content.decode()
    assert n.number in page and "统计表.csv" in page
    download = reader.get(reverse("org:notice_attachment", args=[n.pk, n.attachments.get().pk]))
    assert b"".join(download.streaming_content).decode() == "单位,案件数\n广告股,3\n"
    assert login(demo.users["jixi_officer"]).get(
        reverse("org:notice_attachment", args=[n.pk, 1])
    ).status_code in (
        403,
        404,
    )


def test_a_published_notice_is_a_record_and_cannot_be_edited_or_deleted(demo, login):
    n = notice(demo.county, target_bureaus=[demo.county])
    notice_publish(notice=n, user=demo.users["office"])
    office = login(demo.users["office"])
    assert office.get(reverse("org:notice_edit", args=[n.pk])).status_code == 403
    assert office.post(reverse("org:notice_delete", args=[n.pk])).status_code == 403
    assert Notice.objects.filter(pk=n.pk).exists()
