"""The pages and the API of the grades: the list and its filters, the detail with reasons and history, the entity
panel, the settings page's preview, the import page, and the same through the API."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.risk.conftest import TODAY
from wangjian.risk.models import CreditImport, EntityGrade, RiskSettings
from wangjian.risk.services.store import grades_store


def _graded(make):
    key = make.entity()
    make.credit(key, "D")
    make.finding(key)
    make.finding(key)
    plain = make.entity(region="341825102")
    grades_store(bureau=make.county, today=TODAY)
    return key, plain


def test_the_list_filters_by_grade_and_the_detail_shows_reasons_and_history(make, demo, login):
    key, plain = _graded(make)
    web = login(demo.users["station_officer"])
    page = web.get(reverse("risk:grade_list"), {"grade": "key"}).content.decode()
    assert key.name in page and plain.name not in page
    assert plain.name in web.get(reverse("risk:grade_list"), {"region": "341825102"}).content.decode()
    grade = EntityGrade.objects.get(entity=key)
    detail = web.get(grade.get_absolute_url()).content.decode()
    assert "信用风险分类D类（2026年11月）+40" in detail
    assert 'id="grade-history"' in detail and "重点监控" in detail
    panel = web.get(reverse("risk:entity_risk", args=[key.pk])).content.decode()
    assert "近90日确认违法发现2条" in panel
    other = login(demo.users["jixi_officer"])
    assert other.get(grade.get_absolute_url()).status_code == 404


def test_the_settings_page_previews_the_changes_then_saves(make, demo, login):
    _graded(make)
    web = login(demo.users["office"])
    response = web.post(
        reverse("risk:settings"),
        {"action": "preview", "key_threshold": "80", "warning_threshold": "30", "task_on_key": "on"},
    )
    page = response.content.decode()
    assert 'id="preview-moves"' in page
    assert "重点监控</td><td>预警监控</td><td>1</td>" in page.replace("\n", "")
    assert not RiskSettings.objects.exists()
    web.post(reverse("risk:settings"), {"action": "save", "key_threshold": "80", "warning_threshold": "30"})
    assert RiskSettings.objects.get(bureau=demo.county).key_threshold == 80
    assert login(demo.users["ad_officer"]).get(reverse("risk:settings")).status_code == 403


def test_the_import_page_imports_and_lists_refused_rows(make, demo, login):
    entity = make.entity()
    web = login(demo.users["office"])
    content = f"统一社会信用代码,名称,风险类别,月份\n{entity.uscc},{entity.name},C,2026-11\nbad,坏行,C,2026-11\n".encode()
    response = web.post(reverse("risk:import_list"), {"file": SimpleUploadedFile("分类.csv", content)})
    batch = CreditImport.objects.get()
    assert response.status_code == 302
    detail = web.get(batch.get_absolute_url()).content.decode()
    assert "统一社会信用代码应为18位" in detail
    assert (batch.created_count, batch.rejected_count) == (1, 1)


def test_the_api_reads_grades_with_reasons_and_history_and_previews_settings(make, demo, api):
    key, _plain = _graded(make)
    client = api(demo.users["office"])
    rows = client.get("/api/risk/grades/", {"grade": "key"}).json()["results"]
    assert [r["entity"] for r in rows] == [key.pk]
    assert rows[0]["words"].startswith("信用风险分类D类")
    history = client.get(f"/api/risk/grades/{rows[0]['id']}/history/").json()
    assert history[0]["to_grade"] == "key"
    settings = client.get("/api/risk/grades/settings/").json()
    assert settings["key_threshold"] == 60
    preview = client.post("/api/risk/grades/preview/", {"key_threshold": 80}, format="json").json()
    assert preview["moves"] == [
        {
            "from_grade": "key",
            "from_label": "重点监控",
            "to_grade": "warning",
            "to_label": "预警监控",
            "count": 1,
        }
    ]
    saved = client.post(
        "/api/risk/grades/settings/", {"weights": {"clues.clues_12m": 8}}, format="json"
    ).json()
    assert [i["weight"] for i in saved["indicators"] if i["key"] == "clues.clues_12m"] == [8]
    refused = api(demo.users["ad_officer"]).post("/api/risk/grades/settings/", {}, format="json")
    assert refused.status_code == 403
