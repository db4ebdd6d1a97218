"""Reads of the registry: who may do what, search over indexed normalised columns, the review queue, the archive."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from wangjian.core.audit import mask, mask_name
from wangjian.org import permissions
from wangjian.org.models import Bureau
from wangjian.org.selectors import scope, visible_bureau_ids
from wangjian.registry import matching, name_grams
from wangjian.registry import permits as permit_numbers
from wangjian.registry import uscc as uscc_mod
from wangjian.registry.choices import ImportKind, MatchOutcome
from wangjian.registry.models import (
    CorrectionRequest,
    EntityNameGram,
    MarketEntity,
    MatchResult,
    Permit,
    Presence,
)
from wangjian.registry.permissions import (
    CORRECTION_APPROVE,
    PERMIT_IMPORT,
    PERSONAL_DATA_READ,
    REGISTRY_IMPORT,
    REGISTRY_REVIEW,
)

# Who may is the permission table's (``registry.permissions``), for the user's own bureau. Roles that
# handle entities in person (inspection, enforcement, registration) may unmask legal representatives
# and phone numbers; lists and exports stay masked for everyone (个人信息保护法 art. 6: no more than
# the purpose needs).


def _bureau_id(bureau: Bureau | int | None) -> int | None:
    return bureau.pk if isinstance(bureau, Bureau) else bureau


def can_see_personal(user: Any) -> bool:
    return bool(user.is_authenticated and permissions.may(user, PERSONAL_DATA_READ))


def can_import(user: Any, bureau: Bureau | int | None, kind: str | None = None) -> bool:
    """Importing the registry or a platform's list (or, ``kind`` permits, the licensing departments' permit
    data): staff of that bureau who handle the data, not auditors."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    action = PERMIT_IMPORT if kind == ImportKind.PERMITS else REGISTRY_IMPORT
    return permissions.may(user, action) and _bureau_id(bureau) == user.bureau_id


