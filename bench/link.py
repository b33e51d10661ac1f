"""Benchmark: `pipeline.link` over 1,000,000 synthetic ads with realistic sharing.

Planted groups (a pimp's ads) of 2 to ~60 ads take 40 % of the ads; the rest are lone ads. A
group has 1–3 phones and 1–3 pictures: each of its ads shows its group's phone (85 %) or a fresh
one, 0–3 pictures, each a re-encoded copy of one of the group's (pHash with 0–6 bits flipped) or
a fresh one, a messaging handle now and then, and its group's text template (names and phones
swapped) half the time, else a text of its own. Lone ads have their own phone, pictures, text.
Baseline in the same run: a union-find over the phones alone (the trunk's linker). Prints the
wall and CPU time (the ratio and the 2-minute target use CPU time: the machine is shared), the
peak memory (max RSS of the process, data included), the pairwise precision/recall
against the planted groups, and the figures as one JSON object on the last line.
`--no-texts` leaves out the text edges (MinHash over shingles, the costliest kind per ad: about
60 µs a text on the 2-core machine, most of it reading the words): phones, handles and images
only. The linker runs with its default configuration
(`pipeline.edges.LinkConfig`).
`--incremental K`: K more ads (the corpus's last K) arrive after the N are linked
(`pipeline.relink.NetworkState`): prints the CPU time of that step against a full relink of the
N + K ads measured in the same run (target: under 5 s and under 1/20 of it), checks that both give
the same networks (edges and evidence included), and the load of the machine.
`--incremental K --stored URL`: the same into a database (`vigie.incremental`: what a crawl
does): N ads saved and linked once (kept for later runs), K new ads saved, the incremental link
timed against a full relink of the database in the same run.
Usage: .venv/bin/python bench/link.py [--ads N] [--no-texts] [--incremental K [--stored URL]]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import numpy as np
from sqlalchemy.engine import make_url

from pipeline.hashindex import HashIndex
from pipeline.link import LinkConfig, Linker, UnionFind
from pipeline.linkscore import pairwise
from pipeline.relink import NetworkState, relink
from pipeline.types import Alias, Analysis, Contact, ImageRef, PhoneMatch, Place, RawAd
from storage.retention import erase_ads

T = TypeVar("T")

WORDS = [
    "nouvelle", "ville", "disponible", "discrete", "appartement", "prive", "rendez-vous", "appel",
    "semaine", "soiree", "quartier", "gare", "metro", "parking", "calme", "propre", "accueil",
    "agreable", "visite", "courte", "longue", "hotel", "deplacement", "horaires", "matin", "midi",
    "soir", "nuit", "sympathique", "douce", "souriante", "elegante", "photos", "reelles", "vraie",
    "annonce", "serieuse", "uniquement", "pas", "masque", "messages", "repondeur", "bientot",
]
ZONES = ("5339", "5340", "5341", "5342", "5343", "5344")
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


_CHUNK = 1 << 16


def _flip_masks(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 3) masks, each bit set with a per-mask rate drawn in [0, 0.09): the same values as
    `rng.random((n, 3, 64)) < rng.uniform(0, 0.09, (n, 3, 1))` packed into bits, drawn in chunks
    (a copy of the generator reads the n*192 doubles while `rng` skips them for the rates), so
    that the corpus does not need gigabytes of temporaries."""
    state = rng.bit_generator.state
    draws = np.random.Generator(type(rng.bit_generator)())
    draws.bit_generator.state = state
    rng.bit_generator.advance(n * 3 * 64)  # type: ignore[attr-defined]  # one output a double
    skipped = dict(rng.bit_generator.state)  # advance() drops a buffered 32-bit half: put it back
    skipped.update(has_uint32=state["has_uint32"], uinteger=state["uinteger"])
    rng.bit_generator.state = skipped
    rates = rng.uniform(0, 0.09, (n, 3, 1))
    bits = np.arange(64, dtype=np.uint64)
    masks = np.empty((n, 3), dtype=np.uint64)
    for lo in range(0, n, _CHUNK):
        flips = (draws.random((min(n, lo + _CHUNK) - lo, 3, 64)) < rates[lo : lo + _CHUNK])
        masks[lo : lo + _CHUNK] = (flips.astype(np.uint64) << bits).sum(axis=2, dtype=np.uint64)
    return masks


