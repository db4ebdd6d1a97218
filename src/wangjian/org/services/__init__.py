"""Writes and decisions of the organisation: who is responsible (the duty list), the bureaus' tree, notices,
the leading group — and staff accounts (``accounts``: who may manage whose account), re-exported here."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.exports import xlsx_append
from wangjian.org import defaults
from wangjian.org.choices import DepartmentKind, Domain, DutyRole, TerritoryRule
from wangjian.org.models import (
    Bureau,
    Department,
    DutyRule,
    LeadingGroup,
    LeadingGroupMember,
    Liaison,
    Notice,
    NoticeAttachment,
    Station,
    User,
)
from wangjian.org.selectors import can_manage, visible_bureau_ids
from wangjian.org.services.accounts import (
    ACCOUNT_ACTIONS,
    RANK_RULE,
    generate_password,
    login_record,
    password_change,
    user_create,
    user_delete,
    user_lock,
    user_manage_check,
    user_may,
    user_reset_password,
    user_save,
)

__all__ = [
    "DUTY_COLUMNS",
    "Responsibility",
    "bureau_save",
    "duty_list_export",
    "duty_list_import",
    "duty_list_load_default",
    "leading_group_member_add",
    "leading_group_member_remove",
    "liaison_set",
    "notice_attachment_add",
    "responsible_for",
    "ACCOUNT_ACTIONS",
    "RANK_RULE",
    "generate_password",
    "login_record",
    "password_change",
    "user_create",
    "user_delete",
    "user_lock",
    "user_manage_check",
    "user_may",
    "user_reset_password",
    "user_save",
]


@dataclass
class Responsibility:
    """Who answers for a matter, and the reason an officer can read."""

    bureau: Bureau
    domain: str
    unit: Department | Station | None
    department: Department | None
    station: Station | None
    rule: DutyRule | None
    gap: bool
    territory_code: str | None
    reason_zh: str
    reason_en: str

    @property
    def unit_label(self) -> str:
        return str(self.unit) if self.unit else "—"


def responsible_for(
    bureau: Bureau, domain: str, region_code: str | None = None, *, on: dt.date | None = None
) -> Responsibility:
    """The unit responsible for ``domain`` in ``bureau`` ("谁监管、谁检查、谁负责"), and the duty-list row that decided.

    The lead row of the duty list names a department kind; the bureau's active
    department of that kind answers, unless the row routes by territory and a
    station's territory covers ``region_code``. A domain with no lead row, or whose
    kind has no department here, is a duty-list gap: it goes to the leading group's
    office, flagged, so that nothing falls between departments.
    """
    if domain not in Domain.values:
        raise WangjianError(f"未知的监管领域：{domain}", f"Unknown domain: {domain}", code="unknown_domain")
    label = Domain(domain).label
    rules = list(
        DutyRule.objects.filter(bureau=bureau, domain=domain, role=DutyRole.LEAD).active_on(on).order_by("id")
    )
    office = bureau.office()

    def gap(zh: str, en: str, rule: DutyRule | None = None) -> Responsibility:
        return Responsibility(bureau, domain, office, office, None, rule, True, None, zh, en)

    if not rules:
        return gap(
            f"职责清单空白：本局职责清单没有“{label}”的牵头科室，交领导小组办公室（{office or '未设置'}）分派。",
            f"Duty-list gap: no department leads '{domain}' in this bureau; sent to the leading group's office.",
        )
    rule = rules[0]
    overlap = ""
    if len({r.department_kind for r in rules}) > 1:
        overlap = f"（注意：该领域有 {len(rules)} 条牵头条目，按最早的条目 #{rule.pk} 分派）"
    department = (
        Department.objects.filter(bureau=bureau, kind=rule.department_kind, is_active=True)
        .order_by("id")
        .first()
    )
    kind_label = DepartmentKind(rule.department_kind).label
    basis = f"，依据{rule.legal_basis}" if rule.legal_basis else ""
    if department is None:
        return gap(
            f"职责清单第 #{rule.pk} 条规定“{label}”由{kind_label}牵头，但本局没有在用的{kind_label}科室，交领导小组办公室。",
            f"Duty rule #{rule.pk} names kind '{rule.department_kind}', which has no active department here.",
            rule,
        )
    why = f"职责清单第 #{rule.pk} 条：“{label}”由{kind_label}牵头{basis}{overlap}"
    if rule.territory_rule == TerritoryRule.STATION and region_code:
        for station in Station.objects.filter(bureau=bureau, is_active=True).order_by("id"):
            code = station.covers(region_code)
            if code:
                return Responsibility(
                    bureau,
                    domain,
                    station,
                    department,
                    station,
                    rule,
                    False,
                    code,
                    f"{why}；按属地分派：区划 {region_code} 属 {station} 辖区（{code}）。",
                    f"Duty rule #{rule.pk} with territory rule: region {region_code} lies in {station.name} ({code}).",
                )
        why += f"；区划 {region_code} 不在任何基层所辖区内，由科室办理"
    return Responsibility(
        bureau,
        domain,
        department,
        department,
        None,
        rule,
        False,
        None,
        why + "。",
        f"Duty rule #{rule.pk}: '{domain}' is led by kind '{rule.department_kind}' ({department.name}).",
    )


# ---------------------------------------------------------------- the bureaus' tree


def bureau_save(*, bureau: Bureau, user: User | None) -> Bureau:
    """Save a bureau's record. Its place in the tree decides who sees whose data, so the page and the
    API both come here: a bureau is never its own ancestor; an office registers bureaus only below its
    own, and moves one only under a bureau it oversees (``user=None``: the system itself)."""
    parent = bureau.parent
    node = parent
    while node is not None:
        if bureau.pk is not None and node.pk == bureau.pk:
            raise ValidationFailed(
                "上级局不能是本局或其下级局",
                "A bureau cannot be placed under itself or a bureau below it",
                detail={"parent": parent.pk},
            )
        node = node.parent
    if user is not None and not user.is_superuser:
        if bureau.pk is None:
            if parent is None or not can_manage(user, parent):
                raise PermissionDeniedError(
                    "只能在本局下新增下级局", "A bureau may be added only below your own"
                )
        else:
            old = Bureau.objects.filter(pk=bureau.pk).values_list("parent_id", flat=True).first()
            if bureau.parent_id != old and (
                parent is None or parent.pk not in (visible_bureau_ids(user) or set())
            ):
                raise PermissionDeniedError(
                    "只能把局设在本局管辖的局之下", "A bureau may be moved only under a bureau you oversee"
                )
    bureau.save()
    return bureau


# ---------------------------------------------------------------- duty list: defaults and Excel

DUTY_COLUMNS = [
    ("domain", "监管领域"),
    ("department_kind", "责任科室类别"),
    ("role", "职责"),
    ("duties", "监管内容"),
    ("legal_basis_law", "法律依据"),
    ("legal_basis_article", "条款"),
    ("territory_rule", "属地规则"),
    ("valid_from", "生效日期"),
    ("valid_to", "失效日期"),
]


def duty_list_load_default(*, bureau: Bureau, replace: bool = False) -> int:
    """Write the default duty list for the bureau's level (county or city), from the seeds."""
    rows = defaults.duty_list_for(bureau.level)
    with transaction.atomic():
        if replace:
            for rule in DutyRule.objects.filter(bureau=bureau):
                rule.delete()
        for row in rows:
            DutyRule.objects.create(bureau=bureau, **row)
    return len(rows)


