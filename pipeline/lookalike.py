"""Look-alike letters read as digits, but only where digits surround them.

"O47O l2 34 56" is a phone number written with the letter O for zero and l for one. Reading every
O as a zero would wreck ordinary words, so a letter becomes a digit only inside a digit context:

- in a token that mixes digits and look-alikes only ("O47O", "l2", "S6");
- as a short token made of look-alikes only ("O", "ll", "lO") standing next to such a token with
  nothing but separators in between; S and B (which also start ordinary words) need digits on
  both sides. A lone "|" is a separator, not a one, and so are bars between digit groups with
  no other look-alike in the token ("04|70|55|81|29").

`overlay` returns a copy of the text of the same length with those letters replaced, so every
offset stays valid, and the positions that were replaced (to mark a number as obfuscated).
"""

from __future__ import annotations

import re

LOOKALIKES: dict[str, str] = {
    "O": "0",
    "o": "0",
    "\u041e": "0",  # Cyrillic capital O
    "\u043e": "0",  # Cyrillic small o
    "\u039f": "0",  # Greek capital omicron
    "\u03bf": "0",  # Greek small omicron
    "l": "1",
    "I": "1",
    "|": "1",
    "\u0406": "1",  # Cyrillic capital byelorussian-ukrainian I
    "S": "5",
    "B": "8",
}
_AMBIGUOUS = frozenset("SB|")  # need digits on both sides when standing alone
_L = re.escape("".join(LOOKALIKES))
# Separators that may stand between the digits of one number.
SEPARATORS = (
    " .,-/\\_*~()[]|'"
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # hyphens, dashes, minus
    "\u00b7\u2022\u2219\u22c5\u30fb"  # middle dots and bullets
)
_S = re.escape(SEPARATORS)
# Cheap test: is any look-alike glued to a digit, or a short look-alike token near one?
_GATE = re.compile(
    rf"\d[{_L}]|[{_L}]\d|\d[{_S}]{{1,3}}[{_L}]{{1,4}}(?![^\W_])"
    rf"|(?<![^\W_])[{_L}]{{1,4}}[{_S}]{{1,3}}\d"
)
_TOKEN = re.compile(r"(?:[^\W_]|\|)+")
_GAP = re.compile(rf"[{_S}]{{0,3}}")
_MAX_PURE = 4


def _kind(tok: str) -> str:
    """D: digits only; M: digits and look-alikes; P: short look-alikes only; W: anything else."""
    if tok.isdigit():
        return "D" if tok.isascii() else "W"
    has_digit = False
    for c in tok:
        if "0" <= c <= "9":
            has_digit = True
        elif c not in LOOKALIKES:
            return "W"
    if has_digit:
        return "M"
    # a bar alone is a separator; with other look-alikes ("o|") it is ambiguous, see _AMBIGUOUS
    return "P" if len(tok) <= _MAX_PURE and tok.strip("|") else "W"


def _joined(text: str, start: int, end: int) -> bool:
    """Only separators between two tokens, and no sentence break (". ", ", ")."""
    if _GAP.fullmatch(text, start, end) is None:
        return False
    gap = text[start:end]
    return ". " not in gap and ", " not in gap


def overlay(text: str) -> tuple[str, list[int]]:
    """`text` with look-alikes in digit context replaced by digits, and the replaced offsets.

    Linear in len(text). Returns `text` itself and [] when nothing was replaced.
    """
    if _GATE.search(text) is None:
        return text, []
    tokens = [(m.start(), m.end(), _kind(m.group())) for m in _TOKEN.finditer(text)]
    n = len(tokens)
    # joined[k]: token k and token k+1 are separated by separators only.
    joined = [_joined(text, tokens[k][1], tokens[k + 1][0]) for k in range(n - 1)]
    left = [False] * n  # a digit-bearing token on the left, through joined tokens
    right = [False] * n
    for k in range(1, n):
        prev = tokens[k - 1][2]
        left[k] = joined[k - 1] and (prev in "DM" or (prev == "P" and left[k - 1]))
    for k in range(n - 2, -1, -1):
        nxt = tokens[k + 1][2]
        right[k] = joined[k] and (nxt in "DM" or (nxt == "P" and right[k + 1]))
    replaced: list[int] = []
    chars: list[str] | None = None
    for k, (start, end, kind) in enumerate(tokens):
        if kind == "P":
            ambiguous = any(c in _AMBIGUOUS for c in text[start:end])
            if not ((left[k] and right[k]) or (not ambiguous and (left[k] or right[k]))):
                continue
        elif kind != "M":
            continue
        # bars between digit groups and nothing else look-alike: separators ("04|70|55|81")
        bars_only = all(c == "|" or c.isdigit() for c in text[start:end])
        if chars is None:
            chars = list(text)
        for i in range(start, end):
            if bars_only and text[i] == "|":
                continue
            digit = LOOKALIKES.get(text[i])
            if digit is not None:
                chars[i] = digit
                replaced.append(i)
    if chars is None:
        return text, []
    return "".join(chars), replaced
