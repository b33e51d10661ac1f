"""Phone numbers in ad text, however they are written.

The text is read as *units* (`phoneunits`): digit groups ("0470"), look-alike letters in digit
context ("O47O"), numbers in words ("septante"), each with its offsets; units that are plainly
something else (a price, an hour, a size, an age, a date, an IBAN) are blocked, and a run after a
reference word ("réf.", "TVA", "IBAN") is skipped. Neighbouring units joined only by separators
form a run; inside a run a small dynamic programme picks the numbers: each starts at a unit
beginning with 0, 00 or + (or, right after a phone cue such as "tél", any unit), ends at a unit
boundary, and must be valid for `phonenumbers` (`phoneplan`: the default region first, then the
neighbouring ones; the written grouping breaks ties, "06 12 34 56 78" is French, "06-12345678"
Dutch). Everything is linear in the text and cached where numbers repeat.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from pipeline.lookalike import SEPARATORS
from pipeline.phoneplan import MIN_INTL, Hit, choose, lookup
from pipeline.phoneunits import Unit, read_units, settle, word_before
from pipeline.text import NormText
from pipeline.types import PhoneMatch, Span

logger = logging.getLogger(__name__)

# Bounds for adversarial input, far beyond any real ad (which needs a few dozen of each): a field
# is read up to MAX_CHARS characters, at most MAX_LOOKUPS distinct candidates are checked against
# the numbering plans and at most MAX_STEPS candidates are weighed.
MAX_CHARS = 50_000
MAX_LOOKUPS = 500
MAX_STEPS = 20_000
_MIN_NATIONAL, _MAX_NATIONAL, _MAX_INTL = 9, 14, 17

_S = re.escape(SEPARATORS)
_JOIN = re.compile(rf"[{_S}]{{1,4}}")
_ORDINARY = frozenset(" .-/()\u2010\u2011\u2013\u2014")
_REFERENCE_WORDS = frozenset(
    ("ref", "réf", "reference", "référence", "id", "annonce", "order", "commande", "dossier")
    + ("facture", "invoice", "ticket", "tva", "btw", "vat", "bce", "kbo", "siret", "siren")
    + ("iban", "bic", "compte", "rekening", "account", "code", "ondernemingsnummer")
    + ("entreprise", "onderneming", "company", "bte", "bus", "boîte", "box", "postbus")
)
_CUE_WORDS = frozenset(
    ("tel", "tél", "telephone", "téléphone", "telefoon", "gsm", "phone", "call", "appel")
    + ("appelle", "appelez", "appeler", "bel", "bellen", "sms", "whatsapp", "wa", "signal")
    + ("telegram", "viber", "mobile", "mobiel", "portable", "numero", "numéro", "nummer")
    + ("nr", "n", "contact", "num", "no")
)
_CUE_SYMBOLS = frozenset("☎📞📱✆")


def _runs(text: str, units: list[Unit]) -> list[list[Unit]]:
    """Units joined by separators only, cut at blocked ones, that may hold a phone number."""
    runs: list[list[Unit]] = []
    run: list[Unit] = []
    for u in units:
        if u.blocked or u.plus:
            if run:
                runs.append(run)
            run = [] if u.blocked else [u]
        elif run and u.start - run[-1].end <= 4 and _JOIN.fullmatch(text, run[-1].end, u.start):
            run.append(u)
        else:
            if run:
                runs.append(run)
            run = [u]
    if run:
        runs.append(run)
    return runs


def _candidates(text: str, units: list[Unit]) -> list[list[Unit]]:
    """Runs worth a look: settled (blocked units cut them), with a unit that may start a number
    (0…, +…) or at least 8 digits after the first (it may follow a phone cue)."""
    out: list[list[Unit]] = []
    for raw in _runs(text, units):
        if len(raw) == 1 and len(raw[0].digits) < 8 and not raw[0].spoken:
            continue
        if sum(len(u.digits) for u in raw) < 8 and not any(
            u.digits[0] == "0" or text[u.start - 1 : u.start] in "+/=" for u in raw
        ):
            continue
        settle(text, raw)
        out.extend(_runs(text, raw))
    return out


_Key = tuple[str, bool, bool]


def _pick(
    run: list[Unit], default: str, cue: bool, budget: list[int], memo: dict[_Key, tuple[Hit, ...]]
) -> list[tuple[int, int, str, str]]:
    """Best set of numbers in a run: most digits covered by strong readings (international, of
    the default region, or grouped as their region groups them or not grouped at all); then by
    other readings; then the most numbers of the default region, then of grouping matches.

    `memo` holds this field's lookups; each new one spends one unit of `budget[0]`, each
    candidate weighed one of `budget[1]`.
    """
    n = len(run)
    best: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * (n + 1)
    pick: list[tuple[int, str, str] | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i] = best[i + 1]
        first = run[i]
        trunkless = cue and i == 0
        if budget[1] <= 0 or not (first.plus or first.digits[0] == "0" or trunkless):
            continue
        if first.digits.startswith("000"):
            continue
        digits = ""
        intl = first.plus or first.digits.startswith("00")
        least, most = (MIN_INTL, _MAX_INTL) if intl else (_MIN_NATIONAL, _MAX_NATIONAL)
        for j in range(i, n):
            budget[1] -= 1
            digits += run[j].digits
            if len(digits) > most or digits.startswith("000"):
                break
            if len(digits) < least:
                continue
            key = (digits, first.plus, trunkless)
            hits = memo.get(key)
            if hits is None:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
                hits = memo[key] = lookup(digits, first.plus, default, trunkless)
            if not hits:
                continue
            groups = tuple(len(u.digits) for u in run[i : j + 1])
            hit = choose(hits, digits, first.plus, groups, default)
            if hit is None:
                continue
            rest = best[j + 1]
            # Strong: not a foreign mobile whose written grouping says it is from elsewhere.
            strong = (
                intl
                or hit[1] == default
                or hit[2]
                or len(groups) == 1
                or max(groups) == 1
                or any(u.spoken for u in run[i : j + 1])
            )
            score = (
                rest[0] + len(digits) * strong,
                rest[1] + len(digits) * (not strong),
                rest[2] + (hit[1] == default),
                rest[3] + hit[2],
            )
            if score > best[i]:
                best[i], pick[i] = score, (j, hit[0], hit[1])
    out: list[tuple[int, int, str, str]] = []
    i = 0
    while i < n:
        chosen = pick[i]
        if chosen is None:
            i += 1
            continue
        out.append((i, chosen[0], chosen[1], chosen[2]))
        i = chosen[0] + 1
    return out


def _obfuscated(doc: NormText, text: str, units: list[Unit], start: int, end: int) -> bool:
    if any(u.obfuscated for u in units):
        return True
    if sum(len(u.digits) == 1 for u in units) >= 3:  # one separator per digit
        return True
    for a, b in zip(units, units[1:], strict=False):
        if any(c not in _ORDINARY for c in text[a.end : b.start]):
            return True
    if doc.index is not None:
        o_start, o_end = doc.to_original(start, end)
        quote = doc.original[o_start:o_end]
        if quote != doc.text[start:end]:
            return "".join(" " if c.isspace() else c for c in quote) != doc.text[start:end]
    return False


def _cue(text: str, head: int) -> bool:
    word, gap = word_before(text, head, 6)
    return word in _CUE_WORDS or any(c in _CUE_SYMBOLS for c in gap)


def _reference(text: str, head: int) -> bool:
    word, gap = word_before(text, head, 4)
    if word in _REFERENCE_WORDS or gap.endswith("#"):
        return True
    if len(word) == 2 and text[head - len(gap) - 2 : head - len(gap)].isupper():
        # a country code between: "TVA BE 0626.223.387", "BTW NL …"
        word, gap = word_before(text, head - len(gap) - 2, 4)
    return word in _REFERENCE_WORDS or gap.endswith("#")


def find_phones(doc: NormText, field: str, *, region: str = "BE") -> list[PhoneMatch]:
    """Every phone number in one field of an ad, one PhoneMatch per distinct number."""
    if len(doc.text) <= _CACHE_CHARS:
        return list(_find_phones_cached(doc, field, region))
    return list(_find_phones(doc, field, region))


_CACHE_CHARS = 20_000


@lru_cache(maxsize=16)  # contacts asks again for the phones next to "WhatsApp"
def _find_phones_cached(doc: NormText, field: str, region: str) -> tuple[PhoneMatch, ...]:
    return _find_phones(doc, field, region)


def _find_phones(doc: NormText, field: str, region: str) -> tuple[PhoneMatch, ...]:
    text = doc.text
    if len(text) < 6:
        return ()
    if len(text) > MAX_CHARS:
        logger.warning("phone search reads the first %d of %d characters", MAX_CHARS, len(text))
        text = text[:MAX_CHARS]
    look, units = read_units(text)
    found: dict[str, tuple[str, bool, list[Span]]] = {}
    budget, memo = [MAX_LOOKUPS, MAX_STEPS], dict[_Key, tuple[Hit, ...]]()
    budget_warned = False
    for run in _candidates(look, units):
        head = run[0].start
        if not (run[0].plus or any(u.digits[0] == "0" for u in run)):
            if len(run[0].digits) < 2 or not _cue(look, head):
                continue
            cue = True
        else:
            cue = not run[0].plus and run[0].digits[0] != "0" and _cue(look, head)
        picks = _pick(run, region, cue, budget, memo)
        if budget[1] <= 0 and not budget_warned:
            logger.warning("phone search stopped weighing candidates after %d", MAX_STEPS)
            budget_warned = True
        if not picks or _reference(look, head):
            continue
        for i, j, e164, chosen in picks:
            start, end = run[i].start, run[j].end
            if run[i].plus and look[start - 1 : start] == "+":
                start -= 1
            obfuscated = _obfuscated(doc, look, run[i : j + 1], start, end)
            span = doc.span(field, start, end)
            if e164 in found:
                reg, obf, spans = found[e164]
                spans.append(span)
                if obfuscated and not obf:
                    found[e164] = (reg, True, spans)
            else:
                found[e164] = (chosen, obfuscated, [span])
    return tuple(
        PhoneMatch(e164=e164, region=reg, obfuscated=obf, spans=tuple(spans))
        for e164, (reg, obf, spans) in found.items()
    )
