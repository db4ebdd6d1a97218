"""The demo registry of 旌德县: a few thousand entities, platforms with their seller lists, other presences.

Generated deterministically (seeded random) and loaded through the same import and match
services an officer uses, so the demo shows imports with rejected rows, automatic links,
a review queue and sellers with no registered entity.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

from wangjian.core.audit import acting
from wangjian.registry import services
from wangjian.registry.choices import LinkMethod, PresenceKind
from wangjian.registry.linkage_models import LinkageEstimate
from wangjian.registry.models import MarketEntity, Platform, Presence
from wangjian.registry.uscc import ALPHABET, complete

SEED = 20251126
ENTITIES = 3000
TOWNS = [
    ("341825100", "旌阳镇"),
    ("341825101", "蔡家桥镇"),
    ("341825102", "三溪镇"),
    ("341825103", "庙首镇"),
    ("341825104", "白地镇"),
    ("341825105", "孙村镇"),
    ("341825106", "版书镇"),
    ("341825107", "俞村镇"),
    ("341825108", "云乐镇"),
    ("341825200", "兴隆镇"),
]
CHARS = "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄喜金玉宝恒通利民新建国强明光辉晨阳春秋云海天山水林森松柏竹梅兰菊荷桂芳香美佳嘉欣悦和平正方圆昌荣旺富永长远德信诚义仁礼博雅尚品优精汇聚合众联创腾飞翔"
TRADES = [
    "茶叶",
    "山核桃",
    "土特产",
    "农产品",
    "百货",
    "商贸",
    "电器",
    "建材",
    "服装",
    "食品",
    "酒业",
    "电子商务",
    "家具",
    "竹木制品",
    "中药材",
    "民宿",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘汪程方"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红"
STREETS = ["文化路", "和平路", "人民路", "建设路", "新华路", "旌阳路", "玉屏路", "凫山路"]
STATUSES = ["存续"] * 18 + ["在业"] * 5 + ["注销", "吊销"]
PLATFORMS = [
    ("皖南优品商城", "https://shop.wannan.example/", 400),
    ("徽州好物", "https://haowu.huizhou.example/", 300),
    ("宣城直播电商", "https://live.xuancheng.example/", 200),
]


def _entities(rng: random.Random) -> list[dict]:
    used: set[str] = set()
    out = []
    for _ in range(ENTITIES):
        town_code, town = rng.choice(TOWNS)
        zihao = "".join(rng.choice(CHARS) for _ in range(rng.choice((2, 2, 3))))
        trade = rng.choice(TRADES)
        kind = rng.choice("1122223")
        if kind == "1":
            name = f"旌德县{zihao}{trade}{rng.choice(['有限公司', '有限责任公司'])}".replace(
                "商贸商贸", "商贸"
            )
        elif kind == "3":
            name = f"旌德县{zihao}{trade}专业合作社"
        else:
            name = f"旌德县{town}{zihao}{trade}{rng.choice(['经营部', '门市部', '店', '商行'])}"
        while True:
            code = complete(f"9{kind}341825" + "".join(rng.choice(ALPHABET) for _ in range(9)))
            if code not in used:
                used.add(code)
                break
        out.append(
            {
                "统一社会信用代码": code,
                "名称": name,
                "法定代表人": rng.choice(SURNAMES)
                + rng.choice(GIVEN)
                + (rng.choice(GIVEN) if rng.random() < 0.5 else ""),
                "住所": f"安徽省宣城市旌德县{town}{rng.choice(STREETS)}{rng.randint(1, 200)}号",
                "联系电话": "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
                if rng.random() < 0.8
                else "",
                "区划代码": town_code,
                "登记状态": rng.choice(STATUSES),
                "成立日期": f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
        )
    for e in out:  # the date of a 注销/吊销, as registration exports give it (no random draw: the data stay)
        if e["登记状态"] in ("注销", "吊销"):
            e["状态日期"] = f"2024-{1 + sum(map(ord, e['统一社会信用代码'])) % 12:02d}-15"
    return out


def _bad_rows() -> list[dict]:
    """Rows a registration export really contains: a wrong check character, a short code, no name."""
    good = complete("91341825MA2N0DEM2")
    return [
        {"统一社会信用代码": good[:17] + ("0" if good[17] != "0" else "1"), "名称": "旌德县校验错误商行"},
        {"统一社会信用代码": "91341825MA2N0DEM", "名称": "旌德县位数不足商行"},
        {"统一社会信用代码": complete("92341825MA2N0DEM1"), "名称": ""},
    ]


def _seller_rows(rng: random.Random, entities: list[dict], n: int, prefix: str) -> list[dict]:
    rows = []
    for i in range(n):
        sid = f"{prefix}{i + 1:05d}"
        r = rng.random()
        if r < 0.1:  # no registered entity: a lead for unlicensed trading
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(TRADES) + "小店"
            rows.append(
                {
                    "店铺ID": sid,
                    "店铺名称": name,
                    "主体名称": name,
                    "统一社会信用代码": "",
                    "地址": "",
                    "电话": "",
                }
            )
            continue
        e = rng.choice(entities)
        name = e["名称"]
        variant = rng.random()
        if variant < 0.3:
            name = name.replace("旌德县", "", 1)
        elif variant < 0.4:
            name = name.replace("有限责任公司", "有限公司")
        code = e["统一社会信用代码"]
        how = rng.random()
        if how < 0.6:
            pass
        elif how < 0.7:
            pos = rng.randrange(9, 17)
            code = code[:pos] + ("3" if code[pos] != "3" else "4") + code[pos + 1 :]
        elif how < 0.9:
            code = ""
        else:
            code, name = "", name.replace("旌德县", "", 1)[:6]  # too little to be sure: review
        rows.append(
            {
                "店铺ID": sid,
                "店铺名称": name.replace("旌德县", "")[:8] + rng.choice(["旗舰店", "专营店", "小店", ""]),
                "主体名称": name,
                "统一社会信用代码": code,
                "地址": e["住所"] if rng.random() < 0.5 else "",
                "电话": e["联系电话"] if rng.random() < 0.5 else "",
            }
        )
    for k in range(3):  # a name and another registered entity's code: who is it? an officer decides
        base = sum(map(ord, prefix)) * 13 + 7 * k
        named, coded = entities[base % len(entities)], entities[(base + 1) % len(entities)]
        rows.append(
            {
                "店铺ID": f"{prefix}X{k + 1}",
                "店铺名称": named["名称"].replace("旌德县", "")[:8],
                "主体名称": named["名称"],
                "统一社会信用代码": coded["统一社会信用代码"],
                "地址": "",
                "电话": "",
            }
        )
    for p in range(3):  # the same shop reported twice, once without an ID
        rows.append(
            {
                "店铺ID": "",
                "店铺名称": f"无ID店铺{p}",
                "主体名称": "某某",
                "统一社会信用代码": "",
                "地址": "",
                "电话": "",
            }
        )
    return rows


def _write_csv(path: Path, rows: list[dict], encoding: str) -> None:
    headers = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)


def load(org, stdout) -> None:
    """Load (idempotently) the registry, three platforms with seller lists, and a few other presences."""
    county = org.county
    rng = random.Random(SEED)
    entities = _entities(rng)
    office = org.users.get("office")
    with tempfile.TemporaryDirectory() as tmp, acting(office, via="system", reason="演示数据"):
        path = Path(tmp) / "旌德县登记主体.csv"
        _write_csv(path, entities + _bad_rows(), "gbk")
        batch = services.registry_import(bureau=county, path=path, source="演示：登记系统导出")
        stdout.write(
            f"经济户口 / registry: {MarketEntity.objects.filter(bureau=county).count()} 家市场主体"
            f"（本次新增 {batch.created_count}，拒收 {batch.rejected_count}）"
        )
        for i, (name, url, n) in enumerate(PLATFORMS):
            platform, _ = services.platform_get_or_create(bureau=county, name=name)
            if not platform.url:
                platform.url = url
                platform.domicile = "安徽省宣城市"
                platform.save()
            rows = _seller_rows(rng, entities, n, prefix=f"P{i + 1}-")
            for r in rows:
                if r["店铺ID"]:
                    r["店铺网址"] = f"{url}shop/{r['店铺ID']}"
            spath = Path(tmp) / f"{name}.csv"
            _write_csv(spath, rows, "utf-8-sig")
            services.sellers_import(bureau=county, platform=platform, path=spath)
        _other_presences(county, rng, entities)
        if not LinkageEstimate.objects.filter(bureau=county).exists():
            # The match weights of the county's own data, then every seller matched by them. The demo
            # office reviews a wider band than the default (a band right 3 times in 10, not 8): the
            # sellers whose name and code name two different entities land there.
            est = services.linkage_estimate(bureau=county, user=office, review_precision=0.3)
            services.sellers_match(bureau=county)
            stdout.write(
                f"匹配权重 / match weights: 由 {est.entities} 个主体、{est.sellers} 个经营者估计，"
                f"自动关联阈值 {est.auto_threshold:.3f}，待确认阈值 {est.review_threshold:.3f}"
            )
    summary = services.MatchSummary()
    from wangjian.registry.models import MatchResult

    for outcome in ("auto", "review", "none"):
        setattr(summary, outcome, MatchResult.objects.filter(bureau=county, outcome=outcome).count())
    stdout.write(
        f"平台报送 / seller lists: {Platform.objects.filter(bureau=county).count()} 个平台，"
        f"自动关联 {summary.auto}，待人工确认 {summary.review}，未找到登记主体 {summary.none}"
    )


def _other_presences(county, rng: random.Random, entities: list[dict]) -> None:
    """Websites, WeChat accounts and mini-programs found by officers, linked by hand."""
    if Presence.objects.filter(bureau=county, platform=None).exists():
        return
    codes = [e["统一社会信用代码"] for e in rng.sample(entities, 60)]
    by_code = {e.uscc: e for e in MarketEntity.objects.filter(bureau=county, uscc__in=codes)}
    kinds = [
        PresenceKind.WEBSITE,
        PresenceKind.WECHAT_ACCOUNT,
        PresenceKind.WECHAT_MINI,
        PresenceKind.LIVESTREAM,
    ]
    for i, code in enumerate(codes):
        entity = by_code.get(code)
        if entity is None:
            continue
        kind = kinds[i % len(kinds)]
        Presence.objects.create(
            bureau=county,
            kind=kind,
            url=f"https://www{i}.jingde-demo.example/" if kind == PresenceKind.WEBSITE else "",
            account_id=f"gh_{i:06d}" if kind != PresenceKind.WEBSITE else "",
            shop_name=entity.name.replace("旌德县", "") + ("官网" if kind == PresenceKind.WEBSITE else ""),
            entity=entity,
            link_method=LinkMethod.LICENCE if i % 3 == 0 else LinkMethod.MANUAL,
            link_confidence=1.0,
        )
