"""Row builders of the outreach models for tests/platform/test_views_generated.py's ``BUILDERS``.

Each row is 旌德县's (``rows.county``) on a platform or an authority of 旌德县, made directly (the services' rules
are tests/outreach's)."""

from __future__ import annotations

import datetime as dt


def _platform(rows, n: int):
    return rows.one("registry.platform")


def _guidance(rows, n: int):
    from wangjian.outreach.models import Guidance

    return Guidance.objects.create(
        bureau=rows.county,
        platform=_platform(rows, n),
        kind="interview",
        number=f"旌市监网指〔2026〕{n + 1}号",
        held_on=dt.date(2026, 3, 2),
        matters=f"第{n}次约谈：平台未按期报送经营者身份信息",
    )


def _request(rows, n: int):
    from wangjian.outreach.models import PlatformRequest

    return PlatformRequest.objects.create(
        bureau=rows.county,
        platform=_platform(rows, n),
        kind="takedown",
        number=f"旌市监网函〔2026〕{n + 1}号",
        sent_on=dt.date(2026, 3, 2),
        basis="《电子商务法》第二十九条",
        urls=f"https://mall.example/item/{n}",
        link_count=1,
        due=dt.date(2026, 3, 5),
    )


def _authority(rows, n: int):
    from wangjian.outreach.models import Authority

    return Authority.objects.create(bureau=rows.county, name=f"旌德县公安局{n}", kind="police")


def _authority_request(rows, n: int):
    from wangjian.outreach.models import AuthorityRequest

    return AuthorityRequest.objects.create(
        bureau=rows.county,
        authority=_authority(rows, n),
        kind="shutdown",
        number=f"旌市监协作〔2026〕{n + 1}号",
        sent_on=dt.date(2026, 3, 2),
        subject=f"请关闭第{n}个违法网站",
    )


OUTREACH_BUILDERS = {
    "outreach.guidance": _guidance,
    "outreach.platformrequest": _request,
    "outreach.authority": _authority,
    "outreach.authorityrequest": _authority_request,
}
