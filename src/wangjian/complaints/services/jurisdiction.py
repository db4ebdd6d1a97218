"""Which bureau handles a complaint or a report (投诉举报处理权限): the ground, the article, and whether it is ours.

市场监督管理投诉举报处理暂行办法 (总局令第20号, as amended on 2022-03-24), checked against its text:

- art. 12 para. 1: a **complaint** goes to the county bureau (县级) of the respondent's actual place of
  business or its domicile (实际经营地或者住所地);
- art. 12 para. 2: about a platform operator or a seller through its own website or other network
  service — the county bureau of its **domicile**; about a seller on a platform — of the seller's
  **actual place of business or the platform's domicile** (the consumer chooses);
- art. 12 para. 3: a superior bureau may handle a complaint a lower one received, or decide on the
  lower one's request;
- art. 13: where two bureaus both have it, the one that received the complaint first handles it;
- arts. 14, 15(1): a bureau without 处理权限 does not accept the complaint and tells the complainant
  within 7 working days;
- art. 25: a **report** goes to the bureau (县级以上) where the reported conduct happened;
- art. 27 para. 1: about a platform operator or an own website — its **domicile**; para. 2: about a
  seller on a platform — its **actual place of business**; the platform's domicile bureau may also
  handle it where it **received the report first** (先行收到) — as 市场监督管理行政处罚程序规定 art. 9
  says for cases;
- art. 29: a bureau without 处理权限 tells the reporter to go directly to the competent bureau;
- art. 30: a dispute over 处理权限 is settled within 7 working days, else the common superior names
  the bureau;
- art. 37 para. 1: a bureau's intake unit sends what it receives on to the competent lower bureau (分送).

The text speaks of telling the complainant or reporter, not of transferring the file itself: the result
names the competent region (``transfer_to_region``) so that the 12315 platform's 分送 or the officer's
notice can say where, with the reason recorded.

NB: 总局令第121号《市场监督管理投诉举报处理办法》 (published 2025-12-30, in force 2026-04-15) replaced the
暂行办法. Its article numbers are not verified here, and it is reported to add that a complaint about a
seller that has not published its address on the platform, or cannot be reached there, goes to the
platform's domicile. ``MEASURES`` and the article numbers below must be checked against its official text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.complaints.choices import Kind, RespondentKind
from wangjian.core import regions
from wangjian.core.errors import ValidationFailed
from wangjian.org.choices import BureauLevel
from wangjian.org.models import Bureau

MEASURES = "《市场监督管理投诉举报处理暂行办法》"
PROC = "《市场监督管理行政处罚程序规定》"

# The respondent's channel (how it sells) decides the ground; one vocabulary with the complaint's
# respondent kind: 电子商务平台经营者 / 平台内经营者 / 自建网站或其他网络服务经营者 / 线下经营者.
Channel = RespondentKind


class Ground(models.TextChoices):
    """The ground on which a bureau has the complaint or report (处理权限)."""

    DOMICILE = "domicile", _("住所地")
    ACTUAL_PLACE = "actual_place", _("实际经营地")
    PLATFORM_DOMICILE = "platform_domicile", _("平台经营者住所地")
    CONDUCT_PLACE = "conduct_place", _("被举报行为发生地")
    ASSIGNED = "assigned", _("上级决定或指定")


@dataclass(frozen=True)
class ComplaintJurisdiction:
    ground: str  # Ground value, "" when none holds for this bureau
    ours: bool
    alternatives: tuple[str, ...]  # every ground the rule gives on these facts (the consumer may choose)
    reason_zh: str
    reason_en: str
    transfer_to_region: str = ""  # the competent division's code when not ours ("" if unknown)


@dataclass(frozen=True)
class _Place:
    ground: str
    region: str
    label: str  # how the reason names it
    label_en: str


def _inside(code: str, bureau: Bureau) -> bool:
    code = (code or "").strip()
    if not code:
        return False
    return regions.inside_any(frozenset({code, code[:6]}), frozenset({bureau.code}))


def _where(code: str) -> str:
    return (regions.full_name(code) or code) if code else "（未填写）"


def _division(code: str) -> str:
    """The 6-digit division a (township) code lies in, which is what a bureau's code names."""
    d = regions.division(code)
    return d.code if d else (code or "").strip()[:6]


