"""The licence display check (亮照亮证, 电子商务法 art. 15; exemption statement, art. 10)."""

from __future__ import annotations

import pytest

from wangjian.monitoring.extract import extract
from wangjian.monitoring.licence import LicenceVerdict, licence_links, licence_verdict, normalize_name
from wangjian.registry import uscc

LINGZHI = uscc.complete("91341825MA2T3K4L5")
TEA = uscc.complete("92341825MA8N2P7Q1")
STRANGER = uscc.complete("91341825MA9X8W7U6")  # valid, not registered
REGISTRY = {
    LINGZHI: ("旌德县灵芝堂(旌阳)商贸有限公司", "existing"),
    TEA: ("旌德县三溪镇天山茶庄", "existing"),
}


def check(text, **kw):
    return licence_verdict(page=text, lookup=REGISTRY.get, **kw)


def bad_check_char(code):
    return code[:17] + ("0" if code[17] != "0" else "1")


def test_correct_licence_block_is_shown_ok():
    r = check(f"营业执照信息\n企业名称：旌德县灵芝堂(旌阳)商贸有限公司\n统一社会信用代码：{LINGZHI}")
    assert r.verdict == LicenceVerdict.SHOWN_OK
    assert (r.uscc, r.name, r.registered_name) == (
        LINGZHI,
        "旌德县灵芝堂(旌阳)商贸有限公司",
        REGISTRY[LINGZHI][0],
    )


def test_names_compare_after_brackets_width_and_traditional_characters():
    r = check(f"企業名稱：旌德縣靈芝堂（旌陽）商貿有限公司 統一社會信用代碼：{LINGZHI}")
    assert r.verdict == LicenceVerdict.SHOWN_OK
    assert r.name == "旌德縣靈芝堂（旌陽）商貿有限公司"  # as the page wrote it
    assert (
        check(f"企業名稱：旌德縣別家貿易有限公司 統一社會信用代碼：{LINGZHI}").verdict
        == LicenceVerdict.MISMATCH
    )


def test_full_width_and_spaced_code_is_normalised():
    spaced = " ".join(LINGZHI[i : i + 4] for i in range(0, 18, 4))
    full = spaced.translate(
        str.maketrans(
            "0123456789ABCDEFGHJKLMNPQRTUWXY",
            "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ",
        )
    )
    r = check(f"统一社会信用代码：{full}")
    assert (r.verdict, r.uscc) == (LicenceVerdict.SHOWN_OK, LINGZHI)


def test_page_without_licence_information_is_missing():
    r = check("欢迎光临本店，全场包邮。订单号：20240901123456789012")
    assert r.verdict == LicenceVerdict.MISSING
    assert "第十五条" in r.reason


def test_wrong_check_character_is_invalid_code():
    r = check(f"企业名称：旌德县灵芝堂(旌阳)商贸有限公司 统一社会信用代码：{bad_check_char(LINGZHI)}")
    assert r.verdict == LicenceVerdict.INVALID_CODE
    assert "校验码" in r.reason and r.uscc == bad_check_char(LINGZHI)


@pytest.mark.parametrize(
    "shown",
    [LINGZHI[:17], LINGZHI + "7", LINGZHI[:10] + "O" + LINGZHI[11:]],
    ids=["17 characters", "19 characters", "letter O outside the alphabet"],
)
def test_malformed_codes_are_invalid(shown):
    assert check(f"统一社会信用代码：{shown}").verdict == LicenceVerdict.INVALID_CODE


def test_valid_code_with_another_name_is_mismatch():
    r = check(f"企业名称：旌德县别家贸易有限公司\n统一社会信用代码：{LINGZHI}")
    assert r.verdict == LicenceVerdict.MISMATCH
    assert "旌德县别家贸易有限公司" in r.reason and REGISTRY[LINGZHI][0] in r.reason


def test_valid_code_of_another_entity_than_the_presence_is_mismatch():
    r = check(f"统一社会信用代码：{LINGZHI}", expected_uscc=TEA)
    assert r.verdict == LicenceVerdict.MISMATCH


