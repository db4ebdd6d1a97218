"""Organisation pages: the generic registry surface plus the duty-list gap view, import/export and notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org import selectors, services
from wangjian.org.choices import Domain
from wangjian.org.models import Bureau, Department, DutyRule, LeadingGroup, Notice, Station, User
from wangjian.orgweb import filtersets, forms, tables
from wangjian.platform import generic
from wangjian.platform.inbox import selectors as inbox_selectors
from wangjian.platform.inbox import services as inbox_services
from wangjian.platform.workbench import domain_sections


class BureauMixin:
    model = Bureau
    bureau_field = "pk"
    url_prefix = "org:bureau"

    def get_queryset(self):
        ids = selectors.visible_bureau_ids(self.request.user)
        qs = Bureau.objects.select_related("parent")
        return qs if ids is None else qs.filter(pk__in=ids)

    def can_change(self, obj=None):
        # A bureau's office keeps its own record and the records of the bureaus it registered below it.
        user = self.request.user
        if obj is None:
            return user.is_superuser or selectors.can_manage(user, user.bureau_id)
        return selectors.can_manage(user, obj) or (
            obj.parent_id is not None and selectors.can_manage(user, obj.parent_id)
        )


class BureauList(BureauMixin, generic.ObjectListView):
    filterset_class = filtersets.BureauFilterSet
    table_class = tables.BureauTable


class BureauDetail(BureauMixin, generic.ObjectDetailView):
    template_name = "org/bureau_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        b = self.object
        ctx["departments"] = b.departments.annotate(user_count=Count("users"))
        ctx["stations"] = b.stations.all()
        ctx["group"] = LeadingGroup.objects.filter(bureau=b).first()
        ctx["children"] = b.children.all()
        return ctx


class BureauEdit(BureauMixin, generic.ObjectEditView):
    form_class = forms.BureauForm

    def perform_save(self, obj, form) -> None:
        services.bureau_save(bureau=obj, user=self.request.user)


class BureauDelete(BureauMixin, generic.ObjectDeleteView):
    pass


class BureauChangelog(BureauMixin, generic.ObjectChangelogView):
    pass


class DepartmentMixin:
    model = Department
    url_prefix = "org:department"
    queryset = (
        Department.objects.select_related("bureau")
        .annotate(user_count=Count("users"))
        .order_by("bureau__code", "name")
    )


class DepartmentList(DepartmentMixin, generic.ObjectListView):
    filterset_class = filtersets.DepartmentFilterSet
    table_class = tables.DepartmentTable


class DepartmentDetail(DepartmentMixin, generic.ObjectDetailView):
    template_name = "org/department_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        d = self.object
        ctx["members"] = d.users.all()
        ctx["rules"] = DutyRule.objects.filter(bureau=d.bureau, department_kind=d.kind).active_on()
        return ctx


class DepartmentEdit(DepartmentMixin, generic.ObjectEditView):
    form_class = forms.DepartmentForm


class DepartmentDelete(DepartmentMixin, generic.ObjectDeleteView):
    pass


class DepartmentChangelog(DepartmentMixin, generic.ObjectChangelogView):
    pass


class StationMixin:
    model = Station
    url_prefix = "org:station"
    queryset = Station.objects.select_related("bureau")


class StationList(StationMixin, generic.ObjectListView):
    filterset_class = filtersets.StationFilterSet
    table_class = tables.StationTable


class StationDetail(StationMixin, generic.ObjectDetailView):
    detail_fields = ["name", "bureau", "territory_names", "territory", "phone", "is_active"]


class StationEdit(StationMixin, generic.ObjectEditView):
    form_class = forms.StationForm


class StationDelete(StationMixin, generic.ObjectDeleteView):
    pass


class StationChangelog(StationMixin, generic.ObjectChangelogView):
    pass


class UserMixin:
    model = User
    url_prefix = "org:user"
    queryset = User.objects.select_related("bureau", "department", "station")
    account_action = "edit"

    def can_change(self, obj=None):
        """The accounts rule (``org.services.user_manage_check``): the office, for lower roles of its bureau.
        An edited account is judged as stored; the role it is given is the service's to refuse, in words."""
        if obj is not None and obj.pk is not None:
            obj = User.objects.filter(pk=obj.pk).first()
        return services.user_may(actor=self.request.user, target=obj, action=self.account_action)


