"""Score the extractors against the labelled corpus of `tests/data/extraction/`.

Phones are scored per text (`phones.jsonl`) and per ad (`ads.jsonl`): the found and expected
E.164 numbers are compared as sets, and true/false positives and misses are summed over the
corpus (micro-averaged precision, recall, F1). Aliases (case-folded) and ages are scored the same
way over the ads. Zone and commune are exact-match accuracy, where "no zone" must be found as
None. Every disagreement is kept as a `Miss` so that it can be listed.

The extractors are called exactly as `pipeline.analyze` calls them (same fields, same merging by
value), but without the risk model, whose cost and results are not the extractors'.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ages import find_ages
from pipeline.aliases import find_aliases
from pipeline.gazetteer import gazetteer, name_key
from pipeline.phones import find_phones
from pipeline.places import find_places, resolve_place
from pipeline.text import normalise
from pipeline.types import Place

PHONES_FILE = "phones.jsonl"
GROUP_KEYS = ("author", "lang")
ADS_FILE = "ads.jsonl"

# The thresholds the issue sets ("the test suite fails below").
THRESHOLDS: dict[str, tuple[str, float]] = {
    "phones": ("f1", 0.98),
    "zone": ("accuracy", 0.97),
    "ages": ("f1", 0.95),
    "aliases": ("f1", 0.90),
}


class CorpusError(ValueError):
    """The labelled corpus is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Miss:
    """One disagreement: which item, what was expected, what was found."""

    item: str
    expected: str
    found: str


@dataclass(slots=True)
class SetScore:
    """Micro-averaged precision, recall and F1 of set-valued extractions."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[Miss] = field(default_factory=list)

    def add(self, item: str, expected: Iterable[object], found: Iterable[object]) -> None:
        want, got = set(expected), set(found)
        self.tp += len(want & got)
        self.fp += len(got - want)
        self.fn += len(want - got)
        if want != got:
            self.misses.append(Miss(item, _show(want), _show(got)))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Accuracy:
    """Exact-match accuracy of a single-valued extraction (None is a value)."""

    right: int = 0
    total: int = 0
    misses: list[Miss] = field(default_factory=list)

    def add(self, item: str, expected: object, found: object) -> None:
        self.total += 1
        if expected == found:
            self.right += 1
        else:
            self.misses.append(Miss(item, str(expected), str(found)))

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass(slots=True)
class Report:
    """Scores per field: `phones` (texts and ads together), `phone_texts`, `ad_phones`,
    `aliases`, `ages` (set scores) and `zone`, `commune`, `city` (accuracies; `commune` is the
    Brussels commune, `city` the place outside Brussels, case-insensitive)."""

    sets: dict[str, SetScore] = field(default_factory=dict)
    accuracies: dict[str, Accuracy] = field(default_factory=dict)
    # The same scores per group of records ("author=…", "lang=…"), for corpora whose records
    # name their author and language (the blind corpus of tests/data/blind/).
    groups: dict[str, Report] = field(default_factory=dict)

    def value(self, name: str, metric: str) -> float:
        if name in self.accuracies:
            return self.accuracies[name].accuracy
        score = self.sets[name]
        return float(getattr(score, metric))

    def failures(self) -> list[str]:
        """The thresholds of THRESHOLDS that are not met, as readable lines."""
        return [
            f"{name} {metric} {self.value(name, metric):.3f} < {floor}"
            for name, (metric, floor) in THRESHOLDS.items()
            if self.value(name, metric) < floor
        ]


def _show(values: set[Any]) -> str:
    return "[" + ", ".join(sorted(map(str, values))) + "]"


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    with path.open(encoding="utf-8") as lines:
        for no, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{no}: not JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise CorpusError(f"{path}:{no}: not a JSON object")
            yield record


def phones_in(text: str, *, region: str = "BE") -> list[str]:
    """The E.164 numbers the phone extractor finds in one text."""
    return [p.e164 for p in find_phones(normalise(text), "text", region=region)]


@dataclass(frozen=True, slots=True)
class AdFindings:
    phones: frozenset[str]
    aliases: frozenset[str]
    ages: frozenset[int]
    place: Place | None


def extract_ad(ad: dict[str, Any], *, region: str = "BE") -> AdFindings:
    """What the extractors find in one labelled ad, fields as `pipeline.analyze` reads them."""
    docs = {
        name: normalise(value)
        for name, key in (("title", "title"), ("text", "text"), ("location", "location_text"))
        if isinstance(value := ad.get(key), str) and value
    }
    lang = ad.get("lang") if isinstance(ad.get("lang"), str) else None
    phones = {p.e164 for name, doc in docs.items() for p in find_phones(doc, name, region=region)}
    aliases = {
        a.name.casefold()
        for name, doc in docs.items()
        if name != "location"
        for a in find_aliases(doc, name, lang=lang)
    }
    ages = {
        a.value
        for name, doc in docs.items()
        if name in ("title", "text")
        for a in find_ages(doc, name)
    }
    place = resolve_place([p for name, doc in docs.items() for p in find_places(doc, name)])
    return AdFindings(frozenset(phones), frozenset(aliases), frozenset(ages), place)


def _fold(name: object) -> str | None:
    """A city as the gazetteer knows it ("Anvers", "Antwerp" → "antwerpen"), else case-folded."""
    if not isinstance(name, str):
        return None
    entry = gazetteer().entries.get(name_key(name))
    if entry is not None and entry.kind == "city" and entry.commune:
        return entry.commune.casefold()
    return name.casefold()


def _expected(ad: dict[str, Any], key: str) -> Any:
    expected = ad.get("expected")
    if not isinstance(expected, dict) or key not in expected:
        raise CorpusError(f"ad {ad.get('id')!r}: no expected {key!r}")
    return expected[key]


def _groups(rec: dict[str, Any]) -> list[str]:
    return [f"{key}={rec[key]}" for key in GROUP_KEYS if isinstance(rec.get(key), str)]


def _region(rec: dict[str, Any], default: str) -> str:
    region = rec.get("region")
    return region.upper() if isinstance(region, str) and len(region) == 2 else default


class _Scorer:
    """Adds one record's comparison to the whole report and to each of its groups."""

    def __init__(self) -> None:
        self.report = Report()

    def _targets(self, rec: dict[str, Any]) -> list[Report]:
        return [self.report] + [
            self.report.groups.setdefault(g, Report()) for g in _groups(rec)
        ]

    def sets(self, rec: dict[str, Any], name: str, item: str, want: Any, got: Any) -> None:
        want, got = list(want), list(got)
        for report in self._targets(rec):
            report.sets.setdefault(name, SetScore()).add(item, want, got)

    def accuracy(self, rec: dict[str, Any], name: str, item: str, want: Any, got: Any) -> None:
        for report in self._targets(rec):
            report.accuracies.setdefault(name, Accuracy()).add(item, want, got)


