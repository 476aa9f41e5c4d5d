"""Shared pytest setup: the local PxWebApi stub (fixtures ``ssb_stub`` and ``ssb_stub_factory``)."""

pytest_plugins = ["tests.ssb_stub.fixtures"]
