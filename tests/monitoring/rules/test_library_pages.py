"""The pages: lists, the test bench, import with errors named by rule, export, publish, diff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wangjian.monitoring import rulefile, services
from wangjian.monitoring.choices import VersionStatus
from wangjian.monitoring.models import RuleLibraryVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo):
    """The county with the default libraries published (what the demo loads before its market)."""
    services.libraries_load_defaults(bureau=demo.county, actor=None)
    return demo


def test_library_and_rule_lists_show_the_published_defaults(loaded, login):
    client = login(loaded.users["ad_officer"])
    page = client.get(reverse("monitoring:library_list")).content.decode()
    assert "advertising" in page and "互联网广告违法行为监测关键词库" in page
    rules = client.get(reverse("monitoring:rule_list") + "?category=counterfeit").content.decode()
    assert "CF-001" in rules and "ABS-001" not in rules


def test_test_bench_highlights_hits_and_names_the_exemption(loaded, login):
    client = login(loaded.users["ad_officer"])
    response = client.post(reverse("monitoring:bench"), {"text": "这是最 佳！本品最佳赏味期7天 <b>x</b>"})
    page = response.content.decode()
    assert '<mark class="wj-hit" title="ABS-001 absolute_terms">最 佳</mark>' in page
    assert "消费提示" in page  # the exemption that decided the second 最佳
    assert "&lt;b&gt;x&lt;/b&gt;" in page  # the pasted text is escaped


def test_test_bench_shows_the_similarity_models_review_signals_apart_from_the_hits(
    loaded, login, lying_flat_model
):
    client = login(loaded.users["ad_officer"])
    page = client.post(reverse("monitoring:bench"), {"text": "每天躺着也能躺赚三千元"}).content.decode()
    assert 'id="bench-similar"' in page and "措辞与已查处违法用语相似" in page
    assert "未命中任何规则" in page  # a signal, not a rule's hit
    assert "躺赚" in page and "不作认定" in page


def test_import_of_a_bad_file_lists_the_problems_by_rule(loaded, login):
    client = login(loaded.users["office"])
    bad = b"library: x\nrules:\n  - {code: BAD-1, category: nope, terms: [a]}\n  - {code: BAD-2, category: mlm}\n"
    response = client.post(
        reverse("monitoring:library_import"),
        {"bureau": loaded.county.pk, "file": SimpleUploadedFile("x.yaml", bad)},
    )
    page = response.content.decode()
    assert "BAD-1" in page and "unknown category" in page
    assert "BAD-2" in page and "empty terms" in page


def test_import_export_and_publish_through_the_pages(loaded, login):
    client = login(loaded.users["office"])
    version = RuleLibraryVersion.objects.get(library__bureau=loaded.county, library__name="price")
    exported = client.get(reverse("monitoring:version_export", args=[version.pk]) + "?format=xlsx")
    assert exported.status_code == 200
    lib = rulefile.load_excel(exported.content)
    lib.rules[0].terms.append("永久清仓")
    response = client.post(
        reverse("monitoring:library_import"),
        {"bureau": loaded.county.pk, "file": SimpleUploadedFile("price.xlsx", rulefile.dump_excel(lib))},
    )
    draft = RuleLibraryVersion.objects.get(library=version.library, number=2)
    assert response.status_code == 302 and draft.status == VersionStatus.DRAFT
    diff = client.get(reverse("monitoring:version_diff", args=[draft.pk])).content.decode()
    assert "diff-table" in diff
    client.post(reverse("monitoring:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_by == loaded.users["office"]


def test_an_officer_sees_no_publish_button_and_cannot_publish(loaded, login):
    client = login(loaded.users["ad_officer"])
    version = RuleLibraryVersion.objects.get(library__bureau=loaded.county, library__name="mlm")
    spec = version.spec()
    draft = services.version_create(bureau=loaded.county, spec=spec, source="test")
    page = client.get(reverse("monitoring:version", args=[draft.pk])).content.decode()
    assert "publish-button" not in page
    client.post(reverse("monitoring:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
