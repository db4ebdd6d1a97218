"""Probes of the assist rows for tests/platform/test_permission_matrix.py's ``PROBES``:

    from tests.assist import probes as assist_probes
    ASSIST_READ: Probe(_opens("assist:request_list"), assist_probes.read_api),
    ASSIST_ACT: Probe(assist_probes.act_page, assist_probes.act_api),
    INTERNAL_READ: Probe(_opens("assist:internal_list"), assist_probes.internal_read_api),
    INTERNAL_ACT: Probe(assist_probes.internal_act_page, assist_probes.internal_act_api),

Each takes the matrix's cell (a user of their own bureau, logged in on the page and holding a token) and answers
whether the step went through: a request drafted (to the neighbouring county), an internal request asked of the
network unit. The network unit's own staff (the office in the demo) may not ask themselves: there the probe asks
only whether the permission table refused (its refusal names the row).
"""

from __future__ import annotations

from django.urls import reverse


def _other_bureau(cell):
    from wangjian.org.models import Bureau

    return Bureau.objects.exclude(pk=cell.bureau.pk).order_by("code").first()


def read_api(cell) -> bool:
    status = cell.api.get("/api/assist/requests/").status_code
    assert status in (200, 403), status
    return status == 200


def internal_read_api(cell) -> bool:
    status = cell.api.get("/api/assist/internal/").status_code
    assert status in (200, 403), status
    return status == 200


def act_page(cell) -> bool:
    from wangjian.assist.models import AssistanceRequest

    question = cell.name("矩阵协查事项")
    response = cell.web.post(
        reverse("assist:request_add"),
        {"to_bureau": _other_bureau(cell).pk, "question": question, "entity_name": "矩阵商贸有限公司"},
    )
    assert response.status_code in (302, 403, 200), response.status_code
    return AssistanceRequest.objects.filter(question=question).exists()


def act_api(cell) -> bool:
    from wangjian.assist.models import AssistanceRequest

    question = cell.name("矩阵协查事项")
    response = cell.api.post(
        "/api/assist/requests/",
        {"to_bureau": _other_bureau(cell).pk, "question": question, "entity_name": "矩阵商贸有限公司"},
        format="json",
    )
    assert response.status_code in (201, 403), response.status_code
    return AssistanceRequest.objects.filter(question=question).exists()


def _refused_by_the_row(response, key: str) -> bool:
    if response.status_code != 403:
        return False
    detail = response.json().get("error", {}).get("detail") or {}
    return isinstance(detail, dict) and detail.get("permission") == key


def internal_act_page(cell) -> bool:
    """Allowed: the request made, or refused by a rule other than the table (the network unit asking itself)."""
    from django.contrib.messages import get_messages

    from wangjian.assist.models import InternalRequest

    purpose = cell.name("矩阵核查事项")
    response = cell.web.post(
        reverse("assist:internal_add"),
        {"kind": "check", "url": "https://shop.example.com/m", "purpose": purpose},
    )
    if response.status_code == 403:
        return False
    list(get_messages(response.wsgi_request))
    return InternalRequest.objects.filter(purpose=purpose).exists() or response.status_code == 200


def internal_act_api(cell) -> bool:
    from wangjian.assist.models import InternalRequest

    purpose = cell.name("矩阵核查事项")
    response = cell.api.post(
        "/api/assist/internal/",
        {"kind": "check", "url": "https://shop.example.com/m", "purpose": purpose},
        format="json",
    )
    if _refused_by_the_row(response, "assist.internal.act"):
        return False
    return InternalRequest.objects.filter(purpose=purpose).exists() or response.status_code in (400, 403)
