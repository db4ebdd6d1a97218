"""The province's credit-risk classes imported: one row per entity and month, refused rows kept with reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.registry.uscc import complete
from wangjian.risk.models import CreditRiskClass
from wangjian.risk.services.credit_import import credit_import, parse_class, parse_month

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def _csv(rows: list[str]) -> bytes:
    return ("统一社会信用代码,名称,风险类别,月份\n" + "\n".join(rows) + "\n").encode("gbk")


def test_an_import_keeps_every_refused_row_with_its_reason_and_is_idempotent(make, demo):
    a, b = make.entity(), make.entity()
    foreign = complete("91341825MA2Y99991")  # valid, but not in the county's register
    content = _csv(
        [
            f"{a.uscc},{a.name},D类,2026年11月",
            f"{b.uscc},{b.name},信用风险低（A类）,2026-11",
            f"{a.uscc[:17]}{'0' if a.uscc[17] != '0' else '1'},错误代码,B,2026-11",
            f"{foreign},外县企业,B,2026-11",
            f"{b.uscc},{b.name},E,2026-11",
            f"{b.uscc},{b.name},B,2026-13",
            f"{b.uscc},{b.name},B,2027-01",
            f"{a.uscc},{a.name},C,2026-11",
        ]
    )
    batch = credit_import(
        user=demo.users["office"], bureau=demo.county, path_or_bytes=content, file_name="分类.csv", now=NOW
    )
    assert (batch.total_rows, batch.created_count, batch.rejected_count) == (8, 2, 6)
    reasons = {r.row_number: r.reason for r in batch.rejected_rows.all()}
    assert "校验码错误" in reasons[4]
    assert "本局登记库中没有" in reasons[5]
    assert "A、B、C或D" in reasons[6]
    assert "无法识别月份" in reasons[7]
    assert "晚于本月" in reasons[8]
    assert "两次且类别不同" in reasons[9]
    assert dict(CreditRiskClass.objects.values_list("entity_id", "risk_class")) == {a.pk: "D", b.pk: "A"}
    again = credit_import(
        user=demo.users["office"], bureau=demo.county, path_or_bytes=content, file_name="分类.csv", now=NOW
    )
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert CreditRiskClass.objects.count() == 2
    changed = _csv([f"{a.uscc},{a.name},B,2026-11"])
    third = credit_import(
        user=demo.users["office"], bureau=demo.county, path_or_bytes=changed, file_name="更正.csv", now=NOW
    )
    assert third.updated_count == 1
    assert CreditRiskClass.objects.get(entity=a).risk_class == "B"


def test_a_file_without_a_month_column_takes_the_month_given(make, demo):
    a = make.entity()
    content = f"统一社会信用代码,风险类别\n{a.uscc},C\n".encode()
    with pytest.raises(ValidationFailed):
        credit_import(
            user=demo.users["office"], bureau=demo.county, path_or_bytes=content, file_name="x.csv", now=NOW
        )
    batch = credit_import(
        user=demo.users["office"],
        bureau=demo.county,
        path_or_bytes=content,
        file_name="x.csv",
        month=dt.date(2026, 10, 1),
        now=NOW,
    )
    assert batch.created_count == 1
    assert CreditRiskClass.objects.get(entity=a).month == dt.date(2026, 10, 1)


def test_only_the_office_imports(demo):
    with pytest.raises(PermissionDeniedError):
        credit_import(
            user=demo.users["ad_officer"], bureau=demo.county, path_or_bytes=b"x", file_name="x.csv", now=NOW
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A", "A"), ("ｄ类", "D"), ("信用风险较高（C类）", "C"), ("较高", "C"), ("AB", None), ("", None)],
)
def test_the_class_is_read_as_the_province_writes_it(text, expected):
    assert parse_class(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11", dt.date(2026, 11, 1)),
        ("2026年1月", dt.date(2026, 1, 1)),
        ("202611", dt.date(2026, 11, 1)),
        ("2026-11-30", dt.date(2026, 11, 1)),
        ("2026-00", None),
    ],
)
def test_the_month_is_read_in_the_usual_spellings(text, expected):
    assert parse_month(text) == expected
