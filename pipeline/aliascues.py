"""Names an ad gives by where it puts them rather than by a trigger phrase (`pipeline.aliases`
reads the phrases): "Name, 29" and "Name (27)" (`pipeline.ages.name_age_pairs`), a list of names
("Ramona, Alina, Georgiana et Roberta", "Crystal, Amber & Nikki"), a name right before a phone
number ("Emma 0477 92 03 15", "Annelies: 32487672248"), and a name standing alone at the start of
the text, of a line or after an emoji ("Kim 🌷 very young", "🌸 Tori, brand new").

Each position is a cue of some strength (`pipeline.names`): a list of three names or a name
before an age is a medium cue; a lone word before a phone or after an emoji is a weak one, taken
only for a listed first name that is no common word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from pipeline.ages import name_age_pairs
from pipeline.names import MEDIUM, WEAK, is_place, plausible


class Cue(NamedTuple):
    start: int  # offsets in the normalised text
    end: int
    text: str


_WORD = r"[^\W\d_]{2,24}(?:-[^\W\d_]{2,24})?"
# Capitalised words joined by commas or "and": the scan only starts at a capital letter.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ž\u0410-\u042f\u0401"
_CAP_WORD = rf"[{_UPPER}][^\W\d_]{{1,23}}(?:-[^\W\d_]{{2,24}})?"
_JOIN = r"(?:\s*,\s*|\s+(?:et|and|en|y|și|si|und|e|i|и)\s+|\s*[&+]\s*)"
# (each name may carry a short note in parentheses: "Bianca (roumaine), Kim (thaï) et Daria")
_NOTE = r"(?:[ \t]*\([^()\n]{1,30}\))?"
_LIST = re.compile(  # (the look-behind after the first letter: the scan starts at a capital)
    rf"[{_UPPER}](?<![\w-].)[^\W\d_]{{1,23}}(?:-[^\W\d_]{{2,24}})?{_NOTE}"
    rf"(?:{_JOIN}{_CAP_WORD}{_NOTE})+(?![\w-])"
)
_PARENS = re.compile(r"\([^()\n]*\)")
_MEMBER = re.compile(_WORD)
_CONJUNCTION = frozenset(("et", "and", "en", "y", "și", "si", "und", "e", "i", "и"))
# A phone number's first six digits, then the name right before it (at most four non-word
# characters between): found from the digits, far rarer than words.
_DIGITS = re.compile(r"[+(\d](?<!\d\d)(?:[ .\-/()]{0,2}\d){5}")
# (read backwards: one anchored match on the reversed text before the digits)
_NAME_BEFORE_DIGITS = re.compile(r"[^\w\n]{0,4}((?:[^\W\d_]{2,24}-)?[^\W\d_]{2,24})(?![\w-])")
# A word alone after a symbol or emoji, or at the start of the text or of a line, and before a
# comma, a parenthesis or a symbol. Scanned from the symbol or the line break (rarer than letters).
_AFTER = rf"[ \t]*({_WORD})(?=[ \t]*(?:[,(]|[^\w\s.'’-]))"
_ALONE = re.compile(rf"[^\w\s,.;:!?'’\"()&/+\-]{_AFTER}")
_LINE_START = re.compile(rf"\n[ \t]*[-*·•▸►]?{_AFTER}")


def _ok(word: str, cue: int) -> bool:
    return word[0].isupper() and not is_place(word) and plausible(word, cue)


def _list_names(text: str) -> Iterator[Cue]:
    """The names of a list of capitalised words: three or more of which most may be names, or
    two that are both listed first names."""
    for m in _LIST.finditer(text):
        body = _PARENS.sub(lambda p: " " * len(p.group()), m.group())  # notes are no names
        members = [w for w in _MEMBER.finditer(body) if w.group() not in _CONJUNCTION]
        run: list[re.Match[str]] = []
        for w in [*members, None]:
            if w is not None and w.group()[0].isupper():
                run.append(w)
                continue
            if len(run) >= 2:
                good = [r for r in run if _ok(r.group(), MEDIUM)]
                if (len(run) >= 3 and 2 * len(good) > len(run)) or (
                    len(run) == 2 and all(_ok(r.group(), WEAK) for r in run)
                ):
                    for r in good:
                        yield Cue(m.start() + r.start(), m.start() + r.end(), r.group())
            run = []


def cue_names(text: str, field: str = "text") -> Iterator[Cue]:
    """Every name `text` gives by its position, in no particular order. In a site's contact
    field ("Lola : 0470…") only a name before a phone number is read; in a title, not the
    lists and lone words either, which the title rules read."""
    for d in _DIGITS.finditer(text):
        pos = d.start()
        m = _NAME_BEFORE_DIGITS.match(text[max(0, pos - 30) : pos][::-1])
        if m and _ok(word := text[pos - m.end(1) : pos - m.start(1)], WEAK):
            yield Cue(pos - m.end(1), pos - m.start(1), word)
    if field == "contact":
        return
    for start, end, _, _ in name_age_pairs(text):
        yield Cue(start, end, text[start:end])
    if field == "title":  # lists and lone words of a title: `pipeline.aliases`' title rules
        return
    yield from _list_names(text)
    first = _LINE_START.match("\n" + text)  # the text's own start, as a line's
    alone = [*_ALONE.finditer(text), *_LINE_START.finditer(text)]
    if first:
        yield from _alone(text, first.start(1) - 1, first.end(1) - 1)
    for m in alone:
        yield from _alone(text, m.start(1), m.end(1))


def _alone(text: str, start: int, end: int) -> Iterator[Cue]:
    if _ok(text[start:end], WEAK):
        yield Cue(start, end, text[start:end])
