# The Trondheimsløftet dashboard: `gunicorn app:server` (gunicorn.conf.py) on port 8050.
#
#   docker build -t indikatorer .
#   docker run -d -p 8050:8050 -v indikator-cache:/data indikatorer
#   docker run --rm -v indikator-cache:/data indikatorer python -m indicators refresh   # on a schedule
#
# The web container only reads the cache (/data); run the refresh as a separate job against the
# same volume (see docs/deployment.md). Without a refresh it serves the committed demo snapshot,
# marked as demo data on every page. Settings are environment variables (indicators/config.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_CACHE_DIR=/data \
    PORT=8050

WORKDIR /app

# A font for the PNG pictures (resvg draws with the system's fonts; the slim image has none, and
# its text would vanish): DejaVu Sans has æ, ø and å.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first: this layer is rebuilt only when requirements.txt or the lock changes.
# requirements.lock pins every version (the tested ones; see its header).
COPY requirements.txt requirements.lock ./
RUN pip install -r requirements.txt -c requirements.lock

# Only what the app and the CLI need at run time (see .dockerignore).
COPY app.py gunicorn.conf.py ./
COPY indicators/ indicators/
COPY dashboard/ dashboard/
COPY docs/ docs/
COPY data_cache/demo/ data_cache/demo/

RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data
USER app

EXPOSE 8050
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8050'), timeout=4)"

CMD ["gunicorn", "app:server"]
