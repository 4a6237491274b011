"""What certificates tell the layers above them (credentials) without importing them."""

from blinker import Namespace

_signals = Namespace()

# Sent with the certificate once its row is flushed, inside the issuing unit of work.
certificate_issued = _signals.signal("certificate-issued")
# Sent with the certificate once it is marked revoked, inside the revoking unit of work.
certificate_revoked = _signals.signal("certificate-revoked")
