"""The risk model's labelled data, from several hands, and how much each hand weighs.

Two formats are read:

- the synthetic / hand-written format of `models/data/*.jsonl` (one ad a line: title, text,
  contact, lang, minor, trafficking, split, family, network_size);
- the blind corpus format of `tests/data/blind/<half>/ads.jsonl` (`tests/data/blind/CONTRACT.md`:
  title, text, location_text, lang, region, author, expected.minor / expected.trafficking).

Every ad carries its `author` (the hand that wrote it: "synthetic", "handwritten", "author-fr"…)
and its `group` (the template family, or the ad itself for hand-written material).
`models.train.hand_weights` gives each hand the same total weight, so the 1,600 template ads of the
synthetic generator do not outvote 120 ads of one human author.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.paths import DATA_DIR as DATA_DIR
from models.paths import TARGETS
from models.tokens import tokens
from models.types import Example
from pipeline.analyze import example
from pipeline.types import RawAd

ROOT = Path(__file__).resolve().parents[1]
BLIND_DEV = ROOT / "tests" / "data" / "blind" / "dev"


class DataError(ValueError):
    """A labelled file is malformed; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class LabelledAd:
    raw: RawAd
    labels: dict[str, bool]
    split: str
    group: str
    network_size: int = 0
    author: str = "synthetic"
    region: str = "BE"
    aliases: tuple[str, ...] = ()


def _rows(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise DataError(f"{path}:{n}: not JSON: {exc}") from exc
            if not isinstance(row, dict):
                raise DataError(f"{path}:{n}: expected an object")
            yield n, row


def _blind(path: Path, n: int, row: dict[str, object], split: str) -> LabelledAd:
    expected = row["expected"]
    if not isinstance(expected, dict):
        raise DataError(f"{path}:{n}: 'expected' must be an object")
    raw = RawAd(
        site="blind",
        ad_id=str(row["id"]),
        url="",
        title=str(row.get("title") or ""),
        text=str(row.get("text") or ""),
        location_text=str(row.get("location_text") or ""),
        lang=str(row["lang"]) if row.get("lang") else None,
    )
    author = str(row.get("author") or "blind")
    return LabelledAd(
        raw,
        {t: bool(expected[t]) for t in TARGETS},
        split,
        group=f"{author}:{row['id']}",
        author=author,
        region=str(row.get("region") or "BE"),
        aliases=tuple(str(a) for a in expected.get("aliases") or ()),
    )


def _synthetic(path: Path, n: int, row: dict[str, object]) -> LabelledAd:
    raw = RawAd(
        site="labelled",
        ad_id=str(row["id"]),
        url="",
        title=str(row["title"]),
        text=str(row["text"]),
        lang=str(row["lang"]) if row.get("lang") else None,
        contact_text=str(row.get("contact") or ""),
    )
    author = "synthetic" if str(row["id"]).startswith("syn-") else path.stem
    return LabelledAd(
        raw,
        {t: bool(row[t]) for t in TARGETS},
        str(row.get("split", "train")),
        group=str(row.get("family", row["id"])),
        network_size=int(str(row.get("network_size") or 0)),
        author=author,
    )


def load_dir(directory: Path, *, split: str | None = None) -> list[LabelledAd]:
    """Every labelled ad of `directory`'s *.jsonl files, either format.

    A blind-corpus file (`ads.jsonl` with `expected`) gets `split` (default: the directory's
    name, "dev" or "sealed"); `phones.jsonl` holds no ad and is skipped."""
    ads: list[LabelledAd] = []
    for path in sorted(directory.glob("*.jsonl")):
        if path.name == "phones.jsonl":
            continue
        for n, row in _rows(path):
            try:
                if "expected" in row:
                    ads.append(_blind(path, n, row, split or directory.name))
                else:
                    ads.append(_synthetic(path, n, row))
            except (KeyError, TypeError, ValueError) as exc:
                raise DataError(f"{path}:{n}: bad labelled ad: {exc}") from exc
    if not ads:
        raise DataError(f"{directory}: no labelled ads (*.jsonl)")
    return ads


def training_ads(data: Path = DATA_DIR, extra: Sequence[Path] = (BLIND_DEV,)) -> list[LabelledAd]:
    """The training material: `data`'s training split plus every ad of the `extra` directories
    (the blind corpus' dev half by default). Never a test or sealed split."""
    ads = [a for a in load_dir(data) if a.split != "test"]
    for directory in extra:
        if directory.name == "sealed":
            raise DataError(f"{directory}: the sealed split is scored, never trained on")
        ads += load_dir(directory, split="train")
    return ads


def hand(author: str) -> str:
    """Who wrote an ad, for weighting: the synthetic generator and the hand-written ads are one
    hand (the team that wrote the lexicon); each blind-corpus author is their own."""
    return "team" if author in ("synthetic", "handwritten") else author


def examples_of(ads: Sequence[LabelledAd]) -> tuple[list[Example], list[str]]:
    """The model's training examples of `ads` and the hand of each."""
    examples = [
        example(a.raw, a.labels, group=a.group, region=a.region, network_size=a.network_size)
        for a in ads
    ]
    return examples, [hand(a.author) for a in ads]


def excluded_words(ads: Sequence[LabelledAd] = ()) -> frozenset[str]:
    """Words never learned as wording, as canonical single words: the gazetteer's place names,
    the synthetic generator's first names and the aliases labelled in `ads` (a name the alias
    extractor misses must not become a learned reason)."""
    from models.data.pools import NAMES
    from pipeline.gazetteer import gazetteer

    forms = [*gazetteer().words, *NAMES, *(n for a in ads for n in a.aliases)]
    return frozenset(t.text for form in forms for t in tokens(form) if t.text.isalpha())
