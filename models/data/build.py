"""Build the synthetic labelled training set `models/data/synthetic.jsonl` (deterministic).

Usage: .venv/bin/python -m models.data.build

Each ad belongs to a *family* (language × sentence frame × filler set). Families 0–5 of each
language go to the training split, 6–7 to the test split, so no test ad shares a template with a
training ad; the last phrasing of every cue pool appears only in test families. Labels follow the
research the lexicon cites: youth language, a stated age under 18 or an implausible "just 18"
→ minor; one strong trafficking cue (third person, several persons, control, ethnicity) or two
weak ones (movement, 24/7, price, obscured or foreign phone) → trafficking; movement alone,
24/7 alone, adult students, "young at heart" and disclaimers are hard negatives.

Each ad also gets a `network_size`: how many ads share a contact or a photo with it, itself
included (1: alone). This is an *assumption*, drawn per role from `NETWORK_SIZES` with its own
seeded generator (the texts do not change with it): trafficking ads more often belong to big
multi-ad, multi-city networks (Ibanez & Suthers 2014; Dubrawski et al. 2015), but independent
adults repost too and some hard negatives sit in big networks, so the size alone never decides
a label. Investigators' decisions (`vigie train --from-reviews`, with the real sizes of the
stored networks) correct it.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

from models.data import pools

OUT = Path(__file__).parent / "synthetic.jsonl"
N_FAMILIES = 8
TEST_FAMILIES = frozenset({6, 7})
PER_FAMILY = 90
ROLES = (("ordinary", 0.24), ("hard", 0.22), ("minor", 0.2), ("trafficking", 0.24), ("both", 0.1))


# role -> ((probability, smallest size, largest size), ...): a size is drawn log-uniformly
# within the chosen band. Shared by every class, shifted towards big networks for trafficking.
NETWORK_SIZES: dict[str, tuple[tuple[float, int, int], ...]] = {
    "ordinary": ((0.60, 1, 1), (0.32, 2, 5), (0.08, 6, 30)),
    "hard": ((0.45, 1, 1), (0.35, 2, 6), (0.20, 7, 40)),
    "minor": ((0.45, 1, 1), (0.35, 2, 6), (0.20, 7, 40)),
    "trafficking": ((0.25, 1, 1), (0.35, 2, 6), (0.40, 7, 40)),
    "both": ((0.25, 1, 1), (0.35, 2, 6), (0.40, 7, 40)),
}


def network_size(rng: random.Random, role: str) -> int:
    r = rng.random()
    for p, lo, hi in NETWORK_SIZES[role]:
        if r < p:
            return lo if lo == hi else round(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        r -= p
    return 1


def _pick(rng: random.Random, pool: tuple[str, ...], test: bool) -> str:
    return rng.choice(pool if test else pool[:-1])


def _phone(rng: random.Random, kind: str) -> str:
    digits = (
        f"{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    )
    if kind == "foreign":
        return f"+40 7{rng.randint(20, 89)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    if kind == "obfuscated":
        return rng.choice((f"O4{digits}", f"zéro quatre {digits}", " ".join(f"04{digits}")))
    return f"04{digits}"


def ad(rng: random.Random, lang: str, family: int, role: str) -> dict[str, object]:
    test = family in TEST_FAMILIES
    name, city = rng.choice(pools.NAMES), rng.choice(pools.CITIES)
    fill = {"a": name, "A": name.upper(), "c": city}
    parts: list[str] = [_pick(rng, pools.INTRO[lang], test).format(**fill)]
    fillers = pools.FILLERS[lang][family % N_FAMILIES]
    minor = trafficking = False
    phone = "normal"
    if role in ("minor", "both"):
        minor = True
        r = rng.random()
        if r < 0.55:
            parts.append(_pick(rng, pools.YOUTH[lang], test))
        elif r < 0.8:
            n = rng.randint(15, 17)
            parts.append(_pick(rng, pools.MINOR_AGE[lang], test).format(n=n))
        else:
            parts.append(_pick(rng, pools.JUST18[lang], test))  # "just 18": implausible, a cue
            if rng.random() < 0.5:
                parts.append(_pick(rng, pools.YOUTH[lang], test))
    if role in ("trafficking", "both"):
        trafficking = True
        if rng.random() < 0.7:
            parts.append(_pick(rng, pools.STRONG[lang], test).format(**fill))
        else:
            weak = rng.sample(pools.WEAK[lang] if test else pools.WEAK[lang][:-1], 2)
            parts.extend(w.format(**fill) for w in weak)
        phone = rng.choice(("normal", "foreign", "obfuscated"))
    if role == "hard":
        r = rng.random()
        if r < 0.7:
            n = rng.randint(19, 26) if rng.random() < 0.6 else rng.randint(38, 55)
            parts.append(_pick(rng, pools.HARD[lang], test).format(n=n, **fill))
        else:  # one weak cue alone does not make trafficking
            parts.append(_pick(rng, pools.WEAK[lang], test).format(**fill))
        phone = rng.choice(("normal", "normal", "foreign"))
    if role == "ordinary" and rng.random() < 0.5:
        n = rng.randint(19, 45)
        parts.append(_pick(rng, pools.ADULT_AGE[lang], test).format(n=n))
    body = parts[:1] + rng.sample(parts[1:] + list(fillers), len(parts) - 1 + len(fillers))
    return {
        "family": f"{lang}-{family}",
        "split": "test" if test else "train",
        "lang": lang,
        "title": _pick(rng, pools.TITLE[lang], test).format(**fill),
        "text": " ".join(body),
        "contact": _phone(rng, phone),
        "minor": minor,
        "trafficking": trafficking,
    }


def build(seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)  # noqa: S311 — reproducible synthetic data, not security
    sizes = random.Random(seed + 1)  # noqa: S311 — its own stream: the texts do not move
    rows: list[dict[str, object]] = []
    roles = [r for r, _ in ROLES]
    weights = [w for _, w in ROLES]
    for lang in ("fr", "nl", "en"):
        for family in range(N_FAMILIES):
            for _ in range(PER_FAMILY):
                role = rng.choices(roles, weights)[0]
                row = ad(rng, lang, family, role)
                row["network_size"] = network_size(sizes, role)
                rows.append(row)
    for i, row in enumerate(rows):
        row["id"] = f"syn-{i:05d}"
    return rows


def main() -> None:
    lines = (json.dumps(r, ensure_ascii=False) for r in build())
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
