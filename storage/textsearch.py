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
import time
import weakref
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, cast, func, or_, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlmodel import col, select

from storage.tables import Ad

WORD_CHARS = 64
"""Migration 0013 lists each word cut to its first 64 characters (its end: the last 64)."""
AFFIXES = (3, 5, 8)
"""Migration 0013 lists each word's first and last 3, 5 and 8 characters: a query's word
start or end is looked up as the longest of them it holds."""
COMMON = 0.01
"""A word, start or end more than this share of the ads hold is not looked up (it would be read
whole when no rarer word of the query is there to skip it through)."""
STATS_SECONDS = 600.0
"""How long the database's statistics of the listed words are kept before being read again."""
LONG_AD = "#"
"""The word migration 0013 lists for an ad too long to be listed whole: every query matches it."""

_NOT_SEPARATOR = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def like_pattern(query: str) -> str:
    """`%query%` lower-cased, LIKE's own characters escaped with a backslash."""
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + escaped + "%"


def word_query(query: str, common: Mapping[str, float] | None = None) -> str | None:
    """The `tsquery` of the words of `query` that can be looked up (see the module), or None if
    none can: an ad holding `query` in its title or text matches it. `common` (listed word →
    share of the ads listing it: the database's statistics) leaves out what more than COMMON
    of the ads hold."""
    lowered = query.lower()
    terms: list[str] = []
    for run in _NOT_SEPARATOR.finditer(lowered):
        word = run.group()
        if not _ASCII_WORD.fullmatch(word):
            continue
        after, before = run.start() > 0, run.end() < len(lowered)
        if after and before:
            listed = word[:WORD_CHARS]
        elif after and len(word) >= AFFIXES[0]:
            listed = word[: max(n for n in AFFIXES if n <= len(word))]
        elif before and len(word) >= AFFIXES[0]:
            listed = "~" + word[::-1][: max(n for n in AFFIXES if n <= len(word))]
        else:
            continue
        share = (common or {}).get(listed, 0.0)
        if share <= COMMON and f"'{listed}'" not in terms:
            terms.append(f"'{listed}'")
    if not terms:
        return None
    return f"({' & '.join(terms)}) | '{LONG_AD}'"


_STATS = text(
    "SELECT to_regprocedure('vigie_ad_words(text, text)') IS NOT NULL, "
    "s.most_common_elems::text::text[], s.most_common_elem_freqs "
    "FROM (SELECT 1) one LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
    "AND s.tablename = 'ix_ad_words'"
)
_stats: weakref.WeakKeyDictionary[Engine, tuple[float, dict[str, float] | None]] = (
    weakref.WeakKeyDictionary()
)  # an engine disposed of takes its entry along


def _common_words(engine: Engine) -> dict[str, float] | None:
    """The database's most common listed words and their shares of the ads (read again after
    STATS_SECONDS), or None where migration 0013 made no words index."""
    now = time.monotonic()
    read_at, common = _stats.get(engine, (-STATS_SECONDS, None))
    if now - read_at < STATS_SECONDS:
        return common
    with engine.connect() as conn:
        made, words, shares = conn.execute(_STATS).one()
    common = dict(zip(words or (), shares or (), strict=False)) if made else None
    _stats[engine] = (now, common)
    return common


def matching_ad_ids(engine: Engine, query: str) -> Any:
    """A query selecting the ids of the ads whose title or text contains `query`."""
    pattern = like_pattern(query)

    def holds(title: Any, body: Any) -> Any:
        return or_(
            func.lower(title).like(pattern, escape="\\"),
            func.lower(body).like(pattern, escape="\\"),
        )

    words = None
    if engine.dialect.name == "postgresql" and (common := _common_words(engine)) is not None:
        words = word_query(query, common)
    if words is None:
        return select(Ad.id).where(holds(col(Ad.title), col(Ad.text)))
    listed = func.vigie_ad_words(col(Ad.title), col(Ad.text))
    candidates = (  # OFFSET 0: the LIKE stays out, or the planner ANDs the trigram indexes in
        select(Ad.id, Ad.title, Ad.text)
        .where(listed.op("@@")(cast(words, TSQUERY)))
        .offset(0)
        .subquery()
    )
    return select(candidates.c.id).where(holds(candidates.c.title, candidates.c.text))
