"""Partners and agreements: keys published and registered, what each partner may receive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import httpx
from django.db import transaction
from django.utils import timezone

from wangjian.core.audit import acting
from wangjian.core.errors import ValidationFailed, WangjianError
from wangjian.core.fetching.addresses import current_policy
from wangjian.core.fetching.pinned import PinnedTransport
from wangjian.evidence import keys
from wangjian.evidence.ledger import bureau_key
from wangjian.evidence.models import BureauKey
from wangjian.exchange.models import Agreement, Category, Partner
from wangjian.exchange.permissions import PARTNER_MANAGE
from wangjian.org import permissions
from wangjian.org.models import Bureau, User

KEYS_PATH = "exchange/keys/"
#: called with (agreement, user) after an agreement is saved: an app whose rules an agreement sets follows it
#: (the assist app takes its 协查 period as the partner's clock)
AGREEMENT_SAVED: list[Callable[[Agreement, User | None], None]] = []
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def published_keys(bureaus: list[Bureau] | None = None) -> dict[str, Any]:
    """What this instance publishes at /exchange/keys/: each bureau's public keys (the private halves never leave)."""
    rows = BureauKey.objects.select_related("bureau").order_by("bureau__code")
    if bureaus is not None:
        rows = rows.filter(bureau__in=bureaus)
    return {
        "format": "wangjian-keys/1",
        "bureaus": [
            {
                "code": row.bureau.code,
                "name": row.bureau.name,
                "public_key_pem": row.public_key_pem,
                "fingerprint": row.fingerprint,
                "package_public_key_pem": row.package_public_key_pem,
                "package_fingerprint": row.package_fingerprint,
            }
            for row in rows
        ],
    }


def client() -> httpx.Client:
    """An HTTP client that connects only where the address policy permits (loopback only if the superuser allowed it)."""
    return httpx.Client(transport=PinnedTransport(current_policy()), timeout=TIMEOUT, follow_redirects=False)


def keys_fetch(endpoint: str, code: str) -> dict[str, str]:
    """The keys a partner instance publishes for bureau ``code`` (to be confirmed by fingerprint out of band)."""
    url = urljoin(endpoint if endpoint.endswith("/") else endpoint + "/", KEYS_PATH)
    try:
        with client() as http:
            response = http.get(url)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, OSError, ValueError) as exc:
        raise WangjianError(
            f"无法读取对方公布的公钥（{url}）：{type(exc).__name__}",
            f"Could not read the partner's published keys ({url}): {type(exc).__name__}",
            code="keys_unreachable",
        ) from exc
    for row in data.get("bureaus", []) if isinstance(data, dict) else []:
        if row.get("code") == code:
            return {k: str(row.get(k, "")) for k in ("name", "public_key_pem", "package_public_key_pem")}
    raise WangjianError(
        f"对方实例未公布 {code} 的公钥",
        f"The partner instance publishes no key for {code}",
        code="keys_missing",
    )


def _fingerprints(public_key_pem: str, package_public_key_pem: str) -> tuple[str, str]:
    try:
        signing = keys.fingerprint(keys.load_public(public_key_pem.strip()))
    except (WangjianError, ValueError, TypeError):
        raise ValidationFailed(
            "签名公钥不是有效的 Ed25519 公钥（PEM）",
            "The signing key is not a valid Ed25519 public key (PEM)",
        ) from None
    package = ""
    if package_public_key_pem.strip():
        try:
            package = keys.fingerprint(keys.load_package_public(package_public_key_pem.strip()))
        except (WangjianError, ValueError, TypeError):
            raise ValidationFailed(
                "证据包公钥不是有效的 ECDSA P-256 公钥（PEM）",
                "The package key is not a valid ECDSA P-256 public key (PEM)",
            ) from None
    return signing, package


