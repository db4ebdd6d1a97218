"""Retention: evidence of an open matter cannot be deleted; others are kept for the retention period."""

from __future__ import annotations

import datetime as dt

import pytest

from wangjian.core.errors import PermissionDeniedError, WangjianError
from wangjian.evidence import retention, selectors, services
from wangjian.evidence.models import EvidenceCapture, LedgerEntry
from wangjian.evidence.store import get_store
from wangjian.org.models import Department


@pytest.fixture
def old_capture(bureau, site):
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="巡查", bureau=bureau, mode="http"
    ).capture
    EvidenceCapture.objects.filter(pk=capture.pk).update(retain_until=dt.date(2020, 1, 1))
    return EvidenceCapture.objects.get(pk=capture.pk)


@pytest.fixture
def hold_rule():
    """Use Department as the stand-in "matter": it is open while active."""
    retention.register_hold("org.Department", lambda d: d.is_active, label="测试事项")
    yield
    retention.unregister_hold("org.Department")


def test_default_retention_is_three_years_from_the_capture_day(bureau, site):
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="巡查", bureau=bureau, mode="http"
    ).capture
    local_day = capture.started_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert capture.retain_until == local_day.replace(year=local_day.year + 3)


def test_capture_within_its_retention_period_cannot_be_deleted(bureau, site):
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="巡查", bureau=bureau, mode="http"
    ).capture
    with pytest.raises(WangjianError) as err:
        services.evidence_delete(capture=capture, reason="误取证")
    assert err.value.code == "evidence_held" and "保存期限至" in err.value.detail[0]


def test_capture_linked_to_an_open_matter_cannot_be_deleted_until_it_is_closed(
    bureau, old_capture, hold_rule
):
    matter = Department.objects.create(bureau=bureau, name="测试科", kind="price", is_active=True)
    services.evidence_link(capture=old_capture, obj=matter)
    with pytest.raises(WangjianError) as err:
        services.evidence_delete(capture=old_capture, reason="到期清理")
    assert "尚未办结" in err.value.detail[0]
    assert EvidenceCapture.objects.filter(pk=old_capture.pk).exists()
    matter.is_active = False
    matter.save()
    pk = old_capture.pk
    result = services.evidence_delete(capture=old_capture, reason="到期清理")
    assert result["deleted"] == pk and not EvidenceCapture.objects.filter(pk=pk).exists()


def test_link_to_a_model_with_no_rule_holds_the_capture(bureau, old_capture):
    matter = Department.objects.create(bureau=bureau, name="测试科", kind="price")
    services.evidence_link(capture=old_capture, obj=matter)
    assert services.evidence_holds(capture=old_capture).reasons


def test_deletion_is_written_to_the_ledger_removes_blobs_and_verify_still_passes(bureau, old_capture):
    shas = list(old_capture.files.values_list("sha256", flat=True))
    pk = old_capture.pk
    services.evidence_delete(capture=old_capture, reason="保存期限届满")
    entry = LedgerEntry.objects.get(action="delete", capture_id_ref=pk)
    assert entry.reason == "保存期限届满" and set(entry.detail["files"].values()) == set(shas)
    assert not any(get_store().exists(s) for s in shas)
    assert selectors.evidence_verify().ok


def test_a_capture_row_removed_without_the_ledger_is_reported_missing(bureau, old_capture):
    EvidenceCapture.objects.filter(pk=old_capture.pk).delete()
    problems = [p.item for p in selectors.evidence_verify().problems]
    assert problems == [f"取证记录 capture {old_capture.pk}"]


def test_purge_deletes_expired_unheld_captures_only(bureau, old_capture, site, hold_rule):
    held = services.evidence_capture(
        url=site.url("/gbk.html"), operators=["张三", "李四"], purpose="巡查", bureau=bureau, mode="http"
    ).capture
    EvidenceCapture.objects.filter(pk=held.pk).update(retain_until=dt.date(2020, 1, 1))
    services.evidence_link(
        capture=held, obj=Department.objects.create(bureau=bureau, name="科", kind="price")
    )
    result = services.evidence_purge_expired()
    assert result["deleted"] == [old_capture.pk]
    assert [k["capture"] for k in result["kept"]] == [held.pk]


def test_only_the_office_administrator_deletes(demo, site):
    capture = services.evidence_capture(
        url=site.url("/shop.html"),
        operators=["钱科员"],
        purpose="巡查",
        user=demo.users["ad_officer"],
        mode="http",
    ).capture
    with pytest.raises(PermissionDeniedError):
        services.evidence_delete(capture=capture, user=demo.users["ad_officer"], reason="x")


def test_capture_for_a_matter_is_linked_and_held_at_once(bureau, site, hold_rule):
    matter = Department.objects.create(bureau=bureau, name="测试科", kind="price", is_active=True)
    capture = services.evidence_capture(
        url=site.url("/shop.html"), operators=["张三", "李四"], purpose="监测发现取证", bureau=bureau, mode="http",
        link_to=matter,
    ).capture  # fmt: skip
    assert [link.object_id for link in capture.links.all()] == [str(matter.pk)]
    assert any("尚未办结" in r for r in services.evidence_holds(capture=capture).reasons)
    assert LedgerEntry.objects.filter(capture_id_ref=capture.pk, action="link").count() == 1
