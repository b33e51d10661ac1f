"""Phone numbers in ad text, however they are written, in any region.

First libphonenumber's own matcher (`phonelib`): Vigie finds at least what it finds. Then the
text is read as *units* (`phoneunits`): digit groups ("0470"), look-alike letters in digit
context ("O47O", "S8"), numbers in words, alone or glued to digits ("septante", "4Six2",
"04zeven1"), each with its offsets; units that are plainly something else (a price, an hour, a
size, an age, a date, an IBAN) are blocked, and a run after a reference word ("réf.", "TVA",
"IBAN") is skipped. Neighbouring units joined by anything but letters, digits and colons (up to
6 characters: separators, symbols, emoji, a line break) or by a short phrase in brackets form a
run; inside a run a small dynamic programme (`phonepick`) picks the numbers. The country of a
national number comes, in this order, from its plan (+, 00 or a bare country code), a country
the text names with it, the site's region, a country named by it in passing, a country named
elsewhere in the text (`phonecountry`); failing all, it is read in every country where it is
valid and reported with those `candidates` (ambiguous). Where the library and this reading
disagree on the same characters, the library's reading stands unless the text names the
country. Everything is linear in the text and cached where numbers repeat.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from functools import lru_cache

from pipeline.phonecountry import find_cues, near_cues, text_regions
from pipeline.phonelib import Match, library_matches
from pipeline.phonepick import Context, Key, Pick, pick
from pipeline.phoneplan import Hit, calling_code, writes_trunk_zero
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

# Between two units of one number: up to 6 characters that are neither letters nor digits
# but a colon (separators, symbols, emoji, a line break: "04|70|55", "4#8#1", "0466🌸15"), none
# at all (a number word glued to digits: "3FIVE1"), or a short phrase in brackets
# ("0472 19 (pas d'appel masqué) 33 08").
_JOIN = re.compile(r"[^\w:]{0,6}|_{1,4}|\s{0,2}\([^()\d\n]{1,32}\)\s{0,2}")  # ":" is an hour's
_MAX_GAP = 40
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
    + ("nr", "n", "contact", "num", "no", "text", "txt", "texto", "number", "número", "cell")
    + ("tlf", "hívj", "ruf", "chiamami", "llámame", "liga", "sunați", "zap", "dzwoń")
)
# Words between a cue and its number: "call me at …", "bel me op …", "appelle-moi au …".
_LINK_WORDS = frozenset(
    ("at", "me", "on", "to", "via", "au", "moi", "sur", "op", "naar", "mij", "al", "a", "mi")
)
_CUE_SYMBOLS = frozenset("☎📞📱✆")


def _joined(text: str, end: int, start: int) -> bool:
    return start - end <= _MAX_GAP and _JOIN.fullmatch(text, end, start) is not None


def _runs(text: str, units: list[Unit]) -> list[list[Unit]]:
    """Units joined by separators only, cut at blocked ones, that may hold a phone number."""
    runs: list[list[Unit]] = []
    run: list[Unit] = []
    for u in units:
        if u.blocked or u.plus:
            if run:
                runs.append(run)
            run = [] if u.blocked else [u]
        elif run and _joined(text, run[-1].end, u.start):
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
    """A phone cue right before `head`, over up to two linking words ("call me at", "Call @",
    "Call/text", "txt")."""
    for _ in range(3):
        word, gap = word_before(text, head, 6)
        if word in _CUE_WORDS or any(c in _CUE_SYMBOLS for c in gap):
            return True
        if word not in _LINK_WORDS:
            return False
        head -= len(gap) + len(word)
    return False


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


def _context(
    text: str, look: str, run: list[Unit], region: str, named: tuple[str, ...] | None
) -> Context:
    """The country resolution order for one run (README, "Phone regions"): a country named
    with the number ("numéro français", "🇷🇴", "NL nummer"), the site's region, a country
    named right by it in passing ("Romanian 0739…"), then — when `named` is given: the
    regions the whole text names — a country named anywhere in the text; and, with `named`,
    the readings anywhere in the world."""
    head, end = run[0].start, run[-1].end
    near = near_cues(look, find_cues(text, head - _CUE_WINDOW, end + _CUE_WINDOW), head, end)
    strong = tuple(r for r, firm in near if firm)
    weak = tuple(r for r, firm in near if not firm)
    prefer, free, codes = _order(region, strong, weak, named)
    return Context(prefer, _cue(look, head) or bool(near), free, codes, named is not None)


@lru_cache(maxsize=1024)
def _order(
    region: str, strong: tuple[str, ...], weak: tuple[str, ...], named: tuple[str, ...] | None
) -> tuple[tuple[str, ...], bool, frozenset[int]]:
    prefer = tuple(dict.fromkeys([*strong, region, *weak, *(named or ())]))
    free = any(not writes_trunk_zero(r) for r in (*strong, region))
    codes = frozenset(c for r in (region, *strong, *weak) if (c := calling_code(r)))
    return prefer, free, codes


_CUE_WINDOW = 48  # characters around a run read for country cues (near_cues looks at 32)


def _uncovered(run: list[Unit], picks: list[Pick]) -> bool:
    """Is a unit that may start a national number (0…) left out of every number picked?"""
    covered = [False] * len(run)
    for i, j, *_ in picks:
        covered[i : j + 1] = [True] * (j + 1 - i)
    return any(
        not c and u.digits[0] == "0" and not u.plus for c, u in zip(covered, run, strict=True)
    )


def _worth(run: list[Unit], ctx: Context) -> bool:
    if ctx.cue or ctx.free or any(u.plus or u.digits[0] == "0" for u in run):
        return True
    heads = tuple(str(c) for c in ctx.codes)
    return any(u.digits.startswith(heads) for u in run)


def _read_by(library: list[Match], starts: list[int], run: list[Unit]) -> bool:
    """Does one of the library's matches span the whole run?"""
    k = bisect_left(starts, run[0].start + 1) - 1
    return k >= 0 and library[k][1] >= run[-1].end


