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
_JOIN = r"(?:\s*,\s*|\s+(?:et|and|en|y|și|si|und|e|i|и)\s+|\s*[&+]\s*)"
_LIST = re.compile(rf"(?<![\w-]){_WORD}(?:{_JOIN}{_WORD})+(?![\w-])")
_MEMBER = re.compile(_WORD)
_CONJUNCTION = frozenset(("et", "and", "en", "y", "și", "si", "und", "e", "i", "и"))
# A name, then at most four non-word characters, then a phone number's first six digits.
_BEFORE_PHONE = re.compile(rf"(?<![\w-])({_WORD})[^\w\n]{{0,4}}(?=[+(]?(?:\d[ .\-/()]?){{6}})")
# A word alone between the text's or a line's start, or a symbol or emoji, and a comma, a
# parenthesis, a symbol or the line's end.
_ALONE = re.compile(
    rf"(?:^|(?<=\n)|(?<=[^\w\s,.;:!?'’\"()&/+-]))[ \t]*({_WORD})(?=[ \t]*(?:[,(]|[^\w\s.'’-]))",
    re.MULTILINE,
)


def _ok(word: str, cue: int) -> bool:
    return word[0].isupper() and not is_place(word) and plausible(word, cue)


def _list_names(text: str) -> Iterator[Cue]:
    """The names of a list of capitalised words: three or more of which most may be names, or
    two that are both listed first names."""
    for m in _LIST.finditer(text):
        members = [w for w in _MEMBER.finditer(m.group()) if w.group() not in _CONJUNCTION]
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


def cue_names(text: str) -> Iterator[Cue]:
    """Every name `text` gives by its position, in no particular order."""
    for start, end, _, _ in name_age_pairs(text):
        yield Cue(start, end, text[start:end])
    yield from _list_names(text)
    for m in _BEFORE_PHONE.finditer(text):
        if _ok(m.group(1), WEAK):
            yield Cue(m.start(1), m.end(1), m.group(1))
    for m in _ALONE.finditer(text):
        if _ok(m.group(1), WEAK):
            yield Cue(m.start(1), m.end(1), m.group(1))
