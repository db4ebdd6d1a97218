"""A case's documents through the API: the page's rules, the page's words, the case's visibility.

``/api/cases/cases/{id}/documents/`` lists and drafts, ``…/{doc_id}/`` reads and edits a draft's text,
``…/{doc_id}/issue/`` issues it and ``…/{doc_id}/pdf/`` answers the PDF. Whoever does not see the case gets
404 for every one of them; who may write is the documents service's rule, as on the page.
"""

from __future__ import annotations

import hashlib
import html
import os

import pytest

from tests.conftest import chromium_path
from tests.platform.documented import assert_documented
from wangjian.cases.models import CaseDocument


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def chromium():
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI")
        pytest.skip("Debian's chromium is not installed")


def url(case, doc=None, tail: str = "") -> str:
    base = f"/api/cases/cases/{case.pk}/documents/"
    return base + (f"{doc.pk if hasattr(doc, 'pk') else doc}/" if doc is not None else "") + tail


def test_a_document_is_drafted_from_the_case_listed_and_its_draft_edited(filed, officer, api):
    case = filed()
    client = api(officer)
    assert client.get(url(case)).json() == []
    r = client.post(url(case), {"kind": "filing_approval"}, format="json")
    assert r.status_code == 201, r.content
    doc = r.json()
    assert doc["title"] == "立案审批表" and not doc["issued"] and doc["number"] == ""
    assert case.party_name in doc["body"] and "第二十条" in doc["body"]
    assert [d["id"] for d in client.get(url(case)).json()] == [doc["id"]]
    r = client.patch(url(case, doc["id"]), {"body": "办案机构意见：同意立案。"}, format="json")
    assert r.status_code == 200 and r.json()["body"] == "办案机构意见：同意立案。"
    assert client.get(url(case, doc["id"])).json()["body"] == "办案机构意见：同意立案。"
    assert case.events.filter(action="document").count() == 1


def test_an_empty_text_and_a_document_the_state_does_not_allow_are_refused_as_on_the_page(
    filed, officer, api
):
    case = filed()
    client = api(officer)
    doc = client.post(url(case), {"kind": "filing_approval"}, format="json").json()
    r = client.patch(url(case, doc["id"]), {"body": "  "}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == "文书正文不能为空"
    r = client.post(url(case), {"kind": "penalty_decision"}, format="json")
    assert r.status_code == 400
    assert r.json()["error"]["zh"] == "案件处于“调查取证”，不能制作行政处罚决定书"
    assert client.post(url(case), {"kind": "no_such_document"}, format="json").status_code == 400


def test_the_auditor_reads_the_documents_but_drafts_none(demo, filed, officer, api):
    case = filed()
    api(officer).post(url(case), {"kind": "filing_approval"}, format="json")
    auditor = api(demo.users["auditor"])
    assert len(auditor.get(url(case)).json()) == 1
    r = auditor.post(url(case), {"kind": "filing_approval"}, format="json")
    assert r.status_code == 403
    assert r.json()["error"]["zh"] == "只有办案人员、办案机构和负责人可以制作案件文书"


@pytest.mark.parametrize("who", ["jixi_officer", "price_officer"])
def test_whoever_does_not_see_the_case_gets_404_for_each_of_its_documents(demo, filed, officer, api, who):
    case = filed()
    doc = api(officer).post(url(case), {"kind": "filing_approval"}, format="json").json()
    client = api(demo.users[who])
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), {"kind": "filing_approval"}, format="json").status_code == 404
    assert client.get(url(case, doc["id"])).status_code == 404
    assert client.patch(url(case, doc["id"]), {"body": "改"}, format="json").status_code == 404
    assert client.post(url(case, doc["id"], "issue/")).status_code == 404
    assert client.get(url(case, doc["id"], "pdf/")).status_code == 404
    assert CaseDocument.objects.get(pk=doc["id"]).body != "改"


def test_a_document_of_another_case_is_not_found_under_this_one(filed, officer, api):
    one, other = filed(), filed()
    doc = api(officer).post(url(one), {"kind": "filing_approval"}, format="json").json()
    assert api(officer).get(url(other, doc["id"])).status_code == 404


def test_an_issued_document_is_numbered_printed_and_never_edited_in_the_pages_words(
    filed, officer, api, login, chromium
):
    case = filed()
    client = api(officer)
    doc = client.post(url(case), {"kind": "filing_approval"}, format="json").json()
    r = client.post(url(case, doc["id"], "issue/"))
    assert r.status_code == 200, r.content
    issued = r.json()
    assert issued["issued"] and issued["number"] == case.number and issued["issued_by_name"] == "钱科员"
    assert len(issued["pdf_sha256"]) == 64 and issued["evidence"] == []

    refusal = f"立案审批表 {case.number} 已签发，不能修改；如需更正请重新制作"
    r = client.patch(url(case, doc["id"]), {"body": "改写"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == refusal
    assert_documented(login(officer), r, "patch", "/api/cases/cases/{case_pk}/documents/{doc_id}/")
    page = login(officer).post(
        f"/cases/cases/{case.pk}/documents/{doc['id']}/", {"body": "改写", "save": "1"}, follow=True
    )
    assert refusal in html.unescape(page.content.decode())
    r = client.post(url(case, doc["id"], "issue/"))
    assert r.status_code == 400 and r.json()["error"]["zh"] == "立案审批表 已签发"

    pdf = client.get(url(case, doc["id"], "pdf/"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and hashlib.sha256(pdf.content).hexdigest() == issued["pdf_sha256"]
    assert_documented(login(officer), pdf, "get", "/api/cases/cases/{case_pk}/documents/{doc_id}/pdf/")
