"""The demo grades the county after the other demos: classes imported with one row refused, some entities
重点监控 or 预警监控 with their reasons."""

from __future__ import annotations

import io

from tests.clues.conftest import at, clock  # noqa: F401 (a fixture)
from wangjian.risk.models import CreditImport, EntityGrade


def test_the_demo_imports_classes_with_a_refused_row_and_grades_the_county(demo, make, clock):  # noqa: F811
    from wangjian.risk import demo as risk_demo

    clock(at("2026-12-07", "15:00"))
    for n in range(3):  # what the monitoring demo leaves: entities with confirmed findings
        entity = make.entity()
        for _ in range(n + 1):
            make.finding(entity)
    for _ in range(5):
        make.entity(kind="enterprise")
    out = io.StringIO()
    risk_demo.load(demo, out)
    batch = CreditImport.objects.get()
    assert batch.rejected_count == 1 and "校验码错误" in batch.rejected_rows.get().reason
    grades = EntityGrade.objects.filter(bureau=demo.county)
    assert grades.filter(grade="key").exists() and grades.filter(grade="warning").exists()
    key = grades.filter(grade="key").first()
    assert key.words.startswith("信用风险分类D类（2026年11月）+40；近90日确认违法发现")
    assert "风险分级：导入信用风险分类" in out.getvalue()