def test_valid_code_not_in_the_registry_is_unregistered():
    r = check(f"主体名称：旌德县无名商店\n统一社会信用代码：{STRANGER}")
    assert (r.verdict, r.uscc) == (LicenceVerdict.UNREGISTERED, STRANGER)


@pytest.mark.parametrize(
    "statement",
    [
        "本店系个人销售自产农副产品，依法不需要办理市场主体登记。",
        "经营者声明：本人从事零星小额交易活动，依法无需办理登记。",
        "家庭手工业产品，个人经营。",
        "个人利用自己的技能从事依法无须取得许可的便民劳务活动",
    ],
)
def test_exemption_statement_is_exempt(statement):
    r = check(f"经营者：汪秀英（个人）\n{statement}")
    assert r.verdict == LicenceVerdict.EXEMPT
    assert "第十条" in r.reason


def test_a_code_shown_is_judged_even_beside_an_exemption_statement():
    r = check(f"依法不需要办理市场主体登记。统一社会信用代码：{bad_check_char(TEA)}")
    assert r.verdict == LicenceVerdict.INVALID_CODE


def test_old_fifteen_digit_registration_number_is_not_a_uscc():
    r = check("营业执照注册号：341825000012345")
    assert r.verdict == LicenceVerdict.INVALID_CODE and "15" in r.reason


def test_evidence_and_offsets_point_at_the_page_text():
    text = f"全场包邮。\n企业名称：旌德县三溪镇天山茶庄\n统一社会信用代码：{TEA}\n联系电话：0563-8021000"
    r = check(text)
    assert r.verdict == LicenceVerdict.SHOWN_OK
    assert text[r.start : r.end] == r.evidence
    assert TEA in r.evidence and "天山茶庄" in r.evidence


def test_labelled_code_wins_over_other_long_numbers():
    text = f"订单号：202409011234567890\n统一社会信用代码：{TEA}"
    assert check(text).uscc == TEA


def test_licence_in_an_image_alt_is_read():
    html = f'<html><body><p>欢迎</p><img src="/l.jpg" alt="营业执照 统一社会信用代码：{TEA}"></body></html>'
    r = licence_verdict(page=extract(html), lookup=REGISTRY.get)
    assert (r.verdict, r.source) == (LicenceVerdict.SHOWN_OK, "img_alt")


def test_electronic_licence_link_is_followed_by_the_caller():
    home = extract(
        '<html><body><a href="/s/licence.html"><img alt="电子营业执照亮照标识"></a></body></html>',
        base_url="http://127.0.0.1/s/",
    )
    assert licence_links(home) == ["http://127.0.0.1/s/licence.html"]
    without = licence_verdict(page=home, lookup=REGISTRY.get)
    assert without.verdict == LicenceVerdict.MISSING and "链接" in without.reason
    linked = extract(
        f"<html><body><p>名称：旌德县三溪镇天山茶庄</p><p>统一社会信用代码：{TEA}</p></body></html>"
    )
    r = licence_verdict(page=home, lookup=REGISTRY.get, linked_pages=[linked])
    assert (r.verdict, r.uscc) == (LicenceVerdict.SHOWN_OK, TEA)


def test_normalize_name_folds_what_should_not_matter_only():
    assert normalize_name("旌德县灵芝堂（旌阳）商贸有限公司") == normalize_name(
        "旌德县灵芝堂(旌阳)商贸有限公司"
    )
    assert normalize_name("旌德县灵芝堂商贸有限公司") != normalize_name("旌德县灵芝堂贸易有限公司")


def test_fields_run_together_still_give_the_right_name():
    r = check(f"企业名称：旌德县三溪镇天山茶庄统一社会信用代码：{TEA}住所：旌德县三溪镇")
    assert (r.verdict, r.name) == (LicenceVerdict.SHOWN_OK, "旌德县三溪镇天山茶庄")
