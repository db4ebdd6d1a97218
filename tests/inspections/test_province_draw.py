"""A draw made in the province's own 双随机 system (issue 19): that system stays the record of the draw;
wangjian imports it (objects and inspectors), records the checks, and exports the results with its task number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.inspections.conftest import PUBLISHED
from tests.inspections.test_draws import make, publish
from wangjian.core.errors import PermissionDeniedError, ValidationFailed
from wangjian.inspections.choices import DrawOrigin, DrawState, ResultCategory
from wangjian.inspections.models import InspectorRelation
from wangjian.inspections.services import draw_import, draw_redo, draw_rerun, result_record, results_csv

IMPORTED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=PUBLISHED.tzinfo)
TASK = "SJ3418002026120001"
UNKNOWN_USCC = "91341825MA2PZZZZ9X"


def province_csv(rows: list[tuple[str, str, str, str]], task: str = TASK) -> bytes:
    """The province system's export: one row per object, inspectors' names and certificates in order."""
    lines = ["抽查任务编号,统一社会信用代码,企业名称,检查人员,执法证号"]
    lines += [f'{task},{uscc},{name},"{people}","{certs}"' for uscc, name, people, certs in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def province_file(demo, shops):
    """Two known entities and one the registry does not have; one inspector nobody on the staff is."""
    a, b = shops(2)
    head, officer = demo.users["ad_head"], demo.users["ad_officer"]
    data = province_csv(
        [
            # 赵股长 by certificate alone (a name the province spells otherwise), 钱科员 by name
            (a.uscc, a.name, f"赵某、{officer.name}", f"{head.enforcement_certificate}、"),
            (b.uscc, b.name, f"{head.name}、查无此人", f"{head.enforcement_certificate}、皖000000"),
            (UNKNOWN_USCC, "不在名录的商贸公司", officer.name, officer.enforcement_certificate),
        ]
    )
    return a, b, data


def test_an_imported_draw_keeps_the_unknown_entity_and_the_unknown_inspector_as_rejected_rows(
    published, province_file, demo
):
    a, b, data = province_file
    draw = draw_import(
        plan=published(),
        user=demo.users["office"],
        path_or_bytes=data,
        file_name="省级抽取.csv",
        now=IMPORTED,
    )
    assert draw.origin == DrawOrigin.PROVINCE and draw.state == DrawState.DRAWN
    assert draw.province_task_number == TASK and len(draw.file_sha256) == 64
    assert sorted(draw.objects_drawn.values_list("entity_id", flat=True)) == sorted([a.pk, b.pk])
    rejected = {(r.row_number, r.column, r.value): r.reason for r in draw.rejected_rows.all()}
    assert set(rejected) == {(3, "检查人员", "查无此人"), (4, "统一社会信用代码", UNKNOWN_USCC)}
    assert "本局人员中找不到检查人员" in rejected[(3, "检查人员", "查无此人")]
    assert "市场主体名录中找不到" in rejected[(4, "统一社会信用代码", UNKNOWN_USCC)]


def test_inspectors_are_matched_by_certificate_first_then_by_name(published, province_file, demo):
    a, b, data = province_file
    draw = draw_import(plan=published(), user=demo.users["office"], path_or_bytes=data, file_name="p.csv")
    head, officer = demo.users["ad_head"], demo.users["ad_officer"]
    first = draw.objects_drawn.get(entity=a)
    assert list(first.inspectors.values_list("user_id", flat=True)) == [head.pk, officer.pk]
    second = draw.objects_drawn.get(entity=b)
    assert list(second.inspectors.values_list("user_id", flat=True)) == [head.pk]


def test_a_declared_relation_is_a_warning_and_the_province_s_inspector_is_kept(
    published, province_file, demo
):
    a, _b, data = province_file
    InspectorRelation.objects.create(
        bureau=demo.county, user=demo.users["ad_officer"], entity=a, reason="近亲属任该公司股东"
    )
    draw = draw_import(plan=published(), user=demo.users["office"], path_or_bytes=data, file_name="p.csv")
    kept = draw.objects_drawn.get(entity=a).inspectors.get(user=demo.users["ad_officer"])
    assert "近亲属任该公司股东" in kept.warning and "回避" in kept.warning


def test_an_imported_draw_is_not_re_run_nor_re_drawn_here(published, province_file, demo):
    _a, _b, data = province_file
    draw = draw_import(plan=published(), user=demo.users["office"], path_or_bytes=data, file_name="p.csv")
    with pytest.raises(ValidationFailed) as refused:
        draw_rerun(draw)
    assert "省级系统是其记录" in refused.value.zh and "record" in refused.value.en
    with pytest.raises(ValidationFailed):
        draw_redo(
            draw=draw,
            user=demo.users["office"],
            reason="重抽",
            source_name="x",
            source_date=dt.date(2027, 1, 5),
        )
    api = APIClient()
    api.force_authenticate(demo.users["auditor"])
    answer = api.post(f"/api/inspections/draws/{draw.pk}/rerun/")
    assert answer.status_code == 400 and "省级系统是其记录" in answer.json()["error"]["zh"]


def test_the_plan_is_published_before_a_draw_is_imported(draft, province_file, demo):
    _a, _b, data = province_file
    with pytest.raises(ValidationFailed, match="须先公布"):
        draw_import(plan=draft(), user=demo.users["office"], path_or_bytes=data, file_name="p.csv")


def test_the_same_file_is_not_imported_twice_and_a_new_one_replaces_the_current_draw(
    published, province_file, demo
):
    a, _b, data = province_file
    plan = published()
    first = draw_import(plan=plan, user=demo.users["office"], path_or_bytes=data, file_name="p.csv")
    with pytest.raises(ValidationFailed, match="已为本计划导入过"):
        draw_import(plan=plan, user=demo.users["office"], path_or_bytes=data, file_name="p.csv")
    again = province_csv([(a.uscc, a.name, demo.users["ad_head"].name, "")], task="SJ3418002026120002")
    second = draw_import(plan=plan, user=demo.users["office"], path_or_bytes=again, file_name="p2.csv")
    assert second.replaces == first and first.objects_drawn.count() == 2


def test_the_results_are_exported_with_the_province_task_number(published, province_file, demo, item):
    a, b, data = province_file
    plan = published()
    draw = draw_import(plan=plan, user=demo.users["office"], path_or_bytes=data, file_name="p.csv")
    for drawn in draw.objects_drawn.all():
        result_record(
            drawn=drawn,
            item=item,
            category=ResultCategory.NO_ACTIVITY,
            user=demo.users["office"],
            checked_on=dt.date(2026, 12, 15),
        )
    lines = results_csv(plan).lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[:4] == ["抽查计划名称", "抽查任务编号", "省级抽查任务编号", "统一社会信用代码"]
    assert len(lines) == 3 and all(line.split(",")[2] == TASK for line in lines[1:])


def test_a_wangjian_draw_s_export_has_no_province_column(published, shops, demo):
    shops(3)
    plan = published()
    make(publish(plan, demo), demo)
    assert "省级抽查任务编号" not in results_csv(plan)


def test_the_page_and_the_api_import_and_refuse_in_the_same_words(published, province_file, demo, login):
    _a, _b, data = province_file
    plan = published()
    officer = demo.users["ad_officer"]  # an officer is drawn, but does not draw
    with pytest.raises(PermissionDeniedError) as service:
        draw_import(plan=plan, user=officer, path_or_bytes=data, file_name="p.csv")
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/inspections/plans/{plan.pk}/import-draw/"
    refused = api.post(url, {"file": _upload(data)}, format="multipart")
    assert refused.status_code == 403 and refused.json()["error"]["zh"] == service.value.zh
    page = login(officer).post(
        reverse("inspections:draw_import", args=[plan.pk]), {"file": _upload(data)}, follow=True
    )
    assert service.value.zh in page.content.decode() and not plan.draws.exists()

    api.force_authenticate(demo.users["office"])
    answer = api.post(url, {"file": _upload(data)}, format="multipart")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["draw"]["origin"] == "province" and body["draw"]["province_task_number"] == TASK
    assert len(body["rejected_rows"]) == 2
    shown = login(demo.users["office"]).get(reverse("inspections:draw", args=[body["draw"]["id"]]))
    text = shown.content.decode()
    assert TASK in text and "查无此人" in text and "不提供复算" in text and 'id="rerun"' not in text


def test_the_plan_page_offers_the_import_to_who_may_draw(published, demo, login):
    plan = published()
    page = login(demo.users["office"]).get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert "导入省级双随机系统的抽取结果" in page
    page = login(demo.users["auditor"]).get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    assert "导入省级双随机系统的抽取结果" not in page


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("省级抽取.csv", data, content_type="text/csv")


def test_an_excel_export_with_执法人员_and_commas_is_read_too(published, shops, demo):
    import io

    from openpyxl import Workbook

    (entity,) = shops(1)
    head, officer = demo.users["ad_head"], demo.users["ad_officer"]
    book = Workbook()
    book.active.append(["任务编号", "统一社会信用代码", "市场主体名称", "执法人员", "执法证件号"])
    book.active.append(
        [TASK, entity.uscc, entity.name, f"{head.name},{officer.name}", f"{head.enforcement_certificate},"]
    )
    out = io.BytesIO()
    book.save(out)
    draw = draw_import(
        plan=published(), user=demo.users["office"], path_or_bytes=out.getvalue(), file_name="抽取.xlsx"
    )
    drawn = draw.objects_drawn.get()
    assert list(drawn.inspectors.values_list("user_id", flat=True)) == [head.pk, officer.pk]
    assert not draw.rejected_rows.exists()
