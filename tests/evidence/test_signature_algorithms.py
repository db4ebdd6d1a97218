"""Each signed checkpoint names its algorithm and is verified by it: room for SM2/SM3 beside Ed25519.

No existing signature changes: the signed bytes are those of before, the name is kept beside them,
and a record that names none (anchored before the name was kept) is Ed25519.
"""

from __future__ import annotations

import json

import pytest

from wangjian.evidence import anchors, keys, selectors, services
from wangjian.evidence.models import LedgerCheckpoint
from wangjian.evidence.store import get_records


def capture_and_sign(bureau, site, callbacks):
    with callbacks(execute=True):
        services.evidence_capture(
            url=site.url("/shop.html"),
            operators=["张三", "李四"],
            purpose="价格检查",
            bureau=bureau,
            mode="http",
        )
        return services.evidence_checkpoint(bureau=bureau)


def anchored_head(bureau, number: int) -> dict:
    return json.loads(get_records().read(anchors.record_name(bureau.code, number)))


def test_a_checkpoint_names_the_algorithm_that_signed_it(bureau, site, django_capture_on_commit_callbacks):
    cp = capture_and_sign(bureau, site, django_capture_on_commit_callbacks)
    assert cp.algorithm == keys.LEDGER_ALGORITHM == "ed25519"
    assert anchored_head(bureau, cp.number)["algorithm"] == "ed25519"
    assert selectors.evidence_verify().ok


def test_a_head_anchored_before_the_name_was_kept_verifies_as_ed25519(
    bureau, site, django_capture_on_commit_callbacks
):
    cp = capture_and_sign(bureau, site, django_capture_on_commit_callbacks)
    doc = anchored_head(bureau, cp.number)
    del doc["algorithm"]
    public = keys.load_public(bureau.evidence_key.public_key_pem)
    assert anchors._valid(doc, bureau_code=bureau.code, public=public) is None


def test_a_checkpoint_naming_an_algorithm_this_installation_lacks_does_not_verify(
    bureau, site, django_capture_on_commit_callbacks
):
    cp = capture_and_sign(bureau, site, django_capture_on_commit_callbacks)
    LedgerCheckpoint.objects.filter(pk=cp.pk).update(algorithm="sm2-sm3")
    problems = [str(p) for p in selectors.evidence_verify().problems]
    assert any("签名无效" in p for p in problems), problems
    with pytest.raises(Exception, match="sm2-sm3"):
        keys.algorithm("sm2-sm3")


def test_a_second_algorithm_signs_new_checkpoints_while_the_old_ones_keep_verifying(
    bureau, site, django_capture_on_commit_callbacks, monkeypatch
):
    old = capture_and_sign(bureau, site, django_capture_on_commit_callbacks)
    ed25519 = keys.ALGORITHMS["ed25519"]
    # A stand-in for SM2/SM3: its own name, its own signature format (here Ed25519 under a prefix).
    second = keys.SignatureAlgorithm(
        "test-second",
        "a second algorithm",
        ed25519.load_public,
        lambda private, message: "2:" + ed25519.sign(private, message),
        lambda public, message, sig: sig.startswith("2:") and ed25519.verify(public, message, sig[2:]),
    )
    monkeypatch.setitem(keys.ALGORITHMS, "test-second", second)
    monkeypatch.setattr(keys, "LEDGER_ALGORITHM", "test-second")
    new = capture_and_sign(bureau, site, django_capture_on_commit_callbacks)
    assert (old.algorithm, new.algorithm) == ("ed25519", "test-second")
    assert new.signature.startswith("2:") and not old.signature.startswith("2:")
    assert anchored_head(bureau, new.number)["algorithm"] == "test-second"
    report = selectors.evidence_verify()
    assert report.ok, [str(p) for p in report.problems]
    assert report.checkpoints == 2
