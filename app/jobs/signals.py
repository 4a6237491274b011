"""Signals domains connect to, so that the job machinery never imports them."""

from blinker import Namespace

_signals = Namespace()

# Sent with the app as sender when `flask jobs worker` starts: a domain queues again the work
# a killed worker left unfinished (certificate batches), before the worker takes new jobs.
worker_starting = _signals.signal("worker-starting")
