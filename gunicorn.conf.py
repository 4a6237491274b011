"""Gunicorn settings for the web processes; `gunicorn -c gunicorn.conf.py 'app:create_app()'`.

Everything a machine may change comes from the environment, so every web machine runs the same
file: GUNICORN_BIND (address:port, default loopback 8000), WEB_CONCURRENCY (worker processes,
default two per core plus one) and TRUSTED_PROXIES (the app's own count of proxy hops).
"""

import multiprocessing
import os

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# A request that takes longer is a bug: long work runs as a job on a worker, never here.
timeout = 30
graceful_timeout = 30
# The app believes X-Forwarded-* from TRUSTED_PROXIES hops (werkzeug's ProxyFix); gunicorn
# follows the same rule, so with no trusted proxy nobody can claim https through a header.
forwarded_allow_ips = "*" if int(os.environ.get("TRUSTED_PROXIES") or 0) else ""
accesslog = "-"  # stdout, one line per request, for the machine's log collector
errorlog = "-"
