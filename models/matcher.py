"""Indicator matching: spaCy's PhraseMatcher over the canonical token stream of `models.tokens`.

Why not spaCy's tokenizer: on real ads a blank pipeline's tokenizer costs 40 µs–1.2 ms and the
rule `Matcher` ~0.9 ms (see `pipeline/nlp.py`), beyond the 1,500 ads/s budget. Building a `Doc`
from our own words and running the (Cython) PhraseMatcher costs tens of µs for a typical ad.
Youth, third-party and several-persons cues preceded by a negation or disclaimer ("no", "pas de",
"geen", "not an agency", "independent") do not fire; besides the shared negations below, a
language's own (its lexicon file's `negations`: Romanian "nu", Italian "mai", Bulgarian "не")
disarm only that file's cues, as "nu" is Dutch for "now" and "mai" Romanian for "more"; a cue so
disarmed takes down every match of its category on its span (the mixed file's "fete" in "nu avem
fete noi"). A span matched by several languages' entries of one category ("24/7") is one hit.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from models.lexicon import Entry, load_lexicon
from models.tokens import Token, canon, tokens
from models.types import Hit

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.vocab import Vocab

NEGATED_CATEGORIES = frozenset({"youth", "implausible_18", "third_party", "multiple_persons"})
NEGATIONS = frozenset(
    canon(w)  # canonical like the tokens
    for w in [
        "no",
        "not",
        "never",
        "without",
        "nor",
        "pas",
        "aucun",
        "aucune",
        "jamais",
        "sans",
        "ni",
        "geen",
        "niet",
        "nooit",
        "zonder",
        "noch",
        "sin",
        "fara",
        "ohne",
        "kein",
        "keine",
        "nem",
        "bez",
        "independent",
        "independante",
        "onafhankelijk",
        "own",
        "propre",
        "eigen",
    ]
)
_NEGATION_WINDOW = 3
_SEPARATOR = "\n"


class IndicatorMatcher:
    """Finds lexicon indicators in texts; one instance is shared (the matcher is built once)."""

    def __init__(self, entries: tuple[Entry, ...] | None = None) -> None:
        self.entries = entries if entries is not None else load_lexicon()
        self._by_code = {e.code: e for e in self.entries}

    @cached_property
    def _spacy(self) -> tuple[Vocab, PhraseMatcher]:
        from spacy.matcher import PhraseMatcher  # spaCy is slow to import: only when first used
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        vocab = Vocab()
        matcher = PhraseMatcher(vocab)
        for e in self.entries:
            matcher.add(e.code, [Doc(vocab, words=list(words)) for words in e.phrases])
        return vocab, matcher

    def match_tokens(self, toks: Mapping[str, list[Token]]) -> list[Hit]:
        """Hits in each field's tokens, with start/end offsets into that field's text.

        All fields go into one `Doc` (a separator no phrase contains keeps them apart): one Doc
        per ad costs less than one per field.
        """
        words: list[str] = []
        where: list[tuple[str, Token]] = []
        for field, seq in toks.items():
            if not seq:
                continue
            if words:
                words.append(_SEPARATOR)
                where.append((field, seq[0]))
            words.extend(t.text for t in seq)
            where.extend((field, t) for t in seq)
        if not words:
            return []
        from spacy.tokens import Doc

        vocab, matcher = self._spacy
        found: list[tuple[Entry, int, int]] = []
        disarmed: list[tuple[str, int, int]] = []
        for match_id, start, end in matcher(Doc(vocab, words=words)):
            entry = self._by_code[vocab.strings[match_id]]
            if entry.category in NEGATED_CATEGORIES and _negated(words, start, entry.negations):
                disarmed.append((entry.category, start, end))
                continue
            found.append((entry, start, end))
        if disarmed:  # "nu avem fete noi": the mixed file's "fete" falls with the Romanian cue
            found = [
                (e, start, end)
                for e, start, end in found
                if not any(c == e.category and s < end and start < x for c, s, x in disarmed)
            ]
        hits: list[tuple[int, Hit]] = []
        kept: list[tuple[str, int, int]] = []
        # One cue once: of the overlapping matches of one category ("24/7" is in every
        # language's lexicon; "girls" inside "three girls") the longest is kept.
        for entry, start, end in sorted(found, key=lambda m: (m[1] - m[2], m[1])):
            if any(c == entry.category and s < end and start < e for c, s, e in kept):
                continue
            kept.append((entry.category, start, end))
            field, first = where[start]
            last = where[end - 1][1]
            hit = Hit(entry.code, entry.category, entry.description, field, first.start, last.end)
            hits.append((start, hit))
        hits.sort(key=lambda sh: sh[0])
        return [h for _, h in hits]

    def match(self, fields: Mapping[str, str]) -> list[Hit]:
        return self.match_tokens({name: tokens(text) for name, text in fields.items() if text})


def _negated(words: list[str], start: int, own: frozenset[str] = frozenset()) -> bool:
    """A shared negation, or one of the matched entry's language (`own`), within the window."""
    before = words[max(0, start - _NEGATION_WINDOW) : start]
    if _SEPARATOR in before:
        before = before[before.index(_SEPARATOR) + 1 :]
    return any(w in NEGATIONS or w in own for w in before)
