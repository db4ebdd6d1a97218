"""Kinds of work item (待办类型): each app registers the kinds it creates, and how it hears of their steps.

A kind names what the item is (``clue.feedback``: 反馈核查情况), the noun officers put before its
reference (线索), the clock its deadline runs on by default, and hooks into the owning app: the
clue loop marks its own overdue flag and writes its own history when one of its items goes
overdue or is escalated. The platform registers general kinds any page or app may use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wangjian.core.errors import NotFoundError


@dataclass(frozen=True)
class WorkItemKind:
    key: str
    label: str
    noun: str = "待办"
    clock: str = ""  # the default clock of the catalogue; "" when each item is given its deadline
    own_section: bool = False  # listed in the owning app's workbench section, not in the general one
    on_overdue: Callable[[Any], None] | None = None
    on_escalated: Callable[[Any, Any], None] | None = None
    on_answered: Callable[[Any, Any], None] | None = None
    on_due_changed: Callable[[Any], None] | None = None


_KINDS: dict[str, WorkItemKind] = {}


def register(kind: WorkItemKind) -> WorkItemKind:
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> WorkItemKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise NotFoundError(f"未知的待办类型：{key}", f"Unknown kind of work item: {key}") from None


def kinds() -> list[WorkItemKind]:
    return list(_KINDS.values())


# General kinds: the office or a department head hands a unit something to do with a deadline.
for _kind in (
    WorkItemKind("task.check", "核查任务", "核查"),
    WorkItemKind("task.request", "答复请求", "请求"),
    WorkItemKind("task.rectification", "整改复查", "复查"),
    WorkItemKind("task.decision", "落实纪要事项", "纪要事项"),
    # 投诉举报处理暂行办法 art. 31: a named reporter is told whether a case was opened
    WorkItemKind("report.outcome", "告知举报人处理结果", "线索", clock="report.outcome"),
):
    register(_kind)
