"""Each bureau's two signing keys.

* Ed25519 (``load_private``): signs the ledger's checkpoints, as the evidence rules ask.
* ECDSA P-256 (``load_package_private``): signs evidence packages, because the WACZ signing
  and verification specification's anonymous signing is ECDSA P-256 with SHA-256 over the
  ``hash`` string, and standard web-archive players verify exactly that.

The private key is a PEM file in the key folder (``WANGJIAN_EVIDENCE_KEY_DIR``, default
``WANGJIAN_HOME/keys``, mode 0600), never in the database, so that someone who can edit
the database still cannot sign a forged checkpoint. The public key is in ``BureauKey`` and
is exported with every evidence package, so that anyone can check a signature offline
(``openssl pkeyutl -verify -pubin -inkey public_key.pem -rawin …``).

Each signed checkpoint names its algorithm (``LedgerCheckpoint.algorithm``, ``"ed25519"`` for every
record made so far) and is verified by the entry of ``ALGORITHMS`` it names, so a second algorithm
— SM2 with SM3 (GB/T 32918, GB/T 32905) where 国密 is required — is one more entry (its key loading,
signing and verifying) and ``LEDGER_ALGORITHM`` switched, while the checkpoints signed before keep
verifying with Ed25519. SM2/SM3 is not supported yet (docs/security.md).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from wangjian.core.errors import WangjianError
from wangjian.evidence import conf


def key_dir() -> Path:
    configured = conf.get("WANGJIAN_EVIDENCE_KEY_DIR")
    return Path(configured) if configured else Path(settings.HOME) / "keys"


def private_path(bureau) -> Path:
    return key_dir() / f"evidence-{bureau.code}.ed25519.pem"


def package_private_path(bureau) -> Path:
    return key_dir() / f"evidence-{bureau.code}.p256.pem"


KEY_HINT_ZH = (
    "已登记的公钥只能由原私钥验证：请从生成它的机器（或备份）恢复密钥文件，"
    "多台机器取证时共用同一密钥目录（WANGJIAN_EVIDENCE_KEY_DIR）"
)
KEY_HINT_EN = (
    "the registered public key verifies only the original private key: restore the key file from the machine "
    "that made it (or a backup); machines that capture share one key folder (WANGJIAN_EVIDENCE_KEY_DIR)"
)


def check_registered(public_key, fingerprint_: str, path: Path) -> None:
    """Refuse a private key whose public half is not the one registered (and published) for the bureau."""
    if fingerprint(public_key) != fingerprint_:
        raise WangjianError(
            f"本局签名私钥与已登记的公钥（指纹 {fingerprint_[:16]}…）不符：{path}。{KEY_HINT_ZH}",
            f"the signing key does not match the registered public key ({fingerprint_[:16]}…): {path}. "
            f"{KEY_HINT_EN}",
            code="evidence_key",
        )


def public_pem(public_key: Ed25519PublicKey | ec.EllipticCurvePublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def public_der(public_key: Ed25519PublicKey | ec.EllipticCurvePublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(public_key: Ed25519PublicKey | ec.EllipticCurvePublicKey) -> str:
    return hashlib.sha256(public_der(public_key)).hexdigest()


def load_private(bureau, *, create: bool = True) -> Ed25519PrivateKey:
    """The bureau's private key, generated on first use."""
    path = private_path(bureau)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise WangjianError(
                f"签名密钥不是Ed25519：{path}", f"signing key is not Ed25519: {path}", code="evidence_key"
            )
        return key
    if not create:
        raise WangjianError(
            f"本局签名私钥缺失：{path}。{KEY_HINT_ZH}",
            f"the bureau's signing key is missing: {path}. {KEY_HINT_EN}",
            code="evidence_key",
        )
    key = Ed25519PrivateKey.generate()
    _write_private(path, key)
    return key


def _write_private(path: Path, key) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


def load_package_private(bureau, *, create: bool = True) -> ec.EllipticCurvePrivateKey:
    """The bureau's ECDSA P-256 package-signing key, generated on first use."""
    path = package_private_path(bureau)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise WangjianError(
                f"证据包签名密钥不是 ECDSA P-256：{path}",
                f"package signing key is not ECDSA P-256: {path}",
                code="evidence_key",
            )
        return key
    if not create:
        raise WangjianError(
            f"本局证据包签名私钥缺失：{path}。{KEY_HINT_ZH}",
            f"the bureau's package signing key is missing: {path}. {KEY_HINT_EN}",
            code="evidence_key",
        )
    key = ec.generate_private_key(ec.SECP256R1())
    _write_private(path, key)
    return key


def load_package_public(pem: str) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise WangjianError("公钥不是 ECDSA P-256", "public key is not ECDSA P-256", code="evidence_key")
    return key


def sign_package(private_key: ec.EllipticCurvePrivateKey, message: bytes) -> str:
    """Base64 of the DER ECDSA-SHA256 signature (what ``openssl dgst -sha256 -verify`` checks)."""
    return base64.b64encode(private_key.sign(message, ec.ECDSA(hashes.SHA256()))).decode()


def verify_package(public_key: ec.EllipticCurvePublicKey, message: bytes, signature_b64: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def load_public(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise WangjianError("公钥不是Ed25519", "public key is not Ed25519", code="evidence_key")
    return key


def sign(private_key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(private_key.sign(message)).decode()


def verify(public_key: Ed25519PublicKey, message: bytes, signature_b64: str) -> bool:
    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message)
        return True
    except (InvalidSignature, ValueError):
        return False


# --------------------------------------------------------------------------- signature algorithms

ED25519 = "ed25519"


@dataclass(frozen=True)
class SignatureAlgorithm:
    """One signature algorithm of the ledger's checkpoints: how its public key is read, how it signs and verifies."""

    name: str  # as recorded with each signature (LedgerCheckpoint.algorithm, the anchored head)
    label: str
    load_public: Callable[[str], Any]
    sign: Callable[[Any, bytes], str]
    verify: Callable[[Any, bytes, str], bool]


ALGORITHMS: dict[str, SignatureAlgorithm] = {
    ED25519: SignatureAlgorithm(ED25519, "Ed25519 (RFC 8032)", load_public, sign, verify),
}
LEDGER_ALGORITHM = ED25519  # what new checkpoints are signed with


def algorithm(name: str | None) -> SignatureAlgorithm:
    """The algorithm a signed record names; a record that names none was signed before the name was kept: Ed25519."""
    try:
        return ALGORITHMS[name or ED25519]
    except KeyError:
        raise WangjianError(
            f"不支持的签名算法：{name}（支持：{', '.join(ALGORITHMS)}）",
            f"unsupported signature algorithm: {name} (supported: {', '.join(ALGORITHMS)})",
            code="evidence_key",
        ) from None


def verify_signed(name: str | None, public_key: Any, message: bytes, signature_b64: str) -> bool:
    """Check a signature with the algorithm its record names; an algorithm this installation lacks verifies nothing."""
    try:
        return algorithm(name).verify(public_key, message, signature_b64)
    except WangjianError:
        return False
