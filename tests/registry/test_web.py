"""Registry pages: search, the archive page, upload with preview and mapping, review, corrections, scoping."""

import pytest
from django.urls import reverse

from tests.registry.conftest import HONGDA, LIHUA, csv_bytes
from wangjian.core.models import ChangeRecord
from wangjian.registry import services
from wangjian.registry.choices import CorrectionStatus, MatchOutcome
from wangjian.registry.models import CorrectionRequest, ImportBatch, MarketEntity, MatchResult

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "q",
    [
        HONGDA,
        HONGDA.lower(),
        "旌德县宏达商贸有限责任公司",
        "宏达商贸",
        "宏達商貿有限公司",
        "安徽省旌德县宏达商贸有限公司",
        "张伟",
        "138-5550-1234",
    ],
)
def test_entity_search_finds_by_code_name_variants_legal_rep_and_phone(registry, demo, login, q):
    page = login(demo.users["ad_officer"]).get(reverse("registry:entity_list"), {"q": q})
    assert page.status_code == 200
    assert "旌德县宏达商贸有限责任公司" in page.content.decode()
    assert "旌德县丽华百货经营部" not in page.content.decode()


@pytest.mark.django_db
def test_the_start_of_a_code_finds_the_entities_whose_code_starts_so(registry, demo):
    from wangjian.registry import selectors

    found = selectors.entity_search(MarketEntity.objects.all(), HONGDA[:10])
    assert [e.uscc for e in found] == [
        e for e in MarketEntity.objects.values_list("uscc", flat=True) if e.startswith(HONGDA[:10])
    ]
    assert HONGDA in [e.uscc for e in found]
    assert not selectors.entity_search(MarketEntity.objects.all(), "999999999").exists()


def test_lists_mask_personal_data(registry, demo, login):
    client = login(demo.users["ad_officer"])
    html = client.get(reverse("registry:entity_list")).content.decode()
    assert "13855501234" not in html and "张伟" not in html and "张*" in html
    csv_text = client.get(reverse("registry:entity_list"), {"export": "csv"}).content.decode()
    assert "13855501234" not in csv_text and "138****1234" in csv_text


def test_archive_page_shows_facts_presences_and_history_with_personal_data_masked(
    registry, demo, login, write
):
    e = MarketEntity.objects.get(uscc=HONGDA)
    officer = demo.users["ad_officer"]
    html = login(officer).get(e.get_absolute_url()).content.decode()
    assert "13855501234" not in html and "138****1234" in html
    assert "网络经营场所" in html and "历史" in html and 'id="personal-form"' in html
    assert not ChangeRecord.objects.filter(action="view", object_id=str(e.pk)).exists()


def test_a_role_that_needs_it_unmasks_one_archive_with_a_reason_and_the_read_is_logged(registry, demo, login):
    e = MarketEntity.objects.get(uscc=HONGDA)
    officer = demo.users["ad_officer"]
    client = login(officer)
    refused = client.post(e.get_absolute_url(), {"reason": " "}, follow=True).content.decode()
    assert "13855501234" not in refused and "查看个人信息须写明理由" in refused
    html = client.post(e.get_absolute_url(), {"reason": "核查投诉举报线索"}).content.decode()
    assert "13855501234" in html and "张伟" in html and 'id="personal-logged"' in html
    view = ChangeRecord.objects.get(action="view", object_id=str(e.pk))
    assert (view.user, view.reason) == (officer, "核查投诉举报线索")
    report = (
        login(demo.users["auditor"]).get(reverse("platform:changelog"), {"action": "view"}).content.decode()
    )
    assert "核查投诉举报线索" in report and officer.username in report


def test_the_api_masks_lists_and_single_reads_and_unmasks_only_by_a_logged_request(registry, demo, api):
    e = MarketEntity.objects.get(uscc=HONGDA)
    officer, auditor = api(demo.users["ad_officer"]), api(demo.users["auditor"])
    listed = officer.get("/api/registry/entities/", {"q": "宏达商贸"}).json()["results"][0]
    single = officer.get(f"/api/registry/entities/{e.pk}/").json()
    for row in (listed, single):
        assert row["phone"] == "138****1234" and row["legal_rep"] == "张*"
    url = f"/api/registry/entities/{e.pk}/personal/"
    assert officer.post(url, {}, format="json").status_code == 400
    read = officer.post(url, {"reason": "现场检查"}, format="json")
    assert read.status_code == 200 and read.json() == {"legal_rep": "张伟", "phone": "13855501234"}
    denied = auditor.post(url, {"reason": "看看"}, format="json")
    assert denied.status_code == 403 and "13855501234" not in denied.content.decode()
    views = ChangeRecord.objects.filter(action="view", object_id=str(e.pk))
    assert [(v.user.username, v.via, v.reason) for v in views] == [
        (demo.users["ad_officer"].username, "api", "现场检查")
    ]


