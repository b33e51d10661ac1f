"""The demo ad sites: a seeded synthetic corpus served on loopback (see SITES.md)."""

from __future__ import annotations

from vigie.demo.corpus import DemoAd, DemoCorpus
from vigie.demo.generator import generate
from vigie.demo.server import DemoServer

__all__ = ["DemoAd", "DemoCorpus", "DemoServer", "generate"]
