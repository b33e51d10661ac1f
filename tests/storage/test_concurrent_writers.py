"""Two crawls at once: two OS processes open the same new database and save overlapping sets
of ads through Store.save at the same time. Every ad ends stored once, with one version and one
row per phone, none missing, and exactly one of the two writers saw it as "new"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from storage.repository import Store

ADS_PER_WRITER = 60
OVERLAP = 40  # writer 0 saves ads 0..59, writer 1 ads 20..79

WRITER = r"""
import json, sys, time
from pathlib import Path
from pipeline.types import Analysis, PhoneMatch, RawAd
from storage.repository import Store

url, gate, first, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
while not gate.exists():  # both writers start together
    time.sleep(0.005)
outcomes = {}
with Store.open(url) as store:
    for n in range(first, first + count):
        phone = f"+3247{n:07d}"
        raw = RawAd(site="demo-a", ad_id=str(n), url=f"http://127.0.0.1:8000/ad/{n}",
                    title="Nouvelle en ville", text=f"Appelez le {phone}.")
        phones = (PhoneMatch(phone, "BE", False, ()),)
        analysis = Analysis(site="demo-a", ad_id=str(n), phones=phones, model_version="test-1")
        outcomes[str(n)] = store.save(raw, analysis)
print(json.dumps(outcomes))
"""


def test_two_processes_saving_overlapping_ads_store_each_exactly_once(
    blank_url: str, tmp_path: Path
) -> None:
    gate = tmp_path / "go"
    firsts = (0, ADS_PER_WRITER - OVERLAP)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, blank_url, str(gate), str(first), str(ADS_PER_WRITER)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for first in firsts
    ]
    gate.touch()
    results = [writer.communicate(timeout=240) for writer in writers]
    for writer, (_, stderr) in zip(writers, results, strict=True):
        assert writer.returncode == 0, stderr
    outcomes = [json.loads(stdout) for stdout, _ in results]

    expected = {str(n) for n in range(firsts[1] + ADS_PER_WRITER)}
    news = [ad_id for seen in outcomes for ad_id, outcome in seen.items() if outcome == "new"]
    assert sorted(news) == sorted(expected)  # each ad new for exactly one writer
    assert all(o == "unchanged" for seen in outcomes for o in seen.values() if o != "new")
    with Store.open(blank_url) as store, store.engine.connect() as conn:
        assert store.count_ads() == len(expected)
        assert {ad.ad_id for ad in store.list_ads(limit=1000)} == expected
        for table in ("ad_version", "ad_phone"):
            rows = conn.execute(text(f"SELECT count(*), count(DISTINCT ad_pk) FROM {table}"))  # noqa: S608
            assert tuple(rows.one()) == (len(expected), len(expected)), table
