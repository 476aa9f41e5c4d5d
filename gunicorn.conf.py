"""gunicorn settings for ``gunicorn app:server`` (gunicorn reads ./gunicorn.conf.py by itself).

Every value comes from indicators/config.py, so the environment variables are documented in
one place: ``BIND`` (default ``0.0.0.0:$PORT``, ``PORT`` default 8050), ``WEB_CONCURRENCY``
(worker processes; unset: one per CPU, at least 2), ``WORKER_THREADS`` (default 4; used only
with ``-k gthread``) and ``WORKER_TIMEOUT`` (seconds, default 30). A flag on the command line
still wins, e.g. ``gunicorn -w 4 app:server``.

Limits against hostile clients: gevent workers (a slow client holds a connection, not a
worker), gunicorn's limits on the request line and headers (set explicitly below), and the
app's own bound on request bodies (``MAX_REQUEST_BYTES``, :mod:`dashboard.security`).
"""

from __future__ import annotations

import threading
from typing import Any

from indicators.config import Settings

_settings = Settings.resolve()

bind = [_settings.bind]
workers = _settings.web_concurrency
# gevent: a worker waits on every connection at once (an event loop), so clients that send
# their request slowly, or never finish it, tie up no worker; with gthread eight such
# connections (2 workers x 4 threads) stopped the site (benchmarks/slow_clients.py). Pages are
# rendered in Python, so processes give the parallelism; ``worker_connections`` bounds the open
# connections per worker. ``threads`` counts only with ``gunicorn -k gthread`` (behind a proxy
# that buffers requests, such as deploy/nginx.conf.example, gthread is safe too).
worker_class = "gevent"
worker_connections = 1000
threads = _settings.worker_threads
timeout = _settings.worker_timeout
graceful_timeout = 30
keepalive = 5  # also bounds how long a worker drains the rest of a refused (413) body
# gunicorn's defaults, stated: a longer request line is a 414, more or longer headers a 400.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Off: each worker imports the app and loads the data itself, so no state is shared between
# workers and each notices a new cache on its own (DESIGN §2).
preload_app = False
# Recycle workers now and then, so a slow leak in a library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The app writes one JSON line per request itself (dashboard/observability.py); gunicorn's own
# access log would say the same again in another format.
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "plan-indikatorer-dashboard"
# gunicorn 27 opens a control socket in $HOME by default; nothing here uses it, and two
# instances on one host (or a read-only home in a container) would trip over it.
control_socket_disable = True


def post_worker_init(worker: Any) -> None:
    """Load the data in the background as soon as a worker starts, so no visitor waits for it.

    A thread, because gunicorn kills a worker that has not started serving within ``timeout``
    seconds, and a large catalogue can take longer than that to load.
    """
    from dashboard.health import warm_up

    threading.Thread(target=warm_up, args=(worker.wsgi,), name="warm-up", daemon=True).start()