def corpus(n: int, seed: int = 3) -> tuple[list[tuple[RawAd, Analysis]], dict[str, str | None]]:
    """n synthetic (RawAd, Analysis) pairs and the planted group of each ad id."""
    rng = np.random.default_rng(seed)
    group = np.full(n, -1, dtype=np.int64)
    order = rng.permutation(n)
    pos, g = 0, 0
    while pos < 0.4 * n:  # group sizes: 2 + a geometric tail, up to ~60
        size = int(min(60, 2 + rng.geometric(0.25)))
        group[order[pos : pos + size]] = g
        pos, g = pos + size, g + 1
    # Phones: the groups' from 50,000,000 up (random), fresh ones counted from 10,000,000.
    phones = rng.choice(np.arange(5 * 10**7, 10**8), size=3 * g, replace=False).reshape(g, 3)
    bases = rng.integers(0, 2**63, size=(g, 3), dtype=np.int64).view(np.uint64)
    words = np.array(WORDS)
    drawn = rng.integers(0, len(words), (n + g, 40))
    texts = [" ".join(row) for lo in range(0, n + g, _CHUNK)
             for row in words[drawn[lo : lo + _CHUNK]]]
    del drawn
    u = rng.random((n, 8))
    n_images = rng.integers(0, 4, n)
    pick = rng.integers(0, 3, (n, 4))
    noise = rng.integers(0, 2**63, size=(n, 3), dtype=np.int64).view(np.uint64)
    masks = _flip_masks(rng, n)
    days = rng.integers(0, 3 * 365, n).tolist()
    zones = rng.integers(0, 6, n).tolist()
    names = rng.integers(0, 500, n).tolist()
    items: list[tuple[RawAd, Analysis]] = []
    truth: dict[str, str | None] = {}
    for i in range(n):
        gi = int(group[i])
        ad_id = f"A{i:07d}"
        truth[ad_id] = f"G{gi}" if gi >= 0 else None
        in_group = gi >= 0
        ui = u[i]
        phone = int(phones[gi, pick[i, 0] % (1 + gi % 3)]) if in_group and ui[0] < 0.85 else (
            10**7 + i)
        e164 = f"+324{phone:08d}"
        refs = []
        for k in range(int(n_images[i])):
            if in_group and ui[1 + k] < 0.7:
                h = int(bases[gi, pick[i, 1 + k] % (1 + gi % 3)] ^ masks[i, k])
            else:
                h = int(noise[i, k])
            refs.append(ImageRef(f"/img/{i}/{k}", f"{h:016x}", None))
        name = f"Nom{names[i]}"
        own = texts[gi] if in_group and ui[4] < 0.5 else texts[g + i]
        text = f"{name} {own} appelle {e164}"
        contacts = (Contact("telegram", f"tg{gi}", ()),) if in_group and ui[5] < 0.1 else ()
        raw = RawAd("bench", ad_id, "", "", text, posted_at=EPOCH + timedelta(days=days[i]),
                    images=tuple(refs))
        analysis = Analysis(
            "bench", ad_id, phones=(PhoneMatch(e164, "BE", False, ()),), contacts=contacts,
            aliases=(Alias(name, ()),), place=Place(None, ZONES[zones[i]], None, True, ()),
            images=tuple(refs), trafficking_score=float(ui[6] < 0.1),
        )
        items.append((raw, analysis))
    return items, truth


def phones_only(items: list[tuple[RawAd, Analysis]]) -> int:
    """The baseline: union-find over shared phones alone; returns the number of groups."""
    uf = UnionFind()
    first: dict[str, tuple[str, str]] = {}
    for raw, analysis in items:
        key = (raw.site, raw.ad_id)
        uf.add(key)
        for p in analysis.phones:
            uf.union(first.setdefault(p.e164, key), key)
    return sum(1 for members in uf.groups().values() if len(members) > 1)


