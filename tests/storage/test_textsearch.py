"""Text search through migration 0013's words index finds exactly what the plain LIKE finds
(issue #18.1), on both databases: accents, punctuation, LIKE's own characters, queries shorter
than three characters, words cut by the query's ends, digits, long words and long ads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from pipeline.types import Analysis, RawAd
from storage.repository import Store
from storage.tables import Ad
from storage.textsearch import LONG_AD, like_pattern, matching_ad_ids, word_query

LONG_WORD = "abcdefghij" * 9 + "xyz"  # 93 letters: past the 64 a word is listed by
TEXTS = (
    ("Lina à Bruxelles", "Annonce 142857 — Élodie, née à Liège; appelle +32470123456 discrète"),
    ("Nouvelle", "mot-composé l'été; 100% réel_x, ab\ncd\ttab. 0470 12 34 56 / 0470123456"),
    ("ÉTÉ CAFÉ", "x²y 3½ ﬁn straße İstanbul ÀÉÎÕÜ æøå"),
    ("", f"avant {LONG_WORD} après {LONG_WORD}s {LONG_WORD[::-1]}"),
    ("Titre seul 5342", ""),
    ("a", "b c d 1 2 3 a1b2 1428570 annonce1428 142857annonce"),
    ("long", "début " + "mot " * 25_000 + "laFinÉtrange 99 zz"),  # > 100,000 characters
)
# fmt: off
QUERIES = (
    "142857", "annonce 142857", "nce 1428", "e 14", "Annonce 1428", "annonce 14285 ",
    " 142857 ", "142857annonce", "annonce1428", "1428570", "e 142857 —", "é", "ée à li",
    "née à liège", "Élodie, née", "élodie", "ELODIE", "lodie, n", "ab", "a", "", " ", "%",
    "_", "\\", "100% r", "100%", "l'été", "-compo", "mot-composé", "composé l", "+3247",
    "70 12 3", "0470 12 34 56", "0470123456", "56 / 0470", "b\ncd", "cd\tt", "ÉTÉ", "été café",
    "é café", "x²y", "²", "3½", "ﬁn", "fin", "ß", "straße", "ss", "İstanbul", "istanbul",
    "àéîõü", "æøå", "ü æ", LONG_WORD, LONG_WORD[30:], LONG_WORD[:70], f"avant {LONG_WORD[:70]}",
    f"{LONG_WORD[-70:]} après", f"{LONG_WORD} après", f"{LONG_WORD}s {LONG_WORD[::-1][:66]}",
    f"{LONG_WORD[5:]}s", "titre seul", "seul 5342", "5342", "b c", "c d 1", "2 3 a1b", "3 a",
    "lafinétrange", "fin 99", "début mot", "mot mot", "étrange 99 z", "e 99 zz", "xyz après",
    "appelle +32470123456 discrète", "32470123456 disc", "3 1", "no such words anywhere",
)
# fmt: on


def _like_ids(store: Store, query: str) -> set[int]:
    """The plain LIKE, as the search was before the words index."""
    pattern = like_pattern(query)
    with Session(store.engine) as session:
        return set(
            session.exec(
                select(Ad.id).where(
                    or_(
                        func.lower(col(Ad.title)).like(pattern, escape="\\"),
                        func.lower(col(Ad.text)).like(pattern, escape="\\"),
                    )
                )
            ).all()
        )


def _search_ids(store: Store, query: str) -> set[int]:
    with Session(store.engine) as session:
        return set(session.exec(matching_ad_ids(store.engine, query)).all())


@pytest.fixture
def texts(store: Store, ad: Callable[..., tuple[RawAd, Analysis]]) -> Store:
    for i, (title, text) in enumerate(TEXTS):
        store.save(*ad("demo-a", str(i), title=title, text=text))
    return store


def test_every_query_finds_what_the_plain_like_finds(texts: Store) -> None:
    queries = list(QUERIES)
    for _, text in TEXTS[:3]:  # every piece of up to 12 characters of the short texts
        queries += [text[i : i + n] for i in range(len(text)) for n in (1, 2, 3, 5, 8, 12)]
    found_any = 0
    for query in dict.fromkeys(queries):
        expected = _like_ids(texts, query)
        assert _search_ids(texts, query) == expected, query
        found_any += bool(expected)
    assert found_any > len(set(queries)) * 0.8  # pieces are found (SQLite lowers ASCII only)


def test_words_of_a_query_that_can_be_looked_up() -> None:
    assert word_query("lina") is None  # may sit inside any word
    assert word_query("ab cd") is None  # an end and a start shorter than 3
    assert word_query("annonce 142857") == f"('~ecnon' & '14285') | '{LONG_AD}'"
    assert word_query(" a ") == f"('a') | '{LONG_AD}'"
    assert word_query("x 10% y") == f"('10') | '{LONG_AD}'"
    assert word_query("café crème 1234") == f"('123') | '{LONG_AD}'"  # not ASCII: not looked up
    assert word_query(f"x {LONG_WORD} y") == f"('{LONG_WORD[:64]}') | '{LONG_AD}'"
    assert word_query(f"{LONG_WORD} x") == f"('~{LONG_WORD[::-1][:8]}') | '{LONG_AD}'"


def test_words_most_ads_hold_are_not_looked_up() -> None:
    common = {"~ecnon": 1.0, "annon": 1.0, "lin": 0.1, "linda": 0.005, "x": 0.2}
    assert word_query("annonce 142857", common) == f"('14285') | '{LONG_AD}'"
    assert word_query("e lin", common) is None
    assert word_query("e linda", common) == f"('linda') | '{LONG_AD}'"
    assert word_query("a x b 1234", common) == f"('b' & '123') | '{LONG_AD}'"


@pytest.mark.postgres
def test_word_queries_read_the_words_index_on_postgresql(postgres_url: str) -> None:
    with Store.open(postgres_url) as store, store.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        query = matching_ad_ids(store.engine, "annonce 142857")
        compiled = query.compile(store.engine)
        plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).scalars())
        assert "ix_ad_words" in plan, plan
        assert "trgm" not in plan, plan  # ANDed in, they would read what they read before