def _places(kind: str, channel: str, party: str, platform: str, domicile: str) -> list[_Place]:
    """The places the rule names for this kind and channel, in the order the article names them."""
    if channel in (Channel.PLATFORM, Channel.WEBSITE):
        return [_Place(Ground.DOMICILE, party, "住所地", "domicile")]
    if channel == Channel.SELLER:
        return [
            _Place(Ground.ACTUAL_PLACE, party, "平台内经营者实际经营地", "seller's actual place of business"),
            _Place(Ground.PLATFORM_DOMICILE, platform, "平台经营者住所地", "platform's domicile"),
        ]
    if kind == Kind.COMPLAINT:
        return [
            _Place(Ground.ACTUAL_PLACE, party, "实际经营地", "actual place of business"),
            _Place(Ground.DOMICILE, domicile, "住所地", "domicile"),
        ]
    return [_Place(Ground.CONDUCT_PLACE, party, "被举报行为发生地", "place of the reported conduct")]


def _basis(kind: str, channel: str) -> tuple[str, str]:
    """The article that gives the ground, as the reason cites it (zh, en)."""
    if kind == Kind.COMPLAINT:
        if channel in (Channel.PLATFORM, Channel.WEBSITE):
            return (
                f"{MEASURES}第十二条第二款：对电子商务平台经营者以及通过自建网站、其他网络服务销售商品或者提供服务的"
                "电子商务经营者的投诉，由其住所地县级市场监督管理部门处理",
                "Art. 12(2): a complaint about a platform operator or a seller through its own website goes to the "
                "county bureau of its domicile",
            )
        if channel == Channel.SELLER:
            return (
                f"{MEASURES}第十二条第二款：对平台内经营者的投诉，由其实际经营地或者平台经营者住所地县级市场监督管理部门处理",
                "Art. 12(2): a complaint about a seller on a platform goes to the county bureau of the seller's actual "
                "place of business or of the platform's domicile",
            )
        return (
            f"{MEASURES}第十二条第一款：投诉由被投诉人实际经营地或者住所地县级市场监督管理部门处理",
            "Art. 12(1): a complaint goes to the county bureau of the respondent's actual place of business or domicile",
        )
    if channel in (Channel.PLATFORM, Channel.WEBSITE):
        return (
            f"{MEASURES}第二十七条第一款：对电子商务平台经营者和通过自建网站、其他网络服务销售商品或者提供服务的"
            f"电子商务经营者的举报，由其住所地县级以上市场监督管理部门处理（{PROC}第九条第一款同）",
            "Art. 27(1): a report about a platform operator or a seller through its own website goes to the bureau "
            "of its domicile (the same in art. 9(1) of the procedure rules)",
        )
    if channel == Channel.SELLER:
        return (
            f"{MEASURES}第二十七条第二款：对平台内经营者的举报，由其实际经营地县级以上市场监督管理部门处理；"
            f"电子商务平台经营者住所地县级以上市场监督管理部门先行收到举报的，也可以予以处理（{PROC}第九条第二款同）",
            "Art. 27(2): a report about a seller on a platform goes to the bureau of its actual place of business; "
            "the platform's bureau may handle it where it received the report first (art. 9(2) of the procedure rules)",
        )
    return (
        f"{MEASURES}第二十五条：举报由被举报行为发生地的县级以上市场监督管理部门处理",
        "Art. 25: a report goes to the bureau where the reported conduct happened",
    )


