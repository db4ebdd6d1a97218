"""The index of name 2-grams: kept on every write path, and what mid-word search reads (on both databases)."""

from __future__ import annotations

import importlib
import io
import random
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.registry.conftest import (
    CHAYE,
    HONGDA,
    LIHUA,
    NONGJIA,
    REGISTRY_HEADER_ZH,
    REGISTRY_ROWS,
    csv_bytes,
)
from wangjian.registry import name_grams, selectors, services
from wangjian.registry.models import EntityNameGram, MarketEntity
from wangjian.registry.uscc import ALPHABET, complete

pytestmark = pytest.mark.django_db


def stored(entity: MarketEntity) -> set[str]:
    return set(EntityNameGram.objects.filter(entity=entity).values_list("gram", flat=True))


def expected(entity: MarketEntity) -> set[str]:
    entity.refresh_from_db()
    return set(name_grams.grams(entity.name_key))


def search(q: str, queryset=None) -> set[str]:
    qs = MarketEntity.objects.all() if queryset is None else queryset
    return set(selectors.entity_search(qs, q).values_list("uscc", flat=True))


def test_grams_are_the_distinct_pairs_of_neighbouring_characters():
    assert name_grams.grams("宏达商贸商贸") == ["宏达", "达商", "商贸", "贸商"]
    assert name_grams.grams("商") == [] and name_grams.grams("") == []


# ------------------------------------------------------------------------------- kept on writes


def test_a_created_entity_has_its_name_grams(demo):
    e = MarketEntity.objects.create(bureau=demo.county, uscc=HONGDA, name="旌德县宏达商贸有限责任公司")
    assert stored(e) == expected(e)
    assert {"宏达", "商贸", "有限"} <= stored(e)


def test_a_renamed_entity_gets_the_grams_of_its_new_name_only(demo):
    e = MarketEntity.objects.create(bureau=demo.county, uscc=HONGDA, name="旌德县宏达商贸有限责任公司")
    e = MarketEntity.objects.get(pk=e.pk)
    e.name = "旌德县宏达茶叶有限公司"
    e.save()
    assert stored(e) == expected(e)
    assert "茶叶" in stored(e) and "商贸" not in stored(e)
    # a save that leaves the name alone leaves the grams alone
    e.address = "旌阳镇"
    e.save()
    assert stored(e) == expected(e)
    # a save of named fields other than the key leaves the grams as the stored key has them
    e.name = "旌德县宏达百货商行"
    e.save(update_fields=["name"])
    assert "茶叶" in stored(e) and "百货" not in stored(e)
    e.save()
    assert stored(e) == expected(e) and "百货" in stored(e)
    # an instance saved without having been read first still ends with the right grams
    fresh = MarketEntity(pk=e.pk, bureau=demo.county, uscc=HONGDA, name="旌德县鑫源五金商行")
    fresh.save()
    assert stored(e) == expected(e) and "鑫源" in stored(e) and "茶叶" not in stored(e)


def test_a_name_corrected_through_the_approved_request_is_searched_by_its_new_words(registry, demo):
    e = MarketEntity.objects.get(uscc=LIHUA)
    c = services.correction_request(
        user=demo.users["station_officer"],
        entity=e,
        field="name",
        proposed_value="旌德县丽华鑫源五金经营部",
        evidence_note="现场核实：营业执照已变更名称",
    )
    services.correction_decide(correction=c, user=demo.users["ad_head"], approve=True, note="同意")
    assert stored(e) == expected(e)
    assert search("鑫源五金") == {LIHUA}
    assert search("百货") == set()


def test_the_import_writes_the_grams_of_new_rows_and_rewrites_those_of_renamed_rows(demo, write):
    path = write("registry.csv", csv_bytes(REGISTRY_HEADER_ZH, REGISTRY_ROWS))
    services.registry_import(bureau=demo.county, path=path, user=demo.users["office"])
    entities = list(MarketEntity.objects.all())
    assert len(entities) == 4
    for e in entities:
        assert stored(e) == expected(e)
    total = EntityNameGram.objects.count()
    # the same file again: nothing written
    services.registry_import(bureau=demo.county, path=path, user=demo.users["office"])
    assert EntityNameGram.objects.count() == total
    # a renamed row: its grams follow; the others' stay
    rows = [list(r) for r in REGISTRY_ROWS]
    rows[0][1] = "旌德县宏达茶叶有限公司"
    batch = services.registry_import(
        bureau=demo.county, path=write("renamed.csv", csv_bytes(REGISTRY_HEADER_ZH, rows)), user=None
    )
    assert batch.updated_count == 1
    for e in MarketEntity.objects.all():
        assert stored(e) == expected(e)
    hongda = MarketEntity.objects.get(uscc=HONGDA)
    assert "商贸" not in stored(hongda) and "茶叶" in stored(hongda)