def can_review(user: Any, bureau: Bureau | int | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return permissions.may(user, REGISTRY_REVIEW) and _bureau_id(bureau) == user.bureau_id


def can_request_correction(user: Any, bureau: Bureau | int | None) -> bool:
    return can_review(user, bureau)


def can_approve_correction(user: Any, correction: CorrectionRequest) -> bool:
    """The department head (科室负责人) of the bureau approves corrections; never the requester."""
    if not user.is_authenticated or not user.is_active:
        return False
    if correction.requested_by_id == user.pk and not user.is_superuser:
        return False
    if user.is_superuser:
        return True
    return permissions.may(user, CORRECTION_APPROVE) and user.bureau_id == correction.bureau_id


masked_name = mask_name  # a person's name for lists (张**), as the kernel masks it


def personal(user: Any, value: str, kind: str = "phone") -> str:
    if can_see_personal(user):
        return value
    return masked_name(value) if kind == "name" else mask(value)


def entities_for(user: Any) -> QuerySet:
    return scope(MarketEntity.objects.all(), user)


def _prefix(qs: QuerySet, field: str, value: str) -> QuerySet:
    """Prefix search that uses the index on both databases (text_pattern_ops on PostgreSQL, a range on SQLite)."""
    if connection.vendor == "postgresql":
        return qs.filter(**{f"{field}__startswith": value})
    return qs.filter(**{f"{field}__gte": value, f"{field}__lt": value + "\U0010ffff"})


SEARCH_LIMIT = 1000


def entity_search(queryset: QuerySet, q: str) -> QuerySet:
    """Search by USCC, name (simplified or traditional, with or without region prefix and legal form),
    legal representative, phone, presence URL or shop name — each through an indexed column;
    when none of these finds anything, a word from the middle of the name.
    A name matches at most ``SEARCH_LIMIT`` entities per way of matching (narrow the search).
    """
    q = (q or "").strip()
    if not q:
        return queryset
    code = uscc_mod.normalize(q)
    if len(code) == 18 and re.fullmatch(r"[0-9A-Z]{18}", code):
        return queryset.filter(uscc=code)
    if 6 <= len(code) < 18 and re.fullmatch(r"[0-9][0-9A-Z]{5,16}", code) and code == q.upper():
        # The start of a code (登记机关 + 行政区划 …): the code's index answers a prefix at once; a
        # run of digits may also be a phone number, so both are asked.
        ids = set(_prefix(queryset, "uscc", code).order_by().values_list("pk", flat=True)[:SEARCH_LIMIT])
        if code.isdigit() and len(code) >= 7:
            phone = queryset.filter(phone_key=matching.phone_key(q)).order_by()
            ids.update(phone.values_list("pk", flat=True)[:SEARCH_LIMIT])
        if ids:
            return queryset.filter(pk__in=ids)
    if re.fullmatch(r"[\d\s\-+()（）]{7,}", q):
        return queryset.filter(phone_key=matching.phone_key(q))
    if "://" in q or q.startswith("www.") or re.fullmatch(r"[\w.-]+\.[a-z]{2,}(/.*)?", q):
        url = q if "://" in q else None
        presences = (
            Presence.objects.filter(url=url) if url else _prefix(Presence.objects, "url", f"https://{q}")
        )
        if not url:
            presences = presences | _prefix(Presence.objects, "url", f"http://{q}")
        return queryset.filter(pk__in=presences.exclude(entity=None).values("entity_id"))
    parts = matching.name_parts(q)
    shop = matching.shop_key(q)
    # Each way of finding the entity is its own index lookup, capped, and the ids are
    # combined: an OR across subqueries would make the database scan a million rows.
    branches = [queryset.filter(name_key=parts.key)]
    if len(parts.core) >= 2:
        branches.append(_prefix(queryset, "name_core", parts.core))
    if 2 <= len(q) <= 4 and not re.search(r"[A-Za-z0-9]", q):
        branches.append(queryset.filter(legal_rep=q))
    shop_ids = list(
        Presence.objects.filter(shop_name_key=shop)
        .exclude(entity=None)
        .values_list("entity_id", flat=True)[:SEARCH_LIMIT]
    )
    ids: set[int] = set(shop_ids)
    for branch in branches:
        ids.update(branch.order_by().values_list("pk", flat=True)[:SEARCH_LIMIT])
    if not ids and len(parts.core) >= 2:
        # Nothing starts so: a word from the middle of the name (“商贸” in 旌德县宏达商贸有限公司),
        # through the index of the names' 2-grams.
        ids.update(mid_word_ids(queryset, parts.core))
    return queryset.filter(pk__in=ids)


GRAM_RARE_AT = 256  # a gram's entities are counted up to this many: enough to tell a rare one
GRAM_PROBES = 6  # grams a candidate is checked against in the index; the substring check covers the rest
GRAM_CHUNK = 1000  # candidates confirmed per round trip (one when a word is common)


def grams_rarest_first(grams: list[str]) -> list[tuple[str, int]]:
    """``grams`` with how many entities hold each (counted up to ``GRAM_RARE_AT``), the rarest first.

    One round trip, each count a short range of the gram index (a common gram stops at the cap);
    grams equally common keep their order in the word.
    """
    if not grams:
        return []
    table = connection.ops.quote_name(EntityNameGram._meta.db_table)
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE gram = %s LIMIT {int(GRAM_RARE_AT)}) AS g{i})"
        for i in range(len(grams))
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", grams)
        row = cursor.fetchone()
    return sorted(zip(grams, row, strict=True), key=lambda item: item[1])


def name_gram_candidates(grams: list[str], after: int = 0) -> QuerySet:
    """The ids above ``after`` of the entities holding every gram of ``grams``, in order of id.

    The first gram's entities are one range of the gram index; every other gram is a probe of
    the same index per candidate, so ``grams`` should start with the rarest.
    """
    qs = EntityNameGram.objects.filter(gram=grams[0], entity_id__gt=after)
    for g in grams[1:]:
        qs = qs.filter(Exists(EntityNameGram.objects.filter(gram=g, entity_id=OuterRef("entity_id"))))
    return qs.order_by("entity_id").values_list("entity_id", flat=True)