def _warm_up() -> None:
    """Compile the hash index's probes (numba, cached on disk after the first run) before timing:
    a one-off per install, not a cost of linking."""
    index: HashIndex[int] = HashIndex(radius=8)
    index.add_many(list(range(64)), np.arange(64, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    index.pair_ids(8)
    index.add_many([64], np.array([7], dtype=np.uint64))
    index.pair_ids(8, 64)
    index.query(7)


def incremental(n: int, k: int, config: LinkConfig) -> dict[str, object]:
    """k new ads into n linked ones, against a full relink of the n + k in the same run."""
    items, _ = corpus(n + k)
    old, new = items[:n], items[n:]
    _warm_up()
    load = os.getloadavg()
    t0, c0 = time.perf_counter(), time.process_time()
    full = relink(items, config)
    full_s, full_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"full relink of {n + k} ads: {len(full)} networks, {full_cpu:.1f} s CPU")
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    state = NetworkState(config)
    state.update(old)
    build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"state of {n} ads built in {build_cpu:.1f} s CPU")
    t0, c0 = time.perf_counter(), time.process_time()
    delta = state.update(new)
    step_s, step_cpu = time.perf_counter() - t0, time.process_time() - c0
    same = state.networks() == full
    print(f"{k} new ads: {len(delta.upserted)} networks new or changed, {len(delta.removed)} gone,"
          f" {delta.relinked_ads} ads relinked in {step_cpu:.2f} s CPU; equal to the full relink:"
          f" {same}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "ads": n, "new_ads": k, "texts": config.text_threshold is not None,
        "full_relink_s": round(full_s, 1), "full_relink_cpu_s": round(full_cpu, 1),
        "build_s": round(build_s, 1), "build_cpu_s": round(build_cpu, 1),
        "incremental_s": round(step_s, 2), "incremental_cpu_s": round(step_cpu, 2),
        "relinked_ads": delta.relinked_ads, "networks_changed": len(delta.upserted),
        "networks_gone": len(delta.removed), "ratio_to_full": round(full_cpu / step_cpu, 1),
        "equal_to_full_relink": same, "under_5_s": step_cpu < 5,
        "under_1_20_of_full": step_cpu * 20 < full_cpu, "peak_rss_mb": round(peak_mb),
        "load_before": [round(x, 1) for x in load],
        "load_after": [round(x, 1) for x in os.getloadavg()],
    }