def test_deleting_an_entity_deletes_its_grams(registry):
    e = MarketEntity.objects.get(uscc=HONGDA)
    pk = e.pk
    e.delete()
    assert not EntityNameGram.objects.filter(entity_id=pk).exists()
    assert EntityNameGram.objects.exists()  # the others' stay
    assert not search("商贸")


def test_the_rebuild_repairs_a_lost_or_damaged_index(registry, demo):
    want = {e.pk: expected(e) for e in MarketEntity.objects.all()}
    EntityNameGram.objects.all().delete()
    hongda = MarketEntity.objects.get(uscc=HONGDA)
    EntityNameGram.objects.create(gram="茶叶", entity=hongda)  # a gram the name does not have
    assert services.name_grams_rebuild() == 4
    assert {e.pk: stored(e) for e in MarketEntity.objects.all()} == want
    assert search("茶叶") == {CHAYE}
    # the command, for the operator; one bureau's entities only
    EntityNameGram.objects.filter(entity=hongda).delete()
    out = io.StringIO()
    call_command("reindex_names", "--bureau", "341825", stdout=out)
    assert "4" in out.getvalue()
    assert {e.pk: stored(e) for e in MarketEntity.objects.all()} == want


def test_the_migration_fills_the_index_for_the_entities_there_are(registry, monkeypatch):
    migration = importlib.import_module("wangjian.registry.migrations.0007_entity_name_grams")
    monkeypatch.setattr(migration, "BATCH", 3)  # more than one batch
    want = {e.pk: expected(e) for e in MarketEntity.objects.all()}
    EntityNameGram.objects.all().delete()
    migration.backfill(apps, SimpleNamespace(connection=connection))
    assert {e.pk: stored(e) for e in MarketEntity.objects.all()} == want


# ------------------------------------------------------------------------------- mid-word search


def test_a_word_from_the_middle_of_a_name_finds_the_names_holding_it_and_only_them(registry):
    assert search("商贸") == {HONGDA}  # 旌德县宏达商贸有限责任公司
    assert search("茶叶") == {CHAYE}  # 旌德县绿源茶叶专业合作社
    assert search("达商") == {HONGDA}
    assert search("百货") == {LIHUA}
    assert search("农家") == {NONGJIA}
    assert search("茶商") == set()  # both characters are there, never together


def test_holding_every_gram_of_the_word_is_not_holding_the_word(demo):
    # 商达 and 达贸 are both in this name, 商达贸 is not
    MarketEntity.objects.create(bureau=demo.county, uscc=HONGDA, name="旌德县商达百货达贸商行")
    MarketEntity.objects.create(bureau=demo.county, uscc=LIHUA, name="旌德县宏商达贸易商行")
    assert search("商达贸") == {LIHUA}


def test_traditional_characters_and_full_width_letters_find_the_same_names(demo):
    MarketEntity.objects.create(bureau=demo.county, uscc=HONGDA, name="旌德县宏达ABC商贸有限公司")
    assert search("達ＡＢＣ商貿") == {HONGDA}


def test_mid_word_search_keeps_to_the_queryset_given(registry, demo):
    other = complete("91341824MA2N00009")
    MarketEntity.objects.create(bureau=demo.other_county, uscc=other, name="绩溪县宏达商贸有限公司")
    assert search("商贸") == {HONGDA, other}
    assert search("商贸", MarketEntity.objects.filter(bureau=demo.county)) == {HONGDA}


