"""Run one site spec through `python -m crawlers.runner` in a subprocess (Twisted's reactor runs
once per process) and read back its stats and the ads it stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.repository import Store
from tests.shorttmp import short_tmpdir

REPO = Path(__file__).resolve().parents[2]


@dataclass
class SiteRun:
    code: int
    stats: dict[str, Any]
    stderr: str
    ads: dict[str, Any]  # ad id -> stored ad


def run_site(spec_yaml: str, base_url: str, tmp_path: Path, *, name: str = "probe") -> SiteRun:
    """Crawl the spec (named `name`) against `base_url` into a fresh SQLite database."""
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    (sites / f"{name}.yaml").write_text(spec_yaml, "utf-8")
    db = f"sqlite:///{tmp_path / 'v.db'}"
    args = ["--site", name, "--sites-dir", str(sites), "--base-url", base_url, "--db", db]
    args += ["--set", "VIGIE_HASH_IMAGES=false"]
    with short_tmpdir() as tmpdir:
        env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)}
        proc = subprocess.run(
            [sys.executable, "-m", "crawlers.runner", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,  # a hang fails the test, not the suite; a normal run takes seconds
            check=False,
        )
    assert proc.stdout.strip(), proc.stderr[-3000:]
    stats = json.loads(proc.stdout.strip().splitlines()[-1])[name]
    with Store.open(db) as store:
        ads = {ad.ad_id: ad for ad in store.list_ads(site=name, limit=10_000)}
    return SiteRun(proc.returncode, stats, proc.stderr, ads)