def _timed(step: Callable[[], T]) -> tuple[T, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    out = step()
    return out, time.perf_counter() - t0, time.process_time() - c0


def stored(n: int, k: int, url: str) -> dict[str, object]:
    """k new ads saved into a database holding n linked ones (built on the first run: saved
    through `Store.save`, then one full link), then `vigie.incremental.link_queued` (rescoring
    included) against a full `link_stored` of the n + k ads in the same run (it finds nothing
    left to rescore, but reads, links and writes everything). Wall time counts the database's
    work too (it runs on the same 2 cores); CPU time is this process's alone."""
    from storage.repository import Store
    from vigie.config import Settings
    from vigie.incremental import link_queued, ready
    from vigie.workflow import link_stored

    items, _ = corpus(n + k)
    old, new = items[:n], items[n:]
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), keys_dir=Path(tempfile.mkdtemp()))
    config = LinkConfig()
    _warm_up()
    with Store.open(url) as store:
        have = store.count_ads(flag=None, zone=None, site=None)
        if have == 0:
            _, save_s, _ = _timed(lambda: [store.save(r, a, seen_at=EPOCH) for r, a in old])
            print(f"saved {n} ads in {save_s:.0f} s")
            _, base_s, _ = _timed(lambda: link_stored(store, settings, config))
            print(f"base linked (full, rescoring) in {base_s:.0f} s")
        elif have != n:
            raise SystemExit(f"the database holds {have} ads, not {n}: use an empty one")
        assert ready(store, config)
        load = os.getloadavg()
        _, save_s, _ = _timed(lambda: [store.save(r, a, seen_at=EPOCH) for r, a in new])
        print(f"saved {k} new ads in {save_s:.1f} s")
        step, step_s, step_cpu = _timed(lambda: link_queued(store, config, region="BE"))
        print(f"incremental: {step.relinked_ads} ads relinked, {len(step.upserted)} networks"
              f" written, {len(step.removed)} gone, {step.rescored} rescored in {step_s:.2f} s"
              f" ({step_cpu:.2f} s CPU): {dict(step.timings)}")
        after = {net.network_id: net for net in store.list_networks()}
        _, full_s, full_cpu = _timed(lambda: link_stored(store, settings, config))
        print(f"full relink of {n + k} ads: {full_s:.1f} s ({full_cpu:.1f} s CPU)")
        same = {net.network_id: net for net in store.list_networks()} == after
        print(f"incremental result equal to the full relink's: {same}")
        # Back to n ads for the next run: the k new ones erased, the networks relinked.
        erase_ads(store.engine, [(r.site, r.ad_id) for r, _ in new], actor="bench",
                  reason="bench reset")
        link_queued(store, config, region="BE")
    return {
        "ads": n, "new_ads": k, "database": make_url(url).get_backend_name(),
        "incremental_s": round(step_s, 2), "incremental_cpu_s": round(step_cpu, 2),
        "phases_s": dict(step.timings), "relinked_ads": step.relinked_ads,
        "networks_written": len(step.upserted), "rescored": step.rescored,
        "full_relink_s": round(full_s, 1), "full_relink_cpu_s": round(full_cpu, 1),
        "ratio_to_full": round(full_s / step_s, 1), "equal_to_full_relink": same,
        "under_5_s": step_s < 5, "under_1_20_of_full": step_s * 20 < full_s,
        "load_before": [round(x, 1) for x in load],
        "load_after": [round(x, 1) for x in os.getloadavg()],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ads", type=int, default=1_000_000)
    ap.add_argument("--no-texts", action="store_true")
    ap.add_argument("--incremental", type=int, default=0, metavar="K",
                    help="time K new ads into the N linked ones instead")
    ap.add_argument("--stored", metavar="URL",
                    help="with --incremental: into a database (built on first use) instead")
    args = ap.parse_args()
    if args.incremental and args.stored:
        print(json.dumps(stored(args.ads, args.incremental, args.stored)))
        return
    if args.incremental:
        config = LinkConfig(text_threshold=None) if args.no_texts else LinkConfig()
        print(json.dumps(incremental(args.ads, args.incremental, config)))
        return
    t0 = time.perf_counter()
    items, truth = corpus(args.ads)
    gen_s = time.perf_counter() - t0
    print(f"generated {len(items)} ads in {gen_s:.1f} s")

    t0, c0 = time.perf_counter(), time.process_time()
    baseline_groups = phones_only(items)
    base_s, base_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"baseline (phones only): {baseline_groups} groups in {base_s:.1f} s")

    config = LinkConfig(text_threshold=None) if args.no_texts else LinkConfig()
    t0, c0 = time.perf_counter(), time.process_time()
    linker = Linker(config)
    linker.add(items)
    networks = linker.networks()
    link_s, link_cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kinds = Counter(e.kind for n in networks for e in n.edges)
    print(f"linked: {len(networks)} networks in {link_s:.1f} s, peak RSS {peak_mb:.0f} MB")

    predicted = {key[1]: nid for key, nid in linker.network_ids().items()}
    scores = pairwise(0, predicted, truth)
    figures = {
        "ads": len(items), "texts": not args.no_texts, "networks": len(networks),
        "joins_by_kind": dict(sorted(kinds.items())),
        "link_s": round(link_s, 1), "link_cpu_s": round(link_cpu, 1),
        "phones_only_s": round(base_s, 2), "phones_only_cpu_s": round(base_cpu, 2),
        "ratio_to_phones_only": round(link_cpu / base_cpu, 1),
        "peak_rss_mb": round(peak_mb), "pair_precision": round(scores.precision, 4),
        "pair_recall": round(scores.recall, 4), "pair_f1": round(scores.f1, 4),
        "under_2_min": link_cpu < 120, "under_4_gb": peak_mb < 4096,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
