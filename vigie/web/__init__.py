"""The investigators' review app (FastAPI, server-rendered Jinja2 pages): `create_app`."""

from __future__ import annotations

from vigie.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
