"""Importing the registry: every encoding and header variant, idempotent upsert, rejected rows kept."""

import csv
import io

import pytest

from tests.registry.conftest import (
    HONGDA,
    LIHUA,
    REGISTRY_HEADER_EN,
    REGISTRY_HEADER_ZH,
    REGISTRY_ROWS,
    csv_bytes,
    xlsx_bytes,
)
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.core.models import ChangeRecord
from wangjian.registry import services
from wangjian.registry.choices import EntityKind, EntityStatus, ImportStatus
from wangjian.registry.models import MarketEntity

pytestmark = pytest.mark.django_db

VARIANTS = [
    ("utf8.csv", lambda h, r: csv_bytes(h, r, "utf-8"), "utf-8"),
    ("bom.csv", lambda h, r: csv_bytes(h, r, "utf-8-sig"), "utf-8-sig"),
    ("gbk.csv", lambda h, r: csv_bytes(h, r, "gbk"), "gbk"),
    (
        "gb18030.csv",
        lambda h, r: csv_bytes(h, r + [[HONGDA[:17] + "X", "㐀㐁商行", "", "", "", "", "", ""]], "gb18030"),
        "gb18030",
    ),
    ("registry.xlsx", xlsx_bytes, "xlsx"),
]


@pytest.mark.parametrize("name,make,encoding", VARIANTS, ids=[v[0] for v in VARIANTS])
@pytest.mark.parametrize("header", [REGISTRY_HEADER_ZH, REGISTRY_HEADER_EN], ids=["chinese", "english"])
def test_every_encoding_and_header_variant_imports_the_same_entities(
    demo, write, name, make, encoding, header
):
    path = write(name, make(header, REGISTRY_ROWS))
    batch = services.registry_import(bureau=demo.county, path=path, user=demo.users["office"])
    assert batch.encoding == encoding
    assert batch.status == ImportStatus.DONE
    assert batch.created_count == 4
    e = MarketEntity.objects.get(uscc=HONGDA)
    assert e.name == "旌德县宏达商贸有限责任公司"
    assert e.name_core == "宏达商贸"
    assert e.legal_rep == "张伟"
    assert e.status == EntityStatus.EXISTING
    assert e.kind == EntityKind.ENTERPRISE  # from the code's second character
    assert str(e.reg_date) == "2019-03-01"
    assert MarketEntity.objects.get(uscc=LIHUA).kind == EntityKind.INDIVIDUAL
    assert MarketEntity.objects.get(uscc=LIHUA).status == EntityStatus.OPERATING


def test_gb18030_only_characters_survive(demo, write):
    rows = [[HONGDA, "旌德县㐀㐁商行", "", "", "", "", "", ""]]
    path = write("x.csv", csv_bytes(REGISTRY_HEADER_ZH, rows, "gb18030"))
    batch = services.registry_import(bureau=demo.county, path=path)
    assert batch.encoding == "gb18030"
    assert MarketEntity.objects.get(uscc=HONGDA).name == "旌德县㐀㐁商行"


