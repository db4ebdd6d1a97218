"""Benchmark: matching platform sellers to registered entities — wangjian's matcher vs splink (DuckDB).

Generates a synthetic registry and seller list with known truth (names written
differently, traditional characters, full-width letters, region prefixes and bracketed
regions, 有限责任公司/有限公司, branch offices, a mistyped code character, homonymous
shops in different counties, sellers with no registered entity), runs both matchers in
the same process and prints precision, recall and F1 of the automatic links and the wall
time of each.

    .venv/bin/python bench/match.py                     # 100,000 entities, 20,000 sellers
    .venv/bin/python bench/match.py --entities 1000000 --sellers 200000 --no-splink

splink gets the same normalised columns the matcher uses (folded name, name core,
normalised code, phone digits, address) — a well-configured baseline, trained without
labels (random-sampling u, EM for m), a link being its best candidate with match
probability ≥ the threshold.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import opencc  # noqa: E402

from wangjian.registry import matching  # noqa: E402
from wangjian.registry.uscc import ALPHABET, complete  # noqa: E402

REGIONS = [
    ("341825", "旌德县"),
    ("341824", "绩溪县"),
    ("341823", "泾县"),
    ("341821", "郎溪县"),
    ("341802", "宣州区"),
    ("341881", "宁国市"),
    ("341882", "广德市"),
]
PROVINCE, CITY = "安徽省", "宣城市"
CHARS = (
    "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄寿喜金银玉宝恒通利民新建国强伟明光辉晨阳春秋云海"
    "天山水林森木火土石松柏竹梅兰菊荷桂芳香美佳嘉欣悦和平正方圆满昌荣旺富贵永久长远大中"
    "东西南北德信诚义仁礼智勇博雅文武尚品优精汇聚合众联创腾飞翔龙凤麟鹏程志远"
)
TRADES = [
    "商贸",
    "百货",
    "茶叶",
    "电器",
    "建材",
    "餐饮",
    "服装",
    "五金",
    "农产品",
    "食品",
    "家具",
    "日用品",
    "酒业",
    "电子商务",
    "文化传媒",
    "土特产",
]
FORMS_ENTERPRISE = ["有限公司", "有限责任公司", "商贸有限公司"]
FORMS_INDIVIDUAL = ["经营部", "门市部", "店", "商行", "超市"]
TRAD = opencc.OpenCC("s2t")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
STREETS = ["文化路", "和平路", "人民路", "建设路", "解放路", "新华路", "胜利路", "中山路", "朝阳路", "幸福路"]


@dataclass
class Entity:
    id: int
    uscc: str
    name: str
    phone: str
    address: str
    region: str
    county: str
    status: str = ""


@dataclass
class SellerRow:
    seller_id: str
    claimed_name: str
    shop_name: str
    claimed_uscc: str
    address: str
    phone: str
    truth: int | None
    case: str


def _code(rng: random.Random, region: str, kind: str, used: set[str]) -> str:
    while True:
        body = "".join(rng.choice(ALPHABET) for _ in range(9))
        code = complete(f"9{kind}{region}{body}")
        if code not in used:
            used.add(code)
            return code


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def synth_registry(n: int, seed: int = 42) -> list[Entity]:
    """``n`` entities across seven counties; some 字号 recur in several counties (homonyms)."""
    rng = random.Random(seed)
    used: set[str] = set()
    out = []
    for i in range(n):
        region, county = REGIONS[0] if rng.random() < 0.5 else rng.choice(REGIONS)
        zihao = rng.choice(CHARS) + rng.choice(CHARS) + (rng.choice(CHARS) if rng.random() < 0.6 else "")
        trade = rng.choice(TRADES)
        if rng.random() < 0.55:
            kind = "1"
            form = rng.choice(FORMS_ENTERPRISE)
            name = f"{county}{zihao}{trade}{form}".replace("商贸商贸", "商贸")
            if rng.random() < 0.04:
                name = f"{PROVINCE}{zihao}{trade}有限公司{county[:2]}分公司"
        else:
            kind = "2"
            name = f"{county}{zihao}{trade}{rng.choice(FORMS_INDIVIDUAL)}"
        address = f"{county}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
        phone = _phone(rng) if rng.random() < 0.8 else ""
        out.append(Entity(i + 1, _code(rng, region, kind, used), name, phone, address, region, county))
    return out


def _vary_name(rng: random.Random, e: Entity) -> tuple[str, str]:
    """A platform's spelling of the entity's name, and which variation it is."""
    name = e.name
    r = rng.random()
    if r < 0.2:
        return name, "same"
    if r < 0.4:
        return name.replace(e.county, "", 1) or name, "no_region"
    if r < 0.5:
        return TRAD.convert(name), "traditional"
    if r < 0.6:
        v = (
            name.replace("有限责任公司", "有限公司")
            if "有限责任公司" in name
            else name.replace("有限公司", "有限责任公司")
        )
        return v, "legal_form"
    if r < 0.7:
        if name.startswith(e.county) and "有限" in name:
            core = name[len(e.county) :]
            head, _, tail = core.partition("有限")
            return f"{head}（{e.county[:2]}）有限{tail}", "bracket_region"
        return f"{PROVINCE}{CITY}{name}" if name.startswith(e.county) else name, "full_region"
    if r < 0.8:
        return name.replace("有限", "  有限").replace("公司", "公司 "), "spaces"
    if r < 0.9:
        return f"{PROVINCE}{name}", "province_prefix"
    return "".join(
        chr(ord(c) + 0xFEE0) if "a" <= c.lower() <= "z" or c.isdigit() else c for c in name
    ), "full_width"


def _typo(rng: random.Random, code: str) -> str:
    while True:
        pos = rng.randrange(8, 17)
        c = rng.choice(ALPHABET)
        if c != code[pos]:
            bad = code[:pos] + c + code[pos + 1 :]
            from wangjian.registry.uscc import is_valid

            if not is_valid(bad):
                return bad


def synth_sellers(entities: list[Entity], m: int, seed: int = 7) -> list[SellerRow]:
    rng = random.Random(seed)
    by_core: dict[str, list[Entity]] = {}
    for e in entities:
        by_core.setdefault(matching.name_parts(e.name).core, []).append(e)
    homonyms = [g for g in by_core.values() if len({x.region for x in g}) > 1]
    used = {e.uscc for e in entities}
    out = []
    for i in range(m):
        sid = f"S{i:07d}"
        r = rng.random()
        if r < 0.12:  # no registered entity
            if homonyms and rng.random() < 0.4:
                # a homonymous shop registered elsewhere (outside this registry), with its own valid code
                g = rng.choice(homonyms)
                name = g[0].name.replace(g[0].county, "", 1)
                out.append(
                    SellerRow(
                        sid,
                        name,
                        name[:6] + "旗舰店",
                        _code(rng, "340100", "1", used),
                        "合肥市蜀山区",
                        _phone(rng),
                        None,
                        "unregistered_homonym",
                    )
                )
            else:
                name = rng.choice(SURNAMES) + rng.choice(CHARS) + rng.choice(TRADES) + "小店"
                out.append(
                    SellerRow(
                        sid,
                        name,
                        name,
                        "",
                        "",
                        _phone(rng) if rng.random() < 0.5 else "",
                        None,
                        "unregistered",
                    )
                )
            continue
        e = rng.choice(entities)
        name, variant = _vary_name(rng, e)
        shop = matching.name_parts(e.name).core[:8] + rng.choice(["旗舰店", "专营店", "", "小店"])
        r2 = rng.random()
        if r2 < 0.55:
            out.append(SellerRow(sid, name, shop, e.uscc, "", "", e.id, f"code+{variant}"))
        elif r2 < 0.65:
            out.append(SellerRow(sid, name, shop, _typo(rng, e.uscc), "", "", e.id, f"typo+{variant}"))
        elif r2 < 0.8 and e.phone:
            phone = e.phone if rng.random() < 0.7 else f"+86 {e.phone[:3]}-{e.phone[3:7]}-{e.phone[7:]}"
            out.append(SellerRow(sid, name, shop, "", "", phone, e.id, f"phone+{variant}"))
        elif r2 < 0.92:
            out.append(SellerRow(sid, name, shop, "", e.address, "", e.id, f"address+{variant}"))
        else:
            out.append(SellerRow(sid, name, shop, "", "", "", e.id, f"name_only+{variant}"))
    return out


def scores(pred: dict[str, int | None], sellers: list[SellerRow]) -> tuple[float, float, float, int]:
    linked = {sid: eid for sid, eid in pred.items() if eid is not None}
    truth = {s.seller_id: s.truth for s in sellers}
    tp = sum(1 for sid, eid in linked.items() if truth.get(sid) == eid)
    positives = sum(1 for s in sellers if s.truth is not None)
    precision = tp / len(linked) if linked else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(linked)


def run_matcher(entities, sellers, norm, phones) -> tuple[dict, dict, float]:
    t = time.perf_counter()
    index = matching.EntityIndex(
        matching.EntityRow(e.id, e.uscc, e.name, norm[e.id].key, norm[e.id].core, phones[e.id], e.address)
        for e in entities
    )
    auto, outcomes = {}, {"auto": 0, "review": 0, "none": 0}
    for s in sellers:
        m = matching.match_seller(
            index,
            matching.Seller(s.seller_id, s.claimed_name, s.shop_name, s.claimed_uscc, s.address, s.phone),
        )
        outcomes[m.outcome] += 1
        auto[s.seller_id] = m.entity_id if m.outcome == "auto" else None
    return auto, outcomes, time.perf_counter() - t


def run_linkage(entities, sellers, norm) -> tuple[dict, dict, dict, float, str]:
    """The Fellegi–Sunter linkage (``registry.linkage``): weights estimated on this data without labels,
    thresholds chosen for the default target precision; everything timed."""
    from wangjian.registry import linkage

    t = time.perf_counter()
    index = linkage.LinkIndex(
        linkage.entity_rec(
            e.id,
            e.uscc,
            e.name,
            e.phone,
            e.address,
            e.region,
            e.status,
            key=norm[e.id].key,
            core=norm[e.id].core,
        )
        for e in entities
    )
    recs = linkage.seller_recs(
        matching.Seller(s.seller_id, s.claimed_name, s.shop_name, s.claimed_uscc, s.address, s.phone)
        for s in sellers
    )
    model = linkage.estimate(index, recs)
    table, everything = linkage.WeightTable(model), linkage.Thresholds(auto=2.0, review=0.0)
    first = linkage.link_all(model, index, recs, everything, table)
    th, expected = linkage.choose_thresholds([x.probability if x.entity_id else 0.0 for x in first])
    auto, suggested, outcomes = {}, {}, {"auto": 0, "review": 0, "none": 0}
    for x in first:
        outcome = "auto" if x.probability >= th.auto else "review" if x.probability >= th.review else "none"
        outcomes[outcome] += 1
        auto[x.seller_id] = x.entity_id if outcome == "auto" else None
        suggested[x.seller_id] = x.entity_id if outcome != "none" else None
    note = (
        f"thresholds auto {th.auto:.3f} (expected precision {expected['auto_precision']:.4f}), "
        f"review {th.review:.3f}; EM {model.iterations} iterations over {model.pairs:,} pairs"
    )
    return auto, suggested, outcomes, time.perf_counter() - t, note


def blind_data(n_entities: int, n_sellers: int, seed: int) -> tuple[list[Entity], list[SellerRow]]:
    """The independent generator's register and sellers (``bench/blind_match``), as this benchmark's rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.blind_match.generator import generate

    ents, sells = generate(n_entities=n_entities, n_sellers=n_sellers, seed=seed)
    entities = [
        Entity(
            int(e["id"]),
            e["uscc"],
            e["name"],
            e["phone"],
            e["address"],
            e["region"],
            e["county"],
            e["status"],
        )
        for e in ents
    ]
    sellers = [
        SellerRow(
            s["seller_id"],
            s["claimed_name"],
            s["shop_name"],
            s["claimed_uscc"],
            s["address"],
            s["phone"],
            None if s["truth"] in (None, "") else int(s["truth"]),
            s["case"],
        )
        for s in sells
    ]
    return entities, sellers


