"""Who may see a capture: its bureau's readers, and whoever may see a matter it is linked to.

A capture belongs to the bureau that made it and is read under the organisation rule (the bureau and
the bureaus above it). Evidence follows its matter inside the instance, though: a clue transferred to
another bureau (移交, 法定管辖) carries its links, a case's joint group (联合办案组) takes in officers of
other bureaus, and each must be able to open the captures the matter rests on — as links to the
capture, its files and its package, never as plain text. The evidence app does not know who may see a
clue or a case, so the owning app says it at start-up::

    from wangjian.evidence import access
    access.register_link("clues", lambda user, capture_ids: access.through_links(...))

A registered function is given a user and capture ids and answers which of those captures the user may
see through the app's records, and through which (``Via``: the matter, its number, its page). A link to
a model that no app answers for gives no sight (the safe default: a capture is its bureau's).

What is recorded when someone outside the bureau looks (``services``): opening the page, a GET, in the
change log with the matter it was reached through (the ledger takes no GET, so that no link can add to
it); a download, an export or a registered view, a POST, in the capture bureau's ledger with the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models

from wangjian.evidence.models import EvidenceCapture, EvidenceLink
from wangjian.org.selectors import visible_bureau_ids

if TYPE_CHECKING:
    from wangjian.org.models import User


@dataclass(frozen=True)
class Via:
    """A matter through which a user sees a capture of another bureau."""

    label: str  # 线索 / 案件
    key: str  # "clues.clue:12": what the ledger and the change log keep
    name: str  # the matter as an officer names it (its number and title)
    url: str = ""

    def __str__(self) -> str:
        return f"{self.label} {self.name}".strip()


@dataclass(frozen=True)
class Sight:
    """Why ``user`` may see a capture: as a reader of its bureau (``own``), or through ``via``."""

    own: bool
    via: tuple[Via, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return self.own or bool(self.via)

    @property
    def reason(self) -> str:
        """The words the change log keeps for a view from outside the bureau."""
        if self.own or not self.via:
            return ""
        return "经" + "、".join(str(v) for v in self.via) + " 查看（外局）"

    def record(self) -> dict[str, list[str]]:
        """What a ledger entry adds for an access from outside the bureau (empty for the bureau's own)."""
        return {} if self.own else {"via": [f"{v.key} {v.name}" for v in self.via]}


# Given a user and capture ids: {capture id: the matters through which the user sees it}.
SeenThrough = Callable[["User", Collection[int]], Mapping[int, Sequence[Via]]]

_rules: dict[str, SeenThrough] = {}


def register_link(name: str, seen_through: SeenThrough) -> None:
    """Declare how an app's records (clues, cases …) give sight of the captures linked to them."""
    _rules[name] = seen_through


def unregister_link(name: str) -> None:
    _rules.pop(name, None)


def own_bureau(user: User, capture: EvidenceCapture) -> bool:
    """The organisation rule, unchanged: the capture's bureau and the bureaus above it read it."""
    ids = visible_bureau_ids(user)
    return ids is None or capture.bureau_id in ids


def seen_through(*, user: User, capture_ids: Collection[int]) -> dict[int, list[Via]]:
    """Every matter of every registered app through which ``user`` sees each of ``capture_ids``."""
    found: dict[int, list[Via]] = defaultdict(list)
    if not capture_ids or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    for name in sorted(_rules):
        for capture_id, via in _rules[name](user, capture_ids).items():
            for v in via:
                if v not in found[capture_id]:
                    found[capture_id].append(v)
    return dict(found)


def capture_sight(*, user: User, capture: EvidenceCapture) -> Sight:
    """The rule every page, file, package and API read of one capture goes through."""
    if not getattr(user, "is_authenticated", False):
        return Sight(own=False)
    if own_bureau(user, capture):
        return Sight(own=True)
    return Sight(own=False, via=tuple(seen_through(user=user, capture_ids=[capture.pk]).get(capture.pk, [])))


def through_links(
    *, model: type[models.Model], visible: models.QuerySet, capture_ids: Collection[int], label: str
) -> dict[int, list[Via]]:
    """The common answer: the captures linked (``EvidenceLink``) to objects of ``model`` in ``visible``.

    ``visible`` is the owning app's own rule of who sees its objects, so the sight of a capture is
    exactly the sight of its matter.
    """
    ct = ContentType.objects.get_for_model(model)
    links = list(
        EvidenceLink.objects.filter(content_type=ct, capture_id__in=list(capture_ids)).values_list(
            "capture_id", "object_id"
        )
    )
    ids = {int(oid) for _cid, oid in links if oid.isdigit()}
    if not ids:
        return {}
    objects = {str(o.pk): o for o in visible.filter(pk__in=ids)}
    found: dict[int, list[Via]] = defaultdict(list)
    for capture_id, object_id in links:
        obj = objects.get(object_id)
        if obj is not None:
            found[capture_id].append(via_of(obj, label=label))
    return dict(found)


def via_of(obj: models.Model, *, label: str) -> Via:
    ct = ContentType.objects.get_for_model(obj.__class__)
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    return Via(label=label, key=f"{ct.app_label}.{ct.model}:{obj.pk}", name=str(obj)[:200], url=url)