def test_reimporting_the_same_file_changes_nothing(demo, write):
    path = write("r.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS, "gbk"))
    services.registry_import(bureau=demo.county, path=path)
    records = ChangeRecord.objects.count()
    stamps = dict(MarketEntity.objects.values_list("uscc", "last_updated"))
    again = services.registry_import(bureau=demo.county, path=path)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert MarketEntity.objects.count() == 4
    assert dict(MarketEntity.objects.values_list("uscc", "last_updated")) == stamps
    # only the batch itself is logged, no entity
    assert ChangeRecord.objects.count() - records == 2  # batch created, batch finished
    assert not ChangeRecord.objects.filter(content_type__model="marketentity").exists()


def test_a_changed_row_is_updated_and_the_change_is_audited(demo, write):
    services.registry_import(
        bureau=demo.county, path=write("a.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    )
    rows = [list(r) for r in REGISTRY_ROWS]
    rows[0][3] = "旌德县旌阳镇新建路1号"
    batch = services.registry_import(
        bureau=demo.county, path=write("b.csv", csv_bytes(REGISTRY_HEADER_ZH, rows))
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 3)
    e = MarketEntity.objects.get(uscc=HONGDA)
    assert e.address == "旌德县旌阳镇新建路1号"
    record = ChangeRecord.objects.get(content_type__model="marketentity", object_id=str(e.pk))
    assert record.before["address"] == "安徽省宣城市旌德县旌阳镇文化路12号"
    assert record.after["address"] == "旌德县旌阳镇新建路1号"
    assert record.after["phone"] != "13855501234"  # personal data masked in the log


def test_a_file_without_a_column_does_not_blank_that_column(demo, write):
    services.registry_import(
        bureau=demo.county, path=write("a.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    )
    batch = services.registry_import(
        bureau=demo.county,
        path=write("b.csv", csv_bytes(["统一社会信用代码", "名称"], [r[:2] for r in REGISTRY_ROWS])),
    )
    assert batch.unchanged_count == 4
    assert MarketEntity.objects.get(uscc=HONGDA).phone == "13855501234"


def test_rejected_rows_are_kept_with_row_column_and_reason(demo, write):
    rows = [
        *REGISTRY_ROWS,
        [HONGDA[:17] + ("0" if HONGDA[17] != "0" else "1"), "错码商行", "", "", "", "", "", ""],  # row 6
        ["91341825MA2N0000", "短码商行", "", "", "", "", "", ""],  # row 7
        [HONGDA, "重复商行", "", "", "", "", "", ""],  # row 8
        [LIHUA[:17] + "1", "", "", "", "", "", "", ""],  # row 9: two problems
        [HONGDA.replace("9", "9", 1)[:0] + "91341825MA2N00009", "", "", "", "", "", "", ""],
        ["", "无码商行", "", "", "", "", "冻结", "2020-13-45"],
    ]
    path = write("bad.csv", csv_bytes(REGISTRY_HEADER_ZH, rows))
    batch = services.registry_import(bureau=demo.county, path=path)
    assert batch.created_count == 4
    assert batch.rejected_count == batch.rejected_rows.count()
    by_row = {}
    for r in batch.rejected_rows.all():
        by_row.setdefault(r.row_number, []).append((r.column, r.reason))
    assert by_row[6][0][0] == "统一社会信用代码" and "校验码错误" in by_row[6][0][1]
    assert "应为18位" in by_row[7][0][1] and "has 18 characters" in by_row[7][0][1]  # both languages
    assert "与第2行代码重复" in by_row[8][0][1] and "the same code as row 2" in by_row[8][0][1]
    assert {c for c, _ in by_row[9]} == {"统一社会信用代码", "名称"}
    assert {c for c, _ in by_row[11]} >= {"统一社会信用代码", "登记状态", "成立日期"}
    # the downloadable file has every rejected row, with the original cells
    text = services.rejected_rows_csv(batch=batch)
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["行号", "列", "值", "原因", "原始行"]
    assert len(lines) - 1 == batch.rejected_count
    assert any(line[0] == "8" and "重复商行" in line for line in lines)


def test_the_rejected_rows_file_holds_original_cells_only_for_a_role_that_needs_them_and_logs_it(
    demo, write, login
):
    from wangjian.core.models import ChangeRecord

    rows = [["91341825MA2N0000", "短码商行", "王小明", "13900001111", "", "", "", ""]]
    batch = services.registry_import(
        bureau=demo.county, path=write("bad.csv", csv_bytes(REGISTRY_HEADER_ZH, rows))
    )
    url = f"/registry/imports/{batch.pk}/rejected.csv"
    auditor = login(demo.users["auditor"]).get(url).content.decode()
    assert "王小明" not in auditor and "13900001111" not in auditor and "原始行" not in auditor
    assert "短码商行" not in auditor or "应为18位" in auditor  # the reason is there to correct the file
    assert not ChangeRecord.objects.filter(action="view").exists()
    officer = login(demo.users["ad_officer"]).get(url).content.decode()
    assert "王小明" in officer and "13900001111" in officer
    assert ChangeRecord.objects.get(action="view").user == demo.users["ad_officer"]


def test_missing_required_columns_fail_clearly_in_both_languages(demo, write):
    path = write("x.csv", csv_bytes(["企业名称", "电话"], [["某某", "1"]]))
    with pytest.raises(ValidationFailed) as exc:
        services.registry_import(bureau=demo.county, path=path)
    assert "统一社会信用代码" in exc.value.zh and "uscc" in exc.value.en


def test_an_explicit_column_mapping_reads_unusual_headers(demo, write):
    path = write("x.csv", csv_bytes(["代码", "字号全称"], [[HONGDA, "旌德县宏达商贸有限公司"]]))
    batch = services.registry_import(bureau=demo.county, path=path, mapping={"uscc": "代码", "name": 1})
    assert batch.created_count == 1


def test_an_auditor_may_not_import(demo, write):
    path = write("x.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    with pytest.raises(PermissionDeniedError):
        services.registry_import(bureau=demo.county, path=path, user=demo.users["auditor"])
    with pytest.raises(PermissionDeniedError):
        services.registry_import(bureau=demo.other_county, path=path, user=demo.users["office"])


def test_import_command_prints_counts_and_writes_rejected_rows(demo, write, tmp_path):
    from django.core.management import call_command

    rows = [*REGISTRY_ROWS, ["123", "坏码", "", "", "", "", "", ""]]
    path = write("r.csv", csv_bytes(REGISTRY_HEADER_ZH, rows, "gbk"))
    out = io.StringIO()
    err = io.StringIO()
    rejected = tmp_path / "rejected.csv"
    call_command(
        "import",
        "registry",
        str(path),
        "--bureau",
        "341825",
        "--rejected-out",
        str(rejected),
        stdout=out,
        stderr=err,
    )
    assert "新增 4" in out.getvalue() and "拒收 1" in out.getvalue()
    assert "100.0%" in err.getvalue()  # the progress bar reached the end
    assert "应为18位" in rejected.read_text(encoding="utf-8-sig")


def test_excel_dates_and_numeric_phones_are_read_as_written(demo, write):
    import datetime as dt

    rows = [
        [
            HONGDA,
            "旌德县宏达商贸有限公司",
            "张伟",
            "旌德县",
            13855501234,
            341825,
            "存续",
            dt.datetime(2019, 3, 1),
        ]
    ]
    batch = services.registry_import(
        bureau=demo.county, path=write("x.xlsx", xlsx_bytes(REGISTRY_HEADER_ZH, rows))
    )
    assert batch.created_count == 1
    e = MarketEntity.objects.get(uscc=HONGDA)
    assert (e.phone, e.region_code, str(e.reg_date)) == ("13855501234", "341825", "2019-03-01")


def test_a_file_that_is_neither_utf8_nor_gb_is_refused_clearly(demo, write):
    path = write("x.csv", "统一社会信用代码,名称\n".encode("utf-16"))
    with pytest.raises(ValidationFailed) as exc:
        services.registry_import(bureau=demo.county, path=path)
    assert "编码" in exc.value.zh


def test_a_bulk_import_renews_the_planners_statistics(demo, write, monkeypatch, queries):
    """A million rows planned on the statistics of an empty table make every search slow."""
    from django.db import connection

    path = write("r.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    _, small = queries.run(
        lambda: services.registry_import(bureau=demo.county, path=path, user=demo.users["office"])
    )
    assert not [sql for sql in small if sql.startswith("ANALYZE")]

    monkeypatch.setattr(services.batches, "ANALYZE_AFTER", 2)
    rows = [[r[0], r[1] + "（新）", *r[2:]] for r in REGISTRY_ROWS]  # four names changed
    path = write("r2.csv", csv_bytes(REGISTRY_HEADER_ZH, rows))
    _, bulk = queries.run(
        lambda: services.registry_import(bureau=demo.county, path=path, user=demo.users["office"])
    )
    analyzed = [sql for sql in bulk if sql.startswith("ANALYZE")]
    assert analyzed == [f"ANALYZE {connection.ops.quote_name('registry_marketentity')}"]
