"""A bureau's signing keys are made once: a machine without them (or with others) refuses to sign, never re-keys."""

from __future__ import annotations

import pytest

from wangjian.core.errors import WangjianError
from wangjian.evidence import keys, ledger, selectors, services
from wangjian.evidence.models import BureauKey, LedgerCheckpoint


@pytest.fixture
def captured(bureau, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed: the checkpoint's head is anchored
        capture = services.evidence_capture(
            url=site.url("/shop.html"),
            operators=["张三", "李四"],
            purpose="价格检查",
            bureau=bureau,
            mode="http",
        ).capture
        services.evidence_checkpoint(bureau=bureau)
    return capture


def test_a_missing_key_file_stops_the_signing_with_the_reason_and_makes_no_new_key(captured, bureau):
    keys.private_path(bureau).unlink()
    services.evidence_access(capture=captured, user=None, reason="复核")  # a new head to sign
    with pytest.raises(WangjianError, match="私钥缺失") as refused:
        services.evidence_checkpoint(bureau=bureau)
    assert "WANGJIAN_EVIDENCE_KEY_DIR" in refused.value.en
    assert not keys.private_path(bureau).exists()
    assert LedgerCheckpoint.objects.filter(bureau=bureau).count() == 1
    assert BureauKey.objects.get(bureau=bureau).fingerprint  # the published key is untouched


def test_a_key_file_swapped_for_another_key_is_refused(captured, bureau):
    path = keys.private_path(bureau)
    path.unlink()
    keys.load_private(bureau, create=True)  # someone generates a fresh key in its place
    services.evidence_access(capture=captured, user=None, reason="复核")
    with pytest.raises(WangjianError, match="不符"):
        services.evidence_checkpoint(bureau=bureau)
    # verify names the foreign key; what was signed before still verifies against the published key
    problems = [(p.item, p.zh) for p in selectors.evidence_verify().problems]
    assert problems == [("台账 ledger 341825 公钥 public key", "与本局私钥不匹配")]


def test_a_swapped_package_key_refuses_the_export_rather_than_sign_what_the_published_key_rejects(
    captured, bureau
):
    path = keys.package_private_path(bureau)
    path.unlink()
    keys.load_package_private(bureau, create=True)
    with pytest.raises(WangjianError, match="不符"):
        services.evidence_export(capture=captured, user=None, pdf=False)


def test_a_capture_on_a_machine_without_the_key_is_kept_and_signed_later_where_the_key_is(
    captured, bureau, site, settings, caplog, django_capture_on_commit_callbacks
):
    settings.WANGJIAN_EVIDENCE_CHECKPOINT_EVERY = 1  # every entry asks for a checkpoint
    saved = keys.private_path(bureau).read_bytes()
    keys.private_path(bureau).unlink()
    second = services.evidence_capture(
        url=site.url("/gbk.html"), operators=["张三", "李四"], purpose="亮照检查", bureau=bureau, mode="http"
    ).capture
    assert second.status == "ok"
    assert "not signed" in caplog.text
    head = ledger.LedgerEntry.objects.filter(bureau=bureau).order_by("-seq").first()
    assert not LedgerCheckpoint.objects.filter(bureau=bureau, seq=head.seq).exists()

    keys.private_path(bureau).write_bytes(saved)  # back where the key is
    with django_capture_on_commit_callbacks(execute=True):
        assert services.evidence_checkpoint(bureau=bureau).seq == head.seq
    assert selectors.evidence_verify().ok
