"""The permit display check (亮证核验), beside the licence display check (亮照, ``licence``).

Besides its business licence, an online seller must show the permit its goods require:

- food: the 食品经营许可证 (食品安全法 art. 35; 网络食品安全违法行为查处办法, which has online food sellers
  show it on their main page) — except a seller of pre-packaged food only, which needs a filing
  (仅销售预包装食品备案, 食品安全法 art. 35 as amended 2021) and is never accused of lacking a licence;
- drugs: the 药品经营许可证 on the home page (药品网络销售监督管理办法, 2022, art. 13), and on a site of
  its own the 互联网药品信息服务资格证书 number (互联网药品信息服务管理办法 art. 8);
- medical devices: nothing for class I, the 经营备案 for class II (unless the product is in the catalogue
  exempt from it), the 经营许可证 for class III (医疗器械经营监督管理办法, 2022, arts. 4, 21, 25), shown on
  the main page (医疗器械网络销售监督管理办法 art. 10);
- a third-party online food platform: its filing (网络食品安全违法行为查处办法 art. 8);
- where the bureau issues one (``ebiz_mark``, off unless asked): the electronic business mark (亮标).

``permit_verdicts`` decides one ``PermitCheck`` per obligation the page's goods raise (``goods``), with
the text it relied on. A number's format is checked as far as ``registry.permits`` can; against the
bureau's imported permit data (``PermitLookup``) it is also found, in force, and the seller's. Where
the goods are uncertain, or the page's scripts were not run, the verdict says so and accuses nobody.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangjian.monitoring.choices import LicenceCheckKind
from wangjian.monitoring.extract import Extracted
from wangjian.monitoring.goods import Goods, goods_profile
from wangjian.monitoring.licence import _search_form, _snippet, _texts, normalize_name
from wangjian.monitoring.permit_shown import (
    Shown,
    best,
    ebiz_mark_shown,
    needs_rendering,
    permit_images,
    permit_links,
    shown_numbers,
)
from wangjian.registry import permits as numbers
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.choices import PermitKind


class PermitVerdict(models.TextChoices):
    """亮证核验结果 (DOMAIN.md: PermitVerdict); values apart from the licence verdicts' but the last three (not checked)."""

    PERMIT_OK = "permit_ok", _("已亮证且与许可数据一致")
    FORMAT_OK = "format_ok", _("已亮证，格式有效（未与许可数据核对）")
    NOT_IN_DATA = "not_in_data", _("许可数据中无此编号")
    LAPSED = "lapsed", _("许可已过期或被注销、吊销、撤销")
    HOLDER_MISMATCH = "holder_mismatch", _("持证主体与经营者不符")
    INVALID_FORMAT = "invalid_format", _("编号格式无效")
    NOT_SHOWN = "not_shown", _("应亮证而未亮证")
    FILING_SUFFICES = "filing_suffices", _("仅销售预包装食品，备案即可")
    NOT_REQUIRED = "not_required", _("无需许可或备案")
    KIND_UNCERTAIN = "kind_uncertain", _("商品类别不确定，未核验")
    NEEDS_RENDERING = "needs_rendering", _("未核验（需浏览器渲染）")
    LINK_UNREAD = "link_unread", _("未核验（证照链接页面未能读取）")
    IMAGE_ONLY = "image_only", _("未核验（证照以图片展示，未能读取文字）")


# The rule each check applies, quoted in its reasons and in the clue it may become.
BASIS = {
    LicenceCheckKind.FOOD_PERMIT: "食品安全法第三十五条、网络食品安全违法行为查处办法（公示食品经营许可证）",
    LicenceCheckKind.DRUG_PERMIT: "药品网络销售监督管理办法第十三条",
    LicenceCheckKind.DRUG_INFO: "互联网药品信息服务管理办法第八条",
    LicenceCheckKind.DEVICE_PERMIT: "医疗器械经营监督管理办法第四条、第二十一条，医疗器械网络销售监督管理办法第十条",
    LicenceCheckKind.PLATFORM_FILING: "网络食品安全违法行为查处办法第八条",
    LicenceCheckKind.EBIZ_MARK: "电子商务法第十五条（电子营业执照链接标识）及本局网络经营主体标识要求",
}
_PERMIT_NAME = dict(PermitKind.choices)


