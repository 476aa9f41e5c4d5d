"""Front-end assets: the vendored plotly.js matches the Python package; CSS covers a11y and print."""

from __future__ import annotations

import re
from pathlib import Path

from plotly.offline import get_plotlyjs_version

ASSETS = Path(__file__).resolve().parents[2] / "dashboard" / "assets"


def test_vendored_plotly_basic_bundle_matches_the_plotly_package() -> None:
    bundles = sorted((ASSETS / "vendor").glob("plotly-basic-*.min.js"))
    assert len(bundles) == 1, "exactly one plotly.js bundle, or Dash loads both"
    version = re.search(r"plotly-basic-(.+)\.min\.js", bundles[0].name).group(1)
    assert version == get_plotlyjs_version()
    head = bundles[0].read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{version}" in head


def test_stylesheet_has_focus_styles_reflow_and_print_rules() -> None:
    css = (ASSETS / "dashboard.css").read_text(encoding="utf-8")
    assert ":focus-visible" in css and "outline:" in css
    assert "@media print" in css and "size: A4" in css
    assert "@media (max-width: 40rem)" in css
    assert ".skip-link:focus" in css
