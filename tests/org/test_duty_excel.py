"""The duty list travels as Excel: what is exported imports back unchanged; a bad file imports nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.org.choices import DepartmentKind as K
from wangjian.org.choices import Domain as D
from wangjian.org.models import Bureau, DutyRule
from wangjian.org.services import DUTY_COLUMNS, duty_list_export, duty_list_import

FIELDS = [key for key, _ in DUTY_COLUMNS]
HEADER = [label for _, label in DUTY_COLUMNS]


def the_list(bureau) -> list[tuple]:
    return sorted(
        tuple(str(v) for v in row) for row in DutyRule.objects.filter(bureau=bureau).values_list(*FIELDS)
    )


def workbook(*rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD_ROW = [
    "互联网广告",
    "广告监管",
    "牵头",
    "互联网广告监测",
    "《广告法》",
    "第四十四条",
    "由科室办理",
    "2026-01-01",
    "",
]


@pytest.fixture
def new_county(db):
    return Bureau.objects.create(name="泾县市场监督管理局", code="341823", level="county")


def test_the_export_is_a_workbook_with_chinese_headers_and_labels(demo):
    ws = load_workbook(io.BytesIO(duty_list_export(bureau=demo.county))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) - 1 == DutyRule.objects.filter(bureau=demo.county).count()
    assert ("互联网广告", "广告监管", "牵头") in {r[:3] for r in rows[1:]}
    assert "按属地分派基层所" in {r[6] for r in rows[1:]}


def test_export_then_import_reproduces_the_list(demo, new_county):
    rule = DutyRule.objects.get(bureau=demo.county, domain=D.CREDIT)
    rule.valid_from, rule.valid_to = dt.date(2026, 1, 1), dt.date(2027, 6, 30)
    rule.save()
    n = duty_list_import(bureau=new_county, content=duty_list_export(bureau=demo.county))
    assert n == DutyRule.objects.filter(bureau=demo.county).count()
    assert the_list(new_county) == the_list(demo.county)


def test_importing_into_the_same_bureau_replaces_the_list_with_the_file(demo):
    before = the_list(demo.county)
    content = duty_list_export(bureau=demo.county)
    DutyRule.objects.create(bureau=demo.county, domain=D.MLM, department_kind=K.ENFORCEMENT)
    duty_list_import(bureau=demo.county, content=content)
    assert the_list(demo.county) == before


def test_import_without_replace_adds_to_the_list(demo):
    count = DutyRule.objects.filter(bureau=demo.county).count()
    duty_list_import(bureau=demo.county, content=workbook(GOOD_ROW), replace=False)
    assert DutyRule.objects.filter(bureau=demo.county).count() == count + 1


def test_codes_work_as_well_as_labels_and_blank_lines_are_skipped(new_county):
    content = workbook(["online_food", "food", "lead", "", "", "", "station", "", ""], [None] * 9)
    assert duty_list_import(bureau=new_county, content=content) == 1
    rule = DutyRule.objects.get(bureau=new_county)
    assert (rule.domain, rule.department_kind, rule.territory_rule) == (D.ONLINE_FOOD, K.FOOD, "station")


def test_unknown_domains_kinds_and_bad_dates_are_named_by_row_and_column_and_nothing_is_imported(demo):
    before = the_list(demo.county)
    content = workbook(
        GOOD_ROW,
        ["网络算命", "广告监管", "牵头", "", "", "", "", "", ""],
        ["互联网广告", "宣传部", "牵头", "", "", "", "", "", ""],
        ["互联网广告", "广告监管", "牵头", "", "", "", "", "2026-13-01", ""],
    )
    with pytest.raises(ValidationFailed) as err:
        duty_list_import(bureau=demo.county, content=content)
    problems = {(e["row"], e["column"]) for e in err.value.detail}
    assert problems == {(3, "监管领域"), (4, "责任科室类别"), (5, "生效日期")}
    assert "第 3 行" in err.value.zh and "监管领域" in err.value.zh
    assert "Row 3" in err.value.en and "nothing imported" in err.value.en
    assert the_list(demo.county) == before  # the good first row was not imported either


def test_a_row_ending_before_it_starts_is_rejected(new_county):
    content = workbook(GOOD_ROW[:7] + ["2026-06-01", "2026-01-01"])
    with pytest.raises(ValidationFailed) as err:
        duty_list_import(bureau=new_county, content=content)
    assert [(e["row"], e["column"]) for e in err.value.detail] == [(2, "失效日期")]
    assert not DutyRule.objects.filter(bureau=new_county).exists()


def test_a_legal_basis_too_long_for_the_register_is_rejected_not_truncated(new_county):
    content = workbook(GOOD_ROW[:4] + ["法" * 201] + GOOD_ROW[5:])
    with pytest.raises(ValidationFailed) as err:
        duty_list_import(bureau=new_county, content=content)
    assert [(e["row"], e["column"]) for e in err.value.detail] == [(2, "法律依据")]
    assert not DutyRule.objects.filter(bureau=new_county).exists()


def test_a_workbook_without_the_required_columns_is_rejected(new_county):
    with pytest.raises(ValidationFailed) as err:
        duty_list_import(bureau=new_county, content=workbook(["x"], header=["监管内容"]))
    assert "监管领域" in err.value.zh and "责任科室类别" in err.value.zh


def test_a_file_that_is_not_xlsx_gets_a_clear_error(new_county):
    with pytest.raises(ValidationFailed) as err:
        duty_list_import(bureau=new_county, content="监管领域,责任科室类别\n互联网广告,广告监管\n".encode())
    assert ".xlsx" in err.value.zh and ".xlsx" in err.value.en


def test_only_the_office_administrator_of_the_bureau_imports(demo):
    with pytest.raises(PermissionDeniedError):
        duty_list_import(bureau=demo.county, content=workbook(GOOD_ROW), user=demo.users["ad_officer"])
    with pytest.raises(PermissionDeniedError):
        duty_list_import(bureau=demo.other_county, content=workbook(GOOD_ROW), user=demo.users["office"])


# ------------------------------------------------------------------ the same through the web pages


def test_the_export_page_downloads_the_users_bureau_list(demo, login):
    response = login(demo.users["ad_officer"]).get(reverse("org:duty_export"))
    assert response.status_code == 200
    assert "341825" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) - 1 == DutyRule.objects.filter(bureau=demo.county).count()


def test_uploading_a_bad_workbook_shows_every_error_and_keeps_the_old_list(demo, login):
    before = the_list(demo.county)
    content = workbook(GOOD_ROW, ["网络算命", "广告监管", "牵头", "", "", "", "", "", ""])
    upload = SimpleUploadedFile("list.xlsx", content)
    response = login(demo.users["office"]).post(reverse("org:duty_import"), {"file": upload, "replace": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html and "网络算命" in html and "监管领域" in html
    assert the_list(demo.county) == before


def test_uploading_a_text_file_says_it_is_not_an_excel_file(demo, login):
    before = the_list(demo.county)
    upload = SimpleUploadedFile("list.csv", b"domain,department_kind\nmlm,enforcement\n")
    response = login(demo.users["office"]).post(reverse("org:duty_import"), {"file": upload}, follow=True)
    assert "不是有效的 Excel" in response.content.decode()
    assert the_list(demo.county) == before


def test_uploading_a_good_workbook_replaces_the_list(demo, login):
    upload = SimpleUploadedFile("list.xlsx", workbook(GOOD_ROW))
    response = login(demo.users["office"]).post(reverse("org:duty_import"), {"file": upload, "replace": "on"})
    assert response.status_code == 302
    assert DutyRule.objects.filter(bureau=demo.county).count() == 1


def test_an_officer_may_not_open_the_import_page(demo, login):
    assert login(demo.users["ad_officer"]).get(reverse("org:duty_import")).status_code == 403
