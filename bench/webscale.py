"""Benchmark: the review app and the CLI listings on a PostgreSQL database of N synthetic ads
(issue #18.5), with the same pages on 10,000 ads as the baseline in the same run.

Each size gets its own database (`<base>_webscale_<n>`, made on the server of
VIGIE_TEST_POSTGRES_URL, kept for the next run: `--rebuild` makes it again), migrated by the
project's own `Store.open` and filled by bulk `COPY`: ads over 8 sites, 6 zones and a year of
first sightings, with the JSON documents the app reads (`storage.codec`). 40 % of the ads are in
planted groups of 2 to 60 (a pimp's ads: 1–3 phones, 1–3 pictures with re-encoded copies, an
alias) stored as networks with a chain of edges; the others are lone ads with their own phone
and pictures. About 30 % are flagged. Every phone, hash and network is distinct per group.

The app is served by uvicorn in a child process on loopback (so that the measuring client does
not share its interpreter); each page is requested `--requests` times after one warm-up, and
an ad page is measured again while another client (another process) reloads the dashboard
without pause. The CLI listings (`vigie ads --limit 50`, `vigie networks`) are run
`--cli-runs` times as processes.
Prints p50/p95 in ms per page and command, and the ratio to the baseline, then one JSON object
on the last line. Without VIGIE_TEST_POSTGRES_URL it prints why it skipped and exits 0.
Usage: .venv/bin/python bench/webscale.py [--ads N] [--requests R] [--cli-runs C] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import make_url

from pipeline.types import Alias, Analysis, ImageRef, PhoneMatch, Place, RawAd, Span
from storage.codec import analysis_to_dict, rawad_to_dict
from storage.repository import Store
from storage.users import add_user

ENV = "VIGIE_TEST_POSTGRES_URL"
BASELINE = 10_000
SITES = tuple(f"site-{i}" for i in range(8))
ZONES = ("5339", "5340", "5341", "5342", "5343", "5344")
NAMES = ("Lina", "Maya", "Sofia", "Nora", "Eva", "Jade", "Lola", "Zoe", "Mia", "Iris")
EPOCH = datetime(2025, 11, 1, tzinfo=UTC)
PASSWORD = "benchmark password, not a secret"  # noqa: S105 — a throwaway bench account
ROOT = Path(__file__).resolve().parents[1]


def database_url(base: str, n: int) -> str:
    url = make_url(base)
    return url.set(database=f"{url.database}_webscale_{n}").render_as_string(hide_password=False)


def _psycopg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_database(base: str, n: int, rebuild: bool) -> tuple[str, bool]:
    """The database of size `n` (its URL) and whether it must be filled."""
    import psycopg

    url = database_url(base, n)
    name = make_url(url).database
    with psycopg.connect(_psycopg_dsn(base), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return url, True
    with psycopg.connect(_psycopg_dsn(url)) as conn:
        row = conn.execute("SELECT count(*) FROM ad").fetchone()
    if row is None or row[0] != n:
        raise SystemExit(f"{name} holds {row and row[0]} ads, not {n}: run with --rebuild")
    return url, False


# --- synthetic corpus --------------------------------------------------------------------------


def _hex(v: int) -> str:
    return f"{v & (2**64 - 1):016x}"


def _copy_of(rng: random.Random, h: int) -> int:
    """A re-encoded copy: 0–6 bits flipped."""
    for _ in range(rng.randrange(7)):
        h ^= 1 << rng.randrange(64)
    return h


def corpus(n: int, seed: int = 18) -> Iterator[tuple[int, RawAd, Analysis, datetime, int | None]]:
    """(pk, raw, analysis, first seen, group) per ad; `group` is its planted group or None."""
    rng = random.Random(seed)
    pk, group_id, phone = 0, 0, 0
    grouped = int(n * 0.4)
    while pk < n:
        in_group = pk < grouped
        sizes = (2, 2, 3, 3, 4, 5, 6, 8, 10, 15, 25, 40, 60)
        size = min(rng.choice(sizes), n - pk) if in_group else 1
        phones = [f"+324{(phone := phone + 1):08d}" for _ in range(rng.randint(1, 3))]
        pictures = [rng.getrandbits(64) for _ in range(rng.randint(1, 3))]
        site, zone, name = rng.choice(SITES), rng.choice(ZONES), rng.choice(NAMES)
        for _ in range(size):
            pk += 1
            if rng.random() < 0.15 or not in_group:  # an ad of its own number
                e164 = f"+324{(phone := phone + 1):08d}"
            else:
                e164 = rng.choice(phones)
            hashes = [
                _copy_of(rng, rng.choice(pictures)) if in_group else rng.getrandbits(64)
                for _ in range(rng.randrange(4))
            ]
            first = EPOCH + timedelta(seconds=rng.randrange(365 * 86400))
            text = f"{name} nouvelle, appelle {e164} discrete annonce {pk}"
            images = tuple(
                ImageRef(f"http://127.0.0.1/{pk}/{i}.jpg", _hex(h), _hex(_copy_of(rng, h)))
                for i, h in enumerate(hashes)
            )
            minor = rng.random() * (1.0 if rng.random() < 0.3 else 0.45)
            ad_zone = zone if in_group and rng.random() < 0.8 else rng.choice(ZONES)
            site_of_ad = site if in_group and rng.random() < 0.7 else rng.choice(SITES)
            raw = RawAd(
                site=site_of_ad,
                ad_id=str(pk),
                url=f"http://127.0.0.1/ads/{pk}",
                title=f"{name} à Bruxelles",
                text=text,
                location_text="Bruxelles",
                contact_text=e164,
                lang="fr",
                fetched_at=first,
                images=images,
            )
            start = text.index(e164)
            span = Span("text", start, start + len(e164), e164)
            analysis = Analysis(
                site=raw.site,
                ad_id=raw.ad_id,
                phones=(PhoneMatch(e164, "BE", False, (span,)),),
                aliases=(Alias(name, (Span("text", 0, len(name), name),)),),
                place=Place("Bruxelles", ad_zone, None, True, ()),
                images=images,
                minor_score=round(minor, 3),
                trafficking_score=0.3,
                flags=("minor",) if minor >= 0.5 else (),
                model_version="bench",
            )
            yield pk, raw, analysis, first, group_id if in_group else None
        group_id += 1 if in_group else 0


COLUMNS = {
    "ad": "id, site, ad_id, url, title, text, location_text, contact_text, lang, first_seen, "
    "last_seen, version, content_sha256, page_sha256, fetched_at, zone, commune, "
    "minor_score, trafficking_score, max_score, flags, model_version, raw_json, "
    "analysis_json",
    "ad_phone": "ad_pk, e164, region, obfuscated",
    "ad_image": "ad_pk, position, url, phash, dhash",
    "ad_alias": "ad_pk, name",
    "ad_flag": "ad_pk, flag",
    "network": "network_id, size, risk, zone_count, phones, aliases, sites, zones, movement, "
    "first_seen, last_seen",
    "network_member": "network_id, ad_pk, position",
    "network_edge": "network_id, a_pk, b_pk, kind, evidence, position",
}
"""The columns each table is filled with (in the order of the rows below)."""
Group = list[tuple[int, RawAd, Analysis, datetime]]


def ad_rows(pk: int, raw: RawAd, a: Analysis, first: datetime) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one ad: the `ad` table's and its child tables'."""
    last = first + timedelta(days=3)
    return {
        "ad": [
            (
                pk,
                raw.site,
                raw.ad_id,
                raw.url,
                raw.title,
                raw.text,
                raw.location_text,
                raw.contact_text,
                raw.lang,
                first,
                last,
                1,
                f"{pk:064x}",
                None,
                raw.fetched_at,
                a.zone,
                a.commune,
                a.minor_score,
                a.trafficking_score,
                max(a.minor_score, a.trafficking_score),
                ",".join(a.flags),
                a.model_version,
                json.dumps(rawad_to_dict(raw)),
                json.dumps(analysis_to_dict(a)),
            )
        ],
        "ad_phone": [(pk, p.e164, p.region, p.obfuscated) for p in a.phones],
        "ad_image": [(pk, i, im.url, im.phash, im.dhash) for i, im in enumerate(a.images)],
        "ad_alias": [(pk, al.name) for al in a.aliases],
        "ad_flag": [(pk, f) for f in a.flags],
    }


