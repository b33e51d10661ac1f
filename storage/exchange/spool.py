"""An export's indicators gathered on disk: the selected ads' values are spooled into a temporary
SQLite file, merged value by value (an indicator is a value with what every ad that shows it
says: highest score, flags, first and last seen, sightings, zones), pseudonymised, and joined to
the networks — then read back in order by the format writers (`source.ExportSource`).

The temporary file grows with the export; the memory used does not (SQLite's page cache and one
page of ads at a time). It is deleted when the spool is closed.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import groupby
from pathlib import Path
from types import TracebackType

from storage.exchange.feed import AdFacts, Value
from storage.exchange.model import ExchangeIndicator, ExchangeNetwork, ExportHeader
from storage.exchange.pseudonym import pseudonymise
from storage.exchange.source import Member

_SCHEMA = """
CREATE TABLE ad (pk INTEGER PRIMARY KEY, score REAL, first_seen TEXT, last_seen TEXT,
                 flags TEXT, zone TEXT);
CREATE TABLE val (kind TEXT, platform TEXT, value TEXT, pk INTEGER,
                  PRIMARY KEY (kind, platform, value, pk)) WITHOUT ROWID;
CREATE TABLE ind (seq INTEGER PRIMARY KEY, id TEXT, kind TEXT, platform TEXT, value TEXT,
                  pseudonymised INTEGER, score REAL, flags TEXT, first_seen TEXT, last_seen TEXT,
                  sightings INTEGER, zones TEXT, okind TEXT, oplatform TEXT, ovalue TEXT);
