"""The monthly 通报 (网络市场监管工作通报): the month's figures from the statistics registry in a GB/T 9704 document
(Word read back with python-docx, the HTML the PDF is printed from), numbered once when issued, frozen after,
sent as a notice whose recipients' reads are recorded. The story is in ``conftest``."""

from __future__ import annotations

import hashlib
import io
import os
import re

import pytest
from docx import Document

from tests.bulletins.conftest import DRAFTED, HIGHLIGHTS, ISSUED, NOVEMBER
from tests.clues.conftest import at
from wangjian.bulletins.models import Bulletin
from wangjian.bulletins.services import bulletins, document
from wangjian.bulletins.services.periods import as_text
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.evidence.store import get_store
from wangjian.org.models import Notice
from wangjian.platform import statistics
from wangjian.platform.inbox.models import Message
from wangjian.platform.numbering.models import IssuedNumber


def _registry(bureau, start, end):
    scope = statistics.Scope(bureau_ids=frozenset(bureau.descendant_ids()))
    reading = statistics.values(
        scope, start, end, keys=[k for k in bulletins.FIGURES if k in statistics.keys()]
    )
    return {v.figure.key: as_text(v.value) for v in reading.values}


def _annex(docx: bytes) -> dict[str, list[str]]:
    """The 附件 table of the Word file read back: label → [unit, now, before, diff, pct, last year]."""
    doc = Document(io.BytesIO(docx))
    table = doc.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["统计指标", "单位", "本月", "上月", "增减", "增减幅度（%）", "上年同月"]
    return {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}


def test_the_draft_freezes_the_months_figures_as_the_registry_counts_them(demo, draft):
    november = _registry(demo.county, NOVEMBER, NOVEMBER.replace(day=30))
    october = _registry(demo.county, NOVEMBER.replace(month=10), NOVEMBER.replace(month=10, day=31))
    assert bulletins.figure_values(draft) == november
    assert november["clues_received"] == "2" and october["clues_received"] == "1"
    assert november["complaints_received"] == "2" and november["complaints_recovered"] == "480.00"
    rows = {r["key"]: r for r in draft.figures["rows"]}
    assert rows["clues_received"]["before"] == "1" and rows["clues_received"]["change"] == {
        "diff": "1",
        "pct": "100.0",
    }
    assert rows["clues_received"]["basis"] == statistics.get("clues_received").basis_zh
    assert (
        draft.title == "关于2025年11月网络市场监管工作情况的通报"
        and draft.addressee == "各股室、各市场监管所"
    )
    assert draft.figures["month"] == {"start": "2025-11-01", "end": "2025-11-30", "label": "2025年11月"}
    # the campaign table's row of the county (no bureaus below it: no 合计)
    assert [r["unit"] for r in draft.figures["campaign"]] == ["旌德县市场监督管理局（本级）"]
    assert draft.figures["campaign"][0]["values"]["clues_received"] == "2"


