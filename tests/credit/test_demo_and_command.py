"""The credit demo, ``wangjian credit import-annual`` and the cases app's penalty provider."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.credit.conftest import at, d
from wangjian.credit import penalties
from wangjian.credit.models import AbnormalListing, AnnualReportImport, DeclarationMismatch
from wangjian.credit.selectors import credit_state_of
from wangjian.registry.choices import PresenceKind
from wangjian.registry.models import Presence


@pytest.fixture
def registry(demo, entity):
    """A small register: six entities (one 个体工商户), three with a presence each."""
    entities = [entity(60 + n, kind="individual" if n == 4 else "enterprise") for n in range(6)]
    for n, e in enumerate(entities[:3]):
        Presence.objects.create(
            bureau=demo.county,
            kind=PresenceKind.WEBSITE,
            url=f"https://site{n}.example/",
            shop_name=f"网站{n}",
            entity=e,
            first_seen=dt.date(2020, 1, 1),
        )
    return entities


def test_the_demo_lists_one_entity_per_ground_removes_one_and_imports_a_report_file(demo, registry, clock):
    from wangjian.credit import demo as credit_demo

    clock(at("2025-11-12"))
    out = io.StringIO()
    credit_demo.load(demo, out)
    listings = AbnormalListing.objects.filter(bureau=demo.county)
    assert set(listings.values_list("ground", flat=True)) == {
        "annual_report",
        "ordered",
        "name_change",
        "false_info",
        "unreachable",
    }
    assert listings.get(ground="false_info").entity.kind == "individual"
    removed = listings.get(ground="ordered")
    assert (
        removed.state == "removed"
        and removed.removal_applied_on
        and removed.removed_on <= removed.removal_due
    )
    # two consecutive years not filed and unreachable → flagged (条例 art. 18 para. 1)
    unreachable = listings.get(ground="unreachable")
    assert unreachable.revocation_flagged_on == d("2025-11-12")
    assert listings.filter(entity=unreachable.entity, ground="annual_report").count() == 2
    batch = AnnualReportImport.objects.get(bureau=demo.county)
    assert batch.rejected_count == 1 and batch.mismatch_count >= 2
    # the shop declared but not on file is an enterprise's: kept for the penalty review, not listed
    assert DeclarationMismatch.objects.filter(batch=batch, state="review").count() == 1
    assert "经营异常名录" in out.getvalue()
    count = listings.count()
    credit_demo.load(demo, out)  # again: nothing added
    assert AbnormalListing.objects.filter(bureau=demo.county).count() == count == 6


def test_import_annual_prints_the_counts_and_the_rejected_rows(demo, registry, tmp_path, capsys, clock):
    clock(at("2025-08-01"))
    path = tmp_path / "年报.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["统一社会信用代码", "年度", "网站或网店名称", "网址", "平台"])
        writer.writerow([registry[0].uscc, "2024", "网站0", "site0.example", ""])
        writer.writerow(["不是代码", "2024", "", "", ""])
    call_command("credit", "import-annual", str(path), "--bureau", "341825")
    out = capsys.readouterr().out
    assert "共 2 行，年度报告 1 份，申报网站网店 1 个，拒收 1 行，比对不一致 0 条" in out
    assert "第3行 统一社会信用代码" in out


def test_a_published_case_is_a_penalty_on_display_until_its_publicity_ends(demo, entity):
    """The cases app's provider (cases/credit.py) hands credit what publicity computed."""
    from wangjian.cases.models import Case
    from wangjian.org.choices import DepartmentKind
    from wangjian.org.models import Department

    e = entity(70)
    Case.objects.create(
        bureau=demo.county,
        number="旌市监立〔2025〕70号",
        title="网店绝对化用语",
        domain="internet_advertising",
        state="closed",
        source_kind="monitoring",
        party_name=e.name,
        party_uscc=e.uscc,
        entity=e,
        facts="最佳",
        discovered_on=d("2025-01-02"),
        department=Department.objects.get(bureau=demo.county, kind=DepartmentKind.ADVERTISING),
        penalised=True,
        decided_on=d("2025-02-10"),
        decision_number="旌市监处罚〔2025〕70号",
        fine_amount=Decimal("150000"),
        penalty_kinds=["fine"],
        published_on=d("2025-02-20"),
        publicity_until=d("2028-02-20"),
        publicity_note="公示三年（公示规定第十一条）",
    )
    (record,) = penalties.penalties_of([e.pk])
    assert (record.number, record.display_until, record.short, record.severe) == (
        "旌市监处罚〔2025〕70号",
        d("2028-02-20"),
        False,
        False,
    )
    assert credit_state_of([e.pk], d("2028-02-19"))[e.pk]["penalties_on_display"] == 1
    assert credit_state_of([e.pk], d("2028-02-20"))[e.pk]["penalties_on_display"] == 0


def test_credit_check_runs_the_daily_checks_as_the_console_runs_it(demo, capsys):
    """With the system checks, as ``wangjian credit check`` runs (a subcommand once shadowed ``check``)."""
    call_command("credit", "check", "--date", "2025-03-01", skip_checks=False)
    assert "提请吊销营业执照 0 户；移出严重违法失信名单 0 户" in capsys.readouterr().out


def test_import_annual_finds_the_bureau_from_the_file_s_codes(demo, registry, tmp_path, capsys, clock):
    clock(at("2025-08-01"))
    path = tmp_path / "年报.csv"
    path.write_text(f"统一社会信用代码,年度\n{registry[1].uscc},2024\n", encoding="utf-8")
    call_command("credit", "import-annual", str(path))
    assert AnnualReportImport.objects.get().bureau == demo.county
