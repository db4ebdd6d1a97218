"""Drafting, editing and issuing the case's documents; the text rules are ``cases.documents``.

A draft is generated from the case and may be edited by the case's officers; issuing numbers it
inside the transaction that marks it issued (so a failure returns the number), fixes its evidence list
(each capture's files with their SHA-256), prints it to PDF with Chromium and keeps the PDF in the
evidence store by its hash. An issued document never changes; a correction is a new document.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from wangjian.cases import documents
from wangjian.cases.choices import Action
from wangjian.cases.models import Case, CaseDocument
from wangjian.cases.services.evidence import HANDLERS, case_evidence
from wangjian.cases.services.transitions import case_parties, record
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.evidence import engine
from wangjian.evidence.store import get_store
from wangjian.org.models import User
from wangjian.platform.numbering.services import number_attach, number_issue


def _may_write(user: User, case: Case) -> None:
    if not ((HANDLERS | {"bureau_head"}) & case_parties(user=user, case=case)):
        raise PermissionDeniedError(
            "只有办案人员、办案机构和负责人可以制作案件文书",
            "Only the case's officers, unit and head write its documents",
        )


def evidence_list(case: Case) -> list[dict]:
    """The evidence the document relies on: every capture of the case with its files and their hashes."""
    out = []
    for capture in case_evidence(case):
        out.append(
            {
                "id": capture.pk,
                "what": capture.title or capture.url,
                "how": capture.get_mode_display(),
                "at": f"{timezone.localtime(capture.started_at):%Y-%m-%d %H:%M}",
                "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in capture.files.all()],
            }
        )
    return out


def document_draft(*, case: Case, user: User, kind: str, now: dt.datetime | None = None) -> CaseDocument:
    now = now or timezone.now()
    _may_write(user, case)
    doc_kind = documents.get(kind)
    if doc_kind not in documents.available(case):
        raise ValidationFailed(
            f"案件处于“{case.get_state_display()}”，不能制作{doc_kind.label}",
            f"A case in state '{case.state}' has no {kind} yet",
        )
    with transaction.atomic():
        doc = CaseDocument.objects.create(
            case=case,
            kind=kind,
            title=doc_kind.label,
            body=doc_kind.body(case),
            drafted_by=user,
            drafted_at=now,
        )
        record(case, Action.DOCUMENT, user, from_state=case.state, comment=f"拟制{doc.title}", now=now)
    return doc


def document_edit(*, doc: CaseDocument, user: User, body: str) -> CaseDocument:
    _may_write(user, doc.case)
    if doc.issued:
        raise ValidationFailed(
            f"{doc.title} {doc.number} 已签发，不能修改；如需更正请重新制作",
            "An issued document never changes",
        )
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("文书正文不能为空", "The document needs its text")
    doc.body = body
    doc.save(update_fields=["body"])
    return doc


def document_html(doc: CaseDocument) -> str:
    """The printable page: the issuing authority, title, number, body, evidence list, seal and date."""
    return render_to_string(
        "cases/document.html",
        {
            "doc": doc,
            "case": doc.case,
            "paragraphs": [p for p in doc.body.splitlines() if p.strip()],
            "evidence": doc.evidence if doc.issued else evidence_list(doc.case),
            "date": doc.issued_on or timezone.localdate(),
        },
    )


def document_issue(*, doc: CaseDocument, user: User, now: dt.datetime | None = None) -> CaseDocument:
    """Number, fix the evidence list, print and keep: the document as served."""
    now = now or timezone.now()
    case = doc.case
    _may_write(user, case)
    if doc.issued:
        raise ValidationFailed(f"{doc.title} 已签发", "The document is issued already")
    kind = documents.get(doc.kind)
    with transaction.atomic():
        issued = None
        if kind.number_kind == "decision":
            doc.number = case.decision_number
        elif kind.number_kind:
            issued = number_issue(bureau=case.bureau, kind=kind.number_kind, user=user, now=now)
            doc.number = issued.number
        else:
            doc.number = case.number
        doc.issued, doc.issued_on, doc.issued_by = True, timezone.localtime(now).date(), user
        doc.evidence = evidence_list(case)
        pdf = engine.render_pdf(document_html(doc))
        doc.pdf_sha256, doc.pdf_size = get_store().put(pdf), len(pdf)
        doc.save()
        if issued is not None:
            number_attach(issued=issued, subject=case)
        record(
            case,
            Action.DOCUMENT,
            user,
            from_state=case.state,
            comment=f"签发{doc.title} {doc.number}",
            now=now,
        )
    return doc


def document_pdf(doc: CaseDocument) -> bytes:
    """The issued PDF as kept (checked against its hash), or a draft printed now."""
    if doc.issued:
        data = get_store().get(doc.pdf_sha256)
        import hashlib

        if hashlib.sha256(data).hexdigest() != doc.pdf_sha256:
            raise ValidationFailed("文书PDF与登记的哈希不符", "The PDF differs from its recorded hash")
        return data
    return engine.render_pdf(document_html(doc))
