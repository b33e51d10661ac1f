"""The names an ad uses for the advertised person(s): "je m'appelle Lola", "moi c'est Lola",
"ik ben Sanne", "mijn naam is Noor", "I'm Jessica", "call me Bella", "Lola, 22 ans", names set
apart in a title ("❤ NIKITA ❤ new in Brussels"), several names in one ad ("Lola et Mia").

One regex over the folded text finds the triggers of French, Dutch and English (and a few of
the workers' languages: "soy", "sunt", "jestem", "me llamo"…); the words after each trigger are
read with small anchored regexes. `pipeline.aliascues` adds the names given by their position
("Ines, 31", "Lena (24), Mia (22)", "Kelly 0478…", lists of names).

Whether a word is a name is never read from a list of words to reject: `pipeline.names` weighs
what kept libraries know — Faker's first names of ~90 locales, wordfreq's word frequencies —
against the strength of the cue. A strong trigger ("je m'appelle", "my name is") takes any word
that is not very common; a weak one ("je suis", "I'm") only a capitalised one that is a first
name or a rare word; a word set apart in a title only a listed first name that is no common
word ("Fresh", "Mature", "ans", "FR" are common words of English or French and nobody's name).
The gazetteer's place names and numbers are never aliases. Names are returned in Title Case.

spaCy's tokenizer + `Matcher` were measured for this (pipeline/nlp.py): ~1-2 ms for a 600-character
ad against ~30 µs for these regexes, and `fr_core_news_sm` NER ~6 ms for one title — both far
over the budget of ≥ 1,500 ads/s per core for the whole analysis, so neither is on this path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import NamedTuple

from pipeline.aliascues import Cue, cue_names
from pipeline.aliaswords import (
    _COLON_AT,
    _HERALDS,
    _JOIN_AT,
    _JOIN_BEFORE,
    _KIND,
    _LOCATIVE,
    _SKIP,
    _TITLE_PART,
    _TRIGGER,
    _WHERE,
    _WORD_AT,
)
from pipeline.gazetteer import fold, gazetteer
from pipeline.names import MEDIUM, STRONG, WEAK, is_place, plausible
from pipeline.profilefields import NAME, line_labels
from pipeline.text import NormText
from pipeline.types import Alias, Span

logger = logging.getLogger(__name__)

MAX_CHARS = 50_000  # a field is read up to here: far beyond any ad, a bound for adversarial input


class _Word(NamedTuple):
    start: int  # offsets in the normalised text
    end: int
    text: str


def _alpha(word: str) -> bool:
    return all(part.isalpha() for part in word.split("-"))


def _is_name(word: str, *, need_capital: bool, cue: int = MEDIUM) -> bool:
    """True when `word` can be a name given a cue of strength `cue` (`pipeline.names`): a
    first name not too common a word, or a rare word; never a Brussels place."""
    if not 2 <= len(word) <= 24:
        return False
    if need_capital and not word[0].isupper():
        return False
    return not is_place(word) and plausible(word, cue)


def _title_case(word: str) -> str:
    return "-".join(part.capitalize() for part in word.split("-"))


def _names_after(text: str, pos: int, strong: bool) -> Iterator[_Word]:
    """The name(s) at `pos`, after at most three determiners or adjectives ("la belle Lola")."""
    m = _WORD_AT.match(text, pos)
    for _ in range(3):
        if m is None or m.group(1) in _WHERE:  # "je suis à Forest", "I'm in Jette": a place
            return
        if fold(m.group(1)) not in _SKIP:
            break
        m = _WORD_AT.match(text, m.end())
    need_capital = not strong
    cue = STRONG if strong else MEDIUM
    for _ in range(4):
        if m is None or not _is_name(m.group(1), need_capital=need_capital, cue=cue):
            return
        yield _Word(m.start(1), m.end(1), m.group(1))
        join = _JOIN_AT.match(text, m.end())
        if join is None:
            return
        m, need_capital, cue = _WORD_AT.match(text, join.end()), True, MEDIUM  # "Lola et Mia"


def _name_before(text: str, pos: int) -> _Word | None:
    """The capitalised name right before `pos` ("Lola, 22 ans"), separators allowed between."""
    lo = max(0, pos - 32)
    window = text[lo:pos].rstrip(" ,:(-–\t")
    parts = window.rsplit(None, 1)
    if not parts or (len(parts) == 1 and lo > 0):  # nothing, or a word cut by the window
        return None
    word = parts[-1]
    end = lo + len(window)
    if not _alpha(word) or not _is_name(word, need_capital=True):
        return None
    return _Word(end - len(word), end, word)


def _names_before(text: str, pos: int) -> list[_Word]:
    """The name before `pos` and, when joined to it, the name before that ("Lola et Mia ici",
    "Naomi and Océane welcome you")."""
    last = _name_before(text, pos)
    if last is None:
        return []
    names = [last]
    head = text[max(0, last.start - 8) : last.start]
    join = _JOIN_BEFORE.search(head)
    if join is not None:
        first = _name_before(text, last.start - (len(head) - join.start()))
        if first is not None:
            names.insert(0, first)
    return names


def _starts_sentence(text: str, pos: int) -> bool:
    """True when only spaces and sentence punctuation (or emoji) come between a sentence start
    and `pos`: "Lola here", "Hoi! Sanne hier", but not "je suis arrivée hier"."""
    before = text[:pos].rstrip()
    return not before or not before[-1].isalnum()


def _trigger_names(text: str) -> Iterator[_Word]:
    for m in _TRIGGER.finditer(" " + fold(text)):  # " " + text: the end in text is m.end() - 1
        end = m.end() - 1
        phrase = m.group("phrase")
        kind = _KIND[phrase.replace(" ", "")] if phrase else "age"
        if kind == "age":
            word = _name_before(text, m.start())
            if word is not None:
                yield word
        elif kind == "before":
            words = _names_before(text, m.start())
            if words and _starts_sentence(text, words[0].start):
                yield from words
        elif kind == "label":  # "Prénom : Eva" (strong); "name Ploy" (as after "I'm")
            colon = _COLON_AT.match(text, end)
            yield from _names_after(text, colon.end() if colon else end, strong=bool(colon))
        else:
            yield from _names_after(text, end, strong=kind == "strong")


def _place_ranges(text: str) -> list[tuple[int, int]]:
    """Where a title names a place ("Avenue Louise", "Jette"): no alias inside. Unlike the
    texts' triggers ("je m'appelle Jette"), nothing in a title tells a name from a place."""
    g = gazetteer()
    ranges = []
    for m in g.pattern.finditer(" " + fold(text)):
        entry = g.entries.get("".join(m.group(1).split()))
        if entry is not None:
            ranges.append((m.start(1) - 1, m.end(1) - 1))
    return ranges


