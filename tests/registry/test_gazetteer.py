"""Region prefixes from the full GB/T 2260 list: stripped in any province, never at the cost of a 字号."""

import pytest
from django.urls import reverse

from tests.registry.conftest import HONGDA, csv_bytes
from wangjian.registry import matching, services
from wangjian.registry.importing import clean_registry_row
from wangjian.registry.models import MarketEntity
from wangjian.registry.uscc import complete


@pytest.mark.parametrize(
    "name,core,regions",
    [
        ("浙江省杭州市西湖区宏达商贸有限公司", "宏达商贸", ("浙江省", "杭州市西湖区")),
        ("杭州西湖宏达商贸有限公司", "宏达商贸", ("杭州西湖",)),
        ("广西壮族自治区南宁市宏达商贸有限公司", "宏达商贸", ("广西壮族自治区", "南宁市")),
        ("广西南宁宏达商贸有限公司", "宏达商贸", ("广西", "南宁")),
        ("新疆维吾尔自治区乌鲁木齐市宏达商贸有限公司", "宏达商贸", ("新疆维吾尔自治区", "乌鲁木齐市")),
        ("北京市朝阳区宏达商贸有限公司", "宏达商贸", ("北京市朝阳区",)),
        ("延边朝鲜族自治州宏达商贸有限公司", "宏达商贸", ("延边朝鲜族自治州",)),
        ("恩施宏达商贸有限公司", "宏达商贸", ("恩施",)),
        ("安徽旌德宏达商贸有限公司", "宏达商贸", ("安徽", "旌德")),
        ("中国旌德县宏达商贸有限公司", "宏达商贸", ("中国", "旌德县")),
        ("宏达商贸(南宁)有限公司", "宏达商贸", ("南宁",)),
    ],
)
def test_region_prefixes_of_every_province_are_stripped(name, core, regions):
    parts = matching.name_parts(name)
    assert (parts.core, parts.regions) == (core, regions)


@pytest.mark.parametrize(
    "name,core",
    [
        # after 旌德县 only a division inside it is a region: 长兴 (浙江), 和平 (广东) are the 字号
        ("旌德县长兴茶叶有限公司", "长兴茶叶"),
        ("旌德县和平百货经营部", "和平百货"),
        # a county's short form does not open a name alone: 永昌 (甘肃) is the 字号 here
        ("永昌食品商贸有限公司", "永昌食品商贸"),
        # a district's short form only after its city: 光明区 (深圳), 吉利区 (洛阳)
        ("光明乳业股份有限公司", "光明乳业"),
        ("浙江吉利控股集团有限公司", "吉利控股"),
        # a city's short form may open a name only if a 字号 and a 行业 remain
        ("桂林山水有限公司", "桂林山水"),
    ],
)
def test_a_zihao_that_is_also_a_division_name_is_kept(name, core):
    assert matching.name_parts(name).core == core


def test_homonymous_districts_are_told_apart_by_their_city():
    assert matching.name_parts("长春市朝阳区宏达商贸有限公司").regions == ("长春市朝阳区",)
    assert matching.name_parts("北京朝阳宏达商贸有限公司").regions == ("北京朝阳",)
    # 西湖 alone is only the short form of two districts (杭州, 南昌): not a region at the front
    assert matching.name_parts("西湖宏达商贸有限公司").core == "西湖宏达商贸"
    # 朝阳 alone is also 朝阳市 (辽宁), a city, which may open a name
    assert matching.name_parts("朝阳宏达商贸有限公司").core == "宏达商贸"


def test_a_seller_from_another_province_matches_without_its_region_prefix():
    e = matching.name_parts("宏达商贸有限公司")
    index = matching.EntityIndex([(1, HONGDA, "宏达商贸有限公司", e.key, e.core, "", "")])
    m = matching.match_seller(
        index, matching.Seller("s1", claimed_name="广西壮族自治区南宁市宏达商贸有限公司")
    )
    assert m.entity_id == 1
    assert "去地域前缀" in m.reason_text


def test_a_county_short_form_as_zihao_still_matches_the_registered_name():
    name = "旌德县长兴茶叶有限公司"
    e = matching.name_parts(name)
    index = matching.EntityIndex([(1, HONGDA, name, e.key, e.core, "", "")])
    m = matching.match_seller(index, matching.Seller("s1", claimed_name="长兴茶叶有限公司"))
    assert (m.entity_id, m.outcome) == (1, "auto")


def _row(address, region=""):
    return {
        "uscc": complete("91110105MA2N00009"),
        "name": "宏达商贸有限公司",
        "address": address,
        "region_code": region,
    }


def test_import_takes_the_region_code_column_first():
    assert clean_registry_row(_row("安徽省宣城市旌德县", "341825100"))[0]["region_code"] == "341825100"


def test_import_accepts_a_code_the_division_list_no_longer_has():
    out, problems = clean_registry_row(_row("", "341822"))  # 广德县 before it became 广德市
    assert (out["region_code"], problems) == ("341822", [])


def test_import_derives_the_county_from_the_address_before_the_code():
    assert clean_registry_row(_row("安徽省宣城市旌德县旌阳镇文化路12号"))[0]["region_code"] == "341825"


@pytest.mark.parametrize("address", ["宣城市中山路1号", "朝阳区建国路88号", ""])
def test_import_falls_back_to_the_code_when_the_address_names_no_single_county(address):
    assert clean_registry_row(_row(address))[0]["region_code"] == "110105"


@pytest.mark.django_db
def test_imported_entity_gets_its_county_from_the_address_and_the_archive_names_it(demo, write, login):
    header = ["统一社会信用代码", "名称", "住所"]
    code = complete("91341800MA2N00010")  # registered by the city, seated in 旌德县
    rows = [[code, "旌德县宏远商贸有限公司", "安徽省宣城市旌德县旌阳镇文化路1号"]]
    services.registry_import(
        bureau=demo.county, path=write("r.csv", csv_bytes(header, rows)), user=demo.users["office"]
    )
    e = MarketEntity.objects.get(uscc=code)
    assert e.region_code == "341825"
    html = login(demo.users["office"]).get(reverse("registry:entity", args=[e.pk])).content.decode()
    assert "安徽省宣城市旌德县" in html


def test_sellers_have_no_region_field_to_fill():
    from wangjian.registry.models import SellerReport

    assert "region_code" not in {f.name for f in SellerReport._meta.get_fields()}


@pytest.mark.django_db
def test_the_entity_list_names_the_division_beside_its_code(registry, demo, login):
    html = login(demo.users["office"]).get(reverse("registry:entity_list")).content.decode()
    assert "安徽省宣城市旌德县" in html and "341825" in html
