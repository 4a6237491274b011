"""Signals other domains connect to, so that accounts never imports them (arrows point one way)."""

from blinker import Namespace

_signals = Namespace()

# Sent with the user as sender and old_email=...: the linked participant record follows.
account_email_changed = _signals.signal("account-email-changed")
