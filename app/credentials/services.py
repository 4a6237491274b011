"""Issue, revoke and verify the Open Badges 3.0 credential beside each certificate.

The credential is an OpenBadgeCredential (W3C VC 2.0 + OB 3.0) signed with eddsa-rdfc-2022 by
the issuer's did:web key. It names nobody: the holder is a salted SHA-256 of their email, so a
court can match it to the person in front of it, and no one can read an officer's identity off
a leaked file. Each credential owns a random bit of a BitstringStatusList; revoking the
certificate sets that bit and the list is re-signed by a job.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.certificates.models import Certificate
from app.certificates.services import holder_email
from app.credentials import keys, proofs, status_list
from app.credentials.loader import OB_V3, VC_V2, UnsafeDocumentError
from app.credentials.models import Credential, IssuerKey, StatusList
from app.curriculum.models import Course, CourseVersion
from app.extensions import db
from app.jobs.services import enqueue_after_commit
from app.shared.clock import now
from app.shared.countries import country_name
from app.shared.models import utcnow
from app.shared.urls import external_url

CONTEXT = [VC_V2, OB_V3]
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


# --- the issuer --------------------------------------------------------------------------
def issuer_did() -> str:
    """Return did:web for PUBLIC_BASE_URL's host (a port is percent-encoded, per did:web)."""
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).netloc
    return "did:web:" + quote(host, safe="")


def verification_method(key: IssuerKey) -> str:
    """Return the DID URL of a key, as credentials cite it."""
    return f"{issuer_did()}#{key.fragment}"


def did_document() -> dict[str, Any]:
    """Return the did:web document: every key ever used, all still valid for assertions."""
    did = issuer_did()
    methods = [
        {
            "id": verification_method(key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys.all_keys()
    ]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def issuer_profile() -> dict[str, Any]:
    """Return the issuer's OB 3.0 Profile (name, url and, when configured, image)."""
    profile: dict[str, Any] = {
        "id": issuer_did(),
        "type": ["Profile"],
        "name": current_app.config["ISSUER_NAME"],
        "url": current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/",
    }
    image = current_app.config.get("CREDENTIALS_ISSUER_IMAGE")
    if image:
        profile["image"] = {"id": image, "type": "Image"}
    return profile


def _resolve_key(method: str) -> Ed25519PublicKey | None:
    """Return our public key a verificationMethod names, or None if it is not one of ours."""
    did, _sep, fragment = method.partition("#")
    if did != issuer_did() or not fragment:
        return None
    key = keys.key_by_fragment(fragment)
    return keys.public_key(key) if key else None


def _sign(document: dict[str, Any]) -> tuple[dict[str, Any], IssuerKey]:
    key = keys.signing_key()
    if key is None:
        raise keys.IssuerKeyError(_("No issuer key: run `flask credentials init-key` first."))
    created = now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signed = proofs.sign(document, keys.private_key(key), verification_method(key), created)
    return signed, key


# --- status lists ------------------------------------------------------------------------
def status_list_url(status: StatusList) -> str:
    """Return the public URL of a status list's credential."""
    return external_url("credentials.status_list", list_id=status.id)


def _list_with_room() -> StatusList:
    """Return a revocation list under half full (random indexes stay cheap), or a new one."""
    used = (
        select(Credential.status_list_id, func.count().label("used"))
        .group_by(Credential.status_list_id)
        .subquery()
    )
    row = db.session.execute(
        select(StatusList)
        .outerjoin(used, used.c.status_list_id == StatusList.id)
        .where(func.coalesce(used.c.used, 0) < StatusList.size / 2)
        .order_by(StatusList.id)
        .limit(1)
    ).scalar_one_or_none()
    if row is not None:
        return row
    fresh = StatusList(size=status_list.MIN_SIZE, bits=status_list.empty())
    db.session.add(fresh)
    db.session.flush()
    return fresh


def _allocate_index(status: StatusList) -> int:
    taken = set(
        db.session.scalars(
            select(Credential.status_index).where(Credential.status_list_id == status.id)
        )
    )
    return status_list.random_free_index(status.size, taken)


def status_list_credential(status: StatusList) -> dict[str, Any]:
    """Build and sign the list's BitstringStatusListCredential from its current bits."""
    url = status_list_url(status)
    document = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": _timestamp(utcnow()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status.purpose,
            "encodedList": status_list.encode(status.bits),
        },
    }
    signed, _key = _sign(document)
    return signed


def rebuild_status_list(list_id: int) -> None:
    """Re-sign one status list from its bits (a job, queued whenever a bit changes)."""
    status = db.session.get(StatusList, list_id)
    if status is None:
        return
    status.credential = status_list_credential(status)
    status.built_at = utcnow()


def rebuild_all_status_lists() -> int:
    """Re-sign every status list (after a key rotation) and return how many."""
    lists = list(db.session.scalars(select(StatusList)))
    for status in lists:
        rebuild_status_list(status.id)
    return len(lists)