class UserList(UserMixin, generic.ObjectListView):
    filterset_class = filtersets.UserFilterSet
    table_class = tables.UserTable


class UserDetail(UserMixin, generic.ObjectDetailView):
    template_name = "org/user_detail.html"
    account_action = "reset_password"
    detail_fields = [
        "username",
        "name",
        "role",
        "bureau",
        "department",
        "station",
        "phone",
        "is_bureau_head",
        "enforcement_certificate",
        "certificate_valid_until",
        "is_active",
        "last_login",
    ]


class UserEdit(UserMixin, generic.ObjectEditView):
    form_class = forms.UserForm

    def form_valid(self, form):
        if form.instance.pk is None:
            data = form.cleaned_data
            try:
                user, password = services.user_create(
                    username=data["username"],
                    bureau=data["bureau"],
                    role=data["role"],
                    name=data["name"],
                    department=data["department"],
                    station=data["station"],
                    phone=data["phone"],
                    actor=self.request.user,
                )
            except WangjianError as exc:
                form.add_error(None, str(exc))
                return self.form_invalid(form)
            messages.success(
                self.request,
                _("已创建用户 %(u)s，一次性密码：%(p)s（首次登录后须修改）")
                % {"u": user.username, "p": password},
            )
            return redirect(user.get_absolute_url())
        return super().form_valid(form)

    def perform_save(self, obj, form) -> None:
        services.user_save(user=obj, actor=self.request.user)


@login_required
def user_reset_password(request, pk):
    user = generic.object_or_404_scoped(User, request.user, pk)
    if request.method == "POST":
        try:
            password = services.user_reset_password(user=user, actor=request.user)
            messages.success(
                request, _("已重置 %(u)s 的密码，一次性密码：%(p)s") % {"u": user.username, "p": password}
            )
        except WangjianError as exc:
            messages.error(request, str(exc))
    return redirect(user.get_absolute_url())


@login_required
def user_lock(request, pk):
    """Lock an account until it is unlocked or its password reset (``locked=0`` unlocks)."""
    user = generic.object_or_404_scoped(User, request.user, pk)
    if request.method == "POST":
        locked = request.POST.get("locked", "1") != "0"
        try:
            services.user_lock(user=user, actor=request.user, locked=locked)
            done = _("已锁定 %(u)s") if locked else _("已解锁 %(u)s")
            messages.success(request, done % {"u": user.username})
        except WangjianError as exc:
            messages.error(request, str(exc))
    return redirect(user.get_absolute_url())


class UserDelete(UserMixin, generic.ObjectDeleteView):
    account_action = "delete"  # the page is refused by the accounts rule before anything is deleted


class UserChangelog(UserMixin, generic.ObjectChangelogView):
    pass


class DutyRuleMixin:
    model = DutyRule
    url_prefix = "org:dutyrule"
    queryset = DutyRule.objects.select_related("bureau")


class DutyRuleList(DutyRuleMixin, generic.ObjectListView):
    filterset_class = filtersets.DutyRuleFilterSet
    table_class = tables.DutyRuleTable
    template_name = "org/dutyrule_list.html"


class DutyRuleDetail(DutyRuleMixin, generic.ObjectDetailView):
    pass


class DutyRuleEdit(DutyRuleMixin, generic.ObjectEditView):
    form_class = forms.DutyRuleForm


class DutyRuleDelete(DutyRuleMixin, generic.ObjectDeleteView):
    pass


class DutyRuleChangelog(DutyRuleMixin, generic.ObjectChangelogView):
    pass


class LeadingGroupMixin:
    model = LeadingGroup
    url_prefix = "org:leading_group"


