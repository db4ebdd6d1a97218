"""Blocking: which entities are worth comparing with a seller, and the pairs compared (``registry.linkage``)."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from wangjian.core.bulk import gc_paused
from wangjian.registry.linkage.fields import EntityRec, Levels, SellerRec, compare

# ---------------------------------------------------------------------------------------------
# The index (blocking): which entities are worth comparing with a seller


class LinkIndex:
    """Blocking keys over the registry: code, name, 字号 prefixes, phone (masked too), and the 2-grams
    of name cores for names with a mistyped character and no code."""

    MAX_BLOCK = (
        200  # a larger block (a common 字号) is narrowed to the seller's county, if the seller has one
    )
    MAX_HEAD_BLOCK = 50  # entities whose core begins with a shop name's first two characters

    def _take_block(self, ids: Sequence[int], s: SellerRec, take) -> None:
        if len(ids) <= self.MAX_BLOCK:
            take(ids)
        elif s.region:
            county = s.region[:6]
            take((eid for eid in ids if self.by_id[eid].region[:6] == county), self.MAX_BLOCK)

    def __init__(self, rows: Iterable[EntityRec]):
        self.by_id: dict[int, EntityRec] = {}
        self.by_uscc: dict[str, int] = {}
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.by_core: dict[str, list[int]] = defaultdict(list)
        self.by_head: dict[str, list[int]] = defaultdict(list)  # the first 2 characters of the core
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self.by_masked: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._grams: dict[str, array] | None = None  # built when a seller first needs it
        by_id, by_uscc, by_key, by_core = self.by_id, self.by_uscc, self.by_key, self.by_core
        by_head, by_phone, by_masked = self.by_head, self.by_phone, self.by_masked
        with gc_paused():  # hundreds of thousands of small objects, no cycles among them
            for e in rows:  # the loop every registry row passes through: names bound locally
                eid = e.id
                by_id[eid] = e
                if e.uscc:
                    by_uscc[e.uscc] = eid
                by_key[e.key].append(eid)
                core = e.core
                if core:
                    by_core[core].append(eid)
                    if len(core) >= 2:
                        by_head[core[:2]].append(eid)
                phone = e.phone
                if phone and len(phone) >= 7:
                    by_phone[phone].append(eid)
                elif e.phone_tail:
                    by_masked[(e.phone_head[:3], e.phone_tail[-4:])].append(eid)
        self.core_counts: Counter[str] = Counter({core: len(ids) for core, ids in by_core.items()})
        self.total = max(1, len(self.by_id))
        # the number of entities sharing an entity's core, averaged over entities
        self.mean_core_count = (
            sum(c * c for c in self.core_counts.values()) / max(sum(self.core_counts.values()), 1)
        ) or 1.0

    def __len__(self) -> int:
        return len(self.by_id)

    def tf_share(self, core: str) -> float:
        """How many entities bear ``core`` against how many an average entity's core is shared by: the
        factor on the u of a name agreement (term frequency)."""
        return self.core_counts.get(core, 1) / self.mean_core_count

    def candidates(self, s: SellerRec, limit: int = 50) -> list[int]:
        found: dict[int, None] = {}

        def take(ids: Iterable[int], cap: int | None = None) -> None:
            for n, eid in enumerate(ids):
                if cap is not None and n >= cap:
                    break
                found.setdefault(eid, None)

        if s.code:
            eid = self.by_uscc.get(s.code)
            if eid is not None:
                found[eid] = None
            for c in s.repairs:
                eid = self.by_uscc.get(c)
                if eid is not None:
                    found[eid] = None
        if s.phone:
            take(self.by_phone.get(s.phone, ()))
            if len(s.phone) == 11:
                take(self.by_masked.get((s.phone[:3], s.phone[-4:]), ()), self.MAX_BLOCK)
        if s.name is not None:
            take(self.by_key.get(s.name.key, ()), self.MAX_BLOCK)
            self._take_block(self.by_core.get(s.name.core, ()), s, take)
        if s.shop:
            self._take_block(self.by_core.get(s.shop, ()), s, take)
            if s.name is None and len(s.shop) >= 2:  # a shop name alone: its 字号 may begin an entity's core
                head = self.by_head.get(s.shop[:2], ())
                if len(head) <= self.MAX_HEAD_BLOCK:
                    take(head)
        if not found:
            core = s.name.core if s.name is not None else s.shop
            take(self._near_cores(core))
        ids = [eid for eid in found if eid not in s.rejected]
        ids.extend(eid for eid in s.accepted if eid in self.by_id and eid not in found)
        return ids[: max(limit, len(s.accepted))]

    @property
    def grams(self) -> dict[str, array]:
        """The entities by each 2-gram of their core, built when a seller first needs it."""
        if self._grams is None:
            grams: dict[str, array] = {}
            for core, ids in self.by_core.items():
                for g in {core[i : i + 2] for i in range(len(core) - 1)}:
                    posting = grams.get(g)
                    if posting is None:
                        posting = grams[g] = array("i")
                    posting.extend(ids)
            self._grams = grams
        return self._grams

    def _near_cores(self, core: str, keep: int = 20) -> list[int]:
        """Entities whose core shares most of the 2-grams of ``core`` (one mistyped character breaks two)."""
        if not core or len(core) < 3:
            return []
        index = self.grams
        # Rarest grams first, ties by the gram itself, and candidates by count then id: the same data gives the
        # same candidates on every run (a set's order follows the process's hash seed).
        grams = sorted(
            {core[i : i + 2] for i in range(len(core) - 1)}, key=lambda g: (len(index.get(g, ())), g)
        )
        need = max(1, len(grams) - 2)
        counts: Counter[int] = Counter()
        for g in grams[:4]:
            posting = index.get(g)
            if posting is not None and len(posting) <= 5 * self.MAX_BLOCK:
                counts.update(posting)
        best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:keep]
        return [eid for eid, n in best if n >= min(need, 2)]


def pairs_of(index: LinkIndex, s: SellerRec) -> list[tuple[int, Levels, float]]:
    """The seller's candidates with their comparison levels and the 字号's term-frequency share,
    computed once per index (estimation and linking read the same)."""
    if s._pairs is None or s._pairs_of is not index:
        out = []
        for eid in index.candidates(s):
            e = index.by_id[eid]
            out.append((eid, compare(s, e), index.tf_share(e.core)))
        s._pairs, s._pairs_of = out, index
    return s._pairs
