"""Shared pytest setup: the local PxWebApi stub (fixtures ``ssb_stub`` and ``ssb_stub_factory``)."""

import os

pytest_plugins = ["tests.ssb_stub.fixtures"]

# Charts: in the tests the server's SVG drawer fails on a figure element it cannot draw (see
# dashboard/static_chart.py) instead of leaving it out with a warning. Set before anything is
# drawn, and inherited by the servers the tests start; CHART_STRICT=0 tests production's way.
os.environ.setdefault("CHART_STRICT", "1")