def test_the_word_file_carries_the_months_figures_in_the_gbt9704_layout(demo, office, draft):
    case = demo.county.cases.get(typical=True)
    bulletins.bulletin_edit(bulletin=draft, user=office, typical_cases=[case.pk], copy_to="县政府办公室")
    docx = document.docx_bytes(draft)
    november = _registry(demo.county, NOVEMBER, NOVEMBER.replace(day=30))
    annex = _annex(docx)
    for row in draft.figures["rows"]:
        assert annex[row["label"]][1] == november[row["key"]], row["key"]
        assert annex[row["label"]][2] == row["before"]
    doc = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "旌德县市场监督管理局文件" in text and "（文号：印发时编号）" in text and "（草稿，未印发）" in text
    )
    assert "受理线索2件，较上月增加1件（增长100.0%）" in text
    assert "为消费者挽回经济损失480.00元" in text
    assert "三、典型案例" in text and "某茶叶网店虚假宣传案" in text and "旌市监处罚〔2025〕12号" in text
    assert "附件：2025年11月网络市场监管工作统计表" in text and "抄送：县政府办公室。" in text
    for line in HIGHLIGHTS.splitlines():
        assert line in text
    # A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm
    section = doc.sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731 (Word keeps twips: 210 mm is 210.0 within 0.05)
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37.0, 28.0)
    assert mm(section.page_width) - mm(section.left_margin) - mm(section.right_margin) == 156.0
    assert mm(section.page_height) - mm(section.top_margin) - mm(section.bottom_margin) == 225.0
    # the fonts of the standard by level: 一、 黑体, （一） 楷体 then 仿宋, the title 小标宋, the mark red
    runs = {r.text: r for p in doc.paragraphs for r in p.runs}
    east = lambda run: run._element.rPr.rFonts.get(  # noqa: E731
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east(runs["一、基本情况"]) == "黑体"
    assert east(runs["（一）开展双十一专项监测。"]) == "楷体_GB2312"
    assert east(runs["组织各股室集中检查网店促销页面。"]) == "仿宋_GB2312"
    assert east(runs[draft.title]) == "方正小标宋简体" and runs[draft.title].font.size.pt == 22
    assert str(runs["旌德县市场监督管理局文件"].font.color.rgb) == "E60012"


def test_the_html_the_pdf_is_printed_from_carries_the_figures(demo, draft):
    html = document.html(draft)
    assert "<script" not in html and "size: A4; margin: 37mm 26mm 35mm 28mm" in html
    assert "Noto Serif CJK SC" in html and "仿宋_GB2312" in html
    table = html[html.index('id="annex-table"') :]
    for row in draft.figures["rows"]:
        assert re.search(
            rf"<td>{re.escape(row['label'])}</td><td>{row['unit']}</td><td>{row['now']}</td>", table
        )


def test_issuing_numbers_it_once_keeps_its_files_by_hash_and_sends_it_as_a_notice(demo, office, issued):
    assert (
        issued.issued
        and issued.number == "旌市监网〔2025〕1号"
        and issued.signed_on.isoformat() == "2025-12-05"
    )
    assert IssuedNumber.objects.filter(kind="bulletin", number=issued.number).count() == 1
    store = get_store()
    pdf, docx = store.get(issued.pdf_sha256), store.get(issued.docx_sha256)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == issued.pdf_sha256
    assert issued.pdf_size == len(pdf) and issued.docx_size == len(docx)
    assert bulletins.bulletin_file(bulletin=issued, kind="pdf") == pdf
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "旌市监网〔2025〕1号" in text and "2025年12月5日" in text and "2025年12月5日印发" in text
    # the notice: the same number (no notice number of its own), both files, the county's units as recipients
    notice = issued.notice
    assert notice.kind == Notice.Kind.BULLETIN and notice.number == issued.number
    assert notice.published_at == ISSUED
    assert sorted(a.name.rsplit(".", 1)[1] for a in notice.attachments.all()) == ["docx", "pdf"]
    recipients = set(Message.objects.about(notice).values_list("user__username", flat=True))
    assert {"station_officer", "leader", "ad_head", "auditor"} <= recipients
    assert "jixi_officer" not in recipients
    assert not IssuedNumber.objects.filter(kind="notice").exists()


def test_an_issued_bulletin_is_frozen_and_a_correction_is_a_new_one(demo, office, issued):
    for change in (
        lambda: bulletins.bulletin_edit(bulletin=issued, user=office, highlights="改写"),
        lambda: bulletins.bulletin_recount(bulletin=issued, user=office, now=ISSUED),
        lambda: bulletins.bulletin_issue(bulletin=issued, user=office, now=ISSUED),
    ):
        with pytest.raises(ValidationFailed, match="已印发，不再修改"):
            change()
    issued.refresh_from_db()
    assert issued.highlights == HIGHLIGHTS and issued.number == "旌市监网〔2025〕1号"
    assert IssuedNumber.objects.filter(kind="bulletin").count() == 1
    again = bulletins.bulletin_draft(
        user=office, bureau=demo.county, month=NOVEMBER, highlights="更正", now=ISSUED
    )
    assert again.pk != issued.pk and not again.number
    bulletins.bulletin_issue(bulletin=again, user=office, now=at("2025-12-08"))
    assert again.number == "旌市监网〔2025〕2号"


def test_a_recipient_opening_it_records_the_read(demo, issued, login, api):
    notice = issued.notice
    station_officer, leader = demo.users["station_officer"], demo.users["leader"]
    assert not Message.objects.about(notice).filter(read_at__isnull=False).exists()
    page = login(station_officer).get(f"/bulletins/{issued.pk}/")
    assert page.status_code == 200 and issued.number in page.content.decode()
    mine = Message.objects.about(notice).get(user=station_officer)
    assert mine.read_at is not None
    answer = api(leader).get(f"/api/bulletins/{issued.pk}/download/", {"kind": "docx"})
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    assert Message.objects.about(notice).get(user=leader).read_at is not None
    assert Message.objects.about(notice).get(user=demo.users["ad_head"]).read_at is None
    # the office sees who read it
    receipts = login(demo.users["office"]).get(f"/bulletins/{issued.pk}/").content.decode()
    assert 'id="bulletin-receipts"' in receipts and "未读" in receipts


def test_a_month_not_yet_ended_and_a_second_draft_are_refused(demo, office, draft):
    with pytest.raises(ValidationFailed, match="期满后方可起草通报"):
        bulletins.bulletin_draft(
            user=office, bureau=demo.county, month=NOVEMBER.replace(month=12), now=DRAFTED
        )
    with pytest.raises(ValidationFailed, match="已有草稿"):
        bulletins.bulletin_draft(user=office, bureau=demo.county, month=NOVEMBER, now=DRAFTED)
    with pytest.raises(ValidationFailed, match="请先填写本月工作亮点"):
        blank = bulletins.bulletin_draft(
            user=office, bureau=demo.county, month=NOVEMBER.replace(month=10), now=DRAFTED
        )
        bulletins.bulletin_issue(bulletin=blank, user=office, now=ISSUED)
    with pytest.raises(ValidationFailed, match="典型案例只能从"):
        bulletins.bulletin_edit(bulletin=draft, user=office, typical_cases=[999999])


def test_only_the_office_of_the_bureau_writes_it(demo, draft):
    for key in ("leader", "ad_head", "auditor"):
        with pytest.raises(PermissionDeniedError) as refused:
            bulletins.bulletin_edit(bulletin=draft, user=demo.users[key], highlights="改")
        assert "bulletins.issue" in refused.value.zh
    assert bulletins.bulletin_get(user=demo.users["station_officer"], pk=draft.pk) == draft
    assert not bulletins.may_write(demo.users["city_office"], demo.county)


def test_a_kept_file_that_was_changed_is_refused_on_the_page_and_through_the_api(office, issued, login, api):
    path = get_store().path(issued.pdf_sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ValidationFailed) as refused:
        bulletins.bulletin_file(bulletin=issued, kind="pdf")
    assert "SHA-256不符" in refused.value.zh
    page = login(office).get(f"/bulletins/{issued.pk}/pdf/", follow=True)
    assert page.redirect_chain and refused.value.zh in page.content.decode()
    answer = api(office).get(f"/api/bulletins/{issued.pk}/download/", {"kind": "pdf"})
    assert answer.status_code == 400 and answer.json()["error"]["zh"] == refused.value.zh
    assert Bulletin.objects.get(pk=issued.pk).pdf_sha256 == issued.pdf_sha256
