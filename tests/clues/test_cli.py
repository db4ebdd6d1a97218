"""``wangjian clues list --json`` prints what an officer needs to see: id, source, domain, unit, state, due, overdue."""

import io
import json

from django.core.management import call_command

from .conftest import at


def test_clues_list_json(demo, intake, clock):
    clue = intake(now=at("2025-09-26")).clue
    clock(at("2025-10-20"))
    out = io.StringIO()
    call_command("clues", "list", "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {
            "id": clue.pk,
            "number": "旌市监线〔2025〕0001",
            "bureau": "341825",
            "source": "monitoring",
            "source_label": "监测发现",
            "domain": "internet_advertising",
            "domain_label": "互联网广告",
            "unit": "广告监管股",
            "state": "assigned",
            "gap": False,
            "assigned_at": "2025-09-26T10:00:00+08:00",
            "due": "2025-10-13",
            "overdue": True,  # on 2025-10-20, a week after its due day
            "escalations": 0,
        }
    ]


def test_unknown_bureau_is_an_error_in_both_languages(demo, capsys):
    import pytest

    with pytest.raises(SystemExit) as exc:
        call_command("clues", "list", "--bureau", "999999")
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "找不到" in err and "No bureau" in err


def test_demo_load_routes_clues_with_deadlines_some_overdue_and_escalated(demo, clock):
    from wangjian.clues import demo as clue_demo
    from wangjian.clues.models import Clue

    # The demo backdates its clues in working days from today: a Wednesday of a published year here.
    clock(at("2025-11-12", "15:00"))
    out = io.StringIO()
    clue_demo.load(demo, out)
    county = Clue.objects.filter(bureau=demo.county)
    assert county.filter(station__isnull=False).exists() and county.filter(station__isnull=True).exists()
    assert all(c.feedback_due for c in county if c.assigned_at and c.state != "transferred")
    assert any(c.overdue for c in county)
    from wangjian.platform.workitems.models import Escalation

    escalated = Escalation.objects.filter(level=2, item__subject_type="clues.clue").values_list(
        "item__subject_id"
    )
    assert county.filter(pk__in=[int(pk) for (pk,) in escalated]).exists()
    assert Clue.objects.filter(bureau=demo.other_county, transferred_from__isnull=False).count() == 1
    clue_demo.load(demo, out)  # idempotent
    assert Clue.objects.filter(bureau=demo.county).count() == county.count()
