"""Row builders of the exchange's models for tests/platform/test_views_generated.py's ``BUILDERS``.

A partner of 旌德县 with a throwaway key, and messages to it (built directly: the services' rules are
tests/exchange's)."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wangjian.evidence import keys


def _partner(rows, n: int):
    from wangjian.exchange.models import Partner

    public = Ed25519PrivateKey.generate().public_key()
    return Partner.objects.create(
        bureau=rows.county,
        code=f"3305{n:02d}",
        name=f"协作单位{n}",
        public_key_pem=keys.public_pem(public),
        fingerprint=keys.fingerprint(public),
    )


def _message(rows, n: int):
    from wangjian.exchange.models import Message, Partner

    partner = Partner.objects.filter(bureau=rows.county).first() or _partner(rows, 90 + n)
    return Message.objects.create(
        bureau=rows.county,
        partner=partner,
        direction="out",
        message_id=f"00000000-0000-4000-8000-{n:012d}",
        kind="clue",
        category="enforcement",
        title=f"移送线索{n}",
        sender_code=rows.county.code,
        recipient_code=partner.code,
        created_at=dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC),
        state="queued",
        body={"number": f"X-{n}"},
    )


EXCHANGE_BUILDERS = {"exchange.partner": _partner, "exchange.message": _message}