def partner_save(
    *,
    user: User,
    bureau: Bureau,
    code: str,
    name: str,
    public_key_pem: str,
    package_public_key_pem: str = "",
    endpoint: str = "",
    active: bool = True,
    note: str = "",
    partner: Partner | None = None,
) -> Partner:
    """Register or change a partner; its keys are checked and fingerprinted (compare them with the partner's by phone)."""
    permissions.require(user, PARTNER_MANAGE)
    code = (code or "").strip()
    if not code.isdigit() or not 6 <= len(code) <= 12:
        raise ValidationFailed("对方行政区划代码应为6至12位数字", "The partner's code must be 6 to 12 digits")
    if Bureau.objects.filter(code=code).exists():
        raise ValidationFailed(
            f"{code} 是本实例的单位：本实例内的移交和协作不需要跨实例报文",
            f"{code} is a bureau of this instance: no message between instances is needed",
        )
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ValidationFailed("接收地址应为 http(s) 网址", "The endpoint must be an http(s) URL")
    signing, package = _fingerprints(public_key_pem, package_public_key_pem)
    duplicate = Partner.objects.filter(bureau=bureau, code=code).exclude(pk=getattr(partner, "pk", None))
    if duplicate.exists():
        raise ValidationFailed(f"已登记协作单位 {code}", f"Partner {code} is registered already")
    partner = partner or Partner(bureau=bureau)
    partner.code, partner.name, partner.endpoint = code, (name or "").strip()[:100] or code, endpoint.strip()
    partner.public_key_pem, partner.fingerprint = public_key_pem.strip(), signing
    partner.package_public_key_pem, partner.package_fingerprint = package_public_key_pem.strip(), package
    partner.active, partner.note = active, note
    with transaction.atomic(), acting(user, via="exchange"):
        partner.save()
    bureau_key(bureau)  # our own keys exist before the first message, so the partner can fetch them
    return partner


def agreement_save(
    *,
    user: User,
    partner: Partner,
    reference: str,
    categories: list[str],
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    personal_data: bool = False,
    review_before_sending: bool = True,
    assistance_days: int | None = None,
) -> Agreement:
    permissions.require(user, PARTNER_MANAGE)
    unknown = [c for c in categories if c not in Category.values]
    if unknown or not categories:
        raise ValidationFailed(
            "请选择协作范围", "Choose what the partner may receive", detail={"categories": unknown}
        )
    if not (reference or "").strip():
        raise ValidationFailed("请填写协议名称或文号", "Name the agreement or give its reference")
    if valid_until and valid_until < valid_from:
        raise ValidationFailed("终止日期不能早于生效日期", "The end date lies before the start date")
    if assistance_days is not None and not 1 <= assistance_days <= 60:
        raise ValidationFailed(
            "协查期限应为1至60个工作日", "The assistance period must be 1 to 60 working days"
        )
    agreement = Agreement.objects.filter(partner=partner).first() or Agreement(partner=partner)
    agreement.reference = reference.strip()[:200]
    agreement.categories = [c for c in Category.values if c in categories]
    agreement.valid_from, agreement.valid_until = valid_from, valid_until
    agreement.personal_data, agreement.review_before_sending = personal_data, review_before_sending
    agreement.assistance_days = assistance_days
    with transaction.atomic(), acting(user, via="exchange"):
        agreement.save()
        for follow in AGREEMENT_SAVED:
            follow(agreement, user)
    return agreement


def agreement_problem(
    partner: Partner, category: str, *, on: dt.date | None = None
) -> tuple[str, str] | None:
    """Why ``partner`` may not exchange an item of ``category`` on ``on`` (None when it may)."""
    on = on or timezone.localdate()
    agreement = Agreement.objects.filter(partner=partner).first()
    label = dict(Category.choices).get(category, category)
    if not partner.active:
        return f"协作单位{partner}已停用", f"Partner {partner.code} is deactivated"
    if agreement is None:
        return f"与{partner}未签协作协议", f"No agreement with partner {partner.code}"
    if on < agreement.valid_from or (agreement.valid_until and on > agreement.valid_until):
        return (
            f"与{partner}的协作协议不在有效期内（{agreement.valid_from}至{agreement.valid_until or '长期'}）",
            f"The agreement with {partner.code} is not in force on {on}",
        )
    if category not in agreement.categories:
        return (
            f"协作协议不含“{label}”：{partner}不能接收此类事项",
            f"The agreement does not cover {category}: partner {partner.code} may not receive it",
        )
    return None
