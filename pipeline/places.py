"""Places an ad names — Brussels communes, neighbourhoods, postcodes, other cities — and the zone.

`find_places` reads every mention in one field; `resolve_place` (`pipeline.placeresolve`)
decides, over all mentions of an ad, the most specific place they agree on. Names come from the
gazetteer (`data/brussels.yaml`); matching is case-, accent- and hyphen-insensitive and on whole
words only; a name one typo away is guessed under guards (`pipeline.placefuzzy`).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple

from pipeline.gazetteer import Entry, Gazetteer, fold_wide, gazetteer
from pipeline.placefuzzy import fuzzy_hits, longer_name
from pipeline.placeresolve import resolve_place
from pipeline.profilefields import place_labels
from pipeline.text import NormText
from pipeline.types import Place, Span

__all__ = ["find_places", "resolve_place"]

logger = logging.getLogger(__name__)

MAX_CHARS = 50_000  # a field is read up to here: far beyond any ad, a bound for adversarial input
_POSTCODE = re.compile(r"1\d{3}(?!\d)")  # starts with a literal: a fast scan
_DIGIT_BEFORE = re.compile(r"\d[\s.\-/]?$")
_DIGIT_AFTER = re.compile(r"^[\s.\-/,]?\d")
_UNIT_AFTER = re.compile(
    r"^\s*(?:€|\$|£|%|eur|euro|chf|fr\b|h\b|x\b|cm|kg|km|m\b|min|k\b|e\b|ans\b|jaar|years?|yo\b)",
    re.IGNORECASE,
)
_POSTCODE_LEFT = re.compile(
    r"(?:\bb|\bbe|\(|code postal|postcode|postal code|zip|\bcp)\s*[-:]?\s*$", re.IGNORECASE
)
# Where a bare postcode is a place: "incall in 1170", "je reçois dans le 1090", "ik ontvang in
# 1060", "quartier 1030" (the units, hours and prices are ruled out before this is asked).
# The place labels of a profile block in any language ("Location: 1180", "Zona: 1050",
# "Lokalizacja: 1070") count as well.
_PLACE_LABELS = "|".join(re.escape(w).replace(r"\ ", r"\s") for w in place_labels())
_POSTCODE_WHERE = re.compile(
    r"(?<![^\W\d_])(?:in|dans|dans le|à|au|op|te|near|around|nabij|bij|vlakbij|omgeving|"
    r"area|zone|quartier|wijk|regio|région|region|secteur|commune|gemeente|buurt|"
    rf"{_PLACE_LABELS})\s*[:\-]?\s*$",
    re.IGNORECASE,
)
# A place word right before a context name: "à Forest", "in Jette", "métro Bourse", …
_LOCATIVE = re.compile(
    r"(?<!\S)(?:au|aux|in|te|to|op|near|nabij|bij|vlakbij|naar|vers|sur|from|uit|commune|"
    r"gemeente|quartier|wijk|area|region|zone|secteur|metro|station|gare|arret|halte|pres|"
    r"proche|around|omgeving|buurt|bruxelles|brussel|brussels|bxl|place|plein|rue|avenue|square|"
    r"parc|park|incall|outcall|ontvang|ontvangst|recoit|recois|receives|based|located|gelegen|"
    r"deux\s+pas|close\s+to|next\s+to|dichtbij|naast|nahe|cerca|perto|"
    # where the workers' ads say they live or work: "vivo en Forest", "moro em Jette"
    r"(?:vivo|vivimos|estoy|estamos|trabajo|moro|estou|lavoro|sono|mieszkam|jestem)\s+"
    r"(?:en|em|no|na|a|in|w))"
    r"(?:\s+(?:de|la|le|l|les|du|des|het|the)){0,2}\s*$"
)
# "à Forest", "à la Bourse", "à l'Yser"; a bare "a" is the English article
_A_GRAVE = re.compile(r"(?<!\S)[àÀ](?:\s+la\s+|\s+l['’]|\s+)$")
# A street whose name holds a city's name: "chaussée de Charleroi" is no trip to Charleroi.
_STREET_BEFORE = re.compile(
    r"(?<!\S)(?:rue|avenue|av|chaussee|chee|steenweg|boulevard|bd|blvd|porte|place|pl|quai|"
    r"square|dreve|allee|galerie|gare|station|route|chemin|straat|laan|plein|poort|road|street)"
    r"\s*(?:de la|de|du|des|d|van|of)?\s*$"
)
# A context name that is a whole sentence or line by itself ("… 0477 40 31 28. Jette."): a
# place, not the verb or the common noun, which never stand alone.
# A title's segments are set apart by dashes too: "Nouvelles filles chaque semaine - Bourse".
_ALONE_BEFORE = re.compile(r"(?:^|[.!?|\n•·]\s*|\s[-–—]\s*)$")
_ALONE_AFTER = re.compile(r"\s*(?:$|[.!?|\n•·])|\s+[-–—]\s")  # match() anchors at its pos
# A bare postcode that is a segment by itself — a sentence ("… a little French. 1180."), the last
# item of a title ("Ontspannen avond, 1180"), a bullet — with no digit near (not a phone's group,
# not a list of prices): a place. Hours, prices and units are ruled out before this is asked.
_CODE_ALONE_BEFORE = re.compile(r"(?:^|[.!?|\n•·,;()\[\]–—]\s*)$")
_CODE_ALONE_AFTER = re.compile(r"\s*(?:$|[.!?|\n•·,;()\[\]–—])")  # match() anchors at its pos
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?]\s+$")
_JOINER = re.compile(r"^(?:[\s,;/()&+\-|]|et|and|en|ou|or|of)*$")


class _Hit(NamedTuple):
    start: int
    end: int
    entry: Entry | None  # None: a postcode
    postcode: str | None = None


def _adjacent(text: str, a: _Hit, b: _Hit) -> bool:
    """True when a and b follow each other with only separators between ("1050 Ixelles")."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    gap = text[first.end : second.start]
    return first.end <= second.start and len(gap) <= 6 and bool(_JOINER.match(gap.lower()))


