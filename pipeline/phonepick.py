"""The numbers of one run of units: a small dynamic programme over where numbers start and end.

A number starts at a unit beginning with 0, 00 or + — or, after a phone cue or where the country
writes no trunk 0 (`_Context.free`), at any unit, or at a country code written without "+"
(`_Context.codes`) — ends at a unit boundary, and must be valid for `phoneplan`, read in the
regions of `_Context.prefer` in order (and, as a last resort, anywhere in the world).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.phoneplan import MIN_INTL, Hit, bare_international, choose, lookup
from pipeline.phoneunits import Unit

_MIN_NATIONAL, _MAX_NATIONAL, _MAX_INTL = 9, 14, 17

Key = tuple[str, bool, bool, tuple[str, ...], bool]
# A number picked in a run: first and last unit, e164, region, other readings, decided by a cue.
Pick = tuple[int, int, str, str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Context:
    """What decides where a run's numbers may start and which country they are read in."""

    prefer: tuple[str, ...]  # regions to read a national number in, in order
    cue: bool  # a phone cue ("tél", "call me at") stands before the run
    free: bool  # a number may start at any unit: its country writes no trunk 0 (US "713…")
    codes: frozenset[int]  # country codes a number may be written with, without + ("32475…")
    world: bool  # read national numbers in every region where they are valid, as a last resort


def pick(
    run: list[Unit], ctx: Context, budget: list[int], memo: dict[Key, tuple[Hit, ...]]
) -> list[Pick]:
    """Best set of numbers in a run: most digits covered by strong readings (international, of
    a preferred region, or grouped as their region groups them or not grouped at all); then by
    other readings; then the most numbers of a preferred region, then of grouping matches; then
    the fewest digits read from number words (of "06 01 00 00 00. SEVENTEEN", the digits, not
    "01 00 00 00" + seventeen); then the one that starts first.

    `memo` holds this field's lookups; each new one spends one unit of `budget[0]`, each
    candidate weighed one of `budget[1]`.
    """
    n = len(run)
    best: list[tuple[int, int, int, int, int]] = [(0, 0, 0, 0, 0)] * (n + 1)
    pick: list[tuple[int, str, str, tuple[str, ...]] | None] = [None] * (n + 1)
    prefer = ctx.prefer
    for i in range(n - 1, -1, -1):
        best[i] = best[i + 1]
        first = run[i]
        zero = first.digits[0] == "0"
        trunkless = not zero and not first.plus and ((ctx.cue and i == 0) or ctx.free)
        bare = not zero and not first.plus and bool(ctx.codes)
        if budget[1] <= 0 or not (first.plus or zero or trunkless or bare):
            continue
        if first.digits.startswith("000"):
            continue
        digits = ""
        intl = first.plus or first.digits.startswith("00")
        least, most = (MIN_INTL, _MAX_INTL) if intl or bare else (_MIN_NATIONAL, _MAX_NATIONAL)
        for j in range(i, n):
            budget[1] -= 1
            digits += run[j].digits
            if len(digits) > most or digits.startswith("000"):
                break
            if len(digits) < least:
                continue
            key = (digits, first.plus, trunkless, prefer, ctx.world)
            hits = memo.get(key)
            if hits is None:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
                hits = (
                    lookup(digits, first.plus, prefer, trunkless, ctx.world)
                    if (intl or zero or trunkless)
                    else ()
                )
                if not hits and bare and (b := bare_international(digits, ctx.codes)):
                    hits = (b,)
                memo[key] = hits
            if not hits:
                continue
            groups = tuple(len(u.digits) for u in run[i : j + 1])
            is_intl = intl or hits[0][0] == "+" + digits
            hit = choose(hits, digits, is_intl, groups, prefer)
            if hit is None:
                continue
            rest = best[j + 1]
            # Strong: of a known country (its plan, a cue, the site), or found only somewhere
            # in the world but written as there (grouped so, or not grouped at all).
            words = sum(len(u.digits) for u in run[i : j + 1] if u.spoken)
            spoken = words > 0
            strong = (
                is_intl
                or hit[1] in prefer
                or (not spoken and (hit[2] or len(groups) == 1 or max(groups) == 1))
            )
            score = (
                rest[0] + len(digits) * strong,
                rest[1] + len(digits) * (not strong),
                rest[2] + (hit[1] in prefer),
                rest[3] + hit[2],
                rest[4] - words,
            )
            if score > best[i] or (score == best[i] and pick[i] is None):
                # on a tie with what starts later, the number that starts here (after its label)
                best[i], pick[i] = score, (j, hit[0], hit[1], hit[3])
    out: list[Pick] = []
    i = 0
    while i < n:
        chosen = pick[i]
        if chosen is None:
            i += 1
            continue
        out.append((i, *chosen))
        i = chosen[0] + 1
    return out