def duty_list_export(*, bureau: Bureau) -> bytes:
    """The duty list as an Excel workbook with the Chinese labels a bureau uses."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "职责清单"
    ws.append([label for _, label in DUTY_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rule in DutyRule.objects.filter(bureau=bureau).order_by("domain", "role", "id"):
        xlsx_append(
            ws,
            [
                rule.get_domain_display(),
                rule.get_department_kind_display(),
                rule.get_role_display(),
                rule.duties,
                rule.legal_basis_law,
                rule.legal_basis_article,
                rule.get_territory_rule_display(),
                rule.valid_from,
                rule.valid_to,
            ],
        )
    for col, width in zip("ABCDEFGHI", (22, 20, 8, 60, 40, 16, 18, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _choice(value: Any, choices: type, column: str, row: int, errors: list) -> str | None:
    text = str(value or "").strip()
    for val, label in choices.choices:
        if text in (val, str(label)):
            return val
    errors.append(
        {"row": row, "column": column, "value": text, "reason": f"未知取值 / unknown value “{text}”"}
    )
    return None


def _date(value: Any, column: str, row: int, errors: list) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(
            {"row": row, "column": column, "value": str(value), "reason": "日期格式应为 YYYY-MM-DD"}
        )
        return None


def _check_duty_row(bureau: Bureau, item: dict, row: int, errors: list) -> None:
    """The register's own rules for a row (field lengths, end date not before start), by row and column."""
    try:
        DutyRule(bureau=bureau, **item).full_clean(exclude=["bureau"])
    except ValidationError as exc:
        labels = dict(DUTY_COLUMNS)
        for name, messages in exc.message_dict.items():
            errors.append(
                {
                    "row": row,
                    "column": labels.get(name, name),
                    "value": str(item.get(name) or "")[:60],
                    "reason": "；".join(str(m) for m in messages),
                }
            )


