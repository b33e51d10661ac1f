"""Benchmark: the exports (issue #18.3) at N synthetic ads against a 10,000-ad baseline measured
in the same run — STIX, MISP, CSV and Vigie JSON (`vigie export --all`), and the network graphs
(`vigie networks export`: GraphML, GEXF, Neo4j CSV).

The corpus is bench/webscale.py's (groups stored as networks, distinct phones and hashes, about
30 % flagged). With VIGIE_TEST_POSTGRES_URL it uses (and builds when missing) webscale's
PostgreSQL databases `<base>_webscale_<n>`, filled by COPY; otherwise a SQLite file per size in
`--dir` (kept for the next run; `--rebuild` makes them again), filled through SQLAlchemy.

Each export runs as its own `vigie` process (`--quiet`), so its peak resident memory is its own:
the figure is `ru_maxrss` of that child (`os.wait4`), with its wall time and the file's size.
Linux carries a parent's peak over to its children (`ru_maxrss` survives fork and exec), so the
databases are built in a child process too and this one stays small (it imports no storage).
Prints a table and one JSON object on the last line.
Usage: .venv/bin/python bench/export.py [--ads N] [--formats stix,csv,…] [--dir D] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ENV = "VIGIE_TEST_POSTGRES_URL"  # as bench/webscale.py
BASELINE = 10_000
EXCHANGE = ("stix", "misp", "csv", "vigie")
GRAPHS = ("graphml", "gexf", "neo4j")
_JSON_COLUMNS = frozenset({"raw_json", "analysis_json", "phones", "aliases", "sites", "zones",
                           "movement"})
VIGIE = str(Path(sys.executable).with_name("vigie"))


def sqlite_database(directory: Path, n: int, rebuild: bool) -> str:
    """The SQLite database of `n` ads in `directory` (built when missing)."""
    import webscale  # bench/ is the script's directory
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    from storage.repository import Store

    path = directory / f"export_{n}.db"
    if path.exists() and not rebuild:
        return f"sqlite:///{path}"
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    t0 = time.perf_counter()
    with Store.open(url) as store, store.engine.begin() as conn:
        tables = SQLModel.metadata.tables

        def write(table: str, rows: list[tuple[Any, ...]]) -> None:
            if rows:
                names = webscale.COLUMNS[table].split(", ")
                documents = [k for k in names if k in _JSON_COLUMNS]  # COPY takes them as text
                conn.execute(insert(tables[table]), [
                    {**(d := dict(zip(names, r, strict=True))),
                     **{k: json.loads(d[k]) for k in documents}}
                    for r in rows
                ])

        counts = webscale.fill_rows(n, write)
    print(f"built {n:,} ads (SQLite) in {time.perf_counter() - t0:.0f} s: {counts}", flush=True)
    return url


def database(n: int, directory: Path, rebuild: bool) -> str:
    """Build (in this process: the `--build` child) the database of `n` ads; its URL."""
    import webscale  # bench/ is the script's directory

    base = os.environ.get(ENV)
    if not base:
        return sqlite_database(directory, n, rebuild)
    url, empty = webscale.ensure_database(base, n, rebuild)
    if empty:
        t0 = time.perf_counter()
        counts = webscale.fill(url, n)
        print(f"built {n:,} ads (PostgreSQL) in {time.perf_counter() - t0:.0f} s: {counts}",
              flush=True)
    return url


def built(n: int, directory: Path, rebuild: bool) -> str:
    """The database of `n` ads, built by a child process (whose memory is not ours)."""
    args = [sys.executable, __file__, "--build", str(n), "--dir", str(directory)]
    done = subprocess.run(args + (["--rebuild"] if rebuild else []),  # noqa: S603
                          check=True, capture_output=True, text=True)
    said = done.stdout.rstrip().rpartition("\n")[0]
    if said:
        print(said, flush=True)
    return done.stdout.strip().splitlines()[-1]


def run_export(url: str, fmt: str, out: Path, keys: Path) -> dict[str, Any]:
    """One export in a child process: wall time (s), peak RSS (MB), output size (MB)."""
    if fmt in GRAPHS:
        args = [VIGIE, "networks", "export", "--format", fmt, "-o", str(out), "--reason", "bench"]
    else:
        args = [VIGIE, "export", "--format", fmt, "--all", "-q", "-o", str(out), "--reason",
                "bench"]
    env = {**os.environ, "VIGIE_DATABASE_URL": url, "VIGIE_ZONE": "5339", "VIGIE_USER": "bench",
           "VIGIE_KEYS_DIR": str(keys), "VIGIE_DATA_DIR": str(keys.parent)}
    t0 = time.perf_counter()
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE,  # noqa: S603 — our own CLI
                          stderr=subprocess.PIPE, text=True) as child:
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        output = (child.stdout.read() if child.stdout else "") + (
            child.stderr.read() if child.stderr else "")
    if child.returncode != 0:
        raise SystemExit(f"{fmt} export failed ({child.returncode}): {output.strip()}")
    files = [p for p in out.rglob("*") if p.is_file()] if out.is_dir() else [out]
    size = sum(p.stat().st_size for p in files)
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "file_mb": round(size / 2**20, 2), "says": output.strip().splitlines()[0][:120]}


def measure(url: str, formats: list[str], work: Path) -> dict[str, dict[str, Any]]:
    keys = work / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    results = {}
    for fmt in formats:
        out = work / f"export.{fmt}"
        results[fmt] = run_export(url, fmt, out, keys)
        print(f"  {fmt:8} {results[fmt]['seconds']:8.2f} s {results[fmt]['peak_rss_mb']:8.1f} MB"
              f"  {results[fmt]['says']}", flush=True)
        if out.is_dir():
            shutil.rmtree(out)
        else:
            out.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(EXCHANGE + GRAPHS))
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "vigie-bench")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        args.dir.mkdir(parents=True, exist_ok=True)
        print(database(args.build, args.dir, args.rebuild))
        return
    formats = [f for f in args.formats.split(",") if f]
    unknown = sorted(set(formats) - set(EXCHANGE + GRAPHS))
    if unknown:
        raise SystemExit(f"unknown format(s): {', '.join(unknown)}")
    args.dir.mkdir(parents=True, exist_ok=True)
    backend = "postgresql" if os.environ.get(ENV) else "sqlite"
    runs: dict[int, dict[str, dict[str, Any]]] = {}
    for n in dict.fromkeys((BASELINE, args.ads)):
        url = built(n, args.dir, args.rebuild)
        print(f"{n:,} ads ({backend}):", flush=True)
        with tempfile.TemporaryDirectory(dir=args.dir) as work:
            runs[n] = measure(url, formats, Path(work))
    figures: dict[str, Any] = {"ads": args.ads, "baseline_ads": BASELINE, "backend": backend,
                               "formats": {}}
    head = ("s base", "MB base", "s", "MB", "s ×", "MB ×")
    print(f"{'format':8} " + " ".join(f"{h:>9}" for h in head))
    for fmt in formats:
        small, big = runs[BASELINE][fmt], runs[args.ads][fmt]
        ratios = (round(big["seconds"] / small["seconds"], 2),
                  round(big["peak_rss_mb"] / small["peak_rss_mb"], 2))
        figures["formats"][fmt] = {"baseline": small, "at_size": big, "ratios": ratios}
        print(f"{fmt:8} {small['seconds']:9.2f} {small['peak_rss_mb']:9.1f} {big['seconds']:9.2f}"
              f" {big['peak_rss_mb']:9.1f} {ratios[0]:9.2f} {ratios[1]:9.2f}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
