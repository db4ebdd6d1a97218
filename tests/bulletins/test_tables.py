"""The Excel statistics tables, read back with openpyxl: Chinese headers intact, the frozen figures."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from wangjian.bulletins.services import tables


def test_the_campaign_table_has_the_default_columns_and_the_months_figures(draft):
    wb = load_workbook(io.BytesIO(tables.workbook_bytes(draft, "campaign")))
    ws = wb.active
    assert ws.title == "统计表" and ws["A1"].value == "2025年11月网络市场监管专项行动情况统计表"
    headers = [c.value for c in ws[3]]
    assert headers == ["单位", *(h for h, _k, _d in tables.CAMPAIGN_COLUMNS)]
    assert "为消费者挽回经济损失（万元）" in headers and "约谈平台和经营者（次）" in headers
    entered = [h for h in headers if h.endswith("（填报）")]
    assert entered == ["下架商品或服务（条）（填报）"]  # no record of takedowns yet: the unit fills it
    row = {h: c.value for h, c in zip(headers, ws[4], strict=True)}
    values = draft.figures["campaign"][0]["values"]
    assert row["单位"] == "旌德县市场监督管理局（本级）"
    assert row["交办线索（件）"] == int(values["clues_received"]) == 2
    assert row["受理投诉举报（件）"] == 2
    assert Decimal(str(row["为消费者挽回经济损失（万元）"])) == Decimal("0.048")
    assert row["下架商品或服务（条）（填报）"] is None  # the unit fills it: not a 0 the system never counted
    # 罚没款 adds the fines and the confiscations; 责令整改 and 约谈 are counted now, 0 when there were none
    fines = (Decimal(values["cases_fines"]) + Decimal(values["cases_confiscations"])) / 10000
    assert Decimal(str(row["罚没款（万元）"])) == fines.quantize(Decimal("0.0001"))
    assert row["责令整改（件）"] == int(values["rectifications"]) == 0
    assert row["约谈平台和经营者（次）"] == int(values["clues_guidance"]) == 0
    assert ws["A5"].value.startswith("注：")


def test_a_table_frozen_before_confiscations_were_counted_says_what_its_bulletin_said(draft):
    """A 通报 frozen with the fines alone shows them as 罚没款, and leaves the columns it never counted blank."""
    line = draft.figures["campaign"][0]
    for key in ("cases_confiscations", "rectifications", "clues_guidance"):
        line["values"].pop(key)
    line["values"]["cases_fines"] = "20000"
    ws = load_workbook(io.BytesIO(tables.workbook_bytes(draft, "campaign"))).active
    row = {c.value: v.value for c, v in zip(ws[3], ws[4], strict=True)}
    assert Decimal(str(row["罚没款（万元）"])) == Decimal("2")
    assert row["责令整改（件）"] is None and row["约谈平台和经营者（次）"] is None


def test_the_annex_table_has_each_figure_this_month_last_month_and_a_year_before(draft):
    wb = load_workbook(io.BytesIO(tables.workbook_bytes(draft, "annex")))
    ws = wb.active
    assert [c.value for c in ws[3]] == tables.ANNEX_HEADERS
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=4)}
    for figure in draft.figures["rows"]:
        label, unit, now, before, _diff, _pct, last_year, basis = rows[figure["label"]]
        assert unit == figure["unit"] and basis == figure["basis"]
        assert Decimal(str(now)) == Decimal(figure["now"]) and Decimal(str(before)) == Decimal(
            figure["before"]
        )
        assert Decimal(str(last_year)) == Decimal(figure["last_year"])
    assert rows["受理线索"][2] == 2
