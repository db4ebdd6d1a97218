"""The case's documents: generated from the case, edited as a draft, issued numbered and printed, never changed after."""

from __future__ import annotations

import hashlib
import os

import pytest

from tests.conftest import chromium_path
from wangjian.cases import documents
from wangjian.cases.services import documents as document_services
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.evidence.store import get_store


@pytest.fixture
def chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


def test_the_documents_offered_follow_the_procedure(filed, act, officer, legal):
    case = filed()
    assert [k.key for k in documents.available(case)] == ["filing_approval"]
    act(case, officer, "end_investigation", "2025-11-20", report="事实清楚，建议罚款")
    act(case, officer, "submit_review", "2025-11-20")
    act(case, legal, "reviewed", "2025-11-21", opinion="同意")
    offered = [k.key for k in documents.available(case)]
    assert offered == ["filing_approval", "investigation_report", "penalty_notice", "hearing_notice"]
    with pytest.raises(ValidationFailed):
        document_services.document_draft(case=case, user=officer, kind="penalty_decision")


def test_a_draft_is_generated_from_the_case_and_edited_until_issued(filed, officer, demo, chromium):
    case = filed()
    doc = document_services.document_draft(case=case, user=officer, kind="filing_approval")
    assert case.party_name in doc.body and "第二十条" in doc.body and "钱科员" in doc.body
    document_services.document_edit(doc=doc, user=officer, body=doc.body + "\n办案机构意见：同意立案。")
    with pytest.raises(PermissionDeniedError):  # another department's officer
        document_services.document_edit(doc=doc, user=demo.users["price_officer"], body="改")
    document_services.document_issue(doc=doc, user=officer)
    doc.refresh_from_db()
    assert doc.issued and doc.number == case.number  # an approval form carries the case's number
    pdf = get_store().get(doc.pdf_sha256)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    assert document_services.document_pdf(doc) == pdf
    with pytest.raises(ValidationFailed):
        document_services.document_edit(doc=doc, user=officer, body="改写")
    with pytest.raises(ValidationFailed):
        document_services.document_issue(doc=doc, user=officer)


def test_a_notice_is_numbered_from_its_own_sequence_when_issued(filed, act, officer, legal, chromium):
    case = filed()
    act(case, officer, "end_investigation", "2025-11-20", report="事实清楚")
    act(case, officer, "submit_review", "2025-11-20")
    act(case, legal, "reviewed", "2025-11-21", opinion="同意")
    first = document_services.document_draft(case=case, user=officer, kind="penalty_notice")
    second = document_services.document_draft(case=case, user=officer, kind="penalty_notice")
    assert "五个工作日内" in first.body and not first.number
    document_services.document_issue(doc=second, user=officer)
    document_services.document_issue(doc=first, user=officer)
    # numbered in the order issued, not drafted: the register has no gaps
    assert "罚告〔" in second.number and second.number.endswith("〕1号")
    assert "罚告〔" in first.number and first.number.endswith("〕2号")


def test_an_issued_pdf_changed_in_the_store_is_refused(filed, officer, chromium):
    case = filed()
    doc = document_services.document_draft(case=case, user=officer, kind="filing_approval")
    document_services.document_issue(doc=doc, user=officer)
    path = get_store().path(doc.pdf_sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ValidationFailed):
        document_services.document_pdf(doc)


def test_the_document_page_shows_the_draft_and_saves_an_edit(filed, officer, login):
    case = filed()
    client = login(officer)
    response = client.post(f"/cases/cases/{case.pk}/documents/add/", {"kind": "filing_approval"})
    doc = case.documents.get()
    assert response["Location"] == f"/cases/cases/{case.pk}/documents/{doc.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "立案审批表" in page and 'id="doc-preview"' in page and case.party_name in page
    client.post(response["Location"], {"body": "办案机构意见：同意立案。", "save": "1"})
    doc.refresh_from_db()
    assert doc.body == "办案机构意见：同意立案。" and not doc.issued


def test_the_office_sets_the_lower_fine_and_an_officer_cannot(demo, login):
    from wangjian.cases.models import CaseSettings

    assert login(demo.users["office"]).get("/cases/settings/").status_code == 200
    login(demo.users["office"]).post(
        "/cases/settings/",
        {"low_fine_person": "5000", "low_fine_organisation": "50000", "basis": "皖市监规〔2021〕1号"},
    )
    assert CaseSettings.objects.get(bureau=demo.county).low_fine_organisation == 50000
    login(demo.users["ad_officer"]).post(
        "/cases/settings/", {"low_fine_person": "1", "low_fine_organisation": "1", "basis": ""}
    )
    assert CaseSettings.objects.get(bureau=demo.county).low_fine_person == 5000