def network_rows(groups: dict[int, Group]) -> dict[str, list[tuple[Any, ...]]]:
    """The planted groups as stored networks: their rows, members and a chain of edges."""
    networks, members, edges = [], [], []
    for group, ads in groups.items():
        if len(ads) < 2:
            continue
        nid = f"net-{group:07d}"
        zones = sorted({a.zone for _, _, a, _ in ads if a.zone})
        risk = max(a.minor_score for _, _, a, _ in ads)
        networks.append(
            (
                nid,
                len(ads),
                risk,
                len(zones),
                json.dumps(sorted({p.e164 for _, _, a, _ in ads for p in a.phones})),
                json.dumps(sorted({al.name for _, _, a, _ in ads for al in a.aliases})),
                json.dumps(sorted({r.site for _, r, _, _ in ads})),
                json.dumps(zones),
                json.dumps([a.zone for _, _, a, _ in sorted(ads, key=lambda x: x[3])]),
                min(f for *_, f in ads),
                max(f for *_, f in ads),
            )
        )
        members += [(nid, pk, i) for i, (pk, *_) in enumerate(ads)]
        edges += [
            (nid, ads[i][0], ads[i + 1][0], "phone", ads[i][2].phones[0].e164, i)
            for i in range(len(ads) - 1)
        ]
    return {"network": networks, "network_member": members, "network_edge": edges}


