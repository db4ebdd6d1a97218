"""``wangjian inspections draws --json`` and ``wangjian inspections redraw DRAW_ID`` (issue 19 point 3)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tests.inspections.test_draws import make, publish
from wangjian.inspections.models import Draw, DrawInputs


def test_draws_lists_one_json_object_per_draw(published, shops, demo, capsys):
    shops(20)
    draw = make(publish(published(), demo), demo)
    call_command("inspections", "draws", "--json")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[-1]["id"] == draw.pk and rows[-1]["seed"] == draw.seed
    assert rows[-1]["pool_hash"] == draw.pool_sha256 and rows[-1]["objects"] == draw.objects_count
    assert rows[-1]["plan"] == draw.plan_id and rows[-1]["drawn_at"].startswith("2026-12-08")


def test_redraw_exits_0_when_the_rerun_yields_the_recorded_draw(published, shops, demo, capsys):
    shops(20)
    draw = make(publish(published(), demo), demo)
    call_command("inspections", "redraw", str(draw.pk))
    assert "复算结果与记录一致" in capsys.readouterr().out


def test_redraw_exits_non_zero_and_says_why_when_the_published_pool_was_changed(
    published, shops, demo, capsys
):
    shops(20)
    draw = make(publish(published(), demo), demo)
    DrawInputs.objects.filter(pk=draw.pk).update(
        pool_listing=draw.inputs.pool_listing.replace("\t-|-\n", "\tA|-\n", 1)
    )
    with pytest.raises(SystemExit) as exited:
        call_command("inspections", "redraw", str(Draw.objects.get(pk=draw.pk).pk))
    assert exited.value.code == 1
    assert "名录库清单的SHA-256与公布的不一致" in capsys.readouterr().err


def test_redraw_of_an_unknown_draw_exits_2(db, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("inspections", "redraw", "999999")
    assert exited.value.code == 2
