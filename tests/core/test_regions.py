"""The GB/T 2260 division list: names, short forms, homonyms and the division an address names."""

import pytest

from wangjian.core import regions
from wangjian.core.errors import WangjianError


def test_a_county_has_its_level_parent_and_full_name():
    d = regions.division("341825")
    assert (d.name, d.level, d.parent) == ("旌德县", regions.COUNTY, "341800")
    assert regions.full_name("341825") == "安徽省宣城市旌德县"
    assert regions.name_of("341800") == "宣城市"
    assert regions.division("341800").level == regions.CITY
    assert regions.division("340000").level == regions.PROVINCE


def test_a_township_code_is_named_by_its_county_and_an_unknown_code_by_nothing():
    assert regions.full_name("341825100") == "安徽省宣城市旌德县"
    assert regions.full_name("341822") == ""  # 广德县, now 广德市 341882
    assert regions.division("12") is None


def test_municipality_districts_sit_directly_under_the_city_and_groupings_are_skipped():
    assert regions.division("110105").parent == "110000"
    assert regions.full_name("110105") == "北京市朝阳区"
    assert regions.full_name("500101") == "重庆市万州区"
    assert regions.full_name("469001") == "海南省五指山市"  # under 469000 省直辖县级行政区划


@pytest.mark.parametrize(
    "name,short",
    [
        ("宣城市", "宣城"),
        ("旌德县", "旌德"),
        ("内蒙古自治区", "内蒙古"),
        ("新疆维吾尔自治区", "新疆"),
        ("广西壮族自治区", "广西"),
        ("延边朝鲜族自治州", "延边"),
        ("恩施土家族苗族自治州", "恩施"),
        ("海西蒙古族藏族自治州", "海西"),
        ("东乡族自治县", "东乡"),
        ("香港特别行政区", "香港"),
        ("神农架林区", "神农架"),
        ("浦东新区", "浦东"),
        ("泾县", "泾县"),
        ("城区", "城区"),
    ],
)
def test_short_forms_keep_at_least_two_characters(name, short):
    assert regions.short_form(name) == short


def test_names_hold_every_division_and_its_short_form_but_no_groupings():
    names = regions.names()
    assert {"旌德县", "旌德", "延边", "恩施", "内蒙古", "西湖区", "西湖"} <= names
    assert "市辖区" not in names
    assert not any("直辖县级" in n for n in names)


def test_a_district_short_form_opens_a_name_only_after_its_city():
    forms = regions.prefix_forms()
    assert "光明" not in forms  # 光明区 (深圳): 光明乳业 keeps its 字号
    assert forms["深圳光明"].codes == {"440311"}
    assert forms["光明区"].alone
    assert forms["杭州"].alone and forms["杭州"].short
    assert not forms["长兴"].alone  # a county's short form: only after 浙江/湖州


@pytest.mark.parametrize(
    "address,code",
    [
        ("安徽省宣城市旌德县旌阳镇文化路12号", "341825"),
        ("宣城市旌德县旌阳镇", "341825"),
        ("旌德县旌阳镇和平路3号", "341825"),
        ("安徽宣城旌德县", "341825"),
        ("宣城市中山路1号", "341800"),
        ("北京市朝阳区建国路88号", "110105"),
        ("北京市市辖区东城区", "110101"),
        ("上海市上海市浦东新区世纪大道", "310115"),
        ("吉林省长春市朝阳区", "220104"),
        ("福州市鼓楼区", "350102"),
        ("江苏省鼓楼区", "320000"),  # 南京 and 徐州 both have one: only the province is certain
        ("湖北省仙桃市", "429004"),
        ("安徽省朝阳区", "340000"),  # the names disagree: read up to the last that fits
    ],
)
def test_region_from_address(address, code):
    assert regions.region_from_address(address) == code


@pytest.mark.parametrize("address", ["朝阳区建国路88号", "鼓楼区中山路", "中山路1号", "文化路12号", ""])
def test_an_ambiguous_or_missing_division_gives_none(address):
    assert regions.region_from_address(address) is None


def test_a_missing_data_file_says_to_run_make_install(monkeypatch, tmp_path):
    monkeypatch.setattr(regions, "DATA_FILE", tmp_path / "divisions.tsv")
    regions._table.cache_clear()
    try:
        with pytest.raises(WangjianError) as err:
            regions.division("341825")
        assert "make install" in err.value.zh and "make install" in err.value.en
        assert err.value.code == "divisions_missing"
    finally:
        monkeypatch.undo()
        regions._table.cache_clear()
    assert regions.name_of("341825") == "旌德县"


def test_region_name_filter_shows_the_full_name():
    from wangjian.core.templatetags.wangjian import region_name

    assert region_name("341825") == "安徽省宣城市旌德县"
    assert region_name("999999") == ""
    assert region_name(None) == ""