def mid_word_ids(queryset: QuerySet, word: str) -> list[int]:
    """Up to ``SEARCH_LIMIT`` ids of ``queryset``'s entities whose normalised name holds ``word`` (2+ characters).

    The candidates are the entities holding all the word's grams (``registry.name_grams``), read
    in chunks from the rarest gram; each chunk is confirmed on the entity rows (the word itself
    in the name, and whatever ``queryset`` asks), so a common word stops at the first full page
    and a word no name holds costs no more than its rarest gram's entities.
    """
    counted = grams_rarest_first(name_grams.grams(word))
    if not counted or counted[0][1] == 0:
        return []
    grams = [g for g, _ in counted[:GRAM_PROBES]]
    ids: list[int] = []
    after = 0
    while len(ids) < SEARCH_LIMIT:
        chunk = list(name_gram_candidates(grams, after)[:GRAM_CHUNK])
        if not chunk:
            break
        ids += queryset.filter(pk__in=chunk, name_key__contains=word).order_by().values_list("pk", flat=True)
        if len(chunk) < GRAM_CHUNK:
            break
        after = chunk[-1]
    return ids[:SEARCH_LIMIT]


def review_queue(user: Any) -> QuerySet:
    return (
        scope(MatchResult.objects.filter(outcome=MatchOutcome.REVIEW, decided=False), user)
        .select_related("seller", "seller__platform", "entity")
        .order_by("-confidence", "id")
    )


def entity_index(*, bureau: Bureau) -> matching.EntityIndex:
    """The matcher's index over the entities of ``bureau`` and the bureaus below it."""
    ids = bureau.descendant_ids()
    rows = (
        MarketEntity.objects.filter(bureau_id__in=ids)
        .values_list("id", "uscc", "name", "name_key", "name_core", "phone_key", "address", "status")
        .iterator(chunk_size=20000)
    )
    return matching.EntityIndex(rows)


def visible_ids(user: Any) -> set[int] | None:
    return visible_bureau_ids(user)


# ---------------------------------------------------------------------------------------------
# Permit data (亮证核验)


class DbPermitLookup:
    """The imported permit data a permit display check verifies against (``registry.permits.PermitLookup``).

    A bureau's data is its own and that of the bureaus above it (a city's licensing office may
    import the city's permits for its counties); with no bureau (the command line) every bureau's.
    A number is looked up only where the data covers the place the number says it was issued:
    a permit from elsewhere is not "unknown", only not verifiable here.
    """

    def __init__(self, bureau: Bureau | None = None):
        qs = Permit.objects.all()
        if bureau is not None:
            qs = qs.filter(bureau_id__in=[bureau.pk, *(b.pk for b in bureau.ancestors())])
        self.qs = qs
        self._covers: dict[tuple[str, str], bool] = {}

    def covers(self, kind: str, region: str) -> bool:
        key = (kind, region)
        if key not in self._covers:
            qs = self.qs.filter(kind=kind)
            self._covers[key] = (qs.filter(number_region=region) if region else qs).exists()
        return self._covers[key]

    def find(self, kind: str, number: str) -> permit_numbers.PermitFacts | None:
        row = (
            self.qs.filter(kind=kind, number=permit_numbers.normalize(number))
            .order_by("-valid_to", "-id")
            .first()
        )
        if row is None:
            return None
        return permit_numbers.PermitFacts(
            kind=row.kind,
            number=row.number,
            holder_name=row.holder_name,
            holder_uscc=row.holder_uscc,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            status=row.status,
            scope=row.scope,
        )


def permit_lookup(*, bureau: Bureau | None = None) -> DbPermitLookup:
    return DbPermitLookup(bureau)
