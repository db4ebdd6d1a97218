"""Feed-scan tests: a platform of the demo county with two registered shops, a monitoring task, and the
storage of each test in its own folder. (Modules without a browser build the demo once: ``demo_once``.)"""

from __future__ import annotations

import json

import pytest

# Two listings of registered shops with violations the default libraries flag, a listing of a shop the
# platform never registered, and a row without its listing id.
FEED_ROWS = [
    {
        "listing_id": "L1",
        "shop_id": "S1",
        "title": "全网最佳黄山毛峰",
        "description": "国家级品质",
        "url": "https://mall.example/item/L1",
    },
    {"listing_id": "L2", "shop_id": "S2", "title": "宣纸礼盒", "description": "包治百病，根治失眠"},
    {"listing_id": "L3", "shop_id": "S9", "title": "最佳茶具"},
    {"shop_id": "S1", "title": "缺少商品ID"},
]


def jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.WANGJIAN_STORAGE = str(tmp_path / "storage")
    settings.WANGJIAN_EVIDENCE_KEY_DIR = str(tmp_path / "keys")


@pytest.fixture
def shops(demo):
    """A platform of 旌德县 that reported two shops, both registered presences of it."""
    from wangjian.registry.models import MarketEntity, Platform, Presence

    entity = MarketEntity.objects.create(
        bureau=demo.county, uscc="91341825MA2FEED01X", name="旌德县茶香商贸有限公司", region_code="341825100"
    )
    platform = Platform.objects.create(bureau=demo.county, name="皖南优选", url="https://mall.example/")
    presences = {
        shop: Presence.objects.create(
            bureau=demo.county,
            kind="platform_shop",
            platform=platform,
            account_id=shop,
            shop_name=f"{shop}号店",
            url=f"https://mall.example/shop/{shop}",
            entity=entity,
        )
        for shop in ("S1", "S2")
    }
    return platform, presences


@pytest.fixture
def task(demo):
    from tests.monitoring.util import make_task

    return make_task(demo.county, [], name="平台商品信息报送", evidence_threshold="none")
