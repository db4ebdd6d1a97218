"""Row builders of the assist models for tests/platform/test_views_generated.py's ``BUILDERS``:
``from tests.assist.builders import ASSIST_BUILDERS`` and ``**ASSIST_BUILDERS`` in the dict.

Each row is 旌德县's (``rows.county``), visible to its office; rows are made directly (the services' rules are
tests/assist's)."""

from __future__ import annotations

import datetime as dt

from wangjian.org.choices import DepartmentKind as K
from wangjian.org.models import Department


def _request(rows, n: int):
    from wangjian.assist.models import AssistanceRequest

    return AssistanceRequest.objects.create(
        number=f"旌市监协〔2025〕{n + 1}号",
        from_bureau=rows.county,
        from_department=Department.objects.get(bureau=rows.county, kind=K.ADVERTISING),
        # a partner bureau on another instance: the neighbouring county, which the generated tests keep out, sees none
        external_bureau_code="330100",
        external_bureau_name="杭州市市场监督管理局",
        question=f"请协查第{n}家网店的实际经营地",
        entity_name=f"协查第{n}商贸有限公司",
        shop_name=f"第{n}号店",
        state="sent",
        received_on=dt.date(2025, 11, 3),
        due=dt.date(2025, 11, 24),
        due_basis="收到协助调查函之日起十五个工作日内",
    )


def _internal(rows, n: int):
    from wangjian.assist.models import InternalRequest

    return InternalRequest.objects.create(
        bureau=rows.county,
        kind="check",
        from_department=Department.objects.get(bureau=rows.county, kind=K.FOOD),
        to_department=Department.objects.get(bureau=rows.county, kind=K.ONLINE_TRADE),
        url=f"https://shop.example.com/{n}",
        purpose=f"请检查第{n}家网店是否公示食品经营许可证",
        requested_at=dt.datetime(2025, 11, 12, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        due=dt.date(2025, 11, 17),
    )


ASSIST_BUILDERS = {"assist.assistancerequest": _request, "assist.internalrequest": _internal}
