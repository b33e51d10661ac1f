"""The review app's text search: ads whose title or text contains a string, case-insensitive.

The meaning is `lower(title) LIKE '%…%' OR lower(text) LIKE '%…%'` on every database. SQLite
scans. PostgreSQL finds candidates through the words index of migration 0013 when the query
holds a word it can look up, then checks the LIKE on them; otherwise through the trigram indexes
of migration 0011.

A query's word can be looked up when separators bound it within the query: the text then holds
it whole (a word with a separator on both sides), or holds a word starting with it (the last
word: `annonce 1428` finds "annonce 142857"), or ending with it (the first word). The words are
split only at ASCII characters that are neither letters nor digits, and only words of ASCII
letters and digits are looked up, whatever the database's locale: the database's own class
`[[:alnum:]]` (which splits the ads' words) agrees with that on ASCII, so a word looked up is
always a word of the ad in the database's own sense. A lone word with no separator (`lina`) can
sit inside any word: the trigram indexes serve it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sqlalchemy import Engine, and_, cast, func, or_, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import col, select

from storage.tables import Ad

WORD_CHARS = 64
"""Migration 0013 lists each word cut to its first 64 characters (its end: the last 64)."""
MIN_AFFIX = 3
"""A start or end shorter than this matches too many words to be worth looking up."""
LONG_AD = "#"
"""The word migration 0013 lists for an ad too long to be listed whole: every query matches it."""

_NOT_SEPARATOR = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def like_pattern(query: str) -> str:
    """`%query%` lower-cased, LIKE's own characters escaped with a backslash."""
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + escaped + "%"


def word_query(query: str) -> str | None:
    """The `tsquery` of the words of `query` that can be looked up (see the module), or None if
    none can: an ad holding `query` in its title or text matches it."""
    lowered = query.lower()
    terms: list[str] = []
    for run in _NOT_SEPARATOR.finditer(lowered):
        word = run.group()
        if not _ASCII_WORD.fullmatch(word):
            continue
        after, before = run.start() > 0, run.end() < len(lowered)
        if after and before:
            term = f"'{word[:WORD_CHARS]}'"
        elif after and len(word) >= MIN_AFFIX:
            term = f"'{word[:WORD_CHARS]}':*"
        elif before and len(word) >= MIN_AFFIX:
            term = f"'~{word[::-1][:WORD_CHARS]}':*"
        else:
            continue
        if term not in terms:
            terms.append(term)
    if not terms:
        return None
    return f"({' & '.join(terms)}) | '{LONG_AD}'"


@cache
def _has_words_index(engine: Engine) -> bool:
    """Whether migration 0013 made `vigie_ad_words` in the engine's schema."""
    with engine.connect() as conn:
        found = conn.execute(text("SELECT to_regprocedure('vigie_ad_words(text, text)')")).scalar()
    return found is not None


def matching_ad_ids(engine: Engine, query: str) -> Any:
    """A query selecting the ids of the ads whose title or text contains `query`."""
    pattern = like_pattern(query)
    holds = or_(
        func.lower(col(Ad.title)).like(pattern, escape="\\"),
        func.lower(col(Ad.text)).like(pattern, escape="\\"),
    )
    words = word_query(query) if engine.dialect.name == "postgresql" else None
    if words is None or not _has_words_index(engine):
        return select(Ad.id).where(holds)
    listed = func.vigie_ad_words(col(Ad.title), col(Ad.text))
    return select(Ad.id).where(and_(listed.op("@@")(cast(words, TSQUERY)), holds))