def run_splink(entities, sellers, norm, phones, thresholds=(0.5, 0.8, 0.9, 0.95, 0.99)):
    import logging

    logging.getLogger("splink").setLevel(logging.ERROR)
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    t = time.perf_counter()
    left = pa.table(
        {
            "unique_id": [f"e{e.id}" for e in entities],
            "uscc": [e.uscc for e in entities],
            "name_key": [norm[e.id].key for e in entities],
            "name_core": [norm[e.id].core for e in entities],
            "phone": [phones[e.id] or None for e in entities],
            "address": [matching.address_key(e.address) or None for e in entities],
        }
    )
    right_parts = [matching.name_parts(s.claimed_name) for s in sellers]
    from wangjian.registry.uscc import normalize

    right = pa.table(
        {
            "unique_id": [s.seller_id for s in sellers],
            "uscc": [normalize(s.claimed_uscc) or None for s in sellers],
            "name_key": [p.key for p in right_parts],
            # a seller that gives only a shop name is compared by it (旗舰店/专营店 removed)
            "name_core": [
                p.core or matching.shop_key(s.shop_name) for p, s in zip(right_parts, sellers, strict=True)
            ],
            "phone": [matching.phone_key(s.phone) or None for s in sellers],
            "address": [matching.address_key(s.address) or None for s in sellers],
        }
    )
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.LevenshteinAtThresholds("uscc", [1]),
            cl.ExactMatch("name_key"),
            cl.JaroWinklerAtThresholds("name_core", [0.95, 0.85]),
            cl.ExactMatch("phone"),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.8]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("uscc"),
            block_on("name_core"),
            block_on("phone"),
            block_on("substr(uscc, 1, 12)"),
            block_on("substr(uscc, 7, 12)"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db = DuckDBAPI()
    dfs = [db.register(left, table_name="entities"), db.register(right, table_name="sellers")]
    linker = Linker(dfs, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("uscc")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    from splink.internals.exceptions import EMTrainingException

    for rule in ("name_core", "uscc", "phone"):
        try:  # a data set whose phones are all masked has no pairs with equal phones
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))
        except EMTrainingException:
            print(f"  splink: no pairs agree on {rule}; that training session is skipped")
    pred = linker.inference.predict(threshold_match_probability=min(thresholds)).as_record_list()
    best: dict[str, tuple[float, int]] = {}
    for row in pred:
        a, b = str(row["unique_id_l"]), str(row["unique_id_r"])
        seller, ent = (b, a) if a.startswith("e") else (a, b)
        prob = row["match_probability"]
        if seller not in best or prob > best[seller][0]:
            best[seller] = (prob, int(ent[1:]))
    elapsed = time.perf_counter() - t
    results = {}
    for th in thresholds:
        results[th] = {s.seller_id: None for s in sellers} | {
            sid: eid for sid, (prob, eid) in best.items() if prob >= th
        }
    return results, elapsed


