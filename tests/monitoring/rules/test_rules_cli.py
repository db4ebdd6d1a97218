"""The ``wangjian rules test`` contract: JSON lines in and out, offsets into the original text."""

import io
import json
import sys

import pytest
from django.core.management import call_command

from wangjian.monitoring import rulefile
from wangjian.monitoring.engine import default_libraries


def run(stdin_text, *args):
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin_text)
    try:
        call_command("rules", "test", *args, stdout=out)
    finally:
        sys.stdin = old
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_plain_and_json_lines_give_one_json_line_each_with_original_offsets():
    text = "這款面膜 最 佳 選擇"
    records = run(
        "本店最佳产品\n"
        + json.dumps({"id": "p-7", "text": text, "product_kind": "cosmetics"}, ensure_ascii=False)
        + "\n纯棉T恤 舒适透气\n"
    )
    assert [r["id"] for r in records] == [1, "p-7", 3]
    hit = records[1]["hits"][0]
    assert set(hit) == {"category", "rule", "start", "end", "matched", "severity", "legal_basis"}
    assert hit["category"] == "absolute_terms"
    assert text[hit["start"] : hit["end"]] == hit["matched"] == "最 佳"
    assert records[2]["hits"] == []


@pytest.mark.django_db
def test_product_kind_changes_the_verdict():
    line = json.dumps({"id": 1, "text": "用于治疗风寒感冒", "product_kind": "drug"}, ensure_ascii=False)
    food = json.dumps({"id": 2, "text": "用于治疗风寒感冒", "product_kind": "food"}, ensure_ascii=False)
    drug_rec, food_rec = run(line + "\n" + food + "\n")
    assert drug_rec["hits"] == []
    assert [h["category"] for h in food_rec["hits"]] == ["medical_claim"]


@pytest.mark.django_db
def test_a_bad_line_is_answered_with_an_error_and_the_others_are_not_lost():
    records = run(
        '{"id": 1, "text": "高仿包包", "product_kind": "spaceship"}\n{"id": 2, "text": "高仿包包"}\n'
    )
    assert records[0]["hits"] == [] and "spaceship" in records[0]["error"]
    assert records[1]["hits"][0]["category"] == "counterfeit"


@pytest.mark.django_db
def test_library_option_limits_the_rules():
    records = run("高仿包包 好评返现\n", "--library", "competition")
    assert {h["category"] for h in records[0]["hits"]} == {"fake_reviews"}


@pytest.mark.django_db
def test_unknown_library_exits_with_code_2_and_a_bilingual_message(capsys):
    with pytest.raises(SystemExit) as exc:
        run("x\n", "--library", "nosuch")
    assert exc.value.code == 2


def test_file_option_uses_a_library_file(tmp_path):
    lib = [x for x in default_libraries() if x.name == "price"][0]
    path = tmp_path / "price.xlsx"
    path.write_bytes(rulefile.dump_excel(lib))
    records = run("原价1999元 现价仅需19.9元 高仿包\n", "--file", str(path))
    assert {h["category"] for h in records[0]["hits"]} == {"price_fraud"}


def test_check_reports_a_passing_default_library(tmp_path):
    lib = [x for x in default_libraries() if x.name == "mlm"][0]
    path = tmp_path / "mlm.yaml"
    path.write_text(rulefile.dump_yaml(lib), encoding="utf-8")
    out = io.StringIO()
    call_command("rules", "check", str(path), stdout=out)
    assert "regression" in out.getvalue() and "passed" in out.getvalue()


def test_check_of_a_bad_file_exits_2_naming_the_rule(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("library: x\nrules:\n  - {code: NO-TERMS, category: mlm}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("rules", "check", str(path))
    assert exc.value.code == 2
    assert "NO-TERMS" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_writes_yaml_that_loads_back(tmp_path):
    path = tmp_path / "ad.yaml"
    call_command("rules", "export", "--library", "advertising", "-o", str(path))
    lib = rulefile.load_yaml(path.read_text(encoding="utf-8"))
    assert lib.name == "advertising" and any(r.code == "ABS-001" for r in lib.rules)
