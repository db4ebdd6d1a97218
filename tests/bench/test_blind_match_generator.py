"""The blind seller-matching data generator: deterministic, valid codes, truth that points at something."""

from __future__ import annotations

import csv
import re

import pytest
from stdnum.cn import uscc as stdnum_uscc

from bench.blind_match import generator
from bench.blind_match.generator import generate

N_ENTITIES, N_SELLERS = 4000, 3000

# GB 32100-2015 written out again here, apart from the module under test.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_char(first17: str) -> str:
    return ALPHABET[-sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 31]


def valid(code: str) -> bool:
    return len(code) == 18 and all(c in ALPHABET for c in code) and code[17] == check_char(code[:17])


@pytest.fixture(scope="module")
def data():
    return generate(N_ENTITIES, N_SELLERS, seed=101)


def test_same_seed_same_data_other_seed_other_data(data):
    assert generate(N_ENTITIES, N_SELLERS, seed=101) == data
    other = generate(N_ENTITIES, N_SELLERS, seed=102)
    assert other[0] != data[0] and other[1] != data[1]


def test_every_code_is_valid_and_unique(data):
    entities, _ = data
    codes = [e["uscc"] for e in entities]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert valid(code), code
        assert generator.uscc_is_valid(code), code
        assert stdnum_uscc.is_valid(code), code
        assert code[0] == "9"
    by_kind = {e["kind"]: e["uscc"][1] for e in entities}
    assert by_kind == {"企业": "1", "分公司": "1", "个体工商户": "2", "农民专业合作社": "3"}


def test_known_code_checks():
    # An organisation code check worked by hand: 60003734 → 6·3+0+0+0+3·5+7·8+3·4+4·2 = 109, 11 − 109 mod 11 = 1.
    assert generator.org_check_char("60003734") == "1"
    assert generator.uscc_is_valid("91110000600037341L")
    assert not generator.uscc_is_valid("91110000600037341M")
    assert not generator.uscc_is_valid("9111000060003734OL")


def test_entities_fields_and_statuses(data):
    entities, _ = data
    assert [e["id"] for e in entities] == list(range(1, N_ENTITIES + 1))
    statuses = {e["status"] for e in entities}
    assert statuses == {"存续", "歇业", "迁出", "注销", "吊销"}
    assert sum(e["status"] == "存续" for e in entities) > N_ENTITIES * 0.6
    phone = re.compile(r"1\d\d\*{4}\d{4}|0\d{3}-\d{7}")
    for e in entities:
        assert set(e) == set(generator.ENTITY_FIELDS)
        assert e["uscc"][2:8] in (e["region"], e["region"][:4] + "00", "330000")
        assert e["phone"] == "" or phone.fullmatch(e["phone"]), e["phone"]
        assert (e["moved_to"] != "") == (e["status"] == "迁出")
        assert e["moved_to"] != e["region"]
        assert e["status_date"] == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", e["status_date"])
        if e["status"] == "存续":
            assert e["status_date"] == ""
        if e["kind"] == "分公司":
            assert e["name"].endswith("分公司")
    assert {e["phone"] == "" for e in entities} == {True, False}


def test_truth_points_at_entities_and_cases_fit(data):
    entities, sellers = data
    by_id = {e["id"]: e for e in entities}
    names = {e["name"] for e in entities}
    cases = {c[0] for c in generator.CASES}
    none = 0
    for s in sellers:
        assert set(s) == set(generator.SELLER_FIELDS)
        assert s["case"] in cases
        assert s["phone"] == "" or re.fullmatch(r"1\d{10}", s["phone"])
        assert isinstance(s["yearly_sales"], int) and s["yearly_sales"] >= 0
        if s["truth"] is None:
            none += 1
            assert s["case"].startswith("unregistered")
            assert s["claimed_name"] not in names  # an unregistered name is nobody's name
            continue
        e = by_id[s["truth"]]
        if s["case"].startswith("typo_code"):
            code, true = s["claimed_uscc"], e["uscc"]
            assert len(code) == 18 and sum(a != b for a, b in zip(code, true, strict=True)) == 1
            assert not valid(code)
        if s["case"] == "typo_code+phone":
            masked = e["phone"]
            assert masked[3:7] == "****" and s["phone"][:3] == masked[:3] and s["phone"][7:] == masked[7:]
        if s["case"] == "cancelled_entity":
            assert e["status"] in ("注销", "吊销")
        if s["case"] == "moved_entity":
            assert e["status"] == "迁出"
        if s["case"] == "branch":
            assert e["kind"] == "分公司"
        if s["case"] == "other_entity_code":
            assert s["claimed_uscc"] != e["uscc"] and valid(s["claimed_uscc"])
        if s["case"] == "shop_name_only":
            assert s["claimed_name"] == "" and s["claimed_uscc"] == ""
        if s["case"] in ("exact", "name_typo+code", "name_variant+code", "code_only"):
            assert s["claimed_uscc"] == e["uscc"]
        if s["case"] in ("name_typo", "name_typo+code", "legal_form", "region_dropped", "traditional_name"):
            assert s["claimed_name"] != e["name"]
    assert 0.15 <= none / len(sellers) <= 0.25
    assert {s["case"] for s in sellers} == cases


def test_cli_writes_both_files_and_the_mix(tmp_path, capsys):
    assert (
        generator.main(["--entities", "300", "--sellers", "200", "--seed", "7", "--out", str(tmp_path)]) == 0
    )
    with open(tmp_path / "entities.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 300 and list(rows[0]) == list(generator.ENTITY_FIELDS)
    entities, sellers = generate(300, 200, seed=7)
    assert rows[0] == {k: str(v) for k, v in entities[0].items()}
    with open(tmp_path / "sellers.csv", encoding="utf-8", newline="") as f:
        srows = list(csv.DictReader(f))
    assert len(srows) == 200 and list(srows[0]) == list(generator.SELLER_FIELDS)
    assert [r["truth"] for r in srows] == ["" if s["truth"] is None else str(s["truth"]) for s in sellers]
    out = capsys.readouterr().out
    assert "typo_code+phone" in out and "truth None" in out
