"""Keep each certificate's credential in step: issued with it, revoked with it."""

from app.certificates.models import Certificate
from app.certificates.signals import certificate_issued, certificate_revoked
from app.credentials import services


@certificate_issued.connect
def _issue(certificate: Certificate, **_extra) -> None:
    """Sign the credential twin of a new certificate (skipped while no issuer key exists)."""
    services.issue_if_key(certificate)


@certificate_revoked.connect
def _revoke(certificate: Certificate, **_extra) -> None:
    """Flip the credential's status bit; the list's re-signing runs as a job after commit."""
    services.revoke(certificate)
