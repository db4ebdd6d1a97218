"""The pages and the API: draft, preview, edit, downloads; refusals in the same words on both."""

from __future__ import annotations

import io

from django.utils.html import escape
from openpyxl import load_workbook

from tests.bulletins.conftest import DRAFTED, NOVEMBER
from wangjian.bulletins.models import Bulletin
from wangjian.org import permissions


def test_the_office_drafts_edits_and_previews_it_on_its_pages(demo, office, month, login, clock):
    clock(DRAFTED)
    client = login(office)
    form = client.get("/bulletins/add/").content.decode()
    assert 'value="2025-11-01"' in form and 'value="2025-12-01"' not in form
    response = client.post(
        "/bulletins/add/", {"month": "2025-11-01", "highlights": "（一）专项监测。检查网店。"}
    )
    bulletin = Bulletin.objects.get(bureau=demo.county)
    assert response.status_code == 302 and response["Location"] == f"/bulletins/{bulletin.pk}/"
    case = demo.county.cases.get(typical=True)
    client.post(
        response["Location"],
        {
            "highlights": "（一）专项监测。检查网店。",
            "addressee": "各股室、各所",
            "typical_cases_shown": "1",
            "typical_cases": [str(case.pk)],
            "save": "1",
        },
    )
    bulletin.refresh_from_db()
    assert bulletin.addressee == "各股室、各所" and list(bulletin.typical_cases.all()) == [case]
    page = client.get(response["Location"]).content.decode()
    assert "受理线索2件" in page and 'id="bulletin-figures"' in page and "某茶叶网店虚假宣传案" in page
    preview = client.get(f"/bulletins/{bulletin.pk}/preview/").content.decode()
    assert "旌德县市场监督管理局文件" in preview and "（草稿，未印发）" in preview
    docx = client.get(f"/bulletins/{bulletin.pk}/docx/")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    xlsx = client.get(f"/bulletins/{bulletin.pk}/table/?layout=annex")
    assert load_workbook(io.BytesIO(xlsx.content)).active["A1"].value == "2025年11月网络市场监管工作统计表"
    assert bulletin.title in client.get("/bulletins/").content.decode()


def test_the_api_drafts_edits_lists_and_exports_as_the_page_does(demo, office, month, api, clock):
    clock(DRAFTED)
    client = api(office)
    r = client.post("/api/bulletins/", {"month": "2025-11-01", "highlights": "亮点"}, format="json")
    assert r.status_code == 201, r.content
    bulletin = r.json()
    assert (
        bulletin["state"] == "draft"
        and {row["key"]: row["now"] for row in bulletin["figures"]["rows"]}["clues_received"] == "2"
    )
    r = client.post("/api/bulletins/", {"month": "2025-11-15"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["zh"] == "通报月份应为该月1日"
    case = demo.county.cases.get(typical=True)
    r = client.patch(
        f"/api/bulletins/{bulletin['id']}/", {"typical_cases": [case.pk], "copy_to": "县政府"}, format="json"
    )
    assert r.status_code == 200 and r.json()["typical_cases"] == [case.pk] and r.json()["copy_to"] == "县政府"
    assert client.post(f"/api/bulletins/{bulletin['id']}/recount/").status_code == 200
    assert [b["id"] for b in client.get("/api/bulletins/").json()["results"]] == [bulletin["id"]]
    r = client.get(f"/api/bulletins/{bulletin['id']}/table/", {"layout": "campaign"})
    assert r.status_code == 200 and load_workbook(io.BytesIO(r.content)).active["A3"].value == "单位"
    r = client.get(f"/api/bulletins/{bulletin['id']}/table/", {"layout": "other"})
    assert r.status_code == 400


def test_a_refusal_reads_the_same_on_the_page_and_through_the_api(demo, draft, login, api, clock):
    clock(DRAFTED)
    leader = demo.users["leader"]
    writers = permissions.get("bulletins.issue").refusal()[0]
    page = login(leader).post(f"/bulletins/{draft.pk}/", {"highlights": "改", "save": "1"}, follow=True)
    assert escape(writers) in page.content.decode()
    answer = api(leader).patch(f"/api/bulletins/{draft.pk}/", {"highlights": "改"}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == writers
    page = login(leader).post("/bulletins/add/", {"month": "2025-10-01"}, follow=True)
    assert escape(writers) in page.content.decode()
    answer = api(leader).post("/api/bulletins/", {"month": "2025-10-01"}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == writers
    answer = api(leader).post(f"/api/bulletins/{draft.pk}/issue/")
    assert answer.status_code == 403 and answer.json()["error"]["zh"] == writers
    draft.refresh_from_db()
    assert draft.highlights != "改" and not draft.issued
    # 绩溪县 next door neither sees nor received it: missing, page and API
    jixi = demo.users["jixi_officer"]
    assert login(jixi).get(f"/bulletins/{draft.pk}/").status_code == 404
    assert api(jixi).get(f"/api/bulletins/{draft.pk}/").status_code == 404
    assert NOVEMBER.day == 1
