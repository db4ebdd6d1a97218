"""The platform's own pages: log-in, the workbench, the calendar page and the change log."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.core import permissions, services, workdays
from wangjian.core.errors import WangjianError
from wangjian.core.models import ChangeRecord, HolidayArrangement
from wangjian.org.selectors import can_read_audit, visible_bureau_ids
from wangjian.org.services import login_record, password_change
from wangjian.platform.forms import LoginForm
from wangjian.platform.inbox.selectors import messages_for
from wangjian.platform.intake import lead_url
from wangjian.platform.workbench import my_figures, workbench_sections


class LoginView(auth_views.LoginView):
    template_name = "platform/login.html"
    redirect_authenticated_user = True

    def get_form_class(self):
        return LoginForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if settings.WANGJIAN_OIDC_ENABLED:
            ctx["sso_label"] = settings.WANGJIAN_OIDC_LABEL
        return ctx

    def form_valid(self, form):
        response = super().form_valid(form)
        login_record(user=form.get_user())
        if form.get_user().must_change_password:
            messages.warning(self.request, _("请先修改一次性密码。"))
            return redirect("password_change")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "platform/password_change.html"

    def form_valid(self, form):
        try:
            password_change(
                user=form.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except WangjianError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("密码已修改。"))
        return redirect(self.get_success_url())

    def get_success_url(self):
        return "/"


@login_required
def workbench(request):
    """The page staff open every working day: their tasks, notices and deadlines."""
    today = timezone.localdate()
    try:
        cal = workdays.current()
        is_workday = cal.is_working_day(today)
        next_workday = cal.add_working_days(today, 1)
    except WangjianError as exc:
        is_workday, next_workday = None, None
        messages.error(request, str(exc))
    inbox = list(messages_for(request.user)[:10])
    return render(
        request,
        "platform/workbench.html",
        {
            "today": today,
            "is_workday": is_workday,
            "next_workday": next_workday,
            "inbox": inbox,
            "sections": workbench_sections(request.user),
            "my_figures": my_figures(request.user, today),
        },
    )


MOVED_KEY = "wangjian_calendar_moved"


@login_required
def calendar_year(request, year: int | None = None):
    """A year with holidays and make-up working days marked; administrators enter arrangements here."""
    year = year or int(request.GET.get("year") or timezone.localdate().year)
    user = request.user
    may_edit = permissions.allowed(permissions.CALENDAR_EDIT, user)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(" / ".join(services.CALENDAR_REFUSED))
        try:
            if request.FILES.get("file"):
                f = request.FILES["file"]
                change = services.arrangement_import(content=f.read(), filename=f.name, user=user)
                messages.success(request, _("已导入 %(y)d 年节假日安排") % {"y": change.year})
            else:
                day = dt.date.fromisoformat(request.POST["date"])
                kind = request.POST.get("kind") or None
                change = services.calendar_day_set(
                    date=day, kind=kind, name=request.POST.get("name", ""), user=user
                )
                messages.success(request, _("已更新 %(d)s") % {"d": day})
        except (WangjianError, ValueError, KeyError) as exc:
            messages.error(request, str(exc))
            return redirect("platform:calendar_year", year=year)
        # The page after saving lists the legal deadlines the change moved (once).
        request.session[MOVED_KEY] = [m.as_dict() for m in change.moved]
        return redirect("platform:calendar_year", year=change.year)
    cal = workdays.current()
    error = None
    months = []
    if cal.covers(year):
        days = {d: (work, name) for d, work, name in cal.year_days(year)}
        for month in range(1, 13):
            weeks = []
            for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
                weeks.append(
                    [
                        {
                            "date": d,
                            "in_month": d.month == month,
                            "work": days.get(d, (None, ""))[0],
                            "name": days.get(d, (None, ""))[1],
                            "makeup": d.weekday() >= 5 and days.get(d, (False, ""))[0],
                            "entered": d in cal.entered,
                        }
                        for d in week
                    ]
                )
            months.append({"month": month, "first": dt.date(year, month, 1), "weeks": weeks})
    else:
        error = workdays.UncoveredYearError(year)
    arrangement = HolidayArrangement.objects.filter(year=year).select_related("entered_by").first()
    total = sum(1 for m in months for w in m["weeks"] for d in w if d["in_month"] and d["work"])
    moved = request.session.pop(MOVED_KEY, None)
    return render(
        request,
        "platform/calendar.html",
        {
            "year": year,
            "months": months,
            "error": error,
            "arrangement": arrangement,
            "entered_days": arrangement.days.all() if arrangement else [],
            "may_edit": may_edit,
            "moved": moved,
            "working_days_total": total,
            "package_years": workdays.package_years(),
        },
    )


def _readable_records(bureau_ids) -> Q:
    """Records of the user's bureaus, and of the national working-day calendar (core rows with no bureau)."""
    return Q(bureau_id__in=bureau_ids) | Q(bureau_id__isnull=True, content_type__app_label="core")


@login_required
def changelog(request):
    """Every recorded change the user may read: who, when, what before, what after."""
    if not can_read_audit(request.user):
        raise PermissionDenied
    qs = ChangeRecord.objects.select_related("content_type", "user")
    ids = visible_bureau_ids(request.user)
    if ids is not None:
        qs = qs.filter(_readable_records(ids))
    if request.GET.get("type"):
        qs = qs.filter(content_type__model=request.GET["type"])
    if request.GET.get("user"):
        qs = qs.filter(user_name__icontains=request.GET["user"])
    if request.GET.get("action"):
        qs = qs.filter(action=request.GET["action"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    types = ContentType.objects.filter(pk__in=ChangeRecord.objects.values("content_type")).order_by("model")
    return render(
        request,
        "platform/changelog.html",
        {"page": page, "types": types, "actions": ChangeRecord.Action.choices},
    )


@login_required
def changerecord(request, pk: int):
    if not can_read_audit(request.user):
        raise PermissionDenied
    qs = ChangeRecord.objects.select_related("content_type", "user")
    ids = visible_bureau_ids(request.user)
    if ids is not None and not qs.filter(_readable_records(ids), pk=pk).exists():
        raise PermissionDenied
    record = get_object_or_404(qs, pk=pk)
    return render(request, "platform/changerecord.html", {"record": record})


@login_required
def lead_redirect(request, number: str):
    """A source's back-reference (``LeadSource.clue_url``): the clue ``number`` of the bureau, by the port."""
    try:
        bureau_id = int(request.GET.get("bureau") or request.user.bureau_id or 0)
    except ValueError:
        bureau_id = 0
    url = lead_url(bureau_id=bureau_id, number=number)
    if not url:
        raise Http404(_("没有这条线索"))
    return redirect(url)
