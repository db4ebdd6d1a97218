"""The kinds of item the apps send to and receive from partner instances (a registry; exchange imports no app).

An app registers its kinds at start-up::

    from wangjian.exchange import kinds
    kinds.register(kinds.Kind("clue", "线索移送", Category.ENFORCEMENT, receive=receive_clue, personal=("reporter",)))

``receive(incoming)`` runs inside the receiving transaction once the message has passed every check
(signature, sender, agreement, evidence packages); it makes the record the item becomes and returns what that
is (``Result``), or raises a ``WangjianError`` to refuse the message with that reason — nothing it wrote stays.
``personal`` names the body's keys that hold personal data: masked when sent under an agreement that does
not allow personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wangjian.exchange.models import Message, Partner, ReceivedPackage
    from wangjian.org.models import Bureau


@dataclass(frozen=True)
class Result:
    """What a received item became here: its label and number for the lists, its page, and keys to link."""

    label: str
    url: str = ""
    ref: dict[str, Any] = field(default_factory=dict)
    linked_model: str = ""
    linked_id: int | None = None


@dataclass
class Incoming:
    message: Message
    bureau: Bureau
    partner: Partner
    body: dict[str, Any]
    packages: list[ReceivedPackage]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    category: str
    receive: Callable[[Incoming], Result]
    personal: tuple[str, ...] = ()
    title: Callable[[dict[str, Any]], str] = lambda body: str(body.get("title", ""))[:300]


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.key] = kind


def unregister(key: str) -> None:
    _KINDS.pop(key, None)


def get(key: str) -> Kind | None:
    return _KINDS.get(key)


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.key)


def label(key: str) -> str:
    kind = _KINDS.get(key)
    return kind.label if kind else key