@dataclass
class PermitCheck:
    """One permit obligation of the page, what was shown for it and the verdict (offsets into the source)."""

    kind: str  # LicenceCheckKind
    verdict: str
    reason: str  # "中文 / English"
    number: str = ""  # the number shown, normalised
    permit_kind: str = ""  # registry PermitKind of the number shown
    name: str = ""  # the holder name shown beside it
    holder_name: str = ""  # the holder in the permit data
    evidence: str = ""
    start: int = -1
    end: int = -1
    source: str = ""
    goods: str = ""  # the words the goods were read from

    def as_contract(self) -> dict:
        """One member of the ``permits`` list of ``wangjian monitor check`` output."""
        return {
            "kind": self.kind,
            "verdict": self.verdict,
            "number": self.number,
            "name": self.name,
            "reason": self.reason,
        }

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- verdicts


def _check(kind: str, verdict: str, zh: str, en: str, *, goods: str = "", shown: Shown | None = None, **kw):
    basis = BASIS.get(kind, "")
    reason = f"{zh}（{basis}）/ {en}" if basis else f"{zh} / {en}"
    if shown is not None:
        ev, s, e = _snippet(shown.original, shown.start, shown.end, pad=40)
        kw = {
            "number": shown.number[:60],
            "permit_kind": shown.permit_kind,
            "name": shown.holder_name[:200],
            "evidence": ev,
            "start": s,
            "end": e,
            "source": shown.source,
            **kw,
        }
    return PermitCheck(kind, verdict, reason, goods=goods, **kw)


def _verify(
    kind: str,
    shown: Shown,
    *,
    lookup: numbers.PermitLookup,
    today: dt.date,
    expected_uscc: str,
    goods: str,
    ok: str = PermitVerdict.PERMIT_OK,
    format_ok: str = PermitVerdict.FORMAT_OK,
) -> PermitCheck:
    """A shown number: its format, then — where the bureau's data covers it — found, in force, the seller's."""
    label = _PERMIT_NAME.get(shown.permit_kind, shown.permit_kind)
    common = {"goods": goods, "shown": shown}
    problem = shown.problem
    if problem is not None:
        return _check(
            kind,
            PermitVerdict.INVALID_FORMAT,
            f"页面显示的{label}编号“{shown.number}”格式无效：{problem.zh}",
            f"the {shown.permit_kind} number shown is malformed: {problem.en}",
            **common,
        )
    note = numbers.division_note(shown.permit_kind, shown.number)
    note = f"；{note}" if note else ""
    region = numbers.region_key(shown.permit_kind, shown.number)
    if not lookup.covers(shown.permit_kind, region):
        return _check(
            kind,
            format_ok,
            f"页面显示{label}“{shown.number}”，格式有效；本局许可数据未覆盖该编号的发证地或未导入，未核对{note}",
            "a well-formed number; the bureau's permit data does not cover where it was issued (not verified)",
            **common,
        )
    facts = lookup.find(shown.permit_kind, shown.number)
    if facts is None:
        return _check(
            kind,
            PermitVerdict.NOT_IN_DATA,
            f"页面显示{label}“{shown.number}”，本局许可数据中无此编号（须核实是否伪造或未取得）{note}",
            "the number is not in the bureau's permit data for the place it names",
            **common,
        )
    common["holder_name"] = facts.holder_name[:200]
    lapsed = facts.lapsed(today)
    if lapsed:
        return _check(
            kind,
            PermitVerdict.LAPSED,
            f"{label}“{shown.number}”已不在有效状态：{lapsed.split(' / ')[0]}",
            f"the permit is not in force: {lapsed.split(' / ')[-1]}",
            **common,
        )
    shown_name = shown.holder_name
    expected = uscc_mod.normalize(expected_uscc)
    if expected and facts.holder_uscc:
        # The codes decide: the permit is the seller's whatever name the page writes beside it.
        if facts.holder_uscc != expected:
            return _check(
                kind,
                PermitVerdict.HOLDER_MISMATCH,
                f"{label}“{shown.number}”持证主体为“{facts.holder_name}”（{facts.holder_uscc}），不是该网店关联的主体",
                "the permit belongs to another entity than the one linked to this presence",
                **common,
            )
    elif shown_name and facts.holder_name and normalize_name(shown_name) != normalize_name(facts.holder_name):
        return _check(
            kind,
            PermitVerdict.HOLDER_MISMATCH,
            f"页面所示经营者“{shown_name}”与许可数据中的持证主体“{facts.holder_name}”不一致",
            "the name shown beside the number differs from the permit holder in the data",
            **common,
        )
    return _check(
        kind,
        ok,
        f"{label}“{shown.number}”在本局许可数据中，有效且持证主体一致{note}",
        "the permit is in the data, in force, and held by the seller",
        **common,
    )


