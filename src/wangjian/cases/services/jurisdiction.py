"""Jurisdiction (管辖) checked when a case is drafted: the ground, the article, and whether it is this bureau's.

市场监督管理行政处罚程序规定 (2022):
- art. 9 para. 1: 电子商务平台经营者 and those selling through their own website or other network
  services — the bureau of their **domicile** (住所地);
- art. 9 para. 2: 平台内经营者 — the bureau of their **actual place of business** (实际经营地); the
  bureau of the platform's domicile may also take it when it found the matter first or received
  the complaint or report (先行发现违法线索或者收到投诉、举报);
- art. 10: advertising through mass media including the internet — the bureau where the **ad
  publisher** is; for internet ads the bureau of the advertiser or the ad agency may take it when
  it found it first or received the complaint; ads an advertiser publishes itself — the
  advertiser's bureau;
- art. 6: otherwise the place where the violation occurred (违法行为发生地); art. 14: a superior
  may assign a case (指定管辖).

The check returns what it decided and why; a case outside the bureau's ground can still be
drafted, but only with the dispute recorded (who else has it, and why this bureau handles it).
"""

from __future__ import annotations

from dataclasses import dataclass

from wangjian.cases.choices import Jurisdiction
from wangjian.core import regions
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau

PROC = "《市场监督管理行政处罚程序规定》"
FIRST_SOURCES = frozenset({"monitoring", "complaint", "inspection"})  # found here first, or a complaint here


@dataclass(frozen=True)
class JurisdictionCheck:
    ground: str  # Jurisdiction value, "" when none holds
    ours: bool
    reason_zh: str
    reason_en: str


def _inside(code: str, bureau: Bureau) -> bool:
    code = (code or "").strip()
    if not code:
        return False
    return regions.inside_any(frozenset({code, code[:6]}), frozenset({bureau.code}))


def _where(code: str) -> str:
    return (regions.full_name(code) or code) if code else "（未填写）"


def jurisdiction_check(
    *,
    bureau: Bureau,
    domain: str,
    presence_kind: str,
    party_region: str,
    platform_region: str = "",
    source_kind: str = "",
) -> JurisdictionCheck:
    """Which ground gives ``bureau`` the case, or why none does (the party's and the platform's regions)."""
    on_platform = presence_kind == "platform_shop"
    party_here = _inside(party_region, bureau)
    if domain == Domain.INTERNET_ADVERTISING:
        if party_here:
            return JurisdictionCheck(
                Jurisdiction.ADVERTISER,
                True,
                f"{PROC}第十条：广告主自行发布的互联网广告由广告主所在地管辖；广告主所在地先行发现的也可以管辖。"
                f"当事人所在地 {_where(party_region)} 属本局辖区。",
                "Art. 10: an advertiser's own internet ad is the advertiser's bureau's; the party is in this bureau's area.",
            )
        if on_platform and _inside(platform_region, bureau) and source_kind in FIRST_SOURCES:
            return JurisdictionCheck(
                Jurisdiction.AD_PUBLISHER,
                True,
                f"{PROC}第十条：违法广告由广告发布者所在地管辖；发布平台住所地 {_where(platform_region)} 属本局辖区。",
                "Art. 10: the ad publisher's (the platform's) bureau.",
            )
    elif on_platform:
        if party_here:
            return JurisdictionCheck(
                Jurisdiction.ACTUAL_PLACE,
                True,
                f"{PROC}第九条第二款：平台内经营者的违法行为由其实际经营地管辖；实际经营地 {_where(party_region)} 属本局辖区。",
                "Art. 9(2): a seller on a platform is handled where it actually does business; that is this bureau's area.",
            )
        if _inside(platform_region, bureau) and source_kind in FIRST_SOURCES:
            return JurisdictionCheck(
                Jurisdiction.PLATFORM_FIRST,
                True,
                f"{PROC}第九条第二款：电子商务平台经营者住所地（{_where(platform_region)}）市场监督管理部门先行发现违法线索"
                "或者收到投诉、举报的，也可以管辖。",
                "Art. 9(2): the platform's bureau may take it when it found the matter first or received the complaint.",
            )
    elif party_here:
        return JurisdictionCheck(
            Jurisdiction.DOMICILE,
            True,
            f"{PROC}第九条第一款：平台经营者、通过自建网站或者其他网络服务经营的，由其住所地管辖；"
            f"住所地 {_where(party_region)} 属本局辖区。",
            "Art. 9(1): a platform or a seller through its own website is handled at its domicile; that is this bureau's area.",
        )
    where = _where(party_region)
    return JurisdictionCheck(
        "",
        False,
        f"当事人住所地/实际经营地 {where} 不在本局辖区"
        + (f"，平台住所地 {_where(platform_region)} 也不在本局辖区或本局并非先行发现" if on_platform else "")
        + f"（{PROC}第九条、第十条）。如系上级指定管辖（第十四条）或违法行为发生地在本局（第六条），请在“管辖争议”中写明；否则应移送有管辖权的局。",
        "The party's place is outside this bureau's area (arts. 9, 10): record why this bureau handles it "
        "(assigned by a superior, art. 14; or the violation occurred here, art. 6), or transfer it.",
    )
