"""The evidence app's settings: a Django setting of the same name wins, else the environment, else the default.

| name | default | meaning |
|---|---|---|
| WANGJIAN_EVIDENCE_KEY_DIR | WANGJIAN_HOME/keys | folder of the bureaus' Ed25519 private keys |
| WANGJIAN_EVIDENCE_TIMEOUT | 30 | seconds a capture may take |
| WANGJIAN_EVIDENCE_MAX_BYTES | 52428800 | bytes a page load may bring |
| WANGJIAN_EVIDENCE_CHECKPOINT_EVERY | 20 | sign the ledger head every N entries (0: only on export/hourly) |
| WANGJIAN_EVIDENCE_RETENTION_YEARS | 3 | 电子商务法 art. 31 |
| WANGJIAN_EVIDENCE_TSA_URL | (none) | RFC 3161 timestamp authority |
| WANGJIAN_EVIDENCE_SHARED_BROWSER | true | keep one Chromium running for captures |
| WANGJIAN_EVIDENCE_SETTLE_MAX | 5 | seconds a page may keep loading after ``load`` before it is read as it stands |
| WANGJIAN_S3_ENDPOINT_URL | (none) | S3-compatible endpoint when WANGJIAN_STORAGE is s3://… |
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings


def get(name: str, default: Any = None) -> Any:
    value = getattr(settings, name, None)
    if value not in (None, ""):
        return value
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def get_int(name: str, default: int) -> int:
    return int(get(name, default))


def get_bool(name: str, default: bool) -> bool:
    value = get(name, default)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
