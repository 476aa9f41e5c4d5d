"""A local PxWebApi v2 stub server for tests and development (see README.md in this folder)."""

from tests.ssb_stub.server import StubServer
from tests.ssb_stub.tables import FixtureError, load_codelists, load_tables

__all__ = ["FixtureError", "StubServer", "load_codelists", "load_tables"]