CREATE TABLE net (seq INTEGER PRIMARY KEY, network_id TEXT UNIQUE, zones TEXT, risk REAL);
CREATE TABLE member (network_id TEXT, pk INTEGER);
"""
_BATCH = 2000


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(",") if v)


def _indicator(row: tuple[object, ...]) -> ExchangeIndicator:
    (_, kind, platform, value, pseudonymised, score, flags, first, last, sightings,
     zones) = row
    return ExchangeIndicator(
        kind=str(kind), value=str(value), platform=str(platform),
        pseudonymised=bool(pseudonymised), score=float(score),  # type: ignore[arg-type]
        flags=_split(str(flags)), first_seen=_parse(first),  # type: ignore[arg-type]
        last_seen=_parse(last), sightings=int(sightings),  # type: ignore[arg-type,call-overload]
        zones=_split(str(zones)),
    )


class Spool:
    """The indicators and networks of one export, in a temporary SQLite file."""

    def __init__(self, header: ExportHeader, *, directory: Path | None = None) -> None:
        self.header = header
        self._dir = tempfile.TemporaryDirectory(prefix="vigie-export-", dir=directory)
        self._db = sqlite3.connect(Path(self._dir.name) / "spool.db")
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                               "PRAGMA cache_size=-32000; PRAGMA temp_store=FILE;" + _SCHEMA)
        self.indicator_count = 0
        self.network_count = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    # --- filling ------------------------------------------------------------------------

    def add_ads(self, page: Iterable[tuple[AdFacts, list[Value]]]) -> int:
        """Spool one page of ads with their values; returns how many ads."""
        ads, values = [], []
        for facts, found in page:
            ads.append((facts.pk, facts.score, facts.first_seen.replace(microsecond=0).isoformat(),
                        facts.last_seen.replace(microsecond=0).isoformat(),
                        ",".join(facts.flags), facts.zone))
            values += [(*v, facts.pk) for v in found]
        self._db.executemany("INSERT OR IGNORE INTO ad VALUES (?, ?, ?, ?, ?, ?)", ads)
        self._db.executemany("INSERT OR IGNORE INTO val VALUES (?, ?, ?, ?)", values)
        return len(ads)

    def add_networks(self, networks: Iterable[tuple[str, list[str], float]],
                     members: Iterable[tuple[str, int]]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO net (network_id, zones, risk) VALUES (?, ?, ?)",
                             ((n, json.dumps(z), r) for n, z, r in networks))
        self._db.executemany("INSERT INTO member VALUES (?, ?)", members)

    def merge(self, pseudonym_key: bytes | None,
              tick: Callable[[int], None] | None = None) -> None:
        """Merge the spooled values into indicators, then join them to the networks."""
        rows = self._db.execute(
            "SELECT v.kind, v.platform, v.value, a.score, a.first_seen, a.last_seen, a.flags,"
            " a.zone FROM val v JOIN ad a ON a.pk = v.pk ORDER BY v.kind, v.platform, v.value")
        out = self._db.cursor()
        batch: list[tuple[object, ...]] = []
        for key, group in groupby(rows, key=lambda r: (r[0], r[1], r[2])):
            where = list(group)
            indicator = ExchangeIndicator(
                kind=key[0], value=key[2], platform=key[1],
                score=round(max(r[3] for r in where), 4),
                flags=tuple(sorted({f for r in where for f in _split(r[6])})),
                # one format (UTC, whole seconds): the text orders as the time
                first_seen=datetime.fromisoformat(min(r[4] for r in where)),
                last_seen=datetime.fromisoformat(max(r[5] for r in where)),
                sightings=len(where),
                zones=tuple(sorted({r[7] for r in where if r[7]})),
            )
            if pseudonym_key is not None:
                indicator = pseudonymise(indicator, pseudonym_key)
            batch.append(self._row(indicator, key))
            if len(batch) >= _BATCH:
                self._insert(out, batch, tick)
        self._insert(out, batch, tick)
        self._db.executescript("""
            CREATE INDEX ind_key ON ind (okind, oplatform, ovalue);
            CREATE INDEX member_pk ON member (pk);
            CREATE TABLE net_ind AS
              SELECT DISTINCT n.seq AS net, i.seq AS ind, i.id AS id
              FROM member m JOIN net n ON n.network_id = m.network_id
              JOIN val v ON v.pk = m.pk
              JOIN ind i ON i.okind = v.kind AND i.oplatform = v.platform AND i.ovalue = v.value;
            CREATE INDEX net_ind_net ON net_ind (net, id);
            CREATE INDEX net_ind_ind ON net_ind (ind, net);
        """)
        self.indicator_count = self._db.execute("SELECT count(*) FROM ind").fetchone()[0]
        self.network_count = self._db.execute(
            "SELECT count(DISTINCT net) FROM net_ind").fetchone()[0]

    def _insert(self, out: sqlite3.Cursor, batch: list[tuple[object, ...]],
                tick: Callable[[int], None] | None) -> None:
        out.executemany("INSERT INTO ind (id, kind, platform, value, pseudonymised, score, flags,"
                        " first_seen, last_seen, sightings, zones, okind, oplatform, ovalue)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        if tick is not None:
            tick(len(batch))
        batch.clear()

    @staticmethod
    def _row(i: ExchangeIndicator, key: tuple[str, str, str]) -> tuple[object, ...]:
        return (i.id, i.kind, i.platform, i.value, int(i.pseudonymised), i.score,
                ",".join(i.flags), _time(i.first_seen), _time(i.last_seen), i.sightings,
                ",".join(i.zones), *key)

    # --- reading (source.ExportSource) ---------------------------------------------------

    def indicators(self) -> Iterator[ExchangeIndicator]:
        rows = self._db.execute(
            "SELECT i.seq, i.kind, i.platform, i.value, i.pseudonymised, i.score, i.flags,"
            " i.first_seen, i.last_seen, i.sightings, i.zones FROM ind i ORDER BY i.seq")
        for row in rows:
            yield _indicator(row)

    def networks(self) -> Iterator[Member]:
        nets = self._db.execute(
            "SELECT seq, network_id, zones, risk FROM net n"
            " WHERE EXISTS (SELECT 1 FROM net_ind WHERE net = n.seq) ORDER BY seq")
        for seq, network_id, zones, risk in nets:
            found = tuple(_indicator(row) for row in self._db.execute(
                "SELECT i.seq, i.kind, i.platform, i.value, i.pseudonymised, i.score, i.flags,"
                " i.first_seen, i.last_seen, i.sightings, i.zones"
                " FROM net_ind x JOIN ind i ON i.seq = x.ind"
                " WHERE x.net = ? ORDER BY x.id", (seq,)))
            yield (ExchangeNetwork(network_id, tuple(i.id for i in found), tuple(json.loads(zones)),
                                   float(risk)), found)

    def indicator_networks(self) -> Iterator[tuple[ExchangeIndicator, tuple[str, ...]]]:
        rows = self._db.execute(
            "SELECT i.seq, i.kind, i.platform, i.value, i.pseudonymised, i.score, i.flags,"
            " i.first_seen, i.last_seen, i.sightings, i.zones, n.network_id"
            " FROM ind i"
            " LEFT JOIN net_ind x ON x.ind = i.seq LEFT JOIN net n ON n.seq = x.net"
            " ORDER BY i.seq, n.seq")
        for _, group in groupby(rows, key=lambda r: r[0]):
            where = list(group)
            yield _indicator(where[0][:-1]), tuple(r[-1] for r in where if r[-1] is not None)
