"""Importing a draw made in the province's own 双随机 system (省级“双随机、一公开”监管工作平台).

Issue 19: where the province runs its own system, that system stays the record of the draw — wangjian
imports the draw made there (the objects and the inspectors), runs and records the online checks, and
exports the results; a bureau without one draws in wangjian (``services.draws``). An imported draw is
therefore not re-run here (``draws.draw_rerun`` refuses it): there are no published inputs to re-run from,
only the province's task number and the SHA-256 of the file imported, both kept on the draw.

The plan must be published first (the plan and its item list are published before the draw, 《市场监管
总局关于全面推进“双随机、一公开”监管工作的通知》), and the import is a draw: the draw permission
(``inspections.draw.run``) and the plan's bureau (a department head: plans the department leads or joins).

Row by row: the entity is found in the bureau's registry by its 统一社会信用代码 (by its exact name when
the file has no code); the inspectors named in the row (names separated by 、 or ,; their 执法证号 in the
same order) are matched by enforcement certificate number first, then by name among the bureau's active
staff. Every row, or inspector of a row, that cannot be matched is kept as a ``ProvinceDrawRejectedRow``
with its reason; one bad row never stops the file. An inspector with a declared relation with the entity
(``InspectorRelation``, 回避) is kept — the province made the draw — with a warning on the row.

**The headers below are our reading of provincial exports, not a specification**: check the real file
against ``COLUMNS`` before the first import and add a spelling to a field's tuple when it differs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone

from wangjian.core import uploads
from wangjian.core.errors import ValidationFailed
from wangjian.inspections.choices import DrawOrigin, DrawState, PlanState
from wangjian.inspections.models import (
    Draw,
    DrawnInspector,
    DrawnObject,
    InspectorRelation,
    Plan,
    ProvinceDrawRejectedRow,
)
from wangjian.inspections.services.draws import _require_draw
from wangjian.org.models import User
from wangjian.registry import importing
from wangjian.registry.models import MarketEntity


def _spellings(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# Our field → the header spellings expected in the province system's export of a draw.
COLUMNS: dict[str, tuple[str, ...]] = {
    "task_number": _spellings("抽查任务编号 任务编号 抽查任务号 检查任务编号 task_number"),
    "uscc": _spellings("统一社会信用代码 社会信用代码 信用代码 注册号/统一社会信用代码 uscc"),
    "name": _spellings("企业名称 市场主体名称 主体名称 检查对象名称 检查对象 名称 name"),
    "inspectors": _spellings("检查人员 执法人员 检查人员姓名 执法人员姓名 抽取的检查人员 inspectors"),
    "certificates": _spellings("执法证号 执法证件号 执法证件号码 行政执法证号 执法证编号 certificates"),
}
SOURCE_NAME = "省级双随机系统"
ALGORITHM = "province-import"
_SPLIT = re.compile(r"[、,，;；/\s]+")


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _split(value: str) -> list[str]:
    return [p for p in _SPLIT.split(_text(value)) if p]


@dataclass
class _Object:
    entity: MarketEntity
    row_number: int
    inspectors: list[tuple[User, str]] = field(default_factory=list)  # (user, warning)


@dataclass
class _Staff:
    """The bureau's active staff, by certificate number and by name (a name two people share matches none)."""

    by_certificate: dict[str, User]
    by_name: dict[str, list[User]]

    @classmethod
    def of(cls, bureau_id: int) -> _Staff:
        by_certificate: dict[str, User] = {}
        by_name: dict[str, list[User]] = {}
        for u in User.objects.filter(bureau_id=bureau_id, is_active=True).order_by("pk"):
            if u.enforcement_certificate.strip():
                by_certificate[_text(u.enforcement_certificate)] = u
            for n in {_text(u.name), _text(u.username)} - {""}:
                by_name.setdefault(n, []).append(u)
        return cls(by_certificate, by_name)

    def match(self, name: str, certificate: str) -> User | importing.Problem:
        if certificate and certificate in self.by_certificate:
            return self.by_certificate[certificate]
        found = self.by_name.get(name, []) if name else []
        if len(found) == 1:
            return found[0]
        label = name or certificate
        if len(found) > 1:
            return importing.Problem(
                "inspectors",
                label,
                f"本局有 {len(found)} 名同名人员“{name}”，且执法证号未能对应，无法确定是谁",
                f"{len(found)} staff of the bureau are named {name!r} and no certificate number told them apart",
            )
        return importing.Problem(
            "inspectors",
            label,
            f"本局人员中找不到检查人员“{label}”（按执法证号{certificate or '（空）'}、按姓名均未找到）",
            f"no staff of the bureau matches inspector {label!r} (by certificate number, then by name)",
        )