def fill_rows(
    n: int, write: Callable[[str, list[tuple[Any, ...]]], None], every: int = 20_000
) -> dict[str, int]:
    """Write the corpus of `n` ads, table by table in batches of about `every` ads, through
    `write(table, rows)`; returns row counts."""
    counts = {"ads": 0, "images": 0, "networks": 0}
    groups: dict[int, Group] = {}
    batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in list(COLUMNS)[:5]}

    def flush() -> None:
        for table, rows in batch.items():
            write(table, rows)
            rows.clear()

    for pk, raw, a, first, group in corpus(n):
        for table, rows in ad_rows(pk, raw, a, first).items():
            batch[table] += rows
        counts["ads"] += 1
        counts["images"] += len(a.images)
        if group is not None:
            groups.setdefault(group, []).append((pk, raw, a, first))
        if len(batch["ad"]) >= every:
            flush()
    flush()
    for table, rows in network_rows(groups).items():
        write(table, rows)
    counts["networks"] = sum(1 for ads in groups.values() if len(ads) >= 2)
    return counts


def _copy(cursor: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def fill(url: str, n: int) -> dict[str, int]:
    """Migrate (the project's Store.open) and fill the database by COPY; returns row counts."""
    import psycopg

    with Store.open(url) as store:
        add_user(store.engine, username="bench", password=PASSWORD, role="admin", zone="5339")
    with psycopg.connect(_psycopg_dsn(url)) as conn, conn.cursor() as cur:
        counts = fill_rows(n, lambda table, rows: _copy(cur, table, rows))
        for table in (
            "ad",
            "ad_phone",
            "ad_image",
            "ad_alias",
            "ad_flag",
            "network_member",
            "network_edge",
        ):
            serial = f"pg_get_serial_sequence('{table}', 'id')"
            highest = f"SELECT coalesce(max(id), 1) FROM {table}"  # noqa: S608 — names above
            cur.execute(f"SELECT setval({serial}, ({highest}))")
        conn.commit()
    with psycopg.connect(_psycopg_dsn(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return counts


# --- serving and measuring ---------------------------------------------------------------------


def serve(url: str, port: int) -> None:
    """Child process: the app on loopback."""
    import uvicorn

    from vigie.web import WebConfig, create_app

    store = Store.open(url)
    app = create_app(store, WebConfig(secret_key="w" * 40, login_attempts=1000))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def _client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=600.0)
    token = _csrf(client.get("/login").text)
    form = {"username": "bench", "password": PASSWORD, "csrf_token": token}
    r = client.post("/login", data=form)
    if r.status_code != 303:
        raise RuntimeError(f"login refused: {r.status_code}")
    return client


def _times(call: Callable[[], Any], runs: int) -> list[float]:
    call()  # warm-up (and a check that it works)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 1), "p95": round(p95, 1)}


def _get(client: httpx.Client, path: str) -> Callable[[], None]:
    def call() -> None:
        r = client.get(path)
        if r.status_code != 200:
            raise RuntimeError(f"{path}: {r.status_code}")

    return call


def _search(client: httpx.Client, kind: str, q: str) -> Callable[[], None]:
    token = _csrf(client.get("/search").text)

    def call() -> None:
        form = {"kind": kind, "q": q, "reason": "bench", "csrf_token": token}
        r = client.post("/search", data=form)
        if r.status_code != 200:
            raise RuntimeError(f"search {kind}: {r.status_code}")

    return call


def measure(url: str, n: int, requests: int, cli_runs: int) -> dict[str, dict[str, float]]:
    import psycopg

    from vigie.web.render import ad_path

    with psycopg.connect(_psycopg_dsn(url)) as conn:
        mid = conn.execute(
            "SELECT network_id FROM network ORDER BY size DESC OFFSET 20 LIMIT 1"
        ).fetchone()
        ad = conn.execute("SELECT site, ad_id FROM ad WHERE id = %s", (n // 3,)).fetchone()
        phone, phash = conn.execute(
            "SELECT p.e164, i.phash FROM ad_phone p JOIN ad_image i ON i.ad_pk = p.ad_pk "
            "WHERE p.ad_pk >= %s LIMIT 1",
            (n // 5,),
        ).fetchone() or ("+32400000001", "0" * 16)
    if mid is None or ad is None:
        raise RuntimeError("the database holds no network or ad")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(  # noqa: S603 — this script, our own interpreter
        [sys.executable, __file__, "--serve", url, "--port", str(port)], env=env, cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/login", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the app did not start") from None
                time.sleep(0.2)
        client = _client(base)
        ad_page = _get(client, ad_path(ad[0], ad[1]))
        pages: dict[str, Callable[[], None]] = {
            "queue": _get(client, "/queue"),
            "queue page 40": _get(client, "/queue?page_no=40"),
            "queue, site filter": _get(client, f"/queue?site={SITES[3]}&flag=all"),
            "queue, zone filter": _get(client, f"/queue?zone={ZONES[3]}"),
            "dashboard": _get(client, "/dashboard"),
            "networks list": _get(client, "/networks"),
            "network page": _get(client, f"/networks/{mid[0]}"),
            "ad page": ad_page,
            "search phone": _search(client, "phone", phone),
            "search image": _search(client, "image", phash),
            "search text": _search(client, "text", f"annonce {n // 7}"),
            "audit": _get(client, "/audit"),
        }
        results = {name: _summary(_times(call, requests)) for name, call in pages.items()}
        results["ad page, dashboard loading"] = _summary(_during_dashboard(base, ad_page, requests))
        client.close()
    finally:
        server.terminate()
        server.wait(30)
    cli_env = {**env, "VIGIE_DATABASE_URL": url}
    for name, args in (
        ("cli: vigie ads --limit 50", ["ads", "--limit", "50"]),
        ("cli: vigie networks", ["networks"]),
    ):
        cmd = [str(ROOT / ".venv" / "bin" / "vigie"), *args]

        def run(cmd: list[str] = cmd) -> None:
            subprocess.run(  # noqa: S603 — the project's own command
                cmd, env=cli_env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
            )

        results[name] = _summary(_times(run, cli_runs))
    return results


def _during_dashboard(base: str, ad_page: Callable[[], None], requests: int) -> list[float]:
    """The ad page's times while another user reloads the dashboard without pause. The other
    user is another process, as another investigator's browser is: a thread of this one would
    hold the measuring client's interpreter lock while it reads each dashboard (client time,
    not the app's)."""
    ready = Path(tempfile.mkdtemp(prefix="webscale-")) / "started"
    other = multiprocessing.get_context("spawn").Process(
        target=_reload_dashboard, args=(base, str(ready)), daemon=True
    )
    other.start()
    try:
        while not ready.exists():  # the first dashboard request has been sent
            if not other.is_alive():
                raise RuntimeError("the dashboard loader stopped")
            time.sleep(0.05)
        return _times(ad_page, requests)
    finally:
        other.terminate()
        other.join(60)
        shutil.rmtree(ready.parent, ignore_errors=True)


def _reload_dashboard(base: str, ready: str) -> None:
    client = _client(base)
    Path(ready).touch()
    while True:
        client.get("/dashboard")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    base = os.environ.get(ENV)
    if not base:
        reason = f"{ENV} is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        print(f"skipped: {reason}")
        print(json.dumps({"skipped": reason}))
        return
    figures: dict[str, Any] = {"ads": args.ads, "baseline_ads": BASELINE, "pages": {}}
    runs: dict[int, dict[str, dict[str, float]]] = {}
    for n in dict.fromkeys((BASELINE, args.ads)):
        url, empty = ensure_database(base, n, args.rebuild)
        if empty:
            t0 = time.perf_counter()
            counts = fill(url, n)
            print(f"built {n:,} ads in {time.perf_counter() - t0:.0f} s: {counts}", flush=True)
        runs[n] = measure(url, n, args.requests, args.cli_runs)
    head = ("p50 base", "p95 base", "p50", "p95")
    print(f"{'page or command':32} " + " ".join(f"{h:>9}" for h in head) + f" {'p95 ×':>6}")
    for name, big in runs[args.ads].items():
        small = runs[BASELINE][name]
        ratio = round(big["p95"] / small["p95"], 2) if small["p95"] else None
        figures["pages"][name] = {"baseline": small, "at_size": big, "p95_ratio": ratio}
        print(
            f"{name:32} {small['p50']:9.1f} {small['p95']:9.1f} {big['p50']:9.1f} "
            f"{big['p95']:9.1f} {ratio or 0:6.2f}"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
