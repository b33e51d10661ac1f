"""Validate the blind corpus and split each author's material into a dev and a sealed half.

    python tests/data/blind/split.py           # <author>/*.jsonl -> dev/ and sealed/
    python tests/data/blind/split.py --check   # validate dev/ and sealed/ only

Each author wrote `<author>/ads.jsonl` and `<author>/phones.jsonl` from CONTRACT.md alone. A
record goes to `sealed/` when the first byte of the SHA-256 of its id is odd, else to `dev/`:
a fixed, content-independent half of every author. After the split the authors' files are
removed (their AUTHOR.md stays): `dev/` and `sealed/` are the corpus, every record keeping its
`author`. Tune on `dev/` only; `sealed/` is scored to report, never read while tuning.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import phonenumbers

HERE = Path(__file__).resolve().parent
FILES = ("ads.jsonl", "phones.jsonl")
ZONES = {
    "Bruxelles": "5339", "Ixelles": "5339",
    "Molenbeek-Saint-Jean": "5340", "Koekelberg": "5340", "Jette": "5340", "Ganshoren": "5340",
    "Berchem-Sainte-Agathe": "5340",
    "Anderlecht": "5341", "Saint-Gilles": "5341", "Forest": "5341",
    "Uccle": "5342", "Watermael-Boitsfort": "5342", "Auderghem": "5342",
    "Etterbeek": "5343", "Woluwe-Saint-Lambert": "5343", "Woluwe-Saint-Pierre": "5343",
    "Schaerbeek": "5344", "Saint-Josse-ten-Noode": "5344", "Evere": "5344",
}  # fmt: skip
AD_EXPECTED = {"phones", "aliases", "ages", "commune", "zone", "minor", "trafficking", "cues"}


def sealed(record_id: str) -> bool:
    return hashlib.sha256(record_id.encode()).digest()[0] % 2 == 1


def problems(rec: dict[str, Any], kind: str) -> list[str]:
    out: list[str] = []
    need = {"id", "author", "region", "lang", "text", "phones"} if kind == "phones.jsonl" else {
        "id", "author", "region", "lang", "title", "text", "location_text", "expected"}
    out += [f"missing {k}" for k in sorted(need - set(rec))]
    phones = rec.get("phones") if kind == "phones.jsonl" else rec.get("expected", {}).get("phones")
    for e164 in phones or []:
        try:
            ok = phonenumbers.is_valid_number(phonenumbers.parse(e164))
        except phonenumbers.NumberParseException:
            ok = False
        if not ok:
            out.append(f"invalid phone {e164}")
    if kind == "ads.jsonl":
        exp = rec.get("expected", {})
        out += [f"expected lacks {k}" for k in sorted(AD_EXPECTED - set(exp))]
        commune, zone = exp.get("commune"), exp.get("zone")
        if commune is not None and ZONES.get(commune) != zone:
            out.append(f"zone {zone} does not match commune {commune}")
        if zone is not None and zone not in ZONES.values():
            out.append(f"unknown zone {zone}")
        if not all(isinstance(a, int) for a in exp.get("ages", [])):
            out.append("ages must be ints")
    return out


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def check(folder: Path) -> int:
    bad = 0
    for name in FILES:
        for rec in read(folder / name):
            for problem in problems(rec, name):
                bad += 1
                sys.stderr.write(f"{folder.name}/{name} {rec.get('id')}: {problem}\n")
    return bad


def split() -> None:
    halves: dict[str, dict[str, list[dict[str, Any]]]] = {
        h: {n: [] for n in FILES} for h in ("dev", "sealed")
    }
    for half in halves:  # records already split stay where they are
        for name in FILES:
            if (HERE / half / name).is_file():
                halves[half][name] += read(HERE / half / name)
    seen = {r["id"] for h in halves.values() for recs in h.values() for r in recs}
    for author in sorted(p for p in HERE.iterdir() if (p / "AUTHOR.md").is_file()):
        for name in FILES:
            path = author / name
            if not path.is_file():
                continue
            for rec in read(path):
                if rec["id"] in seen:
                    raise SystemExit(f"{path}: duplicate id {rec['id']}")
                seen.add(rec["id"])
                halves["sealed" if sealed(rec["id"]) else "dev"][name].append(rec)
            path.unlink()
    for half, files in halves.items():
        (HERE / half).mkdir(exist_ok=True)
        for name, recs in files.items():
            recs.sort(key=lambda r: r["id"])
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
            (HERE / half / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if "--check" not in sys.argv:
        split()
    errors = check(HERE / "dev") + check(HERE / "sealed")
    sys.exit(1 if errors else 0)