def draw_import(
    *,
    plan: Plan,
    user: User | None,
    path_or_bytes: str | Path | bytes | IO[bytes],
    file_name: str,
    now: dt.datetime | None = None,
) -> Draw:
    """Import the province system's draw for ``plan`` as a made draw (``origin`` province).

    Returns the draw, its refused rows kept (``draw.rejected_rows``); raises ``ValidationFailed`` (nothing
    written) when the plan is not published, the file cannot be read, has no 统一社会信用代码 or name
    column, names no task number or two, was imported for this plan already, or yields no object at all.
    A new import replaces the plan's current draw (a new row naming it; the earlier one is kept).
    """
    _require_draw(user, plan)
    now = now or timezone.now()
    if plan.state != PlanState.PUBLISHED:
        raise ValidationFailed(
            "抽查计划和抽查事项清单须先公布，才能导入省级系统的抽取结果",
            "The plan and its item list are published before a draw is imported",
        )
    with uploads.import_path(path_or_bytes, file_name, prefix="wangjian-province-draw-") as path:
        sha256 = uploads.file_sha256(path)
        table = importing.open_table(path, file_name)
        cols = importing.auto_mapping(table.headers, COLUMNS)
        rows = list(table.rows)
    if "uscc" not in cols and "name" not in cols:
        raise ValidationFailed(
            f"文件没有“统一社会信用代码”或“企业名称”列，无法对应市场主体；表头为：{'、'.join(table.headers)}",
            "the file has no 统一社会信用代码 or 企业名称 column: entities cannot be matched; "
            f"headers: {', '.join(table.headers)}",
            code="mapping",
            detail={"headers": table.headers},
        )
    if "inspectors" not in cols and "certificates" not in cols:
        raise ValidationFailed(
            f"文件没有“检查人员”或“执法证号”列，无法对应检查人员；表头为：{'、'.join(table.headers)}",
            "the file has no 检查人员 or 执法证号 column: inspectors cannot be matched; "
            f"headers: {', '.join(table.headers)}",
            code="mapping",
            detail={"headers": table.headers},
        )
    if plan.draws.filter(origin=DrawOrigin.PROVINCE, file_sha256=sha256).exists():
        raise ValidationFailed(
            "该文件已为本计划导入过（文件SHA-256相同）", "This file was imported for this plan already"
        )

    def cell(cells: list[str], name: str) -> str:
        i = cols.get(name)
        return _text(cells[i]) if i is not None and i < len(cells) else ""

    numbers = sorted({cell(c, "task_number") for _n, c in rows} - {""})
    if len(numbers) != 1:
        raise ValidationFailed(
            "文件须载明一个省级抽查任务编号（“抽查任务编号”列）"
            + (f"，现有 {len(numbers)} 个：{'、'.join(numbers[:5])}" if numbers else ""),
            "the file must name one province task number (column 抽查任务编号)",
            detail=numbers[:50],
        )
    task_number = numbers[0]

    rejected: list[tuple[int, importing.Problem, list[str]]] = []
    staff = _Staff.of(plan.bureau_id)
    usccs = {cell(c, "uscc").upper() for _n, c in rows} - {""}
    entities = {e.uscc: e for e in MarketEntity.objects.filter(bureau_id=plan.bureau_id, uscc__in=usccs)}
    objects: dict[int, _Object] = {}
    for row_number, cells in rows:
        uscc, name = cell(cells, "uscc").upper(), cell(cells, "name")
        entity = entities.get(uscc) if uscc else None
        if entity is None and not uscc and name:
            found = list(MarketEntity.objects.filter(bureau_id=plan.bureau_id, name=name)[:2])
            entity = found[0] if len(found) == 1 else None
        if entity is None:
            label = uscc or name
            rejected.append(
                (
                    row_number,
                    importing.Problem(
                        "uscc" if uscc else "name",
                        label,
                        f"本局市场主体名录中找不到“{label}”{f'（{name}）' if uscc and name else ''}",
                        f"no market entity {label!r} in the bureau's registry",
                    ),
                    cells,
                )
            )
            continue
        obj = objects.setdefault(entity.pk, _Object(entity, row_number))
        names, certificates = _split(cell(cells, "inspectors")), _split(cell(cells, "certificates"))
        for i in range(max(len(names), len(certificates))):
            matched = staff.match(
                names[i] if i < len(names) else "", certificates[i] if i < len(certificates) else ""
            )
            if isinstance(matched, importing.Problem):
                rejected.append((row_number, matched, cells))
            elif all(u.pk != matched.pk for u, _w in obj.inspectors):
                obj.inspectors.append((matched, ""))
    if not objects:
        raise ValidationFailed(
            "文件中没有一户能在本局市场主体名录中找到，未导入",
            "no row of the file matches an entity of the bureau's registry: nothing imported",
            detail=[f"第{n}行：{p.reason}" for n, p, _c in rejected[:50]],
        )
    relations = {
        (eid, uid): why
        for eid, uid, why in InspectorRelation.objects.filter(entity_id__in=list(objects)).values_list(
            "entity_id", "user_id", "reason"
        )
    }
    for obj in objects.values():
        obj.inspectors = [
            (
                u,
                f"该检查人员与本主体有申报的利害关系（{relations[(obj.entity.pk, u.pk)]}），应当回避"
                if (obj.entity.pk, u.pk) in relations
                else "",
            )
            for u, _w in obj.inspectors
        ]
    with transaction.atomic():
        replaces = plan.draws.filter(state=DrawState.DRAWN, replaced_by__isnull=True).order_by("-id").first()
        draw = Draw.objects.create(
            bureau_id=plan.bureau_id,
            plan=plan,
            replaces=replaces,
            reason="导入省级双随机系统的抽取结果" if replaces else "",
            state=DrawState.DRAWN,
            algorithm=ALGORITHM,
            algorithm_version=1,
            pool_size=0,
            pool_sha256="",
            inputs_sha256="",
            source_name=f"{SOURCE_NAME}（任务编号 {task_number}）"[:200],
            source_date=timezone.localdate(now),
            published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
            drawn_at=now,
            objects_count=len(objects),
            origin=DrawOrigin.PROVINCE,
            province_task_number=task_number[:100],
            file_name=file_name[:255],
            file_sha256=sha256,
        )
        for rank, obj in enumerate(sorted(objects.values(), key=lambda o: o.row_number), 1):
            drawn = DrawnObject.objects.create(draw=draw, entity=obj.entity, stratum="province", rank=rank)
            DrawnInspector.objects.bulk_create(
                [
                    DrawnInspector(drawn=drawn, user=u, rank=n, warning=w[:300])
                    for n, (u, w) in enumerate(obj.inspectors, 1)
                ]
            )
        headers = table.headers
        ProvinceDrawRejectedRow.objects.bulk_create(
            [
                ProvinceDrawRejectedRow(
                    draw=draw,
                    row_number=n,
                    column=_column(p.field, headers),
                    value=p.value[:500],
                    reason=p.reason[:500],
                    raw=[[h, cells[i] if i < len(cells) else ""] for i, h in enumerate(headers)],
                )
                for n, p, cells in rejected
            ]
        )
    return draw


def _column(name: str, headers: list[str]) -> str:
    """The file's own header for one of our fields (the first spelling when the file has none)."""
    at = importing.auto_mapping(headers, {name: COLUMNS.get(name, (name,))}).get(name)
    return (headers[at] if at is not None else COLUMNS.get(name, (name,))[0])[:100]
