"""``pip install .``: the built package holds the assets, the plan, both console scripts and the
runtime dependencies of requirements.txt, under the one version in ``indicators.__version__``.

The wheel is built offline from a copy of the sources (so no ``build/`` or ``*.egg-info`` lands in
the shared working tree) with ``pip wheel --no-deps --no-build-isolation``. That needs the
``wheel`` package or setuptools >= 70.1; Python 3.11's venv brings setuptools 65.5 without
``wheel``, so there the test runs setuptools' own ``egg_info`` and ``build_py`` steps instead —
the same file selection and metadata that go into the wheel, only not zipped.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
import setuptools
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from plotly.offline import get_plotlyjs_version

import indicators

REPO_ROOT = Path(__file__).resolve().parent.parent
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


@dataclass(frozen=True)
class Built:
    """What an install would put into site-packages, and the package's metadata."""

    files: frozenset[str]
    entry_points: str
    requires: tuple[str, ...]
    version: str
    how: str


def _can_build_wheel() -> bool:
    return importlib.util.find_spec("wheel") is not None or Version(setuptools.__version__) >= Version("70.1")


def _copy_sources(dest: Path) -> Path:
    src = dest / "src"
    src.mkdir()
    for name in SOURCES:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    shutil.copytree(REPO_ROOT / "data_cache" / "demo", src / "data_cache" / "demo")
    return src


def _build_wheel(src: Path, out: Path) -> Built:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", str(out), str(src)],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (dist_info,) = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
        metadata = archive.read(f"{dist_info}/METADATA").decode()
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode()
    requires = tuple(
        line.removeprefix("Requires-Dist:").strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    )
    version = next(
        line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Version:")
    )
    files = frozenset(n for n in names if ".dist-info/" not in n)
    return Built(files, entry_points, requires, version, "wheel")


def _build_tree(src: Path, out: Path) -> Built:
    lib = out / "lib"
    subprocess.run(
        [sys.executable, "setup.py", "-q",
         "egg_info", "--egg-base", str(out), "build_py", "--build-lib", str(lib)],
        cwd=src, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    (egg_info,) = out.glob("*.egg-info")
    requires = tuple(
        line.strip() for line in (egg_info / "requires.txt").read_text().splitlines() if line.strip()
    )
    version = next(
        line.split(":", 1)[1].strip()
        for line in (egg_info / "PKG-INFO").read_text().splitlines()
        if line.startswith("Version:")
    )
    files = frozenset(p.relative_to(lib).as_posix() for p in lib.rglob("*") if p.is_file())
    return Built(files, (egg_info / "entry_points.txt").read_text(), requires, version, "build_py")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("packaging")
    src = _copy_sources(tmp)
    out = tmp / "out"
    out.mkdir()
    return _build_wheel(src, out) if _can_build_wheel() else _build_tree(src, out)


def _runtime_requirements() -> dict[str, Requirement]:
    lines = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    reqs = [Requirement(line.split("#", 1)[0].strip()) for line in lines if line.split("#", 1)[0].strip()]
    return {canonicalize_name(r.name): r for r in reqs}


def test_package_holds_the_dashboard_assets_the_plan_the_docs_and_the_demo(built: Built) -> None:
    vendored = sorted(p.name for p in (REPO_ROOT / "dashboard" / "assets").rglob("*") if p.is_file())
    shipped = sorted(Path(f).name for f in built.files if f.startswith("dashboard/assets/"))
    assert shipped == vendored, f"({built.how}) assets missing from the package"
    definitions = {
        f"indicators/definitions/{p.name}" for p in (REPO_ROOT / "indicators/definitions").glob("*.toml")
    }
    assert definitions <= built.files
    assert {"indicators/goals.toml", "indicators/cli.py", "dashboard/server.py"} <= built.files
    # The UI strings' catalogues, read at import (no compile step): without them no page renders.
    catalogues = {
        p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "dashboard" / "locale").rglob("messages.po")
    }
    assert catalogues and catalogues <= built.files, f"({built.how}) UI catalogues missing"
    # The method text and the demo snapshot, carried by setup.py from beside the packages.
    docs = {f"indicators/_bundled/docs/{p.name}" for p in (REPO_ROOT / "docs").glob("*.md")}
    demo = {
        f"indicators/_bundled/{p.relative_to(REPO_ROOT).as_posix()}"
        for p in (REPO_ROOT / "data_cache" / "demo").rglob("*")
        if p.is_file()
    }
    assert docs and docs <= built.files, f"({built.how}) docs/ missing from the package"
    assert "indicators/_bundled/data_cache/demo/manifest.json" in demo and demo <= built.files
    # Only the two packages: no tests, scripts or caches installed into site-packages.
    assert {f.split("/")[0] for f in built.files} == {"indicators", "dashboard"}


def test_package_installs_both_console_scripts(built: Built) -> None:
    assert "plan-indikatorer = indicators.cli:main" in built.entry_points
    assert "plan-indikatorer-dashboard = dashboard.server:main" in built.entry_points
    for line in built.entry_points.splitlines():
        if " = " in line:  # every script's target exists and answers --help like its module does
            module, function = line.split(" = ")[1].split(":")
            run = subprocess.run(
                [sys.executable, "-c", f"import sys; from {module} import {function}; sys.exit({function}(['--help']))"],
                cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert run.returncode == 0 and "usage:" in run.stdout, line


@pytest.mark.parametrize(
    ("argv0", "usage"),
    [
        ("/usr/local/bin/plan-indikatorer", "usage: plan-indikatorer "),
        ("indicators/__main__.py", "usage: python -m indicators "),
    ],
)
def test_the_cli_names_the_command_the_user_typed(argv0: str, usage: str) -> None:
    run = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv[0] = {argv0!r}; from indicators.cli import main; sys.exit(main(['--help']))"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0 and run.stdout.startswith(usage), run.stdout[:200]


def test_package_dependencies_equal_requirements_txt(built: Built) -> None:
    declared = {canonicalize_name(Requirement(r).name): Requirement(r) for r in built.requires}
    expected = _runtime_requirements()
    assert sorted(declared) == sorted(expected)
    for name, req in expected.items():
        assert declared[name].specifier == req.specifier, name


def test_package_version_is_the_one_in_indicators(built: Built) -> None:
    assert built.version == indicators.__version__


def _locked() -> dict[str, Version]:
    pins = {}
    for line in (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"not pinned: {line}"
            pins[canonicalize_name(req.name)] = Version(spec.version)
    return pins


def test_lock_pins_every_runtime_requirement_within_its_range() -> None:
    pins = _locked()
    for name, req in _runtime_requirements().items():
        assert name in pins, f"{name} is not in requirements.lock"
        assert req.specifier.contains(pins[name]), (
            f"requirements.lock pins {name} {pins[name]}, outside {req}"
        )


def test_lock_pins_dash_and_plotly_to_the_tested_releases_and_the_vendored_plotly_js_fits() -> None:
    # The vendored plotly.js must be the one the plotly package names (tests/dashboard/test_assets.py):
    # the lock, the tested environment and the bundle must move together.
    pins = _locked()
    assert pins["dash"] == Version(metadata.version("dash")), "the tested Dash is not the locked one"
    assert pins["plotly"] == Version(metadata.version("plotly")), "the tested plotly is not the locked one"
    (bundle,) = (REPO_ROOT / "dashboard" / "assets" / "vendor").glob("plotly-basic-*.min.js")
    assert bundle.name == f"plotly-basic-{get_plotlyjs_version()}.min.js"


def test_dockerfile_installs_from_the_lock() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt -c requirements.lock" in dockerfile
