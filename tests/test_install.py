"""A plain, non-editable ``pip install`` outside the checkout runs the CLI and the app with the
demo snapshot and the method text, which live beside the packages in the repository.

The wheel is built offline from a copy of the sources (``pip wheel --no-build-isolation
--no-index``: the venv's setuptools and ``wheel``, from requirements-dev.txt), installed with
``--no-deps --no-index`` into a fresh venv in a temporary folder, and run from another temporary
folder, so nothing of the checkout is on the path. The fresh venv sees the test venv's
site-packages (a ``.pth`` line) for the dependencies; PyPI is never asked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.serving import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
# What an sdist holds (pyproject.toml, setup.py, MANIFEST.in): the packages and the folders
# setup.py carries into the wheel.
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "indicators",
    "dashboard",
    "docs",
)
# Settings that would point the installed package back at the checkout or a real cache.
SETTING_VARIABLES = ("INDICATOR_DIR", "GOALS_FILE", "DATA_CACHE_DIR", "SSB_API_URL", "PYTHONPATH")


@dataclass(frozen=True)
class Installed:
    venv: Path
    site_packages: Path
    workdir: Path  # an empty folder outside the checkout, the commands' working directory
    env: dict[str, str]

    def script(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(argv), cwd=self.workdir, env={**self.env, **env}, capture_output=True, text=True, timeout=120
        )


def _copy_sources(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled")
    dest.mkdir()
    for name in SOURCES:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=ignore)
        else:
            shutil.copy2(path, dest / name)
    shutil.copytree(REPO_ROOT / "data_cache" / "demo", dest / "data_cache" / "demo", ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("install")
    src = _copy_sources(tmp / "src")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", str(tmp / "wheels"), str(src)],
        check=True, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    (wheel,) = (tmp / "wheels").glob("*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True, timeout=60,
        ).stdout.strip()
    )  # fmt: skip
    # The dependencies, from the test venv; a plain path line, so that its .pth files (an
    # editable install of the checkout among them) are not processed.
    (site_packages / "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", str(wheel)],
        check=True, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    workdir = tmp / "work"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return Installed(venv, site_packages, workdir, env)


def test_the_installed_package_is_the_one_run_not_the_checkout(installed: Installed) -> None:
    run = installed.run(
        installed.script("python"), "-c", "import indicators, dashboard; print(indicators.__file__)"
    )
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()).is_relative_to(installed.site_packages)


def test_installed_cli_validates_and_reports_from_the_packaged_demo(installed: Installed) -> None:
    validate = installed.run(installed.script("plan-indikatorer"), "validate")
    assert validate.returncode == 0, validate.stderr
    status = installed.run(installed.script("plan-indikatorer"), "status", "--json")
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    assert doc["demo"] is True
    latest = [i["current_value"] for g in doc["goals"] for s in g["subgoals"] for i in s["indicators"]]
    assert sum(v is not None for v in latest) >= 10, "the demo snapshot's figures are missing"
    text = installed.run(installed.script("plan-indikatorer"), "status")
    assert text.returncode == 0 and "DEMO" in text.stdout.splitlines()[0]


def test_installed_refresh_puts_the_cache_in_the_working_folder_not_site_packages(
    installed: Installed,
) -> None:
    # Nothing listens on port 9: the refresh fails at once, in one line, but has made its cache
    # folder (the lock) where the default says, ./data_cache.
    run = installed.run(
        installed.script("plan-indikatorer"), "refresh", SSB_API_URL="http://127.0.0.1:9/api/pxwebapi/v2"
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert (installed.workdir / "data_cache" / ".lock").is_file()
    assert not (installed.site_packages / "data_cache").exists()


@pytest.fixture(scope="module")
def dashboard_url(installed: Installed) -> Iterator[str]:
    port = free_port()
    log = installed.workdir / "dashboard.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [installed.script("plan-indikatorer-dashboard"), "--no-refresh", "--port", str(port)],
            cwd=installed.workdir, env=installed.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the installed dashboard did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    assert "the method page's text is missing" not in log.read_text()


def test_installed_dashboard_serves_the_demo_snapshot(dashboard_url: str) -> None:
    page = requests.get(f"{dashboard_url}/", timeout=30)
    assert page.status_code == 200
    assert "Demodata: tallene på denne siden er syntetiske eksempeltall" in page.text
    status = requests.get(f"{dashboard_url}/api/status.json", timeout=30).json()
    assert status["demo"] is True
    assert any(
        i["current_value"] is not None
        for g in status["goals"]
        for s in g["subgoals"]
        for i in s["indicators"]
    )


@pytest.mark.parametrize(("query", "heading"), [("", "Kort fortalt"), ("?lang=en", "In short")])
def test_installed_dashboard_serves_the_method_text(dashboard_url: str, query: str, heading: str) -> None:
    page = requests.get(f"{dashboard_url}/metode{query}", timeout=30)
    assert page.status_code == 200
    assert heading in page.text
