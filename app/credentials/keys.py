"""The issuer's Ed25519 keys: made by `flask credentials init-key`, kept encrypted, never lost.

A private key is stored either in the database, encrypted with a key derived from SECRET_KEY
(Fernet: AES-128-CBC with HMAC-SHA256), or, when CREDENTIALS_KEY_DIR is set, as a file there
readable by the owner only. Rotation adds a key and retires the old one from signing; every
key stays in the DID document so that credentials signed with it keep verifying.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from flask import current_app
from sqlalchemy import func, select

from app.credentials.models import IssuerKey
from app.credentials.proofs import public_key_from_multibase, public_multibase
from app.extensions import db
from app.shared.models import utcnow
from app.shared.unit_of_work import DomainError


class IssuerKeyError(DomainError):
    """The issuer key is missing or cannot be read."""


def _fernet() -> Fernet:
    """Return the cipher derived from SECRET_KEY (a changed SECRET_KEY cannot read old keys)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"credentials issuer key"
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def _key_dir() -> Path | None:
    configured = current_app.config.get("CREDENTIALS_KEY_DIR") or os.environ.get(
        "CREDENTIALS_KEY_DIR"
    )
    return Path(configured) if configured else None


def all_keys() -> list[IssuerKey]:
    """Return every issuer key ever made, oldest first (all are published)."""
    return list(db.session.scalars(select(IssuerKey).order_by(IssuerKey.id)))


def signing_key() -> IssuerKey | None:
    """Return the key new credentials are signed with, or None before `init-key`."""
    return db.session.scalar(
        select(IssuerKey).where(IssuerKey.retired_at.is_(None)).order_by(IssuerKey.id.desc())
    )


def key_by_fragment(fragment: str) -> IssuerKey | None:
    """Return the issuer key a DID URL fragment names."""
    return db.session.scalar(select(IssuerKey).where(IssuerKey.fragment == fragment))


def public_key(key: IssuerKey) -> Ed25519PublicKey:
    """Return the key's public half."""
    return public_key_from_multibase(key.public_key_multibase)


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    """Decrypt and return the key's private half."""
    directory = _key_dir()
    if key.private_key_encrypted is None:
        if directory is None:
            raise IssuerKeyError(
                f"Issuer key {key.fragment} is kept in a file; set CREDENTIALS_KEY_DIR."
            )
        raw = (directory / f"{key.fragment}.key").read_bytes()
    else:
        try:
            raw = _fernet().decrypt(key.private_key_encrypted)
        except InvalidToken as exc:
            raise IssuerKeyError(
                f"Issuer key {key.fragment} cannot be decrypted: was SECRET_KEY changed?"
            ) from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


def create_key() -> IssuerKey:
    """Make a new signing key and retire the current one (it stays published)."""
    current = signing_key()
    if current is not None:
        current.retired_at = utcnow()
    secret = Ed25519PrivateKey.generate()
    raw = secret.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    count = db.session.scalar(select(func.count()).select_from(IssuerKey)) or 0
    key = IssuerKey(
        fragment=f"key-{count + 1}", public_key_multibase=public_multibase(secret.public_key())
    )
    directory = _key_dir()
    if directory is None:
        key.private_key_encrypted = _fernet().encrypt(raw)
    else:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{key.fragment}.key"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(raw)
    db.session.add(key)
    db.session.flush()
    return key
