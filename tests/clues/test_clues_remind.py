"""Reminders before the deadline, overdue marking, 督办 and its automatic second level — on a frozen clock."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from wangjian.clues import services
from wangjian.platform.inbox.models import Delivery, Message, PushAddress
from wangjian.platform.inbox.services import deliveries_send, push_address_add

from .conftest import at


@pytest.fixture
def clue(intake):
    return intake(now=at("2025-09-26")).clue  # feedback due 2025-10-13


def kinds(user, clue):
    return sorted(user.inbox.about(clue).values_list("kind", flat=True))


def test_no_reminder_before_the_window(demo, clue):
    report = services.clues_remind(now=at("2025-10-09"))  # 3 working days before 10-13
    assert report.reminded == []
    assert "remind" not in kinds(demo.users["ad_officer"], clue)


def test_reminder_two_working_days_before_the_deadline_once(demo, clue):
    officer = demo.users["ad_officer"]
    report = services.clues_remind(now=at("2025-10-10"))  # Fri; 10-11 (Sat) is a make-up day, then 10-13
    assert report.reminded == [clue.number]
    assert kinds(officer, clue).count("remind") == 1
    again = services.clues_remind(now=at("2025-10-11"))
    assert again.reminded == []
    assert kinds(officer, clue).count("remind") == 1


def test_overdue_is_marked_the_working_day_after_the_deadline_once(demo, clue):
    services.clues_remind(now=at("2025-10-13", "17:00"))
    clue.refresh_from_db()
    assert not clue.feedback_overdue  # the due day itself is still in time
    report = services.clues_remind(now=at("2025-10-14", "09:00"))
    clue.refresh_from_db()
    assert report.overdue == [clue.number] and clue.feedback_overdue
    assert services.clues_remind(now=at("2025-10-14", "09:05")).overdue == []
    assert clue.events.filter(action="overdue").count() == 1
    assert kinds(demo.users["office"], clue).count("overdue") == 1


def test_feedback_stops_the_reminders(demo, clue):
    officer = demo.users["ad_officer"]
    services.clue_accept(clue=clue, user=officer, now=at("2025-09-29"))
    services.clue_feedback(
        clue=clue, user=officer, result="partly", actions="部分属实，已约谈", now=at("2025-10-09")
    )
    services.clues_remind(now=at("2025-10-20"))
    clue.refresh_from_db()
    assert not clue.feedback_overdue


def test_unanswered_escalation_goes_to_the_leading_group_after_its_answer_deadline(demo, clue):
    office, leader = demo.users["office"], demo.users["leader"]
    services.clues_remind(now=at("2025-10-14"))
    first = services.clue_escalate(
        clue=clue, user=office, note="请立即反馈核查情况", now=at("2025-10-14", "10:00")
    )
    assert first.level == 1 and first.answer_due == dt.date(2025, 10, 16)
    assert "escalated" in kinds(demo.users["ad_officer"], clue)
    assert services.clues_remind(now=at("2025-10-16", "16:00")).escalated == []  # still in time
    report = services.clues_remind(now=at("2025-10-17", "09:00"))
    assert report.escalated == [clue.number]
    second = services.escalations_of(clue).get(level=2)
    assert second.automatic and "逾期未答复" in second.note
    assert "escalated" in kinds(leader, clue)
    assert services.clues_remind(now=at("2025-10-17", "09:05")).escalated == []
    assert services.escalations_of(clue).filter(level=2).count() == 1


def test_an_answered_escalation_is_not_raised(demo, clue):
    office, officer = demo.users["office"], demo.users["ad_officer"]
    esc = services.clue_escalate(clue=clue, user=office, note="请说明进度", now=at("2025-10-14"))
    services.escalation_answer(
        escalation=esc, user=officer, answer="已现场核查，明日反馈", now=at("2025-10-15")
    )
    assert services.clues_remind(now=at("2025-10-20")).escalated == []


def test_only_the_office_escalates_at_level_one_and_the_unit_answers(demo, clue):
    with pytest.raises(services.PermissionDeniedError):
        services.clue_escalate(clue=clue, user=demo.users["ad_officer"], note="x")
    esc = services.clue_escalate(clue=clue, user=demo.users["leader"], note="领导小组督办", level=2)
    assert esc.level == 2
    with pytest.raises(services.PermissionDeniedError):
        services.escalation_answer(escalation=esc, user=demo.users["price_officer"], answer="x")


# ---------------------------------------------------------------- pushes: once, quiet hours, urgent


class Inbox(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Inbox.received.append(json.loads(body or b"{}"))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def inbox():
    Inbox.received = []
    server = HTTPServer(("127.0.0.1", 0), Inbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_notifications_exactly_once_when_the_reminder_task_runs_twice(demo, clue, inbox, clock):
    from wangjian.clues import tasks

    officer = demo.users["ad_officer"]
    PushAddress.objects.create(user=officer, url=inbox, label="钱科员钉钉")
    PushAddress.objects.create(department=clue.department, url=inbox, label="广告股群机器人")
    clock(at("2025-10-10", "10:00"))
    tasks.clues_remind.delay()
    tasks.clues_remind.delay()  # a retry, or two beats in a row
    assert Message.objects.about(clue).filter(user=officer, kind="remind").count() == 1
    reminders = [m for m in Inbox.received if "将于" in m.get("title", "")]
    assert len(reminders) == 2  # one to the officer's address, one to the unit's group
    assert Delivery.objects.filter(status="sent", title__contains="将于").count() == 2


def test_pushes_wait_outside_working_hours_unless_urgent(demo, clue, inbox):
    officer = demo.users["ad_officer"]
    PushAddress.objects.create(user=officer, url=inbox)
    services.clues_remind(now=at("2025-10-10", "20:00"))  # evening: the reminder waits
    assert Inbox.received == []
    assert Delivery.objects.get().status == "deferred"
    services.clue_escalate(
        clue=clue, user=demo.users["office"], note="紧急督办", now=at("2025-10-10", "20:05")
    )
    deliveries_send(now=at("2025-10-10", "20:06"))  # 督办 is urgent: it goes now
    assert [m["title"][:4] for m in Inbox.received] == ["一级督办"]
    deliveries_send(now=at("2025-10-11", "08:45"))  # a make-up working day morning
    assert len(Inbox.received) == 2
    assert not Delivery.objects.exclude(status="sent").exists()


def test_a_failed_push_is_recorded_and_retried(demo, clue):
    officer = demo.users["ad_officer"]
    PushAddress.objects.create(user=officer, url="json://127.0.0.1:9/none")
    calls = []

    def broken(url, title, body):
        calls.append(url)
        raise ConnectionError("refused")

    services.clues_remind(now=at("2025-10-10"), send=broken)
    d = Delivery.objects.get()
    assert d.status == "failed" and "refused" in d.error and d.attempts == 1
    deliveries_send(now=at("2025-10-10", "11:00"), send=lambda *a: (True, ""))
    d.refresh_from_db()
    assert d.status == "sent" and d.attempts == 2


def test_every_step_is_pushed_once_to_the_bureaus_webhook_even_at_night(demo, intake, inbox):
    push_address_add(actor=demo.users["office"], url=inbox, bureau=demo.county, label="市局平台")
    with pytest.raises(services.PermissionDeniedError):
        push_address_add(actor=demo.users["ad_officer"], url=inbox, bureau=demo.county)
    clue = intake(now=at("2025-09-26", "22:00")).clue
    services.clue_accept(clue=clue, user=demo.users["ad_officer"], now=at("2025-09-26", "22:10"))
    deliveries_send(now=at("2025-09-26", "22:15"))
    deliveries_send(now=at("2025-09-26", "22:20"))
    events = [json.loads(m["message"]) for m in Inbox.received]
    assert [(e["action"], e["to_state"]) for e in events] == [
        ("add_source", "pending"),
        ("route", "assigned"),
        ("accept", "checking"),
    ]
    assert events[1]["unit"] == "广告监管股" and events[1]["due"] == "2025-10-13"


def test_without_a_broker_the_in_process_scheduler_runs_the_reminder_job(demo, clue, clock, monkeypatch):
    from wangjian.core import schedule

    clock(at("2025-10-14", "09:00"))
    monkeypatch.setattr(
        schedule,
        "collect",
        lambda: {"followups-run": {"task": "wangjian.platform.tasks.followups_run", "every": 300}},
    )
    assert schedule.InProcessScheduler().run_due(now=1000.0) == ["followups-run"]
    clue.refresh_from_db()
    assert clue.feedback_overdue
