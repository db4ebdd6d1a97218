"""The 通报 as an official document laid out per GB/T 9704-2012 (党政机关公文格式): Word (.docx) and PDF.

Layout (the standard's numbers): A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so 26 mm right, 35 mm bottom);
22 lines of 28 characters (3号, 16 pt, lines 225/22 mm apart). 版头: the 发文机关标志 in red 小标宋, the 发文字号
centred under it, a red separator line. 主体: 标题 in 2号小标宋, 主送机关, 正文 in 3号仿宋 with the levels 一、 (黑体),
（一） (楷体), 1. and （1） (仿宋); 附件说明; 发文机关署名 and 成文日期 in Arabic numerals (2026年12月5日, as the 2012
edition writes it). 附件 on a page of its own (the statistics table). 版记 last: 抄送, 印发机关 and 印发日期 between
separator lines. Page numbers "— 1 —" in 4号, odd pages right, even pages left.

Fonts: the standard names 方正小标宋简体, 仿宋_GB2312, 黑体 and 楷体_GB2312. The Word file names exactly those (East
Asian font of each run); a reader's Word or WPS substitutes its own 仿宋/楷体/黑体/宋体 where one is missing, as both
do for these names. The PDF is printed on the server by Chromium, where only Noto CJK is installed
(fonts-noto-cjk): each family lists the GB fonts first and falls back to Noto Serif CJK SC (小标宋 and 仿宋, 楷体)
and Noto Sans CJK SC (黑体), so a server with the GB fonts installed prints with them and one without prints with
Noto — the PDF embeds what it used, CJK intact.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section, _Footer
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from wangjian.bulletins.models import Bulletin
from wangjian.bulletins.services.periods import chinese_date
from wangjian.bulletins.services.tables import ANNEX_HEADERS, annex_rows
from wangjian.evidence import engine

# the GB/T 9704 fonts, by role (the Word file names these; the PDF's CSS lists them before Noto)
XBS, FS, HT, KT, ST = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14  # 2号, 3号, 4号 in points
RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Emu(round(Mm(225) / 22))  # 22 lines in the 225 mm of the 版心

H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")
H3 = re.compile(r"^\d+[.．]")
H4 = re.compile(r"^（\d+）")


def _n(text: str | None) -> str:
    return "" if text is None else text


def _money_wan(yuan: str) -> str:
    return f"{(Decimal(yuan) / 10000).quantize(Decimal('0.01')):f}"


def _change(row: dict[str, Any] | None) -> str:
    """较上月增加12件（增长20.0%）/ 减少 / 持平."""
    if row is None:
        return ""
    diff, pct, unit = Decimal(row["change"]["diff"]), row["change"]["pct"], row["unit"]
    if not diff:
        return "，与上月持平"
    word = "增加" if diff > 0 else "减少"
    text = f"，较上月{word}{abs(diff).normalize():f}{unit}"
    if pct is not None:
        text += f"（{'增长' if diff > 0 else '下降'}{abs(Decimal(pct))}%）"
    return text


def summary(bulletin: Bulletin) -> list[str]:
    """The 基本情况 paragraphs, written from the frozen figures (the text and the 附件 never disagree)."""
    rows = {r["key"]: r for r in bulletin.figures.get("rows", [])}

    def v(key: str) -> str:
        return rows[key]["now"] if key in rows else "—"

    def c(key: str) -> str:
        return _change(rows.get(key))

    out = []
    if "monitoring_pages" in rows or "findings" in rows:
        out.append(
            f"网络监测。监测网页{v('monitoring_pages')}页{c('monitoring_pages')}；"
            f"发现疑似违法信息{v('findings')}条{c('findings')}，其中确认违法{v('findings_confirmed')}条。"
        )
    if "clues_received" in rows:
        out.append(
            f"线索处置。受理线索{v('clues_received')}件{c('clues_received')}；"
            f"按期反馈核查情况{v('clues_fed_back_on_time')}件；"
            f"截至月末逾期未反馈或未处置{v('clues_overdue')}件。"
        )
    if "cases_opened" in rows:
        out.append(
            f"案件查办。立案{v('cases_opened')}件{c('cases_opened')}；结案{v('cases_closed')}件；"
            + (
                # a 通报 frozen before confiscations were a figure states its fines alone
                f"罚没款{v('cases_fines_and_confiscations')}元"
                f"（{_money_wan(v('cases_fines_and_confiscations'))}万元，其中罚款{v('cases_fines')}元、"
                f"没收违法所得{v('cases_confiscations')}元）。"
                if "cases_fines_and_confiscations" in rows and "cases_confiscations" in rows
                else f"罚款{v('cases_fines')}元（{_money_wan(v('cases_fines')) if 'cases_fines' in rows else '—'}万元）。"
            )
        )
    if "rectifications" in rows or "clues_guidance" in rows:
        out.append(
            f"责令整改{v('rectifications')}件{c('rectifications')}；"
            f"行政指导、约谈{v('clues_guidance')}件{c('clues_guidance')}。"
        )
    if "complaints_received" in rows:
        out.append(
            f"投诉举报。收到投诉举报{v('complaints_received')}件{c('complaints_received')}；"
            f"为消费者挽回经济损失{v('complaints_recovered')}元。"
        )
    if "inspections_published" in rows:
        out.append(
            f"双随机抽查。抽中检查对象{v('inspections_drawn')}户，已检查{v('inspections_checked')}户，"
            f"公示检查结果{v('inspections_published')}户。"
        )
    return [f"（{'一二三四五六七八九十'[i]}）{text}" for i, text in enumerate(out)]


def _level(line: str) -> str:
    for name, pattern in (("h1", H1), ("h2", H2), ("h4", H4), ("h3", H3)):
        if pattern.match(line):
            return name
    return "p"


def _split_heading(line: str) -> tuple[str, str]:
    """A heading that runs into its text (（一）网络监测。监测…): the heading to its first 。, then the rest."""
    head, sep, rest = line.partition("。")
    if sep and len(head) <= 30:
        return head + sep, rest
    return line, ""


def content(bulletin: Bulletin) -> dict[str, Any]:
    """Everything both documents show, in order: 版头, 主体 paragraphs with their levels, 附件, 版记."""
    body: list[dict[str, str]] = [
        {
            "level": "p",
            "text": f"现将{bulletin.figures.get('month', {}).get('label', '')}全域网络市场监管工作情况通报如下：",
        }
    ]
    body.append({"level": "h1", "text": "一、基本情况"})
    body += [{"level": _level(p), "text": p} for p in summary(bulletin)]
    body.append({"level": "h1", "text": "二、工作开展情况"})
    body += [{"level": _level(p), "text": p} for p in bulletin.highlights.splitlines() if p.strip()]
    cases = list(bulletin.typical_cases.order_by("-decided_on", "id")) if bulletin.pk else []
    if cases:
        body.append({"level": "h1", "text": "三、典型案例"})
        for i, case in enumerate(cases, 1):
            decision = f"（{case.decision_number}）" if case.decision_number else ""
            fine = f"罚款{case.fine_amount:f}元。" if case.fine_amount else ""
            text = case.decision_summary or "案件正在办理中。"
            body.append(
                {"level": "h3", "text": f"{i}. {case.title}。{text}{fine}{decision}".replace("。。", "。")}
            )
    for item in body:
        item["head"], item["rest"] = (
            _split_heading(item["text"]) if item["level"] in ("h1", "h2") else (item["text"], "")
        )
    month = bulletin.figures.get("month", {})
    signed = chinese_date(bulletin.signed_on) if bulletin.signed_on else "（成文日期：印发时填写）"
    return {
        "bulletin": bulletin,
        "draft": not bulletin.issued,
        "authority": f"{bulletin.bureau.name}文件",
        "number": bulletin.number or "（文号：印发时编号）",
        "title": bulletin.title,
        "addressee": f"{bulletin.addressee}：",
        "body": body,
        "annex_note": f"附件：{month.get('label', '')}网络市场监管工作统计表",
        "annex_title": f"{month.get('label', '')}网络市场监管工作统计表",
        "annex_headers": ANNEX_HEADERS[:-1],
        "annex_rows": [
            [_n(None if x is None else (f"{x:f}" if isinstance(x, Decimal) else x)) for x in r[:-1]]
            for r in annex_rows(bulletin)
        ],
        "annex_scope": f"{bulletin.bureau.name}（含下级局）；上月为{bulletin.figures.get('previous', {}).get('label', '')}，"
        f"上年同月为{bulletin.figures.get('last_year', {}).get('label', '')}；各指标口径见系统统计指标说明。",
        "signature": bulletin.bureau.name,
        "signed": signed,
        "copy_to": bulletin.copy_to,
        "printer": f"{bulletin.bureau.name}办公室",
        "printed": f"{signed}印发" if bulletin.signed_on else "",
    }


def file_name(bulletin: Bulletin) -> str:
    return f"{bulletin.title}{('-' + bulletin.number) if bulletin.number else '-草稿'}"


# ---------------------------------------------------------------- Word


def _fonts(
    run: Run, east_asian: str, size: float, *, bold: bool = False, color: RGBColor | None = None
) -> None:
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _para(
    doc: WordDocument,
    text: str = "",
    *,
    font: str = FS,
    size: float = SIZE_3,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Paragraph:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进2字
    if align is not None:
        p.alignment = align
    if text:
        _fonts(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _border(paragraph: Paragraph, side: str, *, size: int, color: str) -> None:
    """A rule under or over a paragraph (the red separator, the 版记's lines); ``size`` in eighths of a point."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
        edge.set(qn(key), value)
    borders.append(edge)


def _page_number(footer: _Footer, align: WD_ALIGN_PARAGRAPH) -> None:
    """— 1 — in 4号 半角宋体 (a PAGE field between two dashes)."""
    p = footer.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(SIZE_4)  # 空一字
    else:
        fmt.left_indent = Pt(SIZE_4)
    _fonts(p.add_run("— "), ST, SIZE_4)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = p.add_run()
        _fonts(run, ST, SIZE_4)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _fonts(p.add_run(" —"), ST, SIZE_4)


def _grid(section: Section) -> None:
    """The document grid: 22 lines of 28 characters in the 版心 (as the 公文 templates of Word and WPS set it)."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))
    # 28 characters of 16 pt in 156 mm: each narrowed by (16 - 156 mm / 28) pt, in 1/4096 pt
    grid.set(qn("w:charSpace"), str(round((Mm(156).pt / 28 - SIZE_3) * 4096)))


def _heading_run(p: Paragraph, text: str, font: str) -> None:
    head, rest = _split_heading(text)
    _fonts(p.add_run(head), font, SIZE_3)
    if rest:
        _fonts(p.add_run(rest), FS, SIZE_3)


def docx_bytes(bulletin: Bulletin) -> bytes:
    c = content(bulletin)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN, Pt(SIZE_3)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FS)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(297 - 37 - 225)
    section.left_margin, section.right_margin = Mm(28), Mm(210 - 28 - 156)
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)  # 页码 7 mm below the 版心
    _grid(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    doc.core_properties.title = c["title"]
    doc.core_properties.author = c["signature"]

    if c["draft"]:
        _para(doc, "（草稿，未印发）", font=HT, size=SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    # 版头
    for _ in range(2):
        _para(doc)
    mark = _para(doc, c["authority"], font=XBS, size=36, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    mark.paragraph_format.line_spacing = Pt(48)
    _para(doc)
    _para(doc)
    number = _para(doc, c["number"], align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", size=12, color="E60012")  # the red separator, 4 mm under the number
    # 主体
    _para(doc)
    title = _para(doc, c["title"], font=XBS, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(35)
    _para(doc)
    _para(doc, c["addressee"])
    fonts = {"h1": HT, "h2": KT, "h3": FS, "h4": FS}
    for item in c["body"]:
        p = _para(doc, indent=True)
        if item["level"] == "p":
            _fonts(p.add_run(item["text"]), FS, SIZE_3)
        else:
            _heading_run(p, item["text"], fonts[item["level"]])
    _para(doc)
    note = _para(doc, c["annex_note"], indent=True)
    note.paragraph_format.left_indent = Pt(0)
    _para(doc)
    _para(doc)
    sign = _para(doc, c["signature"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(SIZE_3 * 4)
    date = _para(doc, c["signed"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(SIZE_3 * 4)  # 成文日期右空四字
    # 附件: a page of its own
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "附件", font=HT, size=SIZE_3)
    _para(doc)
    _para(doc, c["annex_title"], font=XBS, size=18, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, c["annex_scope"], size=10.5)
    table = doc.add_table(rows=1, cols=len(c["annex_headers"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, c["annex_headers"], strict=True):
        cell.text = ""
        _fonts(cell.paragraphs[0].add_run(text), HT, 10.5)
    for values in c["annex_rows"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run(str(text)), FS, 10.5)
    # 版记: 抄送, then 印发机关 and 印发日期, between rules (the first and last thicker)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    last = _para(doc)
    if c["copy_to"]:
        cc = _para(doc, f"抄送：{c['copy_to']}。".replace("。。", "。"), size=SIZE_4)
        cc.paragraph_format.left_indent = cc.paragraph_format.right_indent = Pt(SIZE_4)
        _border(cc, "top", size=8, color="000000")
        _border(cc, "bottom", size=4, color="000000")
    else:
        _border(last, "bottom", size=8, color="000000")
    printed = _para(doc, size=SIZE_4)
    printed.paragraph_format.left_indent = printed.paragraph_format.right_indent = Pt(SIZE_4)
    printed.paragraph_format.tab_stops.add_tab_stop(
        Emu(Mm(156) - Pt(SIZE_4 * 2)), alignment=WD_TAB_ALIGNMENT.RIGHT
    )  # right
    _fonts(printed.add_run(f"{c['printer']}\t{c['printed'] or '（印发日期）'}"), FS, SIZE_4)
    _border(printed, "bottom", size=8, color="000000")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def html(bulletin: Bulletin) -> str:
    """The printable document (GB/T 9704's layout as a print stylesheet; no script, nothing loaded)."""
    with translation.override("zh-hans"):
        return render_to_string("bulletins/print.html", content(bulletin))


def pdf_bytes(bulletin: Bulletin) -> bytes:
    """The document printed to A4 PDF with Chromium (the evidence engine's printer, the analysis report's)."""
    return engine.render_pdf(html(bulletin))
