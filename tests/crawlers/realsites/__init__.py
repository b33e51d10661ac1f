"""Synthetic escort-ad classified sites for crawler tests (built blind to the crawler's code).

Four sites, each a module (``site_a`` … ``site_d``) served on 127.0.0.1 by ``server.serve``;
each has a ground-truth file ``<site>.truth.json`` next to it.  See README.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SITES = ("site_a", "site_b", "site_c", "site_d")
HERE = Path(__file__).resolve().parent


def load_truth(site: str, base_url: str | None = None) -> dict[str, Any]:
    """The truth file of ``site``; with ``base_url``, every ``{base}`` replaced by it."""
    text = (HERE / f"{site}.truth.json").read_text(encoding="utf-8")
    if base_url is not None:
        text = text.replace("{base}", base_url.rstrip("/"))
    data: dict[str, Any] = json.loads(text)
    return data
