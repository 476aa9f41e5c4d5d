"""Build step that pyproject.toml cannot express: the wheel also carries ``docs/`` and
``data_cache/demo/`` (the /metode text and the demo snapshot), which live beside the packages in
the repository (DESIGN's layout), as ``indicators/_bundled/``. Everything else is in pyproject.toml.

``indicators.config.shipped`` finds them there in an installed package and at the top of the
checkout otherwise; an editable install reads the checkout's own files, so nothing is copied.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = "indicators/_bundled"
# What the app and the CLI read at run time from outside the packages (keep in step with
# MANIFEST.in, which puts the same folders into an sdist).
CARRIED = ("docs", "data_cache/demo")


class BuildPyWithBundled(build_py):
    """``build_py``, then copy the carried folders under ``indicators/_bundled/`` in the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable package reads the checkout's folders where they are
        target = Path(self.build_lib) / BUNDLED
        shutil.rmtree(target, ignore_errors=True)  # no leftovers of an earlier build
        for folder in CARRIED:
            source = HERE / folder
            if not source.is_dir():
                raise SystemExit(f"setup.py: {folder}/ is missing; the package needs it")
            # Not a refresh's temporary files (.tmp-*) or a lock, should a developer's demo have them.
            shutil.copytree(source, target / folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))


setup(cmdclass={"build_py": BuildPyWithBundled})
