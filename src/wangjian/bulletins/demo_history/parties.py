"""The businesses the year's records are about: 旌德县's from its registry (entities with their shops, as the
registry demo imported them), 绩溪县's named here (the demo gives it no registry)."""

from __future__ import annotations

from wangjian.bulletins.demo_history import texts
from wangjian.bulletins.demo_history.shape import Context, Party
from wangjian.org.models import Bureau
from wangjian.registry.choices import PresenceKind
from wangjian.registry.models import Presence
from wangjian.registry.uscc import complete

SHOP_PLATFORM = {
    "美团外卖店": "美团",
    "淘宝店": "淘宝",
    "抖音小店": "抖音",
    "微信小程序": "微信小程序",
    "拼多多店": "拼多多",
    "京东店": "京东",
    "天猫店": "天猫",
}
SAMPLE = 400


def registry_parties(ctx: Context, bureau: Bureau) -> list[Party]:
    """Up to ``SAMPLE`` shops of the bureau's registry with the entity behind them (none: an empty list)."""
    ids = list(
        Presence.objects.filter(bureau=bureau, entity__isnull=False)
        .exclude(url="")
        .order_by("id")
        .values_list("id", flat=True)
    )
    chosen = ctx.rng.sample(ids, min(SAMPLE, len(ids)))
    out = []
    for presence in (
        Presence.objects.filter(pk__in=chosen).select_related("entity", "platform").order_by("id")
    ):
        entity = presence.entity
        region = entity.region_code if (entity.region_code or "").startswith(bureau.code) else bureau.code
        if presence.platform_id:
            platform = presence.platform.name
        elif presence.kind in (PresenceKind.WECHAT_MINI, PresenceKind.LIVESTREAM):
            platform = presence.get_kind_display()
        else:
            platform = ""
        out.append(Party(entity.name, entity.uscc, region, str(presence), platform, entity, presence))
    return out


def named_parties(ctx: Context, bureau: Bureau, n: int = 24) -> list[Party]:
    """``n`` small businesses of 绩溪县's towns and their shops (no registry rows behind them)."""
    out = []
    for i in range(n):
        town, code = ctx.rng.choice(texts.JIXI_TOWNS)
        trade, shop = ctx.rng.choice(texts.JIXI_TRADES)
        brand = texts.JIXI_NAMES[i % len(texts.JIXI_NAMES)]
        name = f"{bureau.name[:3]}{town}{brand}{trade}"
        uscc = complete(f"92{bureau.code}MA2H{i + 1:05d}")  # 个体工商户 with a valid check character
        out.append(Party(name, uscc, code, f"{brand}{trade}{shop}", SHOP_PLATFORM[shop]))
    return out


def parties_of(ctx: Context, bureau: Bureau) -> list[Party]:
    return registry_parties(ctx, bureau) or named_parties(ctx, bureau)