def _nothing_shown(kind: str, page, rendered: bool, goods: str, zh: str, en: str) -> PermitCheck:
    if needs_rendering(page, rendered=rendered):
        return _check(
            kind,
            PermitVerdict.NEEDS_RENDERING,
            "页面含脚本且未经浏览器渲染，静态页面未见许可信息；须渲染后方可核验，不作“未亮证”结论",
            "the page has scripts and was not rendered; nothing is shown statically: not checked",
            goods=goods,
        )
    return _check(kind, PermitVerdict.NOT_SHOWN, zh, en, goods=goods)


def _food(goods: Goods, shown: list[Shown], page, rendered: bool, **verify) -> PermitCheck:
    kind, said = LicenceCheckKind.FOOD_PERMIT, goods.food.said()
    licence = best(shown, PermitKind.FOOD_LICENCE)
    if licence is not None:
        return _verify(kind, licence, goods=said, **verify)
    filing = best(shown, PermitKind.FOOD_FILING)
    if filing is not None:
        if goods.bulk and filing.problem is None:
            return _check(
                kind,
                PermitVerdict.NOT_SHOWN,
                f"页面仅展示预包装食品备案，但所售含“{'、'.join(goods.bulk[:3])}”，须取得食品经营许可证",
                "only a pre-packaged food filing is shown, but the shop sells bulk or prepared food",
                goods=said,
                shown=filing,
            )
        return _verify(
            kind,
            filing,
            goods=said,
            ok=PermitVerdict.FILING_SUFFICES,
            format_ok=PermitVerdict.FILING_SUFFICES,
            **verify,
        )
    if not goods.food.certain:
        return _check(
            kind,
            PermitVerdict.KIND_UNCERTAIN,
            f"页面有“{said}”等字样，无法确定是否销售食品，未核验",
            "the page hints at food but the goods are uncertain: not checked",
            goods=said,
        )
    if goods.bulk:
        return _nothing_shown(
            kind,
            page,
            rendered,
            said,
            f"销售“{'、'.join(goods.bulk[:3])}”等非预包装食品，首页未见食品经营许可证",
            "bulk or prepared food is sold and no food business licence is shown on the main page",
        )
    if goods.agri_only:
        return _check(
            kind,
            PermitVerdict.NOT_REQUIRED,
            f"仅见“{said}”等食用农产品，销售食用农产品无须取得食品经营许可或备案（食品安全法第三十五条）",
            "only edible farm produce is sold: no food business licence or filing is required (art. 35)",
            goods=said,
        )
    if goods.prepackaged_only:
        return _check(
            kind,
            PermitVerdict.FILING_SUFFICES,
            f"页面声明“{goods.prepackaged_only}”，仅销售预包装食品依法备案即可，无须亮许可证（备案情况未核验）",
            "the shop states it sells pre-packaged food only: a filing suffices (the filing is not verified)",
            goods=said,
        )
    return _check(
        kind,
        PermitVerdict.KIND_UNCERTAIN,
        "销售食品，但无法判断是否仅销售预包装食品（需许可还是仅需备案），未认定缺证",
        "food is sold, but whether only pre-packaged (a filing suffices) cannot be told: not accused",
        goods=said,
    )


