"""Issuer keys, status lists and the signed Open Badges credential beside each certificate."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData

if TYPE_CHECKING:
    from app.certificates.models import Certificate


class IssuerKey(db.Model):
    """An Ed25519 key of the issuer; retired keys stay published so old credentials verify."""

    __tablename__ = "credential_issuer_keys"
    __personal_data__ = PersonalData(holds_none="the issuer's keys, nobody's data")

    id: Mapped[int] = mapped_column(primary_key=True)
    # The DID URL fragment of the verification method, e.g. "key-2".
    fragment: Mapped[str] = mapped_column(String(40), unique=True)
    public_key_multibase: Mapped[str] = mapped_column(String(80), unique=True)
    # The raw private key encrypted with a key derived from SECRET_KEY (Fernet token);
    # None when it is kept as a file in CREDENTIALS_KEY_DIR.
    private_key_encrypted: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<IssuerKey {self.fragment}>"


class StatusList(db.Model):
    """A BitstringStatusList of revocation bits, one random index per credential."""

    __tablename__ = "credential_status_lists"
    __personal_data__ = PersonalData(
        holds_none="anonymous bits: only the credentials table says whose bit is whose"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20), default="revocation")
    size: Mapped[int] = mapped_column(Integer)
    # The uncompressed bitstring, bit 0 the most significant bit of byte 0.
    bits: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    # The signed BitstringStatusListCredential as last built (the public document).
    credential: Mapped[dict | None] = deferred(mapped_column(JSON))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<StatusList {self.id} {self.purpose}>"


class Credential(db.Model):
    """The signed OpenBadgeCredential of one certificate, frozen at issue like the certificate."""

    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("status_list_id", "status_index"),)
    # The document names nobody, but its salted email hash confirms a guessed address; erasure
    # empties it (the holder keeps the copy they downloaded, and its status bit still answers).
    __personal_data__ = PersonalData(
        fields=("uuid", "document", "issued_at"), erase={"document": {}}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), unique=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    status_list_id: Mapped[int] = mapped_column(ForeignKey("credential_status_lists.id"))
    status_index: Mapped[int] = mapped_column(Integer)
    issuer_key_id: Mapped[int] = mapped_column(ForeignKey("credential_issuer_keys.id"))
    document: Mapped[dict] = deferred(mapped_column(JSON, nullable=False))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certificate: Mapped[Certificate] = relationship()
    status_list: Mapped[StatusList] = relationship()
    issuer_key: Mapped[IssuerKey] = relationship()

    def __repr__(self) -> str:
        return f"<Credential {self.uuid}>"