def report(label, entities, sellers, args) -> None:
    print(
        f"\n=== {label}: {len(entities):,} entities, {len(sellers):,} sellers "
        f"({sum(s.truth is None for s in sellers):,} with no registered entity) ==="
    )
    matching.name_parts.cache_clear()
    t = time.perf_counter()
    norm = {e.id: matching.name_parts(e.name) for e in entities}
    phones = {e.id: matching.phone_key(e.phone) for e in entities}
    print(
        f"name normalisation of the registry (stored in indexed columns at import; shared): {time.perf_counter() - t:.1f}s"
    )
    n = len(sellers)

    def cases(pred):
        if not args.cases:
            return
        for k in sorted({s.case.split("+")[0] for s in sellers}):
            subset = [s for s in sellers if s.case.split("+")[0] == k]
            pk, rk, _, _ = scores({s.seller_id: pred[s.seller_id] for s in subset}, subset)
            print(f"    {k:28s} n={len(subset):6d}  precision {pk:.3f}  recall {rk:.3f}")

    f1 = float("nan")
    if "rules" in args.matchers:
        matching.name_parts.cache_clear()
        auto, outcomes, t_rules = run_matcher(entities, sellers, norm, phones)
        p, r, f1, _ = scores(auto, sellers)
        print(
            f"\nhand-set matcher (registry.matching): {t_rules:.1f}s  auto={outcomes['auto']:,} "
            f"review={outcomes['review']:,} ({outcomes['review'] / n:.1%}) none={outcomes['none']:,}"
        )
        print(f"  auto links: precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}")
        cases(auto)
    if "linkage" not in args.matchers:
        return

    matching.name_parts.cache_clear()
    auto_fs, suggested, outcomes_fs, t_fs, note = run_linkage(entities, sellers, norm)
    p, r, f1_fs, _ = scores(auto_fs, sellers)
    _, r_all, _, _ = scores(suggested, sellers)
    print(
        f"\nFellegi–Sunter (registry.linkage, estimated here without labels): {t_fs:.1f}s  "
        f"auto={outcomes_fs['auto']:,} review={outcomes_fs['review']:,} ({outcomes_fs['review'] / n:.1%}) "
        f"none={outcomes_fs['none']:,}"
    )
    print(f"  {note}")
    print(
        f"  auto links: precision {p:.4f}  recall {r:.4f}  F1 {f1_fs:.4f}; recall if every suggestion were accepted {r_all:.4f}"
    )
    cases(auto_fs)
    if args.no_splink:
        return
    matching.name_parts.cache_clear()
    results, t_splink = run_splink(entities, sellers, norm, phones)
    print(f"\nsplink (DuckDB): {t_splink:.1f}s")
    best_f1 = 0.0
    for th, pred in results.items():
        p2, r2, f2, n2 = scores(pred, sellers)
        best_f1 = max(best_f1, f2)
        print(f"  threshold {th:.2f}: links {n2:,}  precision {p2:.4f}  recall {r2:.4f}  F1 {f2:.4f}")
    print(
        f"\nF1 linkage {f1_fs:.4f} vs splink best {best_f1:.4f} (hand-set matcher {f1:.4f}); "
        f"speed-up over splink {t_splink / t_fs:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--sellers", type=int, default=20_000)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--matchers",
        default="rules,linkage",
        help="which of rules (hand-set), linkage (Fellegi–Sunter) to run besides splink; "
        "run one alone for its memory figure",
    )
    parser.add_argument("--cases", action="store_true", help="print precision and recall per kind of case")
    parser.add_argument(
        "--data",
        choices=["own", "blind", "both"],
        default="both",
        help="own: this file's generator; blind: bench/blind_match (written without seeing the matcher)",
    )
    parser.add_argument(
        "--blind-seed",
        type=int,
        default=2027,
        help="seed of the blind generator; report figures with one not used while developing",
    )
    args = parser.parse_args()

    if args.data in ("own", "both"):
        t = time.perf_counter()
        entities = synth_registry(args.entities)
        sellers = synth_sellers(entities, args.sellers)
        print(f"own generator: made in {time.perf_counter() - t:.1f}s")
        report("own generator", entities, sellers, args)
    if args.data in ("blind", "both"):
        t = time.perf_counter()
        entities, sellers = blind_data(args.entities, args.sellers, args.blind_seed)
        print(f"\nblind generator (seed {args.blind_seed}): made in {time.perf_counter() - t:.1f}s")
        report(f"blind generator, seed {args.blind_seed}", entities, sellers, args)


if __name__ == "__main__":
    main()