def _combine_phones(report: Report) -> None:
    texts = report.sets.setdefault("phone_texts", SetScore())
    ads = report.sets.setdefault("ad_phones", SetScore())
    report.sets["phones"] = SetScore(
        texts.tp + ads.tp, texts.fp + ads.fp, texts.fn + ads.fn, texts.misses + ads.misses
    )
    for name in ("aliases", "ages"):
        report.sets.setdefault(name, SetScore())
    for name in ("zone", "commune", "city"):
        report.accuracies.setdefault(name, Accuracy())
    order = ["phones", "phone_texts", "ad_phones", "aliases", "ages"]
    report.sets = {name: report.sets[name] for name in order}


def evaluate(
    data: Path, *, region: str = "BE", extract: Callable[..., AdFindings] = extract_ad
) -> Report:
    """Score the extractors on the corpus in directory `data` (phones.jsonl, ads.jsonl).

    A record's own `region` (the country of the site it comes from) overrides `region`; records
    that name an `author` and a `lang` are also scored per author and per language."""
    scorer = _Scorer()
    for no, rec in enumerate(read_jsonl(data / PHONES_FILE), 1):
        text = rec.get("text")
        if not isinstance(text, str):
            raise CorpusError(f"{PHONES_FILE}:{no}: no text")
        item = f"{PHONES_FILE}:{no} {rec.get('id') or ''} {text!r}"
        found = phones_in(text, region=_region(rec, region))
        scorer.sets(rec, "phone_texts", item, rec.get("phones") or [], found)
    for ad in read_jsonl(data / ADS_FILE):
        item = str(ad.get("id"))
        found_ad = extract(ad, region=_region(ad, region))
        scorer.sets(ad, "ad_phones", item, _expected(ad, "phones"), found_ad.phones)
        scorer.sets(
            ad, "aliases", item, (a.casefold() for a in _expected(ad, "aliases")), found_ad.aliases
        )
        scorer.sets(ad, "ages", item, _expected(ad, "ages"), found_ad.ages)
        place = found_ad.place or Place(None, None, None, False, ())
        scorer.accuracy(ad, "zone", item, _expected(ad, "zone"), place.zone)
        scorer.accuracy(
            ad,
            "commune",
            item,
            _expected(ad, "commune"),
            place.commune if place.in_brussels else None,
        )
        if "city" in ad.get("expected", {}):
            scorer.accuracy(
                ad,
                "city",
                item,
                _fold(_expected(ad, "city")),
                None if place.in_brussels else _fold(place.commune),
            )
    report = scorer.report
    for one in (report, *report.groups.values()):
        _combine_phones(one)
    report.groups = dict(sorted(report.groups.items()))
    return report
