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
    assert "为消费者挽回经济损失（万元）" in headers and "约谈平台和经营者（次）（填报）" in headers
    row = {h: c.value for h, c in zip(headers, ws[4], strict=True)}
    values = draft.figures["campaign"][0]["values"]
    assert row["单位"] == "旌德县市场监督管理局（本级）"
    assert row["交办线索（件）"] == int(values["clues_received"]) == 2
    assert row["受理投诉举报（件）"] == 2
    assert Decimal(str(row["为消费者挽回经济损失（万元）"])) == Decimal("0.048")
    assert row["下架商品或服务（条）（填报）"] is None  # the unit fills it: not a 0 the system never counted
    assert ws["A5"].value.startswith("注：")


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
