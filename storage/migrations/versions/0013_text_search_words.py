"""A words index for the review app's text search on PostgreSQL (issue #18.1).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

The search by text is `lower(title) LIKE '%…%' OR lower(text) LIKE '%…%'`, served by 0011's
trigram indexes. A trigram index reads the posting list of every trigram of the query, and in ads
every trigram of a query such as `annonce 142857` is frequent (the word "annonce", phone digits):
44 ms at a million ads against 0.4 ms at 10,000, growing with the ads. A query's words that a
separator bounds within the query are rarer: they are whole words of the ad ("142857" in
"annonce 142857 x"), or a word's start (the last word) or end (the first word).

`vigie_ad_words(title, text)` lists the words of an ad (lower-cased runs of `[[:alnum:]]`, the
class the query's words are split by), each cut to its first 64 characters, and their first 3, 5
and 8 characters; and, marked with a leading `~`, the same of every word reversed (a word's end
is the start of the word reversed). It is a `tsvector` made with no parser, no dictionary and no
positions (`array_to_tsvector`). A GIN index on it finds a whole word (`'142857'`), a start
(`'14285'`) or an end (`'~75824'`) as one key: a rare key bounds the read (GIN skips through the
frequent keys of the same query), where a prefix search (`'1428':*`) would read every ad of
every word it covers. The search then rechecks its LIKE (storage/textsearch.py). Only the first
30,000 characters of title and text are listed (a tsvector holds at most 1 MB of keys, about 28
bytes per character at worst here); a longer ad carries the key `#`, which every query also
matches, so that no ad is ever missed.

Needs no extension. If the function cannot be made, the migration says so and goes on: the
search then stays on the trigram indexes. SQLite, a zone's own small database, keeps the scan.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

log = logging.getLogger("alembic.runtime.migration")
INDEX = "ix_ad_words"

FUNCTION = r"""
CREATE OR REPLACE FUNCTION vigie_ad_words(title text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
SELECT array_to_tsvector(ARRAY(
    SELECT listed
    FROM unnest(regexp_split_to_array(left(w.whole, 30000), '[^[:alnum:]]+')) AS word,
         LATERAL (VALUES (left(word, 64)), (left(word, 3)), (left(word, 5)), (left(word, 8)),
                         ('~' || left(reverse(word), 64)), ('~' || left(reverse(word), 3)),
                         ('~' || left(reverse(word), 5)), ('~' || left(reverse(word), 8))
                 ) AS v(listed)
    WHERE word <> ''
    UNION ALL SELECT '#' WHERE length(w.whole) > 30000))
FROM (SELECT lower(coalesce(title, '') || ' ' || coalesce(body, '')) AS whole) w
$fn$
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():  # a savepoint: a refusal leaves the migration going
            bind.execute(sa.text(FUNCTION))
    except sa.exc.DBAPIError as exc:
        log.warning("vigie_ad_words not made (%s): text search stays on trigrams", exc.orig)
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON ad USING gin (vigie_ad_words(title, text))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute("DROP FUNCTION IF EXISTS vigie_ad_words(text, text)")
