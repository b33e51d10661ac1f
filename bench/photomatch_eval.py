"""Photo matching on the blind distortion material (tests/data/blind/images/, written by an author
who never read Vigie): recall per kind and false matches, for one half of its sources.

    .venv/bin/python bench/photomatch_eval.py --split dev      # tune on this one only
    .venv/bin/python bench/photomatch_eval.py --split sealed   # the lead's score

Every source of the split is indexed (`pipeline.photomatch.PhotoIndex`, the decision linking
takes); each of its variants (`variants(img, seed)`) is matched against the index: a hit on its
own source is found, any other source is a false match. The split's negative pairs (different
pictures that look alike on purpose) are matched a against b. Prints a table, then one JSON
object on the last line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.images import photo_hashes  # noqa: E402
from pipeline.photomatch import Photo, PhotoIndex  # noqa: E402


def _photo(im: Any) -> Photo:
    return Photo.of(*photo_hashes(im.convert("RGB")))


def evaluate(split: str, limit: int | None = None, kinds: set[str] | None = None,
             ) -> dict[str, Any]:
    blind = importlib.import_module("tests.data.blind.images.distort")
    chosen = [(n, im) for n, im in blind.sources() if blind.split(n) == split][:limit]
    index: PhotoIndex[str] = PhotoIndex()
    index.extend((name, _photo(im)) for name, im in chosen)
    found: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    false: list[str] = []
    for seed, (name, im) in enumerate(chosen):
        for v in blind.variants(im, seed):
            if kinds and v.kind not in kinds:
                continue
            keys = {m.key for m in index.match(_photo(v.image))}
            total[v.kind] += 1
            if name in keys:
                found[v.kind] += 1
            else:
                misses.append(f"{name}/{v.kind}/{v.strength}")
            false += [f"{name}/{v.kind}/{v.strength} ~ {k}" for k in sorted(keys - {name})]
    negatives = [p for p in blind.negatives(0) if blind.split(p.name) == split]
    negative_hits = []
    for pair in negatives:
        pair_index: PhotoIndex[str] = PhotoIndex()
        pair_index.extend([("a", _photo(pair.a))])
        if pair_index.match(_photo(pair.b)):
            negative_hits.append(f"{pair.kind}:{pair.name}")
    n_sources = len(chosen)
    return {
        "split": split,
        "sources": n_sources,
        "variants": sum(total.values()),
        "recall": {k: round(found[k] / total[k], 3) for k in total},
        "overall": round(sum(found.values()) / max(1, sum(total.values())), 3),
        "false_matches": len(false),
        "false_examples": false[:10],
        "variant_source_pairs": sum(total.values()) * max(0, n_sources - 1),
        "negative_pairs": len(negatives),
        "negative_matches": negative_hits,
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "sealed"), default="dev")
    parser.add_argument("--limit", type=int, default=None, help="At most this many sources.")
    parser.add_argument("--kinds", default="", help="Only these kinds (comma-separated).")
    args = parser.parse_args()
    t = time.perf_counter()
    out = evaluate(args.split, args.limit, set(filter(None, args.kinds.split(","))))
    out["seconds"] = round(time.perf_counter() - t, 1)
    for kind, recall in out["recall"].items():
        print(f"{kind:12s} {recall:.3f}")  # noqa: T201
    print(json.dumps(out))  # noqa: T201


if __name__ == "__main__":
    main()