def duty_list_import(
    *, bureau: Bureau, content: bytes, replace: bool = True, user: User | None = None
) -> int:
    """Import a duty list from Excel. Every row is checked first; one bad row imports nothing.

    Raises ``ValidationFailed`` whose ``detail`` lists each bad row with its column and reason.
    """
    from openpyxl import load_workbook

    if user is not None and not can_manage(user, bureau):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以导入职责清单", "Only the office administrator may import"
        )
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ValidationFailed("文件不是有效的 Excel (.xlsx) 文件", f"Not a valid .xlsx file: {exc}") from exc
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise ValidationFailed("Excel 文件为空", "The workbook is empty")
    header = [str(h or "").strip() for h in rows[0]]
    index = {}
    for key, label in DUTY_COLUMNS:
        for i, h in enumerate(header):
            if h in (key, label):
                index[key] = i
    missing = [label for key, label in DUTY_COLUMNS[:2] if key not in index]
    if missing:
        raise ValidationFailed(
            f"缺少必需的列：{'、'.join(missing)}", f"Missing required columns: {', '.join(missing)}"
        )
    errors: list[dict] = []
    parsed: list[dict] = []
    for n, raw in enumerate(rows[1:], start=2):
        if raw is None or all(v in (None, "") for v in raw):
            continue
        errors_before_row = len(errors)

        def cell(key: str, raw: tuple[Any, ...] = raw) -> Any:
            i = index.get(key)
            return raw[i] if i is not None and i < len(raw) else None

        item = {
            "domain": _choice(cell("domain"), Domain, "监管领域", n, errors),
            "department_kind": _choice(cell("department_kind"), DepartmentKind, "责任科室类别", n, errors),
            "role": _choice(cell("role") or DutyRole.LEAD, DutyRole, "职责", n, errors),
            "duties": str(cell("duties") or "").strip(),
            "legal_basis_law": str(cell("legal_basis_law") or "").strip(),
            "legal_basis_article": str(cell("legal_basis_article") or "").strip(),
            "territory_rule": _choice(
                cell("territory_rule") or TerritoryRule.NONE, TerritoryRule, "属地规则", n, errors
            ),
            "valid_from": _date(cell("valid_from"), "生效日期", n, errors),
            "valid_to": _date(cell("valid_to"), "失效日期", n, errors),
        }
        if len(errors) == errors_before_row:
            _check_duty_row(bureau, item, n, errors)
        parsed.append(item)
    if errors:
        first = errors[0]
        raise ValidationFailed(
            f"职责清单有 {len(errors)} 处错误，未导入任何条目。第 {first['row']} 行“{first['column']}”：{first['reason']}",
            f"{len(errors)} error(s); nothing imported. Row {first['row']}, column {first['column']}: {first['reason']}",
            detail=errors,
        )
    with transaction.atomic():
        if replace:
            for rule in DutyRule.objects.filter(bureau=bureau):
                rule.delete()
        for item in parsed:
            DutyRule.objects.create(bureau=bureau, **item)
    return len(parsed)


# ---------------------------------------------------------------- notices' attachments (publishing: platform.inbox)


def notice_attachment_add(*, notice: Notice, file: Any, user: User | None) -> NoticeAttachment:
    """Attach a document to a draft notice; a published notice is a record and keeps what it was sent with."""
    if notice.published_at is not None:
        raise ValidationFailed("已发布的通知不能再添加附件", "A published notice cannot take new attachments")
    if user is not None and not can_manage(user, notice.bureau_id) and notice.author_id != user.pk:
        raise PermissionDeniedError("只有发文单位可以添加附件", "Only the sending bureau adds attachments")
    return NoticeAttachment.objects.create(
        notice=notice, file=file, name=str(getattr(file, "name", "") or "附件")[:200], uploaded_by=user
    )


# ---------------------------------------------------------------- leading group


def leading_group_member_add(
    *, group: LeadingGroup, user: User, position: str, actor: User
) -> LeadingGroupMember:
    if not can_manage(actor, group.bureau_id):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以调整领导小组", "Only the office administrator may edit"
        )
    if user.bureau_id != group.bureau_id:
        raise ValidationFailed("成员必须是本局人员", "Members must belong to the bureau")
    member, _ = LeadingGroupMember.objects.update_or_create(
        group=group, user=user, defaults={"position": position, "department": user.department}
    )
    return member


def leading_group_member_remove(*, group: LeadingGroup, member_id: int, actor: User) -> None:
    if not can_manage(actor, group.bureau_id):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以调整领导小组", "Only the office administrator may edit"
        )
    for member in LeadingGroupMember.objects.filter(group=group, pk=member_id):
        member.delete()


def liaison_set(*, group: LeadingGroup, department: Department, user: User, actor: User) -> Liaison:
    """Make ``user`` the one liaison (联络员) of ``department``, replacing any earlier one."""
    if not can_manage(actor, group.bureau_id):
        raise PermissionDeniedError(
            "只有本局办公室管理员可以指定联络员", "Only the office administrator may edit"
        )
    if department.bureau_id != group.bureau_id or user.bureau_id != group.bureau_id:
        raise ValidationFailed(
            "联络员和成员单位必须属于本局", "Liaison and department must belong to the bureau"
        )
    liaison = Liaison.objects.filter(group=group, department=department).first()
    if liaison is None:
        return Liaison.objects.create(group=group, department=department, user=user)
    liaison.user = user
    liaison.save()
    return liaison
