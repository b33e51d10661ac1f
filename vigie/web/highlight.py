"""Evidence spans over an ad's own text: the field is cut at every span boundary into pieces,
each carrying the marks that cover it. The template escapes every piece (autoescape); nothing
of the ad is ever marked safe, so attacker-written text stays text."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.types import Analysis, Span

KINDS = ("phone", "contact", "alias", "age", "place", "indicator")


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str  # one of KINDS (also a CSS class suffix)
    label: str  # what was read there, e.g. "+32470123456" or "age_under_18: …"
    span: Span


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    marks: tuple[Mark, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.kind for m in self.marks))

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(m.label for m in self.marks))


def marks_of(analysis: Analysis) -> list[Mark]:
    """Every span of evidence in an analysis, labelled with what was read there."""
    marks: list[Mark] = []
    for p in analysis.phones:
        marks += [Mark("phone", p.e164, s) for s in p.spans]
    for c in analysis.contacts:
        marks += [Mark("contact", f"{c.kind}: {c.value}", s) for s in c.spans]
    for a in analysis.aliases:
        marks += [Mark("alias", a.name, s) for s in a.spans]
    for g in analysis.ages:
        marks += [Mark("age", str(g.value), s) for s in g.spans]
    if analysis.place is not None:
        place = analysis.place
        label = " ".join(x for x in (place.commune, place.postcode, place.zone) if x)
        marks += [Mark("place", label, s) for s in place.spans]
    for i in analysis.indicators:
        marks += [Mark("indicator", f"{i.code}: {i.description}", s) for s in i.spans]
    return marks


def pieces(text: str, field: str, marks: list[Mark]) -> list[Piece]:
    """`text` cut at the boundaries of the marks on `field` whose quote matches the text (a span
    that does not fit this text, e.g. from another version, is left out)."""
    here = [
        m
        for m in marks
        if m.span.field == field
        and 0 <= m.span.start < m.span.end <= len(text)
        and text[m.span.start : m.span.end] == m.span.quote
    ]
    cuts = sorted({0, len(text)} | {m.span.start for m in here} | {m.span.end for m in here})
    result: list[Piece] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(m for m in here if m.span.start <= start and end <= m.span.end)
        result.append(Piece(text[start:end], covering))
    return result
