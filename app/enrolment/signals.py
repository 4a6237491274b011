"""Signals the domains above enrolment connect to, so enrolment never imports them.

indico's `signals.users.merged`: when two records of one person are merged, each domain moves
its own rows. Receivers are connected when their package is imported (app start).
"""

from blinker import Namespace

_signals = Namespace()

# Asked of each enrolment that may survive a merge, as sender; receivers return how many rows of
# theirs it holds (attendance days), so the fuller of two enrolments in one session is kept.
enrolment_weighed = _signals.signal("enrolment-weighed")

# Sent with the kept participant as sender, `removed` (the participant about to be deleted),
# `combined=[(better, worse), ...]` (the enrolments of one session, `worse` about to be
# deleted), `actor` and `note`: receivers move removed's and worse's rows to keep and better
# in the same transaction, before enrolment deletes them.
participants_merged = _signals.signal("participants-merged")