def test_an_auditor_sees_the_archive_masked(registry, demo, login):
    e = MarketEntity.objects.get(uscc=HONGDA)
    html = login(demo.users["auditor"]).get(e.get_absolute_url()).content.decode()
    assert "13855501234" not in html and "138****1234" in html


def test_another_bureaus_officer_sees_nothing(registry, demo, login, api):
    jixi = demo.users["jixi_officer"]
    client = login(jixi)
    html = client.get(reverse("registry:entity_list"), {"q": "宏达商贸"}).content.decode()
    assert "宏达商贸" not in html.split("</form>")[-1]
    e = MarketEntity.objects.get(uscc=HONGDA)
    assert client.get(e.get_absolute_url()).status_code == 404
    assert api(jixi).get("/api/registry/entities/").json()["results"] == []
    assert api(jixi).get(f"/api/registry/entities/{e.pk}/").status_code == 404
    # the city bureau oversees its counties
    assert len(api(demo.users["city_office"]).get("/api/registry/entities/").json()["results"]) == 4


def test_upload_preview_mapping_and_import(demo, login, write):
    client = login(demo.users["office"])
    content = csv_bytes(
        ["代码", "企业名称", "电话"],
        [[HONGDA, "旌德县宏达商贸有限公司", "13855501234"], ["bad", "x", ""]],
        "gbk",
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        reverse("registry:import_upload"),
        {"kind": "registry", "file": SimpleUploadedFile("登记.csv", content)},
    )
    assert r.status_code == 302
    preview = client.get(r["Location"])
    html = preview.content.decode()
    assert "gbk" in html and "企业名称" in html and "旌德县宏达商贸有限公司" in html
    done = client.post(r["Location"], {"map_uscc": "0", "map_name": "1", "map_phone": "2"})
    batch = ImportBatch.objects.get()
    assert done["Location"] == batch.get_absolute_url()
    assert (batch.created_count, batch.rejected_count) == (1, 1)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "100%" in page and "拒收行" in page
    rejected = client.get(reverse("registry:importbatch_rejected", args=[batch.pk])).content.decode(
        "utf-8-sig"
    )
    assert "统一社会信用代码" in rejected and "应为18位" in rejected


def test_an_auditor_cannot_open_the_upload_page(demo, login):
    assert login(demo.users["auditor"]).get(reverse("registry:import_upload")).status_code == 403


def _sellers(demo, write):
    platform, _ = services.platform_get_or_create(bureau=demo.county, name="某宝")
    rows = [
        ["A1", "茶叶店", "绿源茶叶", "", "黄山市屯溪区老街1号", "", ""],
        ["A2", "丽华", "丽华百货", LIHUA, "", "", ""],
    ]
    path = write(
        "s.csv",
        csv_bytes(["店铺ID", "店铺名称", "主体名称", "统一社会信用代码", "地址", "电话", "店铺网址"], rows),
    )
    services.sellers_import(bureau=demo.county, platform=platform, path=path)