def _drug(goods: Goods, shown: list[Shown], page, rendered: bool, **verify) -> PermitCheck:
    kind, said = LicenceCheckKind.DRUG_PERMIT, goods.drug.said()
    licence = best(shown, PermitKind.DRUG_LICENCE)
    if licence is not None:
        return _verify(kind, licence, goods=said, **verify)
    if not goods.drug.certain:
        return _check(
            kind,
            PermitVerdict.KIND_UNCERTAIN,
            f"页面有“{said}”等字样，无法确定是否销售药品，未核验",
            "the page hints at drugs but the goods are uncertain: not checked",
            goods=said,
        )
    return _nothing_shown(
        kind,
        page,
        rendered,
        said,
        f"销售药品（{said}），首页未见药品经营许可证信息",
        "drugs are sold and no drug business licence is shown on the home page",
    )


def _drug_info(
    goods: Goods, shown: list[Shown], page, rendered: bool, website: bool | None, **verify
) -> PermitCheck | None:
    kind, said = LicenceCheckKind.DRUG_INFO, goods.drug.said()
    cert = best(shown, PermitKind.DRUG_INFO)
    if cert is not None:
        return _verify(kind, cert, goods=said, **verify)
    if not website or not goods.drug.certain:
        return None  # a platform shop's drug information is the platform's service
    return _nothing_shown(
        kind,
        page,
        rendered,
        said,
        "自建网站销售药品，首页未标注互联网药品信息服务资格证书编号",
        "a site of its own selling drugs does not show its drug information service certificate number",
    )


def _device(goods: Goods, shown: list[Shown], page, rendered: bool, **verify) -> PermitCheck:
    kind, said = LicenceCheckKind.DEVICE_PERMIT, goods.device.said()
    cls = goods.device_class
    licence = best(shown, PermitKind.DEVICE_LICENCE)
    filing = best(shown, PermitKind.DEVICE_FILING)
    why = f"（类别依据：{goods.device_class_evidence}）" if goods.device_class_evidence else ""
    if cls == 3:
        if licence is not None:
            return _verify(kind, licence, goods=said, **verify)
        if filing is not None and filing.problem is None:
            return _check(
                kind,
                PermitVerdict.NOT_SHOWN,
                f"销售第三类医疗器械{why}须取得经营许可证，页面仅展示第二类经营备案",
                "class III devices need a business licence; only a class II filing is shown",
                goods=said,
                shown=filing,
            )
    elif cls == 2 or (cls is None and (licence or filing)) or (cls == 1 and (licence or filing)):
        chosen = filing or licence
        if chosen is not None:
            return _verify(kind, chosen, goods=said, **verify)
    if not goods.device.certain:
        return _check(
            kind,
            PermitVerdict.KIND_UNCERTAIN,
            f"页面有“{said}”等字样，无法确定是否销售医疗器械，未核验",
            "the page hints at medical devices but the goods are uncertain: not checked",
            goods=said,
        )
    if cls is None:
        return _check(
            kind,
            PermitVerdict.KIND_UNCERTAIN,
            "销售医疗器械，但页面未显示注册证/备案编号或管理类别，无法判断应备案还是应许可，未核验",
            "medical devices are sold but their class cannot be told from the page: not checked",
            goods=said,
        )
    if cls == 1:
        return _check(
            kind,
            PermitVerdict.NOT_REQUIRED,
            f"第一类医疗器械{why}经营无需许可和备案",
            "class I devices need neither a licence nor a filing",
            goods=said,
        )
    if cls == 2 and goods.device_exempt_ii:
        return _check(
            kind,
            PermitVerdict.NOT_REQUIRED,
            f"所售“{'、'.join(goods.device_products[:3])}”属免于经营备案的第二类医疗器械（须对照现行目录核实）",
            "the class II devices sold are in the catalogue exempt from the business filing (check the catalogue)",
            goods=said,
        )
    need = "经营许可证" if cls == 3 else "第二类医疗器械经营备案凭证"
    return _nothing_shown(
        kind,
        page,
        rendered,
        said,
        f"销售第{'三' if cls == 3 else '二'}类医疗器械{why}，主页面未展示{need}",
        f"class {cls} devices are sold and the main page shows no {'licence' if cls == 3 else 'filing'}",
    )