def published_status_list(list_id: int) -> dict[str, Any] | None:
    """Return a list's signed credential as last built, or None."""
    status = db.session.get(StatusList, list_id)
    return status.credential if status else None


# --- issuing -----------------------------------------------------------------------------
def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _identity(email: str) -> dict[str, Any]:
    """Return the recipient's IdentityObject: a salted SHA-256 of the address, never the address."""
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def identity_matches(document: dict[str, Any], email: str) -> bool:
    """Return whether the credential's hashed identity is this email address."""
    subject = document.get("credentialSubject") or {}
    for identity in subject.get("identifier") or []:
        salt = str(identity.get("salt", ""))
        digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
        if secrets.compare_digest(str(identity.get("identityHash", "")), f"sha256${digest}"):
            return True
    return False


def _objectives(certificate: Certificate) -> list[str]:
    modules = certificate.enrolment.training_session.taught_modules()
    return [objective for module, _hours in modules for objective in module.objectives or []]


def _narrative(content: dict, objectives: list[str]) -> str:
    place = ", ".join(
        part for part in (content.get("city"), country_name(content.get("host_country"))) if part
    )
    lines = [
        f"Completed {content.get('total_hours')} hours of training, "
        f"{content.get('start_date')} to {content.get('end_date')}"
        + (f", in {place}." if place else "."),
    ]
    if objectives:
        lines += ["", _objectives_text(objectives)]
    return "\n".join(lines)


def _objectives_text(objectives: list[str]) -> str:
    return "\n".join(["Learning objectives:", *(f"- {objective}" for objective in objectives)])


def achievement_url(version: CourseVersion) -> str:
    """Return the public URL (and id) of a course version's Achievement."""
    return external_url(
        "credentials.achievement", slug=version.course.slug, version_number=version.number
    )


def achievement_document(version: CourseVersion, narrative: str | None = None) -> dict[str, Any]:
    """Return the OB 3.0 Achievement of a course version; narrative defaults to its objectives."""
    url = achievement_url(version)
    objectives = [o for module in version.modules for o in module.objectives or []]
    return {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": version.course.title,
        "description": version.course.title,
        "humanCode": version.course.code or version.course.slug,
        "version": version.label,
        "criteria": {"narrative": narrative or _objectives_text(objectives)},
        "resultDescription": [
            {
                "id": f"{url}#hours",
                "type": ["ResultDescription"],
                "name": "Hours of training",
                "resultType": "ext:Hours",
            }
        ],
    }


def public_achievement(slug: str, version_number: int) -> dict[str, Any] | None:
    """Return the Achievement document served at achievement_url, or None if unknown."""
    version = db.session.scalar(
        select(CourseVersion)
        .join(Course)
        .where(Course.slug == slug, CourseVersion.number == version_number)
    )
    return {"@context": CONTEXT, **achievement_document(version)} if version else None


def build_document(certificate: Certificate, status: StatusList, index: int) -> dict[str, Any]:
    """Return the unsigned OpenBadgeCredential of a certificate, from its frozen content."""
    content = certificate.content
    training_session = certificate.enrolment.training_session
    achievement = achievement_document(
        training_session.course_version, _narrative(content, _objectives(certificate))
    )
    achievement["inLanguage"] = content.get("language") or "en"
    list_url = status_list_url(status)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": content["course_title"],
        "issuer": issuer_profile(),
        "validFrom": _timestamp(certificate.issued_at or utcnow()),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [_identity(holder_email(certificate) or "")],
            "activityStartDate": content["start_date"],
            "activityEndDate": content["end_date"],
            "achievement": achievement,
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": achievement["resultDescription"][0]["id"],
                    "value": str(content.get("total_hours", "")),
                }
            ],
        },
        "evidence": [
            {
                "id": external_url("certificates.verify_code", code=certificate.verification_code),
                "type": ["Evidence"],
                "name": f"Certificate {certificate.number}",
                "description": "The certificate's public verification page.",
            }
        ],
        "credentialStatus": {
            "id": f"{list_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": status.purpose,
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        },
    }
    if certificate.expires_on:
        end_of_day = datetime.combine(certificate.expires_on, time(23, 59, 59), tzinfo=UTC)
        document["validUntil"] = _timestamp(end_of_day)
    return document


def credential_of(certificate: Certificate) -> Credential | None:
    """Return the credential issued beside a certificate, if any."""
    return db.session.scalar(select(Credential).where(Credential.certificate_id == certificate.id))


