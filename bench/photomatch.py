"""Benchmark: photo matching (`pipeline.photomatch`) — recall per distortion kind, false matches,
and the search against a numpy brute force, same run.

1. Recall: `--synthetic` generated pictures and the public-domain photographs scikit-image ships,
   every distortion kind and strength of bench/distortions.py, matched against the originals.
2. False matches among real pictures: `--distinct` different generated pictures, every pair
   compared by the match rule (all regions, all 8 orientations).
3. False matches among 1,000,000 unrelated hashes: `--hashes` random region hashes (whole,
   trimmed, crops: REGIONS) make the stored photos; `--queries` random photos are matched against
   them. The rate is per pair of photos. Timed against a numpy brute force that applies the same
   rule to every stored hash (answers asserted equal on the first queries).

Prints the figures as one JSON object on the last line.
Usage: .venv/bin/python bench/photomatch.py [--synthetic N] [--distinct N] [--hashes N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from distortions import evaluate, photo_of, photo_sources, synthetic_sources  # noqa: E402

from pipeline.hashindex import popcount  # noqa: E402
from pipeline.photohash import REGIONS, WHOLE_REGIONS, orient_many  # noqa: E402
from pipeline.photomatch import MatchRule, Photo, PhotoIndex, _comparable  # noqa: E402


def recall(n_synthetic: int) -> dict[str, object]:
    sources = synthetic_sources(n_synthetic, seed=1616) + photo_sources()
    t = time.perf_counter()
    score = evaluate(sources)
    return {
        "sources": len(sources),
        "recall": {k: round(score.recall(k), 3) for k in score.total},
        "copies": sum(score.total.values()),
        "overall": round(score.overall(), 3),
        "false_matches": len(score.false_matches),
        "pairs_compared": score.pairs,
        "seconds": round(time.perf_counter() - t, 1),
    }


def distinct(n: int) -> dict[str, object]:
    """Every pair of n different generated pictures through the match rule."""
    from vigie.demo.images import base_image

    photos = [(seed, photo_of(base_image(seed))) for seed in range(50_000, 50_000 + n)]
    index: PhotoIndex[int] = PhotoIndex(MatchRule(phash=None, dhash=None))
    pairs = index.add(photos)
    total = n * (n - 1) // 2
    return {"pictures": n, "pairs": total, "false_matches": len(pairs),
            "rate": len(pairs) / total}


def _random_photos(rng: np.random.Generator, n: int) -> list[Photo]:
    """Photos of random region hashes: 128 bits each (a DCT hash above a block hash)."""
    shape = (n, len(REGIONS), 2)
    values = rng.integers(0, 2**64 - 1, size=shape, dtype=np.uint64, endpoint=True).tolist()
    return [Photo(dct={r: hi << 64 | lo for r, (hi, lo) in zip(REGIONS, row, strict=True)})
            for row in values]


_LOW = (1 << 64) - 1


def brute(photo: Photo, dct: np.ndarray, blocks: np.ndarray, regions: np.ndarray,
          rule: MatchRule) -> set[int]:
    """The same rule by scanning every stored hash: ids of the photos matched."""
    names = list(photo.dct)
    oriented = orient_many(np.array([photo.dct[r] >> 64 for r in names], dtype=np.uint64))
    oriented_blocks = orient_many(np.array([photo.dct[r] & _LOW for r in names],
                                           dtype=np.uint64), blocks=True)
    found: set[int] = set()
    for o in range(oriented.shape[0]):
        for q, name in enumerate(names):
            d = popcount(dct ^ oriented[o, q])
            for pos in np.flatnonzero(d <= (rule.dct or 0)).tolist():
                stored = REGIONS[regions[pos]]
                whole = name in WHOLE_REGIONS and stored in WHOLE_REGIONS
                near = int(d[pos]) <= rule.crop or whole
                b = int(popcount(np.array([blocks[pos] ^ oriented_blocks[o, q]]))[0])
                if _comparable(name, stored) and near and b <= rule.blocks:
                    found.add(pos // len(REGIONS))
    return found


def million(n_hashes: int, n_queries: int, seed: int = 16) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    n_photos = n_hashes // len(REGIONS)
    stored = _random_photos(rng, n_photos)
    queries = _random_photos(rng, n_queries)
    rule = MatchRule()
    index: PhotoIndex[int] = PhotoIndex(rule)
    index.extend(enumerate(stored))
    index.match(queries[0])  # builds the tables
    t = time.process_time()
    found = index.match_ids(queries)
    t_index = (time.process_time() - t) / n_queries
    false = sum(len(f) for f in found)
    flat = np.array([p.dct[r] >> 64 for p in stored for r in REGIONS], dtype=np.uint64)
    blocks = np.array([p.dct[r] & _LOW for p in stored for r in REGIONS], dtype=np.uint64)
    regions = np.tile(np.arange(len(REGIONS)), n_photos)
    n_brute = min(20, n_queries)
    t = time.process_time()
    for q in range(n_brute):
        assert brute(queries[q], flat, blocks, regions, rule) == set(found[q])  # noqa: S101
    t_brute = (time.process_time() - t) / n_brute
    pairs = n_photos * n_queries
    return {
        "stored_hashes": len(flat), "stored_photos": n_photos, "query_photos": n_queries,
        "photo_pairs": pairs, "false_matches": false, "rate_per_pair": false / pairs,
        "ms_per_query_index": round(1000 * t_index, 3),
        "ms_per_query_brute": round(1000 * t_brute, 1),
        "speedup": round(t_brute / t_index, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=20)
    parser.add_argument("--distinct", type=int, default=2000)
    parser.add_argument("--hashes", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=5_000)
    args = parser.parse_args()
    out = {
        "million": million(args.hashes, args.queries),
        "distinct": distinct(args.distinct),
        "recall": recall(args.synthetic),
    }
    print(json.dumps(out))  # noqa: T201


if __name__ == "__main__":
    main()
