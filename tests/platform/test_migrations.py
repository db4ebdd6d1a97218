"""What a bureau entered before the platform layer survives the move into it: nothing is lost.

Each journey migrates a database of its own from nothing to the state before the move, writes what a bureau
had, migrates across the move and reads it back (``tests.journeys``).
"""

from __future__ import annotations

import pytest

from tests import journeys
from tests.journeys import migrate


def journey_the_clue_loops_deadline_policies_become_clock_settings_and_follow_up_settings():
    old = migrate([("clues", "0002_source_reporter"), ("platform", "0001_clocks_and_followup")])
    Bureau = old.get_model("org", "Bureau")
    OldPolicy = old.get_model("clues", "DeadlinePolicy")
    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level="county")
    OldPolicy.objects.create(
        bureau=bureau,
        source_kind="",
        feedback_days=6,
        feedback_basis="本局规定{n}日",
        remind_days=3,
        answer_days=4,
    )
    OldPolicy.objects.create(bureau=bureau, source_kind="complaint", feedback_days=5, disposal_days=10)

    new = migrate([("clues", "0003_deadline_policies_move_to_the_platform")])
    Policy = new.get_model("platform", "DeadlinePolicy")
    Settings = new.get_model("platform", "FollowUpSettings")
    rows = {(p.clock, p.variant): (p.length, p.basis) for p in Policy.objects.filter(bureau_id=bureau.pk)}
    assert rows[("clue.feedback", "")] == (6, "本局规定{n}日")
    assert rows[("clue.feedback", "complaint")] == (5, "")
    assert rows[("clue.disposal", "complaint")] == (10, "")
    assert rows[("clue.disposal", "")] == (15, "")
    assert rows[("followup.answer", "")] == (4, "")
    assert Settings.objects.get(bureau_id=bureau.pk).remind_days == 3

    back = migrate([("clues", "0002_source_reporter")])
    restored = back.get_model("clues", "DeadlinePolicy").objects.get(bureau_id=bureau.pk, source_kind="")
    assert (restored.feedback_days, restored.remind_days, restored.answer_days) == (6, 3, 4)


def journey_the_clue_counters_become_sequences_and_every_clue_number_enters_the_register():
    old = migrate([("clues", "0003_deadline_policies_move_to_the_platform"), ("platform", "0002_numbering")])
    Bureau = old.get_model("org", "Bureau")
    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level="county")
    old.get_model("clues", "ClueCounter").objects.create(bureau=bureau, year=2025, last=2)
    Clue = old.get_model("clues", "Clue")
    for seq in (1, 2):
        Clue.objects.create(
            bureau=bureau,
            number=f"旌市监线〔2025〕{seq:04d}",
            year=2025,
            seq=seq,
            title="演示",
            source_kind="manual",
            domain="online_price",
            facts="虚构原价",
        )

    new = migrate([("clues", "0004_clue_numbers_move_to_the_platform_register")])
    sequence = new.get_model("platform", "Sequence").objects.get(bureau_id=bureau.pk, kind="clue", year=2025)
    assert sequence.last == 2
    issued = new.get_model("platform", "IssuedNumber").objects.filter(bureau_id=bureau.pk).order_by("seq")
    assert [(n.seq, n.number, n.subject_type) for n in issued] == [
        (1, "旌市监线〔2025〕0001", "clues.clue"),
        (2, "旌市监线〔2025〕0002", "clues.clue"),
    ]


def journey_the_inboxes_pushes_and_escalations_move_to_the_platform_with_nothing_lost():
    old = migrate(
        [
            ("clues", "0004_clue_numbers_move_to_the_platform_register"),
            ("org", "0002_unit_with_staff_protected"),
        ]
    )
    Bureau, User = old.get_model("org", "Bureau"), old.get_model("org", "User")
    bureau = Bureau.objects.create(name="旌德县市场监督管理局", code="341825", level="county")
    officer = User.objects.create(username="qian", bureau=bureau)
    dept = old.get_model("org", "Department").objects.create(
        bureau=bureau, name="广告监管股", kind="advertising"
    )
    notice = old.get_model("org", "Notice").objects.create(bureau=bureau, title="双十一检查", body="…")
    old.get_model("org", "NoticeReceipt").objects.create(notice=notice, user=officer)
    clue = old.get_model("clues", "Clue").objects.create(
        bureau=bureau,
        number="旌市监线〔2025〕0001",
        year=2025,
        seq=1,
        title="绝对化用语",
        source_kind="monitoring",
        domain="internet_advertising",
        facts="全网最佳",
        state="checking",
        department=dept,
        feedback_due="2025-10-13",
        feedback_basis="7个工作日",
        feedback_overdue=True,
    )
    note = old.get_model("clues", "Notification").objects.create(
        key="clue1:remind:u1", user=officer, clue=clue, kind="remind", title="将于到期"
    )
    address = old.get_model("clues", "NotificationAddress").objects.create(
        user=officer, url="mailto://x@y.cn"
    )
    old.get_model("clues", "Delivery").objects.create(
        key="clue1:remind:a1", notification=note, address=address, title="将于到期", status="sent"
    )
    old.get_model("clues", "Escalation").objects.create(
        clue=clue, level=1, note="请反馈", answer_due="2025-10-16"
    )

    new = migrate(
        [
            ("clues", "0005_inbox_and_duties_move_to_the_platform"),
            ("org", "0003_notice_receipts_become_inbox_messages"),
        ]
    )
    Message = new.get_model("platform", "Message")
    assert Message.objects.get(pk=note.pk).subject_id == str(clue.pk)
    receipt = Message.objects.get(subject_type="org.notice", subject_id=str(notice.pk))
    assert receipt.user_id == officer.pk and receipt.read_at is None
    delivery = new.get_model("platform", "Delivery").objects.get()
    assert (delivery.address_id, delivery.message_id, delivery.status) == (address.pk, note.pk, "sent")
    item = new.get_model("platform", "WorkItem").objects.get(
        subject_type="clues.clue", subject_id=str(clue.pk)
    )
    assert (item.kind, item.state, item.overdue, str(item.due)) == (
        "clue.feedback",
        "open",
        True,
        "2025-10-13",
    )
    assert item.escalations.get().note == "请反馈"
    # a new address after the move does not collide with the ids carried over (PostgreSQL sequences)
    new.get_model("platform", "PushAddress").objects.create(user_id=officer.pk, url="mailto://z@y.cn")


JOURNEYS = [name for name in dir() if name.startswith("journey_")]


@pytest.mark.parametrize("journey", JOURNEYS)
def test_what_was_entered_before_the_move_is_there_after_it(journey, tmp_path):
    journeys.run(__name__, journey, tmp_path)


@pytest.mark.django_db
def test_the_migrations_build_exactly_the_models_the_test_database_is_built_from():
    """The suite's database is built from the models (``tests/conftest.py``); that stands for a migrated one
    only while the migrations say the same as the models: a model changed without its migration fails here."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"models changed without a migration (exit {exc.code}):\n{out.getvalue()}")
