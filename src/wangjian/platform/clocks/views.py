"""The clocks page (时限规则): every clock with its length, lock and basis; the office sets what it may."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.core.audit import acting
from wangjian.core.clocks import Extension, Suspension
from wangjian.core.errors import WangjianError
from wangjian.org.selectors import can_manage
from wangjian.platform import generic
from wangjian.platform.clocks import catalogue, services
from wangjian.platform.clocks.catalogue import Lock, SuspensionKind
from wangjian.platform.clocks.models import DeadlinePolicy
from wangjian.platform.followup.services import followup_settings, followup_settings_set


def _time(value: str, name: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise WangjianError(f"{name}格式应为 HH:MM", f"{name} must be HH:MM") from None


@login_required
def clock_list(request):
    bureau = generic.scoped_bureau(request)
    may_edit = can_manage(request.user, bureau)
    if request.method == "POST":
        try:
            with acting(request.user, via="web"):
                what = request.POST.get("action")
                if what == "remove":
                    policy = get_object_or_404(DeadlinePolicy, pk=request.POST.get("policy"), bureau=bureau)
                    services.policy_remove(policy=policy, user=request.user)
                    messages.success(request, _("已恢复默认期限"))
                elif what == "followup":
                    followup_settings_set(
                        bureau=bureau,
                        user=request.user,
                        work_start=_time(request.POST.get("work_start", ""), "上班时间"),
                        work_end=_time(request.POST.get("work_end", ""), "下班时间"),
                        remind_days=int(request.POST.get("remind_days") or 0),
                        remind_on_day=bool(request.POST.get("remind_on_day")),
                        escalate_overdue=bool(request.POST.get("escalate_overdue")),
                        escalate_unanswered=bool(request.POST.get("escalate_unanswered")),
                    )
                    messages.success(request, _("已保存催办督办设置"))
                else:
                    policy = services.policy_set(
                        bureau=bureau,
                        clock=request.POST.get("clock", ""),
                        variant=request.POST.get("variant", ""),
                        length=request.POST.get("length"),
                        basis=request.POST.get("basis", ""),
                        user=request.user,
                    )
                    messages.success(request, _("已保存：%(p)s") % {"p": policy})
        except (WangjianError, ValueError) as exc:
            messages.error(request, str(exc))
        return redirect(f"{request.path}?bureau={bureau.pk}")
    calculation, calc_error = None, ""
    if request.GET.get("calc_clock"):
        try:
            calculation = _calculate(request, bureau)
        except (WangjianError, ValueError) as exc:
            calc_error = str(exc)
    policies: dict[str, list[DeadlinePolicy]] = {}
    for policy in DeadlinePolicy.objects.filter(bureau=bureau).order_by("clock", "variant"):
        policies.setdefault(policy.clock, []).append(policy)
    rows = []
    for kind in catalogue.kinds():
        variants = dict(kind.variants)
        rows.append(
            {
                "kind": kind,
                "setting": services.setting_for(bureau=bureau, clock=kind.key),
                "policies": [
                    {"policy": p, "variant": variants.get(p.variant, p.variant)}
                    for p in policies.get(kind.key, [])
                ],
                "stoppers": "、".join(str(SuspensionKind(k).label) for k in sorted(kind.stoppers)),
                "editable": may_edit and kind.lock != Lock.STATUTORY,
            }
        )
    return render(
        request,
        "platform/clock_list.html",
        {
            "bureau": bureau,
            "bureaus": generic.bureau_choices(request),
            "rows": rows,
            "may_edit": may_edit,
            "followup": followup_settings(bureau),
            "suspension_kinds": SuspensionKind.choices,
            "calculation": calculation,
            "calc_error": calc_error,
        },
    )


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _calculate(request, bureau) -> dict:
    """期限计算: any clock from a start day, with time that does not count and an approved extension."""
    q = request.GET
    kind = catalogue.get(q["calc_clock"])
    start = _day(q.get("calc_start", ""))
    if start is None:
        raise WangjianError("请填写起算日", "Give the day the period starts from")
    suspensions, extensions = [], []
    if q.get("susp_kind") and q.get("susp_start"):
        label = SuspensionKind(q["susp_kind"]).label if q["susp_kind"] in SuspensionKind.values else ""
        suspensions.append(
            Suspension(q["susp_kind"], _day(q["susp_start"]), _day(q.get("susp_end", "")), str(label))
        )
    if q.get("ext_length"):
        extensions.append(
            Extension(
                int(q["ext_length"]), q.get("ext_by", ""), _day(q.get("ext_on", "")) or timezone.localdate()
            )
        )
    deadline = services.deadline_for(
        bureau=bureau, clock=kind.key, start=start, suspensions=suspensions, extensions=extensions
    )
    return {"kind": kind, "deadline": deadline, "basis": deadline.basis_text(kind.starts)}
