"""Deciding, over all the places an ad names, the one it is in (`resolve_place`).

`pipeline.places` finds the mentions, one Place per distinct meaning in one field; this module
weighs them: the location field over the texts, Brussels over elsewhere, a commune or landmark
over a postcode, and no zone where mentions disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.gazetteer import Gazetteer, gazetteer
from pipeline.types import Place, Span


def _spans(places: Sequence[Place]) -> tuple[Span, ...]:
    return tuple(s for p in places for s in p.spans)


def _resolve_outside(places: Sequence[Place]) -> Place:
    counts: dict[str | None, list[Place]] = {}
    for p in places:
        counts.setdefault(p.commune, []).append(p)
    # Most mentioned city; on a tie, the first mentioned (dicts keep insertion order).
    city, group = max(counts.items(), key=lambda kv: len(_spans(kv[1])))
    return Place(city, None, None, False, _spans(group))


def _resolve_inside(g: Gazetteer, inside: Sequence[Place]) -> Place:
    named = [p for p in inside if p.postcode is None and (p.commune or p.zone)]
    coded = [p for p in inside if p.postcode is not None]
    conflict = Place(None, None, None, True, _spans(inside))
    if named:
        zones = {p.zone for p in named}
        if len(zones) != 1:
            return conflict
        zone = zones.pop()
        support: dict[str, int] = {}
        for p in named:
            if p.commune:
                support[p.commune] = support.get(p.commune, 0) + len(p.spans)
        ranked = sorted(support.items(), key=lambda kv: -kv[1])
        tie = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
        commune = ranked[0][0] if ranked and not tie else None
        for p in coded:
            code = p.postcode or ""
            fits = commune in g.postcodes[code] if commune else zone in g.zones_of_postcode(code)
            if not fits:
                return conflict
        postcode = coded[0].postcode if coded else None
        return Place(commune, zone, postcode, True, _spans([*named, *coded]))
    if coded:
        communes = set(g.postcodes[coded[0].postcode or ""])
        for p in coded[1:]:
            communes &= set(g.postcodes[p.postcode or ""])
        if not communes:
            return conflict
        zones = {g.zone_of[c] for c in communes}
        commune = next(iter(communes)) if len(communes) == 1 else None
        zone = next(iter(zones)) if len(zones) == 1 else None
        return Place(commune, zone, coded[0].postcode, True, _spans(coded))
    return Place(None, None, None, True, _spans(inside))


def resolve_place(places: Sequence[Place]) -> Place | None:
    """The most specific place all of an ad's mentions agree on.

    Brussels mentions outrank places elsewhere. A commune or landmark outranks a postcode; a
    postcode that fits the commune reinforces it; mentions in different zones give zone None.
    The ad's location field outranks its texts (which often list the other communes a person
    travels to, or say "new in Brussels") when it places the ad in a zone or outside Brussels;
    mentions in the texts that agree reinforce it.
    """
    if not places:
        return None
    inside = [p for p in places if p.in_brussels]
    if not inside:
        return _resolve_outside(places)
    g = gazetteer()
    located = [p for p in places if any(s.field == "location" for s in p.spans)]
    if located and not any(p.in_brussels for p in located):
        return _resolve_outside(located)  # the site says elsewhere; "new in Brussels" is an ad
    located = [p for p in located if p.in_brussels]
    if located:
        place = _resolve_inside(g, located)
        if place.zone is not None:
            commune = place.commune
            if commune is None:  # "Woluwe" in the field, "Woluwe-Saint-Lambert" in the text
                named = {p.commune for p in inside if p not in located and p.zone == place.zone} - {
                    None
                }
                commune = named.pop() if len(named) == 1 else None
            agree = [
                p
                for p in inside
                if p not in located and p.zone == place.zone and p.commune in (None, commune)
            ]
            postcode = place.postcode or next((p.postcode for p in agree if p.postcode), None)
            return Place(commune, place.zone, postcode, True, place.spans + _spans(agree))
    return _resolve_inside(g, inside)
