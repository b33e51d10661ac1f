"""Benchmark: `pipeline.analyze` throughput per core (ads per CPU-second, no images), demo corpus.

The headline is ads per CPU-second of this process (`time.process_time`): on a shared machine
wall-clock time also counts the other processes' turns, CPU time does not. Wall-clock ads/s are
printed too.

Every measured ad is analysed exactly once, as `vigie analyze` and the crawler pipeline see them
(one `analyze` call per ad): the corpus holds `--ads` × `--repeat` distinct ads, cut into
`--repeat` rounds; the warm-up (lazy lexicons, compiled patterns, the model) runs on ads of
another seed. Per-text caches therefore never answer for a measured ad; word-level caches warm up
over the rounds as they do over a long batch. Best and median rounds are reported.

Baseline in the same run: phonenumbers' own PhoneNumberMatcher over the same texts; Vigie's phone
search alone (`pipeline.phones`, which runs that matcher first and adds what it cannot read) is
timed too, and both ratios to the matcher are printed. Prints the figures as one JSON object on
the last line. Usage:
.venv/bin/python bench/analyze.py [--ads N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import phonenumbers

from pipeline.analyze import analyze, prepare
from pipeline.phones import _find_phones
from pipeline.text import normalise
from pipeline.types import RawAd
from vigie.demo import generate
from vigie.demo.pages import contact_line

TARGET_ADS_PER_CPU_S = 1500


def corpus(n: int, seed: int = 11) -> list[RawAd]:
    ads = generate(seed=seed, n_static=max(1, n // 2), n_js=max(1, n - n // 2)).ads
    return [
        RawAd(
            a.site,
            a.ad_id,
            "",
            a.title,
            a.text,
            a.location_text,
            a.lang,
            contact_text=contact_line(a),
        )
        for a in ads
    ]


def rounds(fn: Callable[[RawAd], object], chunks: list[list[RawAd]]) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds of this process) of each chunk, each ad called once."""
    out: list[tuple[float, float]] = []
    for chunk in chunks:
        t0, c0 = time.perf_counter(), time.process_time()
        for ad in chunk:
            fn(ad)
        out.append((time.perf_counter() - t0, time.process_time() - c0))
    return out


def matcher(ad: RawAd) -> int:
    text = f"{ad.title}\n{ad.text}\n{ad.location_text}\n{ad.contact_text}"
    return sum(1 for _ in phonenumbers.PhoneNumberMatcher(text, "BE"))


def phones(ad: RawAd) -> int:
    """Vigie's phone search alone, field by field, as `analyze` runs it."""
    return sum(
        len(_find_phones(normalise(value), name, "BE"))
        for name, value in (
            ("title", ad.title),
            ("text", ad.text),
            ("location", ad.location_text),
            ("contact", ad.contact_text or ""),
        )
        if value
    )


def rates(n: int, times: list[tuple[float, float]]) -> dict[str, float]:
    wall = [n / w for w, _ in times]
    cpu = [n / c for _, c in times]
    return {
        "per_cpu_s_best": round(max(cpu), 1),
        "per_cpu_s_median": round(statistics.median(cpu), 1),
        "per_s_best": round(max(wall), 1),
        "per_s_median": round(statistics.median(wall), 1),
        "cpu_s": sum(c for _, c in times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ads", type=int, default=600, help="ads per round")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, each on distinct ads")
    args = parser.parse_args()
    ads = corpus(args.ads * args.repeat)
    chunks = [ads[i : i + args.ads] for i in range(0, len(ads), args.ads)][: args.repeat]
    n = len(chunks[0])
    for ad in corpus(40, seed=5):  # warm-up on other ads: lexicons, patterns, spaCy, the model
        analyze(ad)
        matcher(ad)
    prepare()  # as `vigie analyze` and the crawler's store do before their first ad
    a = rates(n, rounds(analyze, chunks))
    m = rates(n, rounds(matcher, chunks))
    p = rates(n, rounds(phones, chunks))
    print(
        f"analyze: {a['per_cpu_s_median']:.0f} ads per CPU-second per core (median of "
        f"{len(chunks)} rounds of {n} distinct ads; best {a['per_cpu_s_best']:.0f}); "
        f"wall {a['per_s_median']:.0f} ads/s; target {TARGET_ADS_PER_CPU_S}; "
        f"{a['cpu_s'] / m['cpu_s']:.1f}x the CPU of phonenumbers' matcher on the same texts, "
        f"phone search alone {p['cpu_s'] / m['cpu_s']:.1f}x"
    )
    result = {
        "ads": n,
        "rounds": len(chunks),
        "per_core_ads_per_cpu_s": a["per_cpu_s_median"],
        "analyze_ads_per_cpu_s": a["per_cpu_s_median"],
        "analyze_ads_per_cpu_s_best": a["per_cpu_s_best"],
        "analyze_ads_per_s": a["per_s_median"],
        "analyze_ads_per_s_best": a["per_s_best"],
        "phonenumbers_matcher_ads_per_cpu_s": m["per_cpu_s_median"],
        "phonenumbers_matcher_ads_per_s": m["per_s_median"],
        "analyze_cpu_cost_vs_matcher": round(a["cpu_s"] / m["cpu_s"], 3),
        "phones_ads_per_cpu_s": p["per_cpu_s_median"],
        "phones_cpu_cost_vs_matcher": round(p["cpu_s"] / m["cpu_s"], 3),
        "target_ads_per_cpu_s": TARGET_ADS_PER_CPU_S,
        "meets_target": a["per_cpu_s_median"] >= TARGET_ADS_PER_CPU_S,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