def issue(certificate: Certificate) -> Credential:
    """Sign the credential of a freshly issued certificate (in the certificate's transaction)."""
    existing = credential_of(certificate)
    if existing is not None:
        return existing
    status = _list_with_room()
    index = _allocate_index(status)
    document = build_document(certificate, status, index)
    signed, key = _sign(document)
    credential = Credential(
        certificate=certificate,
        uuid=document["id"].removeprefix("urn:uuid:"),
        status_list=status,
        status_index=index,
        issuer_key=key,
        document=signed,
    )
    db.session.add(credential)
    if status.credential is None:
        _queue_rebuild(status)
    db.session.flush()
    return credential


def issue_if_key(certificate: Certificate) -> Credential | None:
    """Issue the credential when an issuer key exists; without one the platform works as before."""
    if keys.signing_key() is None:
        current_app.logger.info("No issuer key: %s has no credential.", certificate.number)
        return None
    return issue(certificate)


def issue_missing() -> int:
    """Issue credentials for live certificates that have none (after init-key); return how many."""
    missing = db.session.scalars(
        select(Certificate)
        .where(Certificate.revoked_at.is_(None))
        .where(~select(Credential.id).where(Credential.certificate_id == Certificate.id).exists())
        .order_by(Certificate.id)
    ).all()
    for certificate in missing:
        issue(certificate)
    return len(missing)


def _queue_rebuild(status: StatusList) -> None:
    db.session.flush()
    enqueue_after_commit(
        "app.credentials.services.rebuild_status_list",
        status.id,
        job_id=f"credentials-status-list-{status.id}",
        retries=3,
    )


def revoke(certificate: Certificate) -> Credential | None:
    """Set the revocation bit of the certificate's credential and queue the list's re-signing."""
    credential = credential_of(certificate)
    if credential is None:
        return None
    status = credential.status_list
    status.bits = status_list.set_bit(status.bits, credential.status_index)
    status.updated_at = utcnow()
    _queue_rebuild(status)
    return credential


# --- verification ------------------------------------------------------------------------
CHECKS = {
    "format": _l("Readable Open Badges 3.0 credential"),
    "issuer": _l("Issued with one of our published keys"),
    "signature": _l("Signature matches the content"),
    "expiry": _l("Within its validity period"),
    "status": _l("Not revoked"),
}


@dataclass
class Verification:
    """What verify() found: the checks in order, the first that failed, and what it says."""

    passed: list[str] = field(default_factory=list)
    failed: str | None = None
    reason: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return whether every check passed."""
        return self.failed is None


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _status_bit(entry: Any) -> bool | None:
    """Return the credential's revocation bit from our signed list, or None if unreadable."""
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return None
    for status in db.session.scalars(select(StatusList)):
        if status_list_url(status) != entry.get("statusListCredential"):
            continue
        published = status.credential
        if not published:
            return None
        try:
            proofs.verify(published, _resolve_key)
            bits = status_list.decode(published["credentialSubject"]["encodedList"])
            return status_list.get_bit(bits, int(entry.get("statusListIndex")))
        except (KeyError, TypeError, ValueError):
            return None
    return None


def verify(document: Any, today: datetime | None = None) -> Verification:
    """Check a credential offline: format, issuer key, signature, validity dates, revocation."""
    result = Verification()
    moment = today or now()
    if not isinstance(document, dict) or "OpenBadgeCredential" not in (document.get("type") or []):
        result.failed, result.reason = "format", _("This is not an Open Badges credential.")
        return result
    result.passed.append("format")
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {} if isinstance(subject, dict) else {}
    result.facts = {
        "course": achievement.get("name"),
        "version": achievement.get("version"),
        "start_date": subject.get("activityStartDate") if isinstance(subject, dict) else None,
        "end_date": subject.get("activityEndDate") if isinstance(subject, dict) else None,
        "valid_until": document.get("validUntil"),
        "evidence": [e.get("id") for e in document.get("evidence") or [] if isinstance(e, dict)],
    }
    try:
        proofs.verify(document, _resolve_key)
    except KeyError:
        result.failed, result.reason = "issuer", _("It was not signed with a key we published.")
        return result
    except UnsafeDocumentError as exc:
        result.failed, result.reason = "signature", _("It cannot be read safely: %(e)s", e=exc)
        return result
    except proofs.ProofError as exc:
        result.failed, result.reason = "signature", str(exc)
        return result
    result.passed += ["issuer", "signature"]
    valid_from, valid_until = (_parse_time(document.get(k)) for k in ("validFrom", "validUntil"))
    if valid_from is None or moment < valid_from:
        result.failed, result.reason = "expiry", _("It is not valid yet.")
        return result
    if document.get("validUntil") is not None and (valid_until is None or moment > valid_until):
        result.failed, result.reason = "expiry", _("It has expired.")
        return result
    result.passed.append("expiry")
    revoked = _status_bit(document.get("credentialStatus"))
    if revoked is None:
        result.failed, result.reason = "status", _("Its revocation status cannot be checked.")
    elif revoked:
        result.failed, result.reason = "status", _("It has been revoked.")
    else:
        result.passed.append("status")
    return result
