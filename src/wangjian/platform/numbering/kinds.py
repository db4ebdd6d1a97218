"""The kinds of document number a bureau keeps (文号种类), with the pattern each starts from.

A pattern has three placeholders: ``{prefix}`` (the bureau's abbreviation, 旌市监 for 旌德县
市场监督管理局 by default), ``{year}`` and ``{seq}`` (with a width: ``{seq:04d}``). The office may
change both per kind on the numbering page; a number already issued never changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from wangjian.core.errors import NotFoundError


@dataclass(frozen=True)
class NumberKind:
    key: str
    label: str
    pattern: str
    note: str = ""
    voidable: bool = True  # a document's number may be voided; a register's record number (a clue's) may not


_KINDS: dict[str, NumberKind] = {}


def register(kind: NumberKind) -> NumberKind:
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> NumberKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise NotFoundError(f"未知的文号种类：{key}", f"Unknown kind of number: {key}") from None


def kinds() -> list[NumberKind]:
    return list(_KINDS.values())


for _kind in (
    NumberKind(
        "clue",
        "线索编号",
        "{prefix}线〔{year}〕{seq:04d}",
        "登记线索时编号（线索合并、办结，编号不作废）",
        False,
    ),
    NumberKind("case_filing", "立案编号", "{prefix}立〔{year}〕{seq}号", "立案审批后签发"),
    NumberKind(
        "penalty_decision", "行政处罚决定书文号", "{prefix}处罚〔{year}〕{seq}号", "处罚决定书签发时编号"
    ),
    NumberKind("inspection", "抽查编号", "{prefix}抽〔{year}〕{seq}号", "双随机抽查任务下达时编号"),
    NumberKind("assistance", "协查函编号", "{prefix}协〔{year}〕{seq}号", "协查请求发出时编号"),
    NumberKind("notice", "通知通报文号", "{prefix}网监〔{year}〕{seq}号", "通知、通报发布时编号"),
):
    register(_kind)
