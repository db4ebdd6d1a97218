"""``wangjian risk grade``: the county graded from the command line, the counts printed (JSON with --json)."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from wangjian.risk.models import EntityGrade


def test_risk_grade_prints_the_counts_and_the_moves_as_json(make):
    entity = make.entity()
    make.credit(entity, "D")
    out = io.StringIO()
    call_command("risk", "grade", "--bureau", "341825", "--today", "2026-12-07", "--json", stdout=out)
    [result] = json.loads(out.getvalue())
    assert result["code"] == "341825"
    assert result["by_grade"]["warning"] == 1
    assert result["moves"] == [{"from": "", "to": "warning", "count": 1}]
    assert EntityGrade.objects.get(entity=entity).grade == "warning"
    listed = io.StringIO()
    call_command("risk", "list", "--bureau", "341825", "--grade", "warning", "--json", stdout=listed)
    assert json.loads(listed.getvalue().splitlines()[0])["words"].startswith(
        "信用风险分类D类（2026年11月）+40"
    )
