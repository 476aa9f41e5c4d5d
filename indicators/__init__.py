"""Trondheimsløftet indicators: catalogue, SSB client, cache, progress engine and CLI."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/trondheim-kommune/trondheimsloftet-indikatorer"