def _segment_names(segment: list[_Word], previous: list[str]) -> list[_Word]:
    """The name(s) of one title segment; `previous[i]` is the word before `segment[i]`."""
    uniform = all(w.text[0].isupper() for w in segment)  # Title Case or ALL CAPS: no signal
    upper = [w.text.isupper() for w in segment]
    all_upper = all(upper)
    found = []
    for i, w in enumerate(segment):
        if not _is_name(w.text, need_capital=True, cue=WEAK) or fold(previous[i]) in _LOCATIVE:
            continue
        if (
            not uniform
            or len(segment) == 1
            or fold(previous[i]) in _HERALDS
            or (upper[i] and not all_upper)
        ):
            found.append(w)
    return found if len(found) <= 2 else []  # more is a sentence, not names


def _title_names(text: str) -> Iterator[_Word]:
    """Names set apart in a title. Segments are separated by anything that is not a word
    (emoji, punctuation, digits); a capitalised unknown word is a name if its segment has other
    words in lower case, or it stands alone, or follows "Sexy", "New", "Miss"…, or is in
    capitals among words that are not ("Gorgeous Latina VALENTINA")."""
    places = _place_ranges(text)  # in text order, not overlapping: walked with one index
    k = 0
    segment: list[_Word] = []
    previous: list[str] = []
    last = ""
    for m in [*_TITLE_PART.finditer(text), None]:
        if m is not None and m.group()[0].isalpha():
            while k < len(places) and places[k][1] <= m.start():
                k += 1
            if k == len(places) or not places[k][0] <= m.start():
                segment.append(_Word(m.start(), m.end(), m.group()))
                previous.append(last)
            last = m.group()
            continue
        yield from _segment_names(segment, previous)
        segment, previous, last = [], [], ""


def find_aliases(doc: NormText, field: str, *, lang: str | None = None) -> list[Alias]:
    """The names `doc` gives the advertised person(s), one Alias per name, spans in text order.

    `lang` (the ad's language, if known) is accepted for the analysis API; the triggers of all
    three languages are always tried, since Brussels ads mix them.
    """
    text = doc.text
    if len(text) > MAX_CHARS:
        logger.warning("alias search reads the first %d of %d characters", MAX_CHARS, len(text))
        text = text[:MAX_CHARS]
    names: list[_Word | Cue] = [*_trigger_names(text), *cue_names(text, field)]
    if field == "title":
        names += list(_title_names(text))
    # A profile block: "Imię: Kasia", "Név: Zsófi" give the name; "Cena:", "Zona:" are labels.
    labels = list(line_labels(text))
    starts = {label.start for label in labels}
    names = [w for w in names if w.start not in starts]
    for label in labels:
        if label.kind == NAME:
            names += _names_after(text, label.value, strong=True)
    found: dict[str, list[Span]] = {}
    seen: set[int] = set()
    for w in sorted(names, key=lambda w: w.start):
        if w.start not in seen:
            seen.add(w.start)
            found.setdefault(_title_case(w.text), []).append(doc.span(field, w.start, w.end))
    return [Alias(name, tuple(spans)) for name, spans in found.items()]