def test_many_names_are_read_in_chunks_and_capped(demo, monkeypatch):
    monkeypatch.setattr(selectors, "GRAM_CHUNK", 3)
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 7)
    codes = []
    for i in range(12):
        code = complete(f"91341825MA2N{i:05d}")
        trade = "商贸" if i % 2 else "五金"
        MarketEntity.objects.create(bureau=demo.county, uscc=code, name=f"旌德县宏{i}{trade}有限公司")
        codes.append(code)
    found = set(selectors.mid_word_ids(MarketEntity.objects.all(), "商贸"))
    assert len(found) == 6
    assert set(MarketEntity.objects.filter(pk__in=found).values_list("uscc", flat=True)) == set(codes[1::2])
    # the cap: a word every name holds stops at SEARCH_LIMIT
    assert len(selectors.mid_word_ids(MarketEntity.objects.all(), "有限")) == 7


def test_a_one_character_query_keeps_its_search(registry):
    # one character has no gram: no word from the middle is looked for, as before
    assert search("贸") == set()
    assert search("张伟") == {HONGDA}  # the legal representative, as before


# ------------------------------------------------------------------------------- query plans


def _many_entities(demo, write, n: int = 3000) -> str:
    """``n`` entities with names like the registry's (a 字号 of three characters, a trade, a legal form)."""
    rng = random.Random(5)
    chars = (
        "宏达兴隆盛华鑫源泰丰顺安康瑞祥福禄喜金玉宝恒通利民新建国强明光辉晨阳春秋云海天山水林森松柏竹梅兰菊荷"
    )
    trades = ["茶叶", "百货", "商贸", "电器", "建材", "服装", "食品", "五金"]
    rows = []
    for i in range(n):
        body = "".join(rng.choice(ALPHABET) for _ in range(4)) + f"{i:05d}"
        rows.append(
            [
                complete(f"91341825{body}"),
                f"旌德县{''.join(rng.choice(chars) for _ in range(3))}{rng.choice(trades)}有限公司",
                "",
                "",
                "",
                "341825",
                "存续",
                "2020-01-01",
            ]
        )
    path = write("many.csv", csv_bytes(REGISTRY_HEADER_ZH, rows))
    batch = services.registry_import(bureau=demo.county, path=path, user=None)
    assert batch.created_count == n
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(EntityNameGram._meta.db_table)}")
    # a word from the middle of one of the names: the 字号's last two characters and the trade
    return MarketEntity.objects.order_by("pk")[n // 2].name_core[1:]


def _plans(word: str) -> list[str]:
    """The query plans of the two kinds of query a mid-word search sends: candidates, and their confirmation."""
    grams = [g for g, _ in selectors.grams_rarest_first(name_grams.grams(word))]
    candidates = selectors.name_gram_candidates(grams)[: selectors.GRAM_CHUNK]
    ids = list(candidates)
    assert ids
    confirm = MarketEntity.objects.filter(
        bureau_id__in=[1, 2], pk__in=ids, name_key__contains=word
    ).values_list("pk", flat=True)
    return [candidates.explain(), confirm.explain()]


def test_postgresql_answers_mid_word_search_from_the_gram_index(demo, write):
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL's planner: run with WANGJIAN_DATABASE_URL=postgres://… (SQLite has its own test)"
        )
    candidates, confirm = _plans(_many_entities(demo, write))
    table = EntityNameGram._meta.db_table
    assert f"Seq Scan on {table}" not in candidates, candidates
    # the (gram, entity) index, read directly or through a bitmap, for the rarest gram and the probes
    assert re.search(rf"(Index Only Scan|Index Scan) using {table}_pkey on {table}", candidates) or (
        f"Bitmap Index Scan on {table}_pkey" in candidates
    ), candidates
    assert "Seq Scan on registry_marketentity" not in confirm, confirm


def test_sqlite_answers_mid_word_search_from_the_gram_index(demo, write):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN: the PostgreSQL run has its own test")
    candidates, confirm = _plans(_many_entities(demo, write))
    table = EntityNameGram._meta.db_table
    lines = [line for line in candidates.splitlines() if table in line]
    assert lines and all("SEARCH" in line and "INDEX" in line for line in lines), candidates
    assert f"SCAN {table}" not in candidates, candidates
    # the candidates are found by their ids (the primary key, alone or beside the bureau's index)
    assert "SEARCH registry_marketentity" in confirm and "rowid=?" in confirm, confirm
    assert "SCAN registry_marketentity" not in confirm, confirm