def test_review_queue_accepts_with_one_request(registry, demo, login, write):
    _sellers(demo, write)
    client = login(demo.users["ad_officer"])
    html = client.get(reverse("registry:review")).content.decode()
    assert "绿源茶叶" in html and "确认 (A)" in html
    item = MatchResult.objects.get(outcome=MatchOutcome.REVIEW)
    r = client.post(
        reverse("registry:match_decide", args=[item.pk]), {"decision": "accept"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "已处理" in r.content.decode()
    item.refresh_from_db()
    assert item.decided and item.outcome == MatchOutcome.AUTO


def test_a_yes_no_filter_offers_all_yes_and_no_and_filters_by_it(registry, demo, login, write):
    _sellers(demo, write)
    client = login(demo.users["ad_officer"])
    item = MatchResult.objects.filter(outcome=MatchOutcome.REVIEW).first()
    services.match_review(result=item, decision="accept", user=demo.users["ad_officer"])
    url = reverse("registry:match_list")
    html = client.get(url).content.decode()
    assert '<option value="unknown" selected>全部</option>' in html and "未知" not in html
    decided = client.get(url, {"decided": "true"}).content.decode()
    assert item.seller.seller_id in decided and "共 1 条" in decided


def test_api_lists_match_results_and_takes_decisions_with_cursor_pagination(registry, demo, write, api):
    _sellers(demo, write)
    client = api(demo.users["ad_officer"])
    page = client.get("/api/registry/match-results/", {"limit": 1}).json()
    assert len(page["results"]) == 1 and page["next"] and "cursor=" in page["next"]
    review = client.get("/api/registry/match-results/", {"outcome": "review"}).json()["results"][0]
    r = client.post(
        f"/api/registry/match-results/{review['id']}/decide/", {"decision": "reject"}, format="json"
    )
    assert r.status_code == 200 and r.json()["outcome"] == "none"
    entities = client.get("/api/registry/entities/", {"q": "宏达商贸"}).json()["results"]
    assert [e["uscc"] for e in entities] == [HONGDA]
    assert entities[0]["phone"] == "138****1234"  # lists are masked for every role
    masked = api(demo.users["auditor"]).get("/api/registry/entities/", {"q": "宏达商贸"}).json()["results"][0]
    assert masked["phone"] == "138****1234" and masked["legal_rep"] == "张*"
    for path in ("presences", "platforms", "import-batches"):
        assert client.get(f"/api/registry/{path}/").status_code == 200


def test_correction_is_applied_only_after_the_department_head_approves(registry, demo, login):
    e = MarketEntity.objects.get(uscc=HONGDA)
    officer, head = demo.users["ad_officer"], demo.users["ad_head"]
    r = login(officer).post(
        reverse("registry:correction_new", args=["entity", e.pk]),
        {
            "field": "address",
            "proposed_value": "旌德县旌阳镇新建路8号",
            "evidence_note": "实地核查，门牌已变更",
        },
    )
    c = CorrectionRequest.objects.get()
    assert r["Location"] == c.get_absolute_url()
    e.refresh_from_db()
    assert e.address != "旌德县旌阳镇新建路8号"
    # the requester cannot approve; the head can
    login(officer).post(reverse("registry:correction_decide", args=[c.pk]), {"approve": "1"})
    c.refresh_from_db()
    assert c.status == CorrectionStatus.PENDING
    login(head).post(reverse("registry:correction_decide", args=[c.pk]), {"approve": "1", "note": "同意"})
    c.refresh_from_db()
    e.refresh_from_db()
    assert c.status == CorrectionStatus.APPLIED and c.decided_by == head
    assert e.address == "旌德县旌阳镇新建路8号"
    record = ChangeRecord.objects.filter(
        content_type__model="marketentity", object_id=str(e.pk), action="update"
    ).get()
    assert record.user == head and record.reason == f"核实优化数据 #{c.pk}"


def test_every_registry_page_renders(registry, demo, login, write):
    _sellers(demo, write)
    client = login(demo.users["office"])
    e = MarketEntity.objects.get(uscc=HONGDA)
    p = e.presences.first() or MatchResult.objects.exclude(seller__presence=None).first().seller.presence
    for name, args in [
        ("registry:entity_list", []),
        ("registry:entity", [e.pk]),
        ("registry:entity_changelog", [e.pk]),
        ("registry:presence_list", []),
        ("registry:presence", [p.pk]),
        ("registry:platform_list", []),
        ("registry:platform", [p.platform_id]),
        ("registry:importbatch_list", []),
        ("registry:importbatch", [ImportBatch.objects.first().pk]),
        ("registry:match_list", []),
        ("registry:review", []),
        ("registry:correction_list", []),
        ("registry:import_upload", []),
        ("registry:correction_new", ["presence", p.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_a_word_from_the_middle_of_the_name_finds_the_entity_when_nothing_starts_so(registry, demo, login):
    client = login(demo.users["office"])
    html = client.get(reverse("registry:entity_list"), {"q": "茶叶专业"}).content.decode()
    results = html.split("</form>")[-1]
    assert "绿源茶叶专业合作社" in results and "宏达商贸" not in results
    assert (
        "宏达商贸"
        not in client.get(reverse("registry:entity_list"), {"q": "茶叶鲜花"})
        .content.decode()
        .split("</form>")[-1]
    )
