"""登记当场处罚: the officers record a decision made on the spot (简易程序); the service decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangjian.cases.forms_simple import SpotForm, spot_input
from wangjian.cases.permissions import CASE_DRAFT
from wangjian.cases.services.simple import case_on_the_spot
from wangjian.core.audit import acting
from wangjian.core.errors import WangjianError
from wangjian.org import permissions


@login_required
def case_spot(request):
    if not permissions.may(request.user, CASE_DRAFT):
        raise PermissionDenied(permissions.get(CASE_DRAFT).refusal()[0])
    bureau = request.user.bureau
    if bureau is None:
        raise PermissionDenied(_("没有所属局的账号不能登记当场处罚"))
    form = SpotForm(
        initial={"decided_on": timezone.localdate(), "department": request.user.department}, bureau=bureau
    )
    if request.method == "POST":
        form = SpotForm(request.POST, bureau=bureau)
        try:
            values = spot_input(request.POST, bureau=bureau)
            with acting(request.user, via="web"):
                case = case_on_the_spot(user=request.user, bureau=bureau, values=values)
        except WangjianError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记当场处罚，决定书 %(n)s") % {"n": case.decision_number})
            return redirect(case.get_absolute_url())
    return render(request, "cases/spot_form.html", {"form": form})