class LeadingGroupDetail(LeadingGroupMixin, generic.ObjectDetailView):
    template_name = "org/leading_group.html"
    detail_fields = ["name", "bureau", "office_department", "document"]

    def get_context_data(self, **kwargs):
        from wangjian.org.choices import GroupPosition

        ctx = super().get_context_data(**kwargs)
        bureau = self.object.bureau
        ctx["bureau_users"] = User.objects.filter(bureau=bureau, is_active=True).select_related(
            "department", "station"
        )
        ctx["bureau_departments"] = Department.objects.filter(bureau=bureau, is_active=True)
        ctx["positions"] = GroupPosition.choices
        return ctx


@login_required
def leading_group_member(request, pk):
    group = generic.object_or_404_scoped(LeadingGroup, request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.leading_group_member_remove(
                    group=group, member_id=int(request.POST["remove"]), actor=request.user
                )
            else:
                user = get_object_or_404(User, pk=request.POST.get("user"), bureau=group.bureau)
                services.leading_group_member_add(
                    group=group,
                    user=user,
                    position=request.POST.get("position", "member"),
                    actor=request.user,
                )
        except WangjianError as exc:
            messages.error(request, str(exc))
    return redirect(group.get_absolute_url())


@login_required
def liaison_set(request, pk):
    group = generic.object_or_404_scoped(LeadingGroup, request.user, pk)
    if request.method == "POST":
        try:
            department = get_object_or_404(Department, pk=request.POST.get("department"), bureau=group.bureau)
            user = get_object_or_404(User, pk=request.POST.get("user"), bureau=group.bureau)
            services.liaison_set(group=group, department=department, user=user, actor=request.user)
        except WangjianError as exc:
            messages.error(request, str(exc))
    return redirect(group.get_absolute_url())


class LeadingGroupEdit(LeadingGroupMixin, generic.ObjectEditView):
    form_class = forms.LeadingGroupForm


class LeadingGroupChangelog(LeadingGroupMixin, generic.ObjectChangelogView):
    pass


class NoticeMixin:
    model = Notice
    url_prefix = "org:notice"
    queryset = Notice.objects.select_related("bureau", "author")

    def can_change(self, obj=None):
        """Drafts are written by the bureau's office, leading group or department heads; published ones are records."""
        user = self.request.user
        if not selectors.can_draft_notice(user):
            return False
        if obj is None:
            return True
        if obj.published_at:
            return False  # a published notice is a record; publish a correction instead
        return user.is_superuser or obj.bureau_id == user.bureau_id


class NoticeList(NoticeMixin, generic.ObjectListView):
    filterset_class = filtersets.NoticeFilterSet
    table_class = tables.NoticeTable

    def get_queryset(self):
        # Notices sent by the bureaus the user sees, and those sent to the user from above.
        sent = super().get_queryset()
        received = Notice.objects.filter(pk__in=inbox_selectors.notice_ids_for(self.request.user))
        return (sent | received).distinct().select_related("bureau", "author")


class NoticeEdit(NoticeMixin, generic.ObjectEditView):
    form_class = forms.NoticeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        upload = form.cleaned_data.get("attachment")
        if upload and self.object is not None and self.object.pk:
            services.notice_attachment_add(notice=self.object, file=upload, user=self.request.user)
        return response


class NoticeDelete(NoticeMixin, generic.ObjectDeleteView):
    pass


class NoticeChangelog(NoticeMixin, generic.ObjectChangelogView):
    pass


def _notice_for(request, pk) -> tuple[Notice, bool]:
    """The notice if the user may read it (a recipient, or the sending side), and whether they send it."""
    notice = get_object_or_404(Notice.objects.select_related("bureau", "author"), pk=pk)
    is_recipient = inbox_selectors.notice_receipt(notice=notice, user=request.user) is not None
    is_sender_side = selectors.can_manage(request.user, notice.bureau_id) or request.user.is_superuser
    ids = selectors.visible_bureau_ids(request.user)
    if not (is_recipient or is_sender_side or (ids is None or notice.bureau_id in ids)):
        raise PermissionDenied
    return notice, is_sender_side


@login_required
def notice_detail(request, pk):
    notice, is_sender_side = _notice_for(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            with acting(request.user, via="web"):
                if action == "read":
                    inbox_services.notice_mark_read(notice=notice, user=request.user)
                    messages.success(request, _("已确认阅读"))
                elif action == "publish" and is_sender_side:
                    n = inbox_services.notice_publish(notice=notice, user=request.user)
                    messages.success(request, _("已发布，接收人 %(n)d 名") % {"n": n})
        except WangjianError as exc:
            messages.error(request, str(exc))
        return redirect(notice.get_absolute_url())
    return render(
        request,
        "org/notice_detail.html",
        {
            "object": notice,
            "receipt": inbox_selectors.notice_receipt(notice=notice, user=request.user),
            "receipts": inbox_selectors.notice_receipts(notice=notice) if is_sender_side else None,
            "attachments": notice.attachments.all(),
            "can_publish": is_sender_side and notice.published_at is None,
        },
    )


@login_required
def notice_attachment(request, pk, attachment_id):
    """Download a document sent with a notice (its recipients and the sending side)."""
    notice, _sender = _notice_for(request, pk)
    attachment = get_object_or_404(notice.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("附件文件缺失")) from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def duty_gaps(request):
    bureau = generic.scoped_bureau(request)
    gaps = selectors.duty_gaps(bureau=bureau)
    return render(
        request,
        "org/duty_gaps.html",
        {
            "bureau": bureau,
            "gaps": gaps,
            "coverage": selectors.duty_coverage(bureau=bureau),
            "bureaus": generic.bureau_choices(request),
        },
    )


@login_required
def duty_export(request):
    bureau = generic.scoped_bureau(request)
    data = services.duty_list_export(bureau=bureau)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="dutylist-{bureau.code}.xlsx"'
    return response


@login_required
def duty_import(request):
    bureau = generic.scoped_bureau(request)
    if not selectors.can_manage(request.user, bureau):
        raise PermissionDenied
    errors = None
    if request.method == "POST":
        form = forms.DutyImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                n = services.duty_list_import(
                    bureau=bureau,
                    content=form.cleaned_data["file"].read(),
                    replace=form.cleaned_data["replace"],
                    user=request.user,
                )
                messages.success(request, _("已导入 %(n)d 条职责清单条目") % {"n": n})
                return redirect("org:dutyrule_list")
            except WangjianError as exc:
                messages.error(request, str(exc))
                errors = exc.detail if isinstance(exc.detail, list) else None
    else:
        form = forms.DutyImportForm()
    return render(request, "org/duty_import.html", {"form": form, "bureau": bureau, "errors": errors})


@login_required
def attendance(request):
    """Who has not logged in on a working day (the office's daily check)."""
    if not selectors.can_check_attendance(request.user):
        raise PermissionDenied
    bureau = generic.scoped_bureau(request)
    day = parse_date(request.GET.get("date", "") or "") or timezone.localdate()
    users = selectors.users_not_logged_in(bureau=bureau, day=day)
    return render(
        request,
        "org/attendance.html",
        {"bureau": bureau, "day": day, "users": users, "bureaus": generic.bureau_choices(request)},
    )


@login_required
def domain_overview(request, domain: str):
    """One online-market domain: who answers for it here (lead, assist, territory rule, basis) and its work."""
    if domain not in Domain.values:
        raise Http404
    bureau = generic.scoped_bureau(request)
    row = next(r for r in selectors.duty_coverage(bureau=bureau) if r.domain == domain)
    responsibility = services.responsible_for(bureau, domain)
    return render(
        request,
        "org/domain.html",
        {
            "bureau": bureau,
            "domain": domain,
            "label": Domain(domain).label,
            "row": row,
            "responsibility": responsibility,
            "sections": domain_sections(request.user, domain, bureau),
            "bureaus": generic.bureau_choices(request),
        },
    )
