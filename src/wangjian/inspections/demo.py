"""Demo data of 双随机一公开: one plan of the advertising department over the demo county's online entities,
published, and one draw with its inputs published, the lottery value entered by the office and confirmed by
the department head — a draw anyone can re-run (``wangjian inspections redraw ID``).

Loaded after the risk and monitoring demos (the monitoring demo registers the demo market's shops as
presences; the risk demo grades the county). The dates are relative to today: published ten days ago
naming a source of three days ago, so the value can be entered today. Every drawn object is then checked
online (the demo market on loopback), its results recorded per item, and the results published.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

PLAN_TITLE = "演示：网络广告发布行为双随机抽查"
SOURCE = "中国福利彩票双色球开奖号码（演示）"
VALUE = "红球 03 08 15 21 27 33 蓝球 09"


def load(org, stdout=None) -> None:
    from wangjian.core.audit import acting
    from wangjian.core.errors import WangjianError
    from wangjian.inspections.choices import CheckMethod
    from wangjian.inspections.models import InspectionItem, Plan
    from wangjian.inspections.services import (
        draw_publish,
        draw_value_confirm,
        draw_value_enter,
        item_save,
        plan_publish,
        plan_save,
    )
    from wangjian.org.choices import DepartmentKind as K
    from wangjian.org.models import Department, DutyRule, Station
    from wangjian.registry.models import Platform

    write = stdout.write if stdout is not None else (lambda s: None)
    if Plan.objects.filter(bureau=org.county, title=PLAN_TITLE).exists():
        return
    office, head = org.users["office"], org.users["ad_head"]
    now = timezone.now()
    published = now - dt.timedelta(days=10)
    department = Department.objects.get(bureau=org.county, kind=K.ADVERTISING)
    # the shops of the demo market's platform (served on loopback by the monitoring demo): checked for real
    platform = Platform.objects.filter(bureau=org.county, url__startswith="http://127.0.0.1").first()
    rule = DutyRule.objects.filter(bureau=org.county, domain="internet_advertising", role="lead").first()
    with acting(office, via="cli", reason="演示：双随机抽查"):
        item = InspectionItem.objects.filter(department=department, name="互联网广告发布行为检查").first()
        if item is None:
            item = item_save(
                item=InspectionItem(
                    bureau=org.county,
                    department=department,
                    name="互联网广告发布行为检查",
                    duty_rule=rule,
                    legal_basis="" if rule else "《中华人民共和国广告法》第九条、第二十八条",
                    method=CheckMethod.ONLINE,
                ),
                user=office,
            )
        plan = plan_save(
            plan=Plan(
                bureau=org.county,
                title=PLAN_TITLE,
                year=now.year,
                department=department,
                platform=platform,
                class_ratios={"A": "0.1", "B": "0.2", "C": "0.3", "D": "0.3", "-": "0.3"},
                ratio_source="演示比例（非省局公布的比例）",
                check_start=timezone.localdate(now),
                check_end=timezone.localdate(now) + dt.timedelta(days=30),
            ),
            user=office,
            items=[item],
            stations=list(Station.objects.filter(bureau=org.county)[:1]),
        )
        plan_publish(plan=plan, user=office, now=published)
        try:
            draw = draw_publish(
                plan=plan,
                user=office,
                source_name=SOURCE,
                source_date=timezone.localdate(now) - dt.timedelta(days=3),
                now=published,
            )
        except WangjianError as exc:  # an empty pool (no demo market) or too few inspectors: say so, go on
            write(f"双随机抽查 / random inspections: 计划已公布，未抽取（{exc}）\n")
            return
        draw_value_enter(draw=draw, user=office, value=VALUE, now=now)
    with acting(head, via="cli", reason="演示：复核随机源数值"):
        draw = draw_value_confirm(draw=draw, user=head, value=VALUE, now=now)
    write(
        f"双随机抽查 / random inspections: 计划“{plan.title}”已公布，抽取 #{draw.pk} 从 {draw.pool_size} 户中抽中 "
        f"{draw.objects_count} 户（复算：wangjian inspections redraw {draw.pk}）\n"
    )
    _check_and_publish(org, draw, now, write)


# The result the demo records for what a check came to; a check that could not read the pages is not
# "no problem found" by itself: the demo says the inspector verified otherwise, in the note.
_DEMO_RESULT = {
    "violation": ("pending", "线上检查发现违法行为，已转线索 {clue}（演示）"),
    "clean": ("no_problem", ""),
    "incomplete": ("no_problem", "线上检查未能完整读取页面，经检查人员另行核查未发现问题（演示）"),
    "failed": ("no_problem", "线上检查未能读取页面，经检查人员另行核查未发现问题（演示）"),
}


def _check_and_publish(org, draw, now, write) -> None:
    """Every drawn object is checked online by its first inspector (the demo market on loopback, at full
    speed, as the monitoring demo sweeps it), its results recorded per item; the check ends today and the
    office publishes the results (the publication's work item closes)."""
    from wangjian.core.audit import acting
    from wangjian.core.errors import WangjianError
    from wangjian.inspections.services import (
        check_outcome,
        check_period_end,
        check_run,
        result_record,
        results_publish,
    )
    from wangjian.inspections.services.checks import OUTCOME_LABELS

    office = org.users["office"]
    items = list(draw.plan.items.all())
    outcomes: dict[str, int] = {}
    for drawn in draw.objects_drawn.select_related("entity", "draw__plan").prefetch_related(
        "inspectors__user"
    ):
        inspector = drawn.inspectors.all()[0].user
        with acting(inspector, via="cli", reason="演示：双随机线上检查"):
            try:
                checks = check_run(
                    drawn=drawn,
                    user=inspector,
                    record="登录网店首页及商品页检查（演示）",
                    now=now,
                    delay=0,
                    render="never",
                )
            except WangjianError as exc:  # an object without a presence: say so, go on
                write(f"  线上检查 / online check {drawn.entity}: {exc}\n")
                checks = []
            kinds = [check_outcome(c) for c in checks] or ["failed"]
            kind = "violation" if "violation" in kinds else ("clean" if "clean" in kinds else kinds[0])
            outcomes[kind] = outcomes.get(kind, 0) + 1
            category, note = _DEMO_RESULT[kind]
            clue = next((c.clue_number for c in checks if c.clue_number), "")
            for item in items:
                result_record(
                    drawn=drawn,
                    item=item,
                    category=category,
                    note=note.format(clue=clue),
                    user=inspector,
                    now=now,
                )
    write(
        "双随机线上检查 / online checks: "
        + "，".join(f"{OUTCOME_LABELS[k]} {n} 户" for k, n in sorted(outcomes.items()))
        + "；结果已按事项记录\n"
    )
    try:
        with acting(office, via="cli", reason="演示：结束抽查并公示结果"):
            item = check_period_end(plan=draw.plan, user=office, now=now)
            results_publish(plan=draw, user=office, now=now)
    except WangjianError as exc:  # the demo must not stop the others for want of a calendar year
        write(f"抽查结果未公示 / results not published: {exc}\n")
        return
    write(f"抽查结果已公示 / results published（期限 {item.due}，企业公示信息抽查办法第十二条）\n")