def _name_hits(g: Gazetteer, text: str, folded: str, location: bool) -> list[_Hit]:
    hits = []
    for m in g.pattern.finditer(" " + folded):  # offsets in folded: m.start(1) - 1
        start, end = m.start(1) - 1, m.end(1) - 1
        entry = g.entries.get("".join(m.group(1).split()))
        if entry is None:  # cannot happen: every form has a key
            continue
        longer = longer_name(folded, start, end)  # "Sint-Gillis-Was": Sint-Gillis-Waas
        if longer is not None:
            end, entry = longer
        hits.append(_Hit(start, end, entry))
    # A typo is guessed only in a field that names no place of a zone exactly: "Ixeles" alone,
    # "Bruxelles, Anderlech" — never a second, misspelt place beside a sure one.
    if not any(h.entry is not None and h.entry.zone is not None for h in hits):
        taken = [(h.start, h.end) for h in hits]
        hits += [_Hit(*found) for found in fuzzy_hits(text, folded, location, taken)]
    return [
        h
        for h in hits
        if not (
            h.entry is not None
            and h.entry.kind == "city"
            and _STREET_BEFORE.search(folded, max(0, h.start - 24), h.start)
        )
    ]


def _postcode_hits(g: Gazetteer, text: str) -> list[_Hit]:
    hits = []
    for m in _POSTCODE.finditer(text):
        code = m.group()
        if code not in g.postcodes or (m.start() > 0 and text[m.start() - 1].isalnum()):
            continue
        left, right = text[max(0, m.start() - 20) : m.start()], text[m.end() : m.end() + 12]
        if _DIGIT_BEFORE.search(left) or _DIGIT_AFTER.match(right) or _UNIT_AFTER.match(right):
            continue
        if left.rstrip().endswith(("€", "$", "£", "+", "n°", "no", "nr", "#")):
            continue
        hits.append(_Hit(m.start(), m.end(), None, code))
    return hits


def _near(text: str, hit: _Hit, others: list[_Hit], starts: list[int]) -> bool:
    """Is one of `others` (sorted by start; `starts` their starts) adjacent to `hit`? Only the
    hits starting within a name's length of it are looked at: linear over a text."""
    lo = bisect_left(starts, hit.start - _LONGEST_NAME)
    hi = bisect_right(starts, hit.end + 6)
    return any(_adjacent(text, hit, o) for o in others[lo:hi])


def _alone(text: str, hit: _Hit) -> bool:
    left = max(0, hit.start - 8)
    # (figures before a sentence end belong to the sentence before: "… 0493 02 71 58. 1080")
    end = _SENTENCE_END.search(text, left, hit.start)
    if end is not None:
        left = end.end()
    return bool(
        _CODE_ALONE_BEFORE.search(text, max(0, hit.start - 3), hit.start)
        and _CODE_ALONE_AFTER.match(text, hit.end, hit.end + 3)
        and not _DIGIT.search(text, left, hit.start)
    )


