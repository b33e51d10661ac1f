"""`scrapy crawl SITE` from the repository root (issue 19.5): the same `VIGIE_` environment as
`vigie crawl` — the ads land in the database it names — with no remote control of the crawl
and nothing left in the home directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from storage.repository import Store

REPO = Path(__file__).resolve().parents[2]


def test_scrapy_crawl_reads_the_vigie_environment(fixture_site: Any, tmp_path: Path) -> None:
    specs, home, data = tmp_path / "specs", tmp_path / "home", tmp_path / "data"
    home.mkdir()
    fixture_site.write_spec(specs)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIGIE_", "XDG_"))},
        "HOME": str(home),
        "VIGIE_DATA_DIR": str(data),  # the database: sqlite:///<data>/vigie.db, as vigie crawl
        "VIGIE_SITES_DIR": str(specs),
        "VIGIE_LOG_LEVEL": "info",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "fixture",
         "-a", f"base_url={fixture_site.base_url}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    with Store.open(f"sqlite:///{data / 'vigie.db'}") as store:
        assert store.count_ads() >= 5
    assert "Telnet console listening" not in proc.stderr
    assert "remote control" not in proc.stderr.lower()
    assert not [p for p in home.rglob("*") if p.is_file()], "files left in the home directory"
    assert not (home / ".local" / "state" / "scrapy").exists()
