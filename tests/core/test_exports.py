"""Exported cells are never formulas: CSV injection (=, +, -, @) is neutralised, workbooks keep text as text."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from wangjian.core.exports import csv_writer, safe_cell, xlsx_append


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x","点我")', "+86 13800000000", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_text_that_would_start_a_formula_is_exported_as_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["旌德县某某商行", "13800000000", 12, None, "a=b"])
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_the_csv_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    csv_writer(out).writerows([["店铺", "=cmd|' /C calc'!A0"], ["@x", "正常"]])
    assert out.getvalue().splitlines() == ["店铺,'=cmd|' /C calc'!A0", "'@x,正常"]


def test_a_workbook_keeps_a_formula_like_text_as_text():
    wb = Workbook()
    xlsx_append(wb.active, ["=1+1", "本品", 3])
    buf = io.BytesIO()
    wb.save(buf)
    cell = load_workbook(io.BytesIO(buf.getvalue())).active["A1"]
    assert cell.data_type == "s" and cell.value == "=1+1"