def _platform(goods: Goods, shown: list[Shown], page, rendered: bool, **verify) -> PermitCheck | None:
    kind, said = LicenceCheckKind.PLATFORM_FILING, goods.food.said()
    filing = best(shown, PermitKind.PLATFORM_FILING)
    if filing is not None:
        return _verify(kind, filing, goods=said, **verify)
    if not goods.food.present:
        return None  # a platform without food: no food platform filing to show
    if not goods.food.certain:
        return _check(
            kind,
            PermitVerdict.KIND_UNCERTAIN,
            f"平台页面有“{said}”等字样，无法确定是否为网络食品交易平台，未核验",
            "the platform may trade food: not checked",
            goods=said,
        )
    return _nothing_shown(
        kind,
        page,
        rendered,
        said,
        "网络食品交易第三方平台首页未见其备案号",
        "a third-party food trading platform shows no filing number",
    )


def permit_verdicts(
    *,
    page: Extracted | str,
    lookup: numbers.PermitLookup,
    today: dt.date,
    expected_uscc: str = "",
    linked_pages: list[Extracted | str] | None = None,
    rendered: bool = False,
    website: bool | None = None,
    platform: bool | None = None,
    ebiz_mark: bool = False,
) -> list[PermitCheck]:
    """The permit verdicts of a presence's entry page, one per obligation its goods raise.

    ``linked_pages`` are the certificate pages it links (``permit_links``); ``expected_uscc`` the code
    of the entity the presence is linked to; ``website`` whether the presence is a site of its own
    (None: unknown — the drug information certificate is then checked only when shown);
    ``platform`` whether it is a trading platform (None: as the page says); ``ebiz_mark`` whether
    the bureau issues an electronic business mark that sellers must show (亮标).
    """
    sources = _texts(page) + [t for lp in linked_pages or [] for t in _texts(lp)]
    goods = goods_profile("\n".join(_search_form(text) for _source, text in sources))
    shown = shown_numbers(sources)
    verify = {"lookup": lookup, "today": today, "expected_uscc": expected_uscc}
    # A hint (胶囊, 颗粒, 按摩器) counts only when no kind is certain: a pharmacy's 胶囊 are its drugs.
    certain = goods.food.certain or goods.drug.certain or goods.device.certain
    for kind in (goods.food, goods.drug, goods.device):
        if certain and not kind.certain:
            kind.level, kind.words = "", []
    out: list[PermitCheck | None] = []
    # Unknown whether the page is a platform's: a page showing a seller's own food licence or filing is a shop's,
    # whatever platform filing its footer carries.
    if platform is None and goods.platform and best(shown, PermitKind.FOOD_LICENCE, PermitKind.FOOD_FILING):
        platform = False
    if platform or (platform is None and goods.platform):
        # A platform's goods are its sellers': it shows its own filing; their permits are theirs.
        out.append(_platform(goods, shown, page, rendered, **verify))
    else:
        if goods.food.present or best(shown, PermitKind.FOOD_LICENCE, PermitKind.FOOD_FILING):
            out.append(_food(goods, shown, page, rendered, **verify))
        if goods.drug.present or best(shown, PermitKind.DRUG_LICENCE):
            out.append(_drug(goods, shown, page, rendered, **verify))
        if goods.drug.certain or best(shown, PermitKind.DRUG_INFO):
            out.append(_drug_info(goods, shown, page, rendered, website, **verify))
        if goods.device.present or best(shown, PermitKind.DEVICE_LICENCE, PermitKind.DEVICE_FILING):
            out.append(_device(goods, shown, page, rendered, **verify))
    if ebiz_mark:
        out.append(_ebiz(page, rendered))
    checks = [c for c in out if c is not None]
    pictures = [src for p in [page, *(linked_pages or [])] for src in permit_images(p)]
    if pictures:
        # A certificate shown as a picture (资质图片) whose number the page's text does not give: shown, for the
        # officer to read — not "未亮证".
        _not_seen(
            checks,
            PermitVerdict.IMAGE_ONLY,
            "页面以图片展示资质证照，文字中未见许可编号，须人工查看图片，不作“未亮证”结论 / "
            "the page shows its certificates as pictures whose text it does not give: for an officer to read, "
            "not 'not shown'",
            evidence=pictures[0][:300],
        )
    if isinstance(page, Extracted) and permit_links(page) and not linked_pages:
        # The page links its certificates (资质证照) and no page behind the links was read: a permit may be shown
        # there, so nothing shown here is no "未亮证" — as a licence behind an unread link is no "未亮照".
        _not_seen(
            checks,
            PermitVerdict.LINK_UNREAD,
            "页面有资质证照链接，但链接页面未能读取，不作“未亮证”结论 / "
            "the page links its certificates, but no linked page could be read: not checked",
        )
    return checks


