"""Probes of the reporting rows for tests/platform/test_permission_matrix.py's ``PROBES``:

    from tests.reporting import probes as reporting_probes
    REPORTING_READ: Probe(_opens("reporting:report_list"), reporting_probes.read_api),
    REPORTING_SUBMIT: Probe(reporting_probes.submit("page"), reporting_probes.submit("api")),
    REPORTING_REVIEW: Probe(reporting_probes.review("page"), reporting_probes.review("api")),
    REPORTING_TEMPLATE: Probe(reporting_probes.define("page"), reporting_probes.define("api")),

Each takes the matrix's cell (a user of their own bureau, logged in on the page and holding a token) and
answers whether the step went through. The user's bureau reports to a superior on another instance (a template
received from it) and receives reports from a bureau on another instance, so every bureau of the demo — the
province too — has a report to submit and one to review.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.urls import reverse
from django.utils import timezone

_n = itertools.count(1)


def read_api(cell) -> bool:  # noqa: ANN001
    status = cell.api.get("/api/reporting/reports/").status_code
    assert status in (200, 403), status
    return status == 200


def _template(**fields):  # noqa: ANN202
    from wangjian.reporting.models import ReportTemplate

    n = next(_n)
    return ReportTemplate.objects.create(
        key=f"matrix-{n}",
        name=f"矩阵报送{n}",
        figures=["clues_received"],
        period_kind="month",
        due_days=5,
        starts_on=dt.date(2025, 10, 1),
        **fields,
    )


def _report(template, **fields):  # noqa: ANN001, ANN202
    from wangjian.reporting.models import Report

    return Report.objects.create(
        template=template,
        period_kind="month",
        period_label="2025-10",
        period_start=dt.date(2025, 10, 1),
        period_end=dt.date(2025, 10, 31),
        due=dt.date(2025, 11, 7),
        **fields,
    )


def submit(via: str):  # noqa: ANN201
    """The user's bureau's own report (to a superior on another instance), submitted or refused."""

    def probe(cell) -> bool:  # noqa: ANN001
        template = _template(external_bureau_code="110000", external_bureau_name="外部上级局")
        report = _report(template, bureau=cell.bureau)
        if via == "page":
            response = cell.web.post(reverse("reporting:report", args=[report.pk]), {"action": "submit"})
            assert response.status_code in (302, 403, 404), response.status_code
        else:
            response = cell.api.post(f"/api/reporting/reports/{report.pk}/submit/", {}, format="json")
            assert response.status_code in (200, 403, 404), response.status_code
        return report.revisions.exists()

    return probe


def review(via: str):  # noqa: ANN201
    """A report made to the user's bureau (by a bureau on another instance), accepted or refused."""

    def probe(cell) -> bool:  # noqa: ANN001
        from wangjian.reporting.choices import ReportState
        from wangjian.reporting.models import Revision

        template = _template(bureau=cell.bureau)
        report = _report(
            template,
            external_bureau_code="110101",
            external_bureau_name="外部下级局",
            state=ReportState.SUBMITTED,
        )
        Revision.objects.create(report=report, number=1, submitted_at=timezone.now())
        if via == "page":
            response = cell.web.post(reverse("reporting:report", args=[report.pk]), {"action": "accept"})
            assert response.status_code in (302, 403, 404), response.status_code
        else:
            response = cell.api.post(
                f"/api/reporting/reports/{report.pk}/review/", {"decision": "accept"}, format="json"
            )
            assert response.status_code in (200, 403, 404), response.status_code
        report.refresh_from_db()
        return report.state == ReportState.ACCEPTED

    return probe


def define(via: str):  # noqa: ANN201
    """A template of the user's bureau for a bureau below it (made for the probe), defined or refused."""

    def probe(cell) -> bool:  # noqa: ANN001
        from wangjian.org.models import Bureau
        from wangjian.reporting.models import ReportTemplate

        if not Bureau.objects.filter(parent=cell.bureau).exists():
            Bureau.objects.create(
                name=f"矩阵下级局{next(_n)}", code=f"9{next(_n):05d}", level="county", parent=cell.bureau
            )
        name = f"矩阵报送事项{next(_n)}"
        data = {"name": name, "figures": ["clues_received"], "period_kind": "month", "due_days": "5"}
        if via == "page":
            response = cell.web.post(reverse("reporting:template_list"), data)
            assert response.status_code in (302, 200, 403), response.status_code
        else:
            response = cell.api.post(
                "/api/reporting/templates/", {**data, "bureau": cell.bureau.pk}, format="json"
            )
            assert response.status_code in (201, 403), response.status_code
        return ReportTemplate.objects.filter(name=name).exists()

    return probe
