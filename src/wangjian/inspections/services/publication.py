"""The end of a check and the publication of its results (issue 19 point 4), and their export.

The results are published within 20 working days of the end of the check (《企业公示信息抽查办法》第十二条;
《企业信息公示暂行条例》第十四条第三款: through the 国家企业信用信息公示系统): the end of the check — marked by the
office, or by the daily job once the plan's check period has passed — opens the ``inspection.publication`` work
item on the plan; the publication closes it. The export gives the results in the layout the publicity system's
entry screen asks for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging

from django.db import transaction
from django.utils import timezone

from wangjian.core.errors import PermissionDeniedError, ValidationFailed, WangjianError
from wangjian.core.exports import csv_writer, xlsx_append
from wangjian.inspections.choices import (
    DrawOrigin,
    DrawState,
    PlanState,
)
from wangjian.inspections.models import Draw, InspectionResult, Plan
from wangjian.inspections.permissions import INSPECTION_PLAN
from wangjian.inspections.services.checks import PUBLICATION
from wangjian.inspections.services.plans import may_plan
from wangjian.org import permissions
from wangjian.org.models import User
from wangjian.platform.workitems import selectors as workitem_selectors
from wangjian.platform.workitems.models import WorkItem, WorkItemState
from wangjian.platform.workitems.services import workitem_create, workitem_finish

log = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------ publication


def current_draw(plan: Plan) -> Draw | None:
    """The plan's draw whose objects are checked: the latest made draw that no re-draw replaced."""
    return plan.draws.filter(state=DrawState.DRAWN, replaced_by__isnull=True).order_by("-id").first()


def publication_item(plan: Plan) -> WorkItem | None:
    return workitem_selectors.items_of(plan).filter(kind=PUBLICATION).order_by("-id").first()


def check_period_end(
    *, plan: Plan, user: User | None, ended_on: dt.date | None = None, now: dt.datetime | None = None
) -> WorkItem:
    """抽查结束: the check period ends; the results are due within 20 working days (the work item's clock).

    ``ended_on`` defaults to the plan's end date, or today when that is later. Once only.
    """
    now = now or timezone.now()
    _require_publisher(user, plan)
    today = timezone.localdate(now)
    ended_on = ended_on or min(plan.check_end or today, today)
    if ended_on > today:
        raise ValidationFailed("抽查结束日期不能晚于今天", "The check cannot end after today")
    item = publication_item(plan)
    if item is not None:
        return item
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(ended_on=ended_on)
        plan.ended_on = ended_on
        item = workitem_create(
            bureau=plan.bureau,
            kind=PUBLICATION,
            title=f"公示抽查结果：{plan.title}",
            body="抽查结束之日起二十个工作日内，通过国家企业信用信息公示系统公示抽查结果（企业公示信息抽查办法第十二条）",
            department=plan.department,
            clock=PUBLICATION,
            start=ended_on,
            subject=plan,
            now=now,
        )
    return item


def check_periods_due(*, today: dt.date) -> list[Plan]:
    """The published plans whose check period ended before ``today``, with a current draw, whose end was
    not marked (no ``inspection.publication`` item) and whose results are not published."""
    plans = (
        Plan.objects.filter(
            state=PlanState.PUBLISHED,
            check_end__lt=today,
            results_published_at__isnull=True,
            draws__state=DrawState.DRAWN,
            draws__replaced_by__isnull=True,
        )
        .select_related("bureau", "department")
        .distinct()
        .order_by("id")
    )
    return [p for p in plans if current_draw(p) is not None and publication_item(p) is None]


def check_periods_end(*, today: dt.date | None = None, now: dt.datetime | None = None) -> list[WorkItem]:
    """The daily job: the end of each plan's check period marked on its ``check_end`` (抽查结束), which opens
    the 20-working-day publication item (``check_period_end``). Once per plan; a plan that fails is logged
    and the others go on."""
    if now is None:
        now = (
            timezone.make_aware(dt.datetime.combine(today, dt.time(6, 0)))
            if today is not None
            else timezone.now()
        )
    today = today or timezone.localdate(now)
    opened = []
    for plan in check_periods_due(today=today):
        try:
            opened.append(check_period_end(plan=plan, user=None, ended_on=plan.check_end, now=now))
        except WangjianError:
            log.exception("the end of plan %s's check period was not marked", plan.pk)
    return opened


def _require_publisher(user: User | None, plan: Plan) -> None:
    if user is None:
        return
    permissions.require(user, INSPECTION_PLAN)
    if not may_plan(user, plan.bureau_id, plan.department):
        raise PermissionDeniedError(
            "只能公示本局（科室负责人：本科室）抽查计划的结果",
            "Results are published for one's own bureau's plans (a department head: own department's)",
        )


