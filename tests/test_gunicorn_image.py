"""The container image holds everything the app needs: run it from exactly what the Dockerfile copies.

There is no Docker engine in CI, so the image is not built; instead the files its ``COPY`` lines
name are copied into an empty folder and ``gunicorn app:server`` runs from there (with the
test environment's packages, which requirements.txt installs in the image). A module that
imports a file the image lacks, or a page that reads one, fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import requests

from indicators.config import REPO_ROOT
from tests.serving import start_gunicorn

DOCKERFILE = REPO_ROOT / "Dockerfile"


def copied_paths() -> list[str]:
    """The sources of every ``COPY`` line of the Dockerfile (build-context paths)."""
    sources = []
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and parts[0] == "COPY" and not any(p.startswith("--from") for p in parts):
            sources.extend(p.rstrip("/") for p in parts[1:-1])
    return sources


def test_the_dockerfile_copies_the_app_code_and_the_demo_snapshot() -> None:
    sources = copied_paths()
    assert {"requirements.txt", "app.py", "gunicorn.conf.py", "indicators", "dashboard"} <= set(sources)
    assert "data_cache/demo" in sources
    assert "tests" not in sources and "data_cache" not in sources, "no tests, no real cache in the image"
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert 'CMD ["gunicorn", "app:server"]' in dockerfile
    assert "\nUSER app" in dockerfile, "the server does not run as root"


def test_the_app_runs_from_what_the_image_holds(tmp_path: Path) -> None:
    image = tmp_path / "app"
    for source in copied_paths():
        origin = REPO_ROOT / source
        target = image / source
        if origin.is_dir():
            shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    (tmp_path / "run").mkdir()
    server = start_gunicorn(
        tmp_path / "run", {"PYTHONPATH": "", "PYTHONSAFEPATH": "1"}, workers=1, threads=2, app_dir=image
    )
    try:
        for pid in server.worker_pids():  # the app really runs from the copy
            assert Path(f"/proc/{pid}/cwd").resolve() == image.resolve()
        health = requests.get(server.url + "/healthz", timeout=30).json()
        assert health["demo"] is True and health["indicators"]["with_data"] > 0
        for path in ("/", "/metode", "/embed/indikator/elbil-andel", "/data/elbil-andel.csv"):
            assert requests.get(server.url + path, timeout=30).status_code == 200, path
        imported = [r for r in server.log_lines() if r.get("event") == "error"]
        assert imported == []
    finally:
        assert server.stop() == 0
