"""One inbox per user: notices, clue messages and work-item reminders side by side, read receipts, the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wangjian.org.models import Department, Notice
from wangjian.platform.inbox.models import Message
from wangjian.platform.inbox.selectors import unread_count
from wangjian.platform.inbox.services import notice_publish
from wangjian.platform.workitems.services import workitem_create


@pytest.fixture
def everything(demo):
    """A notice, a clue and a work item, each telling the advertising officer something."""
    from wangjian.clues import services as clue_services

    dept = Department.objects.get(bureau=demo.county, kind="advertising")
    notice = Notice.objects.create(bureau=demo.county, title="关于双十一检查的通知", body="…")
    notice.target_departments.set([dept])
    notice_publish(notice=notice, user=demo.users["office"])
    clue = clue_services.clue_intake(
        bureau=demo.county, source_kind="manual", domain="internet_advertising", facts="全网最佳"
    ).clue
    item = workitem_create(
        bureau=demo.county,
        kind="task.request",
        title="答复市局关于直播带货的询问",
        department=dept,
        working_days=3,
        created_by=demo.users["office"],
    )
    return notice, clue, item


def test_the_officer_has_one_inbox_with_every_kind_of_message(demo, everything, login):
    notice, clue, item = everything
    officer = demo.users["ad_officer"]
    kinds = set(Message.objects.filter(user=officer).values_list("kind", flat=True))
    assert kinds == {"notice", "assigned", "task"}
    assert unread_count(officer) == 3
    html = login(officer).get(reverse("platform:inbox")).content.decode()
    assert notice.title in html and clue.number in html and item.title in html
    workbench = login(officer).get(reverse("platform:workbench")).content.decode()
    assert '<span class="badge text-bg-danger">3</span>' in workbench


def test_opening_a_message_reads_it_and_takes_you_to_its_item(demo, everything, login):
    _notice, clue, _item = everything
    officer = demo.users["ad_officer"]
    message = Message.objects.get(user=officer, kind="assigned")
    r = login(officer).get(reverse("platform:message_open", args=[message.pk]))
    assert r.status_code == 302 and r["Location"] == clue.get_absolute_url()
    message.refresh_from_db()
    assert message.read_at is not None and unread_count(officer) == 2
    assert (
        login(demo.users["ad_head"]).get(reverse("platform:message_open", args=[message.pk])).status_code
        == 404
    )


def test_reading_the_notices_message_is_its_read_receipt(demo, everything, login):
    notice, _clue, _item = everything
    officer = demo.users["ad_officer"]
    login(officer).post(reverse("platform:inbox"), {"all": "1"})
    assert unread_count(officer) == 0
    page = login(demo.users["office"]).get(reverse("org:notice", args=[notice.pk])).content.decode()
    assert "钱科员" in page and "赵股长" in page  # the sender's read list
    assert Message.objects.about(notice).get(user=officer).read_at is not None


def test_the_api_gives_each_user_their_own_messages_and_marks_them_read(demo, everything, api):
    officer = api(demo.users["ad_officer"])
    rows = officer.get("/api/inbox/?unread=1").json()["results"]
    assert {r["kind"] for r in rows} == {"notice", "assigned", "task"}
    mine = rows[0]["id"]
    assert api(demo.users["ad_head"]).post(f"/api/inbox/{mine}/read/").status_code == 404
    assert officer.post(f"/api/inbox/{mine}/read/").json()["read_at"]
    clue_rows = officer.get("/api/clues/notifications/").json()["results"]
    assert [r["kind"] for r in clue_rows] == ["assigned"] and clue_rows[0]["clue"]


def test_the_domain_page_shows_the_open_items_of_every_app(demo, everything, login):
    _notice, clue, item = everything
    html = (
        login(demo.users["office"]).get(reverse("org:domain", args=["internet_advertising"])).content.decode()
    )
    assert clue.number in html  # the clue loop's section
    assert "待办事项" in html and "监测发现（待审核）" in html
    assert "将显示在这里" not in html