def _not_seen(checks: list[PermitCheck], verdict: str, reason: str, evidence: str = "") -> None:
    """A permit "not shown" where the page shows something unread (a picture, a link): ``verdict`` instead."""
    for c in checks:
        if c.verdict == PermitVerdict.NOT_SHOWN and not c.number and c.kind != LicenceCheckKind.EBIZ_MARK:
            c.verdict, c.reason = verdict, reason
            c.evidence = evidence or c.evidence


def _ebiz(page: Extracted | str, rendered: bool) -> PermitCheck:
    kind = LicenceCheckKind.EBIZ_MARK
    mark = ebiz_mark_shown(page)
    if mark:
        return _check(
            kind,
            PermitVerdict.FORMAT_OK,
            f"页面展示了电子营业执照/网络经营主体标识（“{mark[:60]}”），标识本身未核验",
            "the page shows the electronic business mark (the mark itself is not verified)",
            evidence=mark[:300],
        )
    return _nothing_shown(
        kind,
        page,
        rendered,
        "",
        "页面未见电子营业执照亮照标识或本局核发的网络经营主体标识",
        "no electronic business licence mark or bureau-issued online business mark is shown",
    )


# --------------------------------------------------------------------------- the command line's entry page

EntryChecks = Callable[[object], Awaitable[dict]]


def permit_entry_checks(
    *,
    fetcher,
    lookup: numbers.PermitLookup,
    today: dt.date,
    expected_uscc: str = "",
    website: bool | None = None,
    ebiz_mark: bool = False,
) -> EntryChecks:
    """For ``licence.presence_check(entry_checks=…)``: the ``permits`` of the entry page's record.

    The certificate pages the entry page links are fetched when it shows no permit number itself;
    the verdicts are decided in a worker thread (``lookup`` may read the database).
    """

    async def decide(page: Extracted, rendered: bool) -> list[PermitCheck]:
        linked = []
        if not shown_numbers(_texts(page)):
            for link in permit_links(page)[:3]:
                lo = await fetcher.fetch(link, depth=1)
                if lo.ok and lo.extracted is not None:
                    linked.append(lo.extracted)
        return await asyncio.to_thread(
            permit_verdicts,
            page=page,
            lookup=lookup,
            today=today,
            expected_uscc=expected_uscc,
            linked_pages=linked,
            rendered=rendered,
            website=website,
            ebiz_mark=ebiz_mark,
        )

    async def check(out) -> dict:
        page = getattr(out, "extracted", None)
        if page is None:
            return {"permits": []}
        checks = await decide(page, out.rendered)
        waiting = any(c.verdict == PermitVerdict.NEEDS_RENDERING for c in checks)
        if waiting and getattr(fetcher, "render", "never") != "never":
            # A required permit a script could write: decide on what a buyer sees, the rendered page.
            shown = await fetcher.fetch(out.url, depth=0, render="always")
            if shown.ok and shown.rendered and shown.extracted is not None:
                checks = await decide(shown.extracted, True)
        return {"permits": [c.as_contract() | {"evidence": c.evidence} for c in checks]}

    return check