_LONGEST_NAME = 64  # characters: longer than any gazetteer name


def _accepted(
    text: str, folded: str, field: str, names: list[_Hit], codes: list[_Hit]
) -> list[_Hit]:
    location = field == "location"
    names = sorted(names, key=lambda h: h.start)
    name_starts = [n.start for n in names]
    kept_codes = [
        c
        for c in codes
        if location
        or _POSTCODE_LEFT.search(text[max(0, c.start - 20) : c.start])
        or _POSTCODE_WHERE.search(text[max(0, c.start - 20) : c.start])
        or _near(text, c, names, name_starts)
        or _alone(text, c)
    ]
    sure = [n for n in names if n.entry is not None and not n.entry.needs_context]
    kept = list(sure)
    anchors = sorted([*sure, *kept_codes], key=lambda h: h.start)
    anchor_starts = [a.start for a in anchors]
    for n in names:
        if n.entry is None or not n.entry.needs_context:
            continue
        if location or (
            text[n.start].isupper()
            and (
                _LOCATIVE.search(folded, max(0, n.start - 24), n.start)
                or _A_GRAVE.search(text, max(0, n.start - 6), n.start)
                or _near(text, n, anchors, anchor_starts)
                or (
                    _ALONE_BEFORE.search(text, max(0, n.start - 4), n.start)
                    and _ALONE_AFTER.match(text, n.end, n.end + 4)
                )
            )
        ):
            kept.append(n)
    return sorted([*kept, *kept_codes], key=lambda h: h.start)


_Key = tuple[str | None, str | None, str | None, bool]  # commune, zone, postcode, in_brussels


def _meaning(g: Gazetteer, hit: _Hit) -> _Key:
    if hit.entry is not None:
        e = hit.entry
        return e.commune, e.zone, None, e.in_brussels
    code = hit.postcode or ""
    communes = g.postcodes[code]
    zones = g.zones_of_postcode(code)
    commune = communes[0] if len(communes) == 1 else None
    zone = next(iter(zones)) if len(zones) == 1 else None
    return commune, zone, code, True


def _communes_outrank_landmarks(hits: list[_Hit]) -> list[_Hit]:
    """In one field, a commune named outright outranks a landmark, street or square of another
    zone: "à Saint-Gilles, Porte de Hal côté Saint-Gilles", "Ixelles, près de la gare du Midi".
    A landmark is often only near the place ("near", "côté", "à deux pas de"); a commune's name is
    a statement of where. Several communes of different zones still conflict (resolve_place)."""
    zones = {
        h.entry.zone
        for h in hits
        if h.entry is not None and h.entry.kind == "commune" and h.entry.in_brussels
    }
    if not zones:
        return hits
    return [
        h
        for h in hits
        if h.entry is None or h.entry.kind not in ("landmark", "street") or h.entry.zone in zones
    ]


def find_places(doc: NormText, field: str) -> list[Place]:
    """Every place `doc` names, one Place per distinct meaning, its spans in text order."""
    if field == "location" and len(doc.text) <= _CACHE_CHARS:
        return list(_find_places_cached(doc, field))  # a site's few location values repeat
    return _find_places(doc, field)


_CACHE_CHARS = 200


@lru_cache(maxsize=256)
def _find_places_cached(doc: NormText, field: str) -> tuple[Place, ...]:
    return tuple(_find_places(doc, field))


def _find_places(doc: NormText, field: str) -> list[Place]:
    g = gazetteer()
    text = doc.text
    if len(text) > MAX_CHARS:
        logger.warning("place search reads the first %d of %d characters", MAX_CHARS, len(text))
        text = text[:MAX_CHARS]
    folded = fold_wide(text)
    hits = _communes_outrank_landmarks(
        _accepted(
            text,
            folded,
            field,
            _name_hits(g, text, folded, field == "location"),
            _postcode_hits(g, text),
        )
    )
    spans: dict[_Key, list[Span]] = {}
    for hit in hits:
        spans.setdefault(_meaning(g, hit), []).append(doc.span(field, hit.start, hit.end))
    return [Place(*key, tuple(found)) for key, found in spans.items()]
