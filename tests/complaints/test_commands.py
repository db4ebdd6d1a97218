"""``wangjian complaints import`` and ``wangjian complaints list --json``: the 12315 export from the command line,
and one JSON object per record for whoever reads the list in a script (the person's name masked)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from tests.clues.conftest import at
from tests.complaints.test_import import GOOD_AND_BAD, HEADERS, row, xlsx
from wangjian.complaints.models import Complaint, ComplaintImport


@pytest.fixture
def export(tmp_path, demo, clock):
    clock(at("2025-10-20"))
    path = tmp_path / "12315导出.xlsx"
    path.write_bytes(xlsx(GOOD_AND_BAD))
    return path


def complaints(*args) -> str:
    out = io.StringIO()
    call_command("complaints", *args, stdout=out)
    return out.getvalue()


def listed(*args) -> list[dict]:
    return [json.loads(line) for line in complaints("list", "--json", *args).splitlines()]


def test_import_prints_the_counts_and_succeeds_with_rejected_rows(demo, export):
    out = complaints("import", str(export), "--bureau", "341825", "--user", "office")

    assert "新增 2" in out and "拒收 5" in out and "rejected 5" in out
    assert "第4行 登记编号：12315编号为空" in out
    batch = ComplaintImport.objects.get()
    assert batch.user == demo.users["office"] and batch.file_name == "12315导出.xlsx"


def test_import_of_a_refused_file_exits_non_zero(demo, export, tmp_path, capsys):
    bad = tmp_path / "no-number.xlsx"
    bad.write_bytes(xlsx([row("1")], headers=["序号", *HEADERS[1:]]))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("complaints", "import", str(bad), "--bureau", "341825", stderr=err)

    assert exited.value.code == 2
    assert "12315编号列" in err.getvalue()
    assert not ComplaintImport.objects.exists()


def test_import_as_the_auditor_is_refused(demo, export):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "complaints", "import", str(export), "--bureau", "341825", "--user", "auditor", stderr=err
        )

    assert exited.value.code == 2 and "complaints.import.run" in err.getvalue()


def test_list_json_prints_one_object_per_record_with_its_clock_and_unit(demo, export):
    complaints("import", str(export), "--bureau", "341825")
    rows = {r["source_number"]: r for r in listed("--bureau", "341825")}

    complaint, report = rows["1234100000001"], rows["1234100000002"]
    assert complaint["number"] == Complaint.objects.get(source_number="1234100000001").number
    assert {k: complaint[k] for k in ("kind", "received_on", "accept_due", "state", "unit", "channel")} == {
        "kind": "complaint",
        "received_on": "2025-09-30",
        "accept_due": "2025-10-16",
        "state": "received",
        "unit": "旌阳市场监管所",
        "channel": "12315",
    }
    assert complaint["person"] == "张*"  # the name masked; no phone, no address
    assert "13912345678" not in json.dumps(complaint, ensure_ascii=False)
    assert (report["kind"], report["accept_due"], report["person"], report["anonymous"]) == (
        "report",
        None,
        None,
        True,
    )
    assert report["unit"]  # a report goes to the unit the duty list names


def test_list_open_leaves_out_the_ended_records(demo, export):
    complaints("import", str(export), "--bureau", "341825")
    Complaint.objects.filter(source_number="1234100000002").update(state="closed")

    assert [r["source_number"] for r in listed("--open")] == ["1234100000001"]
