"""Configuration read from the environment (WANGJIAN_*), in one place.

Every instance keeps its state under WANGJIAN_HOME (default ``var/`` in the working
directory) so that two instances started from different folders never share a
database, a secret key or an evidence store.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def home() -> Path:
    return Path(env("WANGJIAN_HOME", "var")).expanduser().resolve()


def database_url() -> str:
    return env("WANGJIAN_DATABASE_URL") or f"sqlite:///{home() / 'wangjian.sqlite3'}"


def broker_url() -> str | None:
    return env("WANGJIAN_BROKER_URL")


def storage_location() -> str:
    return env("WANGJIAN_STORAGE") or str(home() / "storage")


def secret_key(create: bool = False) -> str:
    """The persisted SECRET_KEY of this instance (``WANGJIAN_HOME/secret_key``).

    Created on first use so that sessions survive a restart; ``WANGJIAN_SECRET_KEY``
    overrides it.
    """
    explicit = env("WANGJIAN_SECRET_KEY")
    if explicit:
        return explicit
    path = home() / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key)
        path.chmod(0o600)
    return key
