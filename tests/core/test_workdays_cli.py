"""The ``wangjian workdays`` command as operators and other systems use it."""

import io
import json
import sys

import pytest
from django.core.management import call_command


def run(*args, stdin: str = "") -> str:
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("workdays", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


@pytest.mark.django_db
def test_add_and_between_print_the_issue_examples():
    assert run("add", "2025-09-26", "7").strip() == "2025-10-13"
    assert run("between", "2025-09-26", "2025-10-13").strip() == "7"


@pytest.mark.django_db
def test_batch_answers_every_line_and_names_bad_ones():
    lines = "\n".join(
        [
            '{"fn":"add","start":"2025-09-26","n":7}',
            "not json",
            '{"fn":"between","a":"2025-09-26","b":"2025-10-13"}',
            '{"fn":"add","start":"2025-02-30","n":1}',
            '{"fn":"add","start":"2025-09-26","n":"seven"}',
            '{"fn":"multiply"}',
            "[1, 2]",
            '{"fn":"add","start":"2026-12-30","n":5}',
        ]
    )
    answers = [json.loads(line) for line in run("batch", stdin=lines).splitlines()]
    assert len(answers) == 8
    assert answers[0] == {"result": "2025-10-13"}
    assert answers[2] == {"result": 7}
    for i in (1, 3, 4, 5, 6, 7):
        assert "error" in answers[i] and "result" not in answers[i]
    assert "第 2 行" in answers[1]["error"]
    assert "2025-02-30" in answers[3]["error"]
    assert "2027" in answers[7]["error"]


@pytest.mark.django_db
def test_show_lists_make_up_days(capsys):
    text = run("show", "2026")
    assert "2026-02-14 六 调休上班" in text
    assert "2026-10-01 四 放假 holiday 国庆节" in text


@pytest.mark.django_db
def test_import_file(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,kind,name\n2027-01-01..2027-01-03,放假,元旦\n2027-02-14,上班,春节\n", encoding="utf-8"
    )
    assert "2027" in run("import", str(path))
    assert run("add", "2026-12-31", "1").strip() == "2027-01-04"