# Found so far: e164 → region, obfuscated, spans, other readings, read by a cue of the text.
_Found = dict[str, tuple[str, bool, list[Span], tuple[str, ...], bool]]


def _find_phones(doc: NormText, field: str, region: str) -> tuple[PhoneMatch, ...]:
    text = doc.text
    if len(text) < 3:
        return ()
    if len(text) > MAX_CHARS:
        logger.warning("phone search reads the first %d of %d characters", MAX_CHARS, len(text))
        text = text[:MAX_CHARS]
    look, units = read_units(text)
    named: tuple[str, ...] | None = None  # the regions the whole text names, once needed
    found: _Found = {}
    where: list[tuple[int, int, str]] = []  # offsets of each number found, for the library's
    budget, memo = [MAX_LOOKUPS, MAX_STEPS], dict[Key, tuple[Hit, ...]]()
    budget_warned = False
    library = [m for m in library_matches(text, region) if not _reference(look, m[0])]
    lib_starts = [m[0] for m in library]
    for run in _candidates(look, units):
        ctx = _context(text, look, run, region, None)
        if not _worth(run, ctx):
            continue
        if (
            ctx.prefer == (region,)
            and _read_by(library, lib_starts, run)
            and not _obfuscated(doc, look, run, run[0].start, run[-1].end)
        ):
            continue  # a plain number the library reads, no country named by it: its reading
        # Known countries first; the text's other cues and the world's plans only for what
        # they leave unread (most runs are read in the site's region at once).
        picks = pick(run, ctx, budget, memo)
        if _uncovered(run, picks):
            if named is None:
                named = tuple(text_regions(find_cues(text)))
            picks = pick(run, _context(text, look, run, region, named), budget, memo)
        if budget[1] <= 0 and not budget_warned:
            logger.warning("phone search stopped weighing candidates after %d", MAX_STEPS)
            budget_warned = True
        for i, j, e164, chosen, others in picks:
            start, end = run[i].start, run[j].end
            if _reference(look, run[0].start if i == 0 else start):
                continue
            if run[i].plus and look[start - 1 : start] == "+":
                start -= 1
            obfuscated = _obfuscated(doc, look, run[i : j + 1], start, end)
            by_cue = chosen != region and chosen in ctx.prefer
            _add(found, e164, chosen, obfuscated, doc.span(field, start, end), others, by_cue)
            where.append((start, end, e164))
    mine = set(where)
    starts = [w[0] for w in where]  # own numbers come in text order and never overlap
    for start, end, e164, chosen in library:
        k = bisect_left(starts, end)
        clash = []
        while k > 0 and where[k - 1][1] > start:
            k -= 1
            if where[k][2] != e164:
                clash.append(where[k])
        if any(found[w[2]][4] for w in clash if w[2] in found):
            continue  # the text names the country: "Bulgarian number 0888…"
        for w in clash:  # the library's reading of the same characters stands
            if w[2] in found and len(found[w[2]][2]) == 1:
                del found[w[2]]
        if (start, end, e164) in mine:
            continue
        _add(found, e164, chosen, False, doc.span(field, start, end), (), False)
    return tuple(
        sorted(
            (
                PhoneMatch(e164, reg, obf, tuple(spans), others)
                for e164, (reg, obf, spans, others, _) in found.items()
            ),
            key=lambda p: min(s.start for s in p.spans),
        )
    )


def _add(
    found: _Found,
    e164: str,
    region: str,
    obfuscated: bool,
    span: Span,
    others: tuple[str, ...],
    by_cue: bool,
) -> None:
    if e164 not in found:
        found[e164] = (region, obfuscated, [span], others, by_cue)
        return
    reg, obf, spans, had, cue = found[e164]
    if span not in spans[-1:]:
        spans.append(span)
    found[e164] = (reg, obf or obfuscated, spans, had if had and others else (), cue or by_cue)