def complaint_jurisdiction(
    *,
    bureau: Bureau,
    kind: str,
    channel: str,
    party_region: str,
    platform_region: str = "",
    received_first: bool = False,
    domicile_region: str = "",
    assigned: bool = False,
) -> ComplaintJurisdiction:
    """Whether ``bureau`` has the complaint or report, on which ground, and where it belongs if not.

    ``party_region``: the respondent's domicile (platform operator, own website), its actual place of
    business (a seller on a platform; an offline business's complaint), or where the reported conduct
    happened (an offline business's report). ``domicile_region``: an offline business's domicile, the
    complaint's second ground. ``platform_region``: the platform's domicile, for a seller on it.
    ``received_first``: this bureau received (or found) the report before any other. ``assigned``: a
    superior decided or named this bureau (arts. 12(3), 30).
    """
    if kind not in Kind.values:
        raise ValidationFailed(
            f"未知的类别：{kind}（应为投诉或举报）",
            f"Unknown kind: {kind} (complaint or report)",
            code="invalid",
        )
    if channel not in Channel.values:
        raise ValidationFailed(
            f"未知的被投诉举报人类型：{channel}", f"Unknown kind of respondent: {channel}", code="invalid"
        )
    complaint = kind == Kind.COMPLAINT
    places = _places(kind, channel, party_region, platform_region, domicile_region)
    seller_report = not complaint and channel == Channel.SELLER
    # a report about a seller: the platform's bureau only where it received the report first (art. 27(2))
    valid = [
        p
        for p in places
        if not (seller_report and p.ground == Ground.PLATFORM_DOMICILE and not received_first)
    ]
    alternatives = tuple(p.ground for p in valid)
    basis_zh, basis_en = _basis(kind, channel)

    if assigned:
        return ComplaintJurisdiction(
            Ground.ASSIGNED,
            True,
            alternatives,
            f"上级市场监督管理部门决定或者指定由本局处理（{MEASURES}"
            + ("第十二条第三款；" if complaint else "")
            + "处理权限有争议的，由共同的上一级市场监督管理部门指定处理机关，第三十条）。",
            "A superior bureau decided or named this bureau "
            + ("(art. 12(3); " if complaint else "(")
            + "a dispute over who handles it is settled by the common superior, art. 30).",
        )

    here = next((p for p in valid if _inside(p.region, bureau)), None)
    if here is not None and complaint and bureau.level != BureauLevel.COUNTY:
        # complaints are the county bureau's (art. 12); the superior's intake sends it on (art. 37(1))
        county = _division(here.region)
        division = regions.division(county)
        known = division is not None and division.level == regions.COUNTY
        return ComplaintJurisdiction(
            "",
            False,
            alternatives,
            f"{basis_zh}。{here.label} {_where(here.region)} 属本局辖区，但投诉由县级市场监督管理部门处理："
            + (f"应分送{_where(county)}市场监督管理部门" if known else "应查明所在县（区）后分送")
            + "（第三十七条第一款）。本局认为有必要自行处理的，依第十二条第三款以“上级决定或指定”记录。",
            f"{basis_en}. The {here.label_en} is in this bureau's area, but complaints are the county bureau's: send it on "
            "(art. 37(1)), or record that this bureau handles it as the superior (art. 12(3)).",
            county if known else "",
        )
    if here is not None:
        zh = f"{basis_zh}。{here.label} {_where(here.region)} 属本局辖区"
        en = f"{basis_en}. The {here.label_en} is in this bureau's area"
        if here.ground == Ground.PLATFORM_DOMICILE and seller_report:
            zh += "，本局先行收到该举报"
            en += ", and this bureau received the report first"
        if len(valid) > 1 and complaint:
            zh += "；两地均有处理权限的，由先收到投诉的部门处理（第十三条）"
            en += "; where both have it, the bureau that received the complaint first handles it (art. 13)"
        return ComplaintJurisdiction(here.ground, True, alternatives, zh + "。", en + ".")

    # not ours: say where it belongs and why
    given = [f"{p.label} {_where(p.region)}" for p in places if p.region]
    if given:
        zh = f"{basis_zh}。{'；'.join(given)}{'，均' if len(given) > 1 else ' '}不在本局辖区"
        en = f"{basis_en}. None of the places given is in this bureau's area"
    else:
        zh = f"{basis_zh}。被投诉举报人所在地未填写，无法确定处理权限"
        en = f"{basis_en}. The respondent's place is not given, so the competent bureau is not known"
    platform = next((p for p in places if p.ground == Ground.PLATFORM_DOMICILE), None)
    if seller_report and platform and not received_first and _inside(platform.region, bureau):
        zh = f"{basis_zh}。平台经营者住所地 {_where(platform.region)} 虽属本局辖区，但本局并非先行收到该举报"
        en = f"{basis_en}. The platform's domicile is in this bureau's area, but this bureau did not receive the report first"
    target = next((p for p in places if p.region), None)
    to = _division(target.region) if target else ""
    where_to = (
        f"{_where(to)}市场监督管理部门"
        if to
        else "有处理权限的市场监督管理部门（须先查明被投诉举报人所在地）"
    )
    if complaint:
        zh += (
            f"。本局不具有处理权限，依第十五条第（一）项不予受理，并依第十四条自收到投诉之日起七个工作日内告知投诉人"
            f"向{where_to}提出，写明理由。"
        )
        en += (
            ". This bureau has no 处理权限: it does not accept the complaint (art. 15(1)) and tells the complainant "
            "within 7 working days (art. 14) which bureau to turn to, and why."
        )
    else:
        zh += (
            f"。依第二十九条，告知举报人直接向{where_to}提出，写明理由；"
            "对处理权限有争议的，依第三十条协商或者报请共同的上一级市场监督管理部门指定。"
        )
        en += (
            ". Tell the reporter to go directly to the competent bureau, with the reason (art. 29); a dispute over "
            "who handles it is settled by agreement or by the common superior (art. 30)."
        )
    return ComplaintJurisdiction("", False, alternatives, zh, en, to)
