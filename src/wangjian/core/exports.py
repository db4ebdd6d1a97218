"""Cells of CSV and Excel files the platform writes: never read as formulas by a spreadsheet.

A shop name, a complaint or an imported row can begin with ``=``, ``+``, ``-`` or ``@``; opened in
Excel or WPS such a cell is a formula (``=HYPERLINK(…)``, ``=cmd|…``) run on an officer's machine
(CSV injection). Every cell the platform exports passes ``safe_cell``: a text that would start a
formula gets a leading apostrophe, which spreadsheets show as text and do not display.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, or ``"'" + value`` when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every cell passes ``safe_cell``."""

    def __init__(self, stream: Any, **kwargs: Any):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **kwargs: Any) -> SafeWriter:
    return SafeWriter(stream, **kwargs)


def xlsx_append(sheet: Any, row: Iterable[Any]) -> None:
    """``sheet.append(row)``, with every text kept as text (openpyxl writes ``=…`` as a formula).

    In a workbook a string cell is never evaluated, so the text is kept exactly (a rule library
    exported and imported again loses nothing); only what openpyxl would store as a formula changes.
    """
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
