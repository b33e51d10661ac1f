from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.types import Analysis, Indicator, PhoneMatch, Span
from vigie.web.highlight import marks_of, pieces


def test_pieces_cut_the_text_at_every_span_and_keep_overlaps() -> None:
    text = "Lina 17 ans 0470"
    analysis = Analysis(
        site="s",
        ad_id="a",
        phones=(PhoneMatch("+32470", "BE", False, (Span("text", 12, 16, "0470"),)),),
        indicators=(
            Indicator(
                "age",
                "minor",
                "age",
                (Span("text", 5, 11, "17 ans"), Span("text", 0, 7, "Lina 17")),
            ),
        ),
    )
    result = pieces(text, "text", marks_of(analysis))
    assert [p.text for p in result] == ["Lina ", "17", " ans", " ", "0470"]
    assert [len(p.marks) for p in result] == [1, 2, 1, 0, 1]
    assert result[4].kinds == ("phone",)


def test_spans_of_another_field_or_not_matching_the_text_are_left_out() -> None:
    analysis = Analysis(
        site="s",
        ad_id="a",
        indicators=(
            Indicator(
                "x",
                "c",
                "d",
                (Span("title", 0, 4, "Lina"), Span("text", 0, 4, "Nina"), Span("text", 2, 99, "?")),
            ),
        ),
    )
    assert [p.marks for p in pieces("Lina 17", "text", marks_of(analysis))] == [()]


@given(
    st.text(max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=6)
)
def test_pieces_always_rebuild_the_original_text(text: str, bounds: list[tuple[int, int]]) -> None:
    spans = tuple(Span("text", a, b, text[a:b]) for a, b in bounds)
    analysis = Analysis(site="s", ad_id="a", indicators=(Indicator("x", "c", "d", spans),))
    result = pieces(text, "text", marks_of(analysis))
    assert "".join(p.text for p in result) == text