def missing_results(plan: Plan) -> list[str]:
    draw = current_draw(plan)
    if draw is None:
        return ["尚未完成抽取 / no draw made"]
    items = list(plan.items.all())
    have = set(InspectionResult.objects.filter(drawn__draw=draw).values_list("drawn_id", "item_id"))
    out = []
    for drawn in draw.objects_drawn.select_related("entity"):
        for item in items:
            if (drawn.pk, item.pk) not in have:
                out.append(f"{drawn.entity.name}：{item.name}")
    return out


def results_publish(*, plan: Plan | Draw, user: User | None, now: dt.datetime | None = None) -> Plan:
    """公示抽查结果: every drawn object has a result for every item; the results are marked published,
    the plan ends, and the ``inspection.publication`` item closes (opened now if the end was not marked)."""
    now = now or timezone.now()
    if isinstance(plan, Draw):
        plan = plan.plan
    _require_publisher(user, plan)
    if plan.results_published_at is not None:
        raise ValidationFailed("抽查结果已公示", "The results are published already")
    missing = missing_results(plan)
    if missing:
        raise ValidationFailed(
            f"还有 {len(missing)} 项结果未记录：{'；'.join(missing[:5])}",
            f"{len(missing)} results are not recorded yet",
            detail=missing,
        )
    draw = current_draw(plan)
    item = publication_item(plan) or check_period_end(plan=plan, user=None, now=now)
    with transaction.atomic():
        InspectionResult.objects.filter(drawn__draw=draw).update(published_at=now)
        plan.results_published_at, plan.state = now, PlanState.CLOSED
        plan.save(update_fields=["results_published_at", "state", "last_updated"])
        if item.state == WorkItemState.OPEN:
            late = item.due is not None and timezone.localdate(now) > item.due
            workitem_finish(
                item=item,
                user=None,
                actor=user,
                result=f"已公示 {draw.objects_drawn.count()} 户的抽查结果" + ("（逾期）" if late else ""),
                now=now,
            )
    return plan


# ------------------------------------------------------------------------------------------ export

EXPORT_HEADER = [
    "抽查计划名称",
    "抽查任务编号",
    "统一社会信用代码",
    "市场主体名称",
    "抽查事项",
    "检查方式",
    "检查结果",
    "检查日期",
    "检查人员",
    "实施机关",
    "说明",
]


PROVINCE_TASK_HEADER = "省级抽查任务编号"


def export_header(plan: Plan) -> list[str]:
    """The export's columns; a draw imported from the province's system adds its task number after ours."""
    draw = current_draw(plan)
    if draw is not None and draw.origin == DrawOrigin.PROVINCE:
        return [*EXPORT_HEADER[:2], PROVINCE_TASK_HEADER, *EXPORT_HEADER[2:]]
    return list(EXPORT_HEADER)


def export_rows(plan: Plan) -> list[list]:
    """One row per drawn object and item, in the order the publicity system's entry screen asks
    (with the province's task number when the draw was imported from its system: ``export_header``)."""
    draw = current_draw(plan)
    if draw is None:
        return []
    imported = draw.origin == DrawOrigin.PROVINCE
    results = (
        InspectionResult.objects.filter(drawn__draw=draw)
        .select_related("drawn__entity", "item")
        .prefetch_related("drawn__inspectors__user", "objections")
        .order_by("drawn__stratum", "drawn__rank", "item__name")
    )
    rows = []
    for r in results:
        inspectors = "、".join(
            f"{i.user.name or i.user.username}（{i.user.enforcement_certificate}）"
            for i in r.drawn.inspectors.all()
        )
        rows.append(
            [
                plan.title,
                f"{plan.year}-{plan.pk}-{draw.pk}",
                *([draw.province_task_number] if imported else []),
                r.drawn.entity.uscc,
                r.drawn.entity.name,
                r.item.name,
                r.item.get_method_display(),
                r.get_category_display(),
                r.checked_on.isoformat(),
                inspectors,
                plan.bureau.name,
                _export_note(r),
            ]
        )
    return rows


def _export_note(result: InspectionResult) -> str:
    """The note, with what a check of published information compared and any correction on objection."""
    from wangjian.inspections.services.objections import result_correction

    parts = [result.note] if result.note else []
    if result.checked_field:
        parts.append(
            f"核查项目：{result.get_checked_field_display()}；企业公示：{result.published_value or '—'}；"
            f"核查发现：{result.found_value or '—'}"
        )
    correction = result_correction(result)
    if correction:
        parts.append(correction)
    return "。".join(parts)


def results_csv(plan: Plan) -> str:
    stream = io.StringIO()
    writer = csv_writer(stream, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(export_header(plan))
    writer.writerows(export_rows(plan))
    return "\ufeff" + stream.getvalue()  # with its BOM: Excel and WPS read it as UTF-8


def results_xlsx(plan: Plan) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "抽查检查结果"
    xlsx_append(sheet, export_header(plan))
    for row in export_rows(plan):
        xlsx_append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
