"""What incremental linking reads and keeps in the database (migration 0014).

- The queue (`link_queue`): every save of an ad queues it (`a:<pk>`, in the save's transaction);
  an erasure queues the components its ads were in (`c:<id>`; the ad itself is gone). The next
  incremental link takes the queue and deletes what it took.
- The marks (`link_mark`): the component (`pipeline.link.Linker.components`: every edge's, hubs'
  included) of each ad at the last link. No edge runs between two components, so the ads a change
  can relink are the components it touches.
- The bands (`link_band`): each linked ad's text LSH band codes; a new text can only be a
  near-duplicate of a stored one that shares a code (`pipeline.textsim.TextIndex.band_codes`).
- The meta (`link_meta`): the link configuration marks and bands were made with.

Lookups by value (phones, handles, band codes, marks) go through indexes: their cost is that of
what they find. Near images have no such index in SQL: `stored_phashes` reads every stored pHash
(one narrow column) for the in-memory `pipeline.hashindex.HashIndex`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, insert, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from pipeline.types import AdKey

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
from storage.tables import Ad, AdContact, AdImage, AdPhone, LinkBand, LinkMark, LinkMeta, LinkQueue

CHUNK = 400  # values per IN (...): under SQLite's parameter limit
CONFIG = "config"


def _chunks(items: Sequence[object], size: int = CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _queue(conn: Connection | Session, items: Sequence[str]) -> None:
    """Queue `items`, each with a new stamp (an item a link is busy with stays for the next)."""
    if not items:
        return
    bind = conn.get_bind() if isinstance(conn, Session) else conn
    make = pg_insert if bind.dialect.name == "postgresql" else sqlite_insert
    stmt = make(LinkQueue)
    stmt = stmt.on_conflict_do_update(index_elements=["item"], set_={"stamp": stmt.excluded.stamp})
    conn.execute(stmt, [{"item": i, "stamp": secrets.randbits(63)} for i in items])


def queue_ad(session: Session, pk: int) -> None:
    """Queue a saved ad for the next incremental link (in the caller's transaction)."""
    _queue(session, [f"a:{pk}"])


def queue_erased(conn: Connection, pks: Sequence[int]) -> None:
    """Before erasing ads: queue the components they are in, unqueue the ads themselves."""
    components: set[int] = set()
    for chunk in _chunks(list(pks)):
        found = conn.execute(
            select(LinkMark.component).where(col(LinkMark.ad_pk).in_(chunk)).distinct()
        )
        components.update(found.scalars())
        conn.execute(delete(LinkQueue).where(col(LinkQueue.item).in_([f"a:{pk}" for pk in chunk])))
    _queue(conn, [f"c:{c}" for c in sorted(components)])


def read_queue(engine: Engine) -> tuple[list[str], list[int], list[int]]:
    """The queue as read now (`item stamp` each: what `take` deletes), the ad pks and the
    component ids it names."""
    with engine.connect() as conn:
        rows = [(str(i), int(s)) for i, s in conn.execute(select(LinkQueue.item, LinkQueue.stamp))]
    pks = [int(i[2:]) for i, _ in rows if i.startswith("a:")]
    comps = [int(i[2:]) for i, _ in rows if i.startswith("c:")]
    return [f"{i} {s}" for i, s in rows], pks, comps


def _take(conn: Connection, taken: Sequence[str]) -> None:
    """Delete the queue items read as `taken`, unless queued again since (a new stamp)."""
    pairs = [(i, int(s)) for i, s in (t.split(" ") for t in taken)]
    for chunk in _chunks(pairs):
        conn.execute(
            delete(LinkQueue).where(tuple_(col(LinkQueue.item), col(LinkQueue.stamp)).in_(chunk))
        )


def config_of(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            select(LinkMeta.value).where(col(LinkMeta.name) == CONFIG)
        ).scalar_one_or_none()


def pks_of(engine: Engine, keys: Sequence[AdKey]) -> dict[AdKey, int]:
    out: dict[AdKey, int] = {}
    with engine.connect() as conn:
        for chunk in _chunks(sorted(set(keys))):
            query = select(Ad.site, Ad.ad_id, Ad.id).where(
                tuple_(col(Ad.site), col(Ad.ad_id)).in_(chunk)
            )
            out.update({(s, a): int(pk) for s, a, pk in conn.execute(query)})
    return out


def keys_of(engine: Engine, pks: Iterable[int]) -> dict[int, AdKey]:
    out: dict[int, AdKey] = {}
    with engine.connect() as conn:
        for chunk in _chunks(sorted(set(pks))):
            query = select(Ad.id, Ad.site, Ad.ad_id).where(col(Ad.id).in_(chunk))
            out.update({int(pk): (s, a) for pk, s, a in conn.execute(query)})
    return out


def _ints_in(conn: Connection, selected: Any, key: Any, values: Iterable[Any]) -> set[int]:
    """The integers `selected` of the rows whose `key` is one of `values`, asked in chunks."""
    out: set[int] = set()
    for chunk in _chunks(sorted(set(values))):
        out.update(int(v) for v in conn.execute(select(selected).where(key.in_(chunk))).scalars())
    return out


def components_of(engine: Engine, pks: Iterable[int]) -> set[int]:
    with engine.connect() as conn:
        return _ints_in(conn, LinkMark.component, col(LinkMark.ad_pk), pks)


def component_members(engine: Engine, components: Iterable[int]) -> set[int]:
    with engine.connect() as conn:
        return _ints_in(conn, LinkMark.ad_pk, col(LinkMark.component), components)


def ads_with_values(
    engine: Engine, phones: Iterable[str], contacts: Iterable[tuple[str, str]]
) -> set[int]:
    """Stored ads showing one of `phones` (E.164) or of `contacts` ((kind, value))."""
    with engine.connect() as conn:
        by_contact = tuple_(col(AdContact.kind), col(AdContact.value))
        return _ints_in(conn, AdPhone.ad_pk, col(AdPhone.e164), phones) | _ints_in(
            conn, AdContact.ad_pk, by_contact, contacts
        )


def ads_with_bands(engine: Engine, codes: Iterable[int]) -> set[int]:
    with engine.connect() as conn:
        return _ints_in(conn, LinkBand.ad_pk, col(LinkBand.code), codes)


def stored_phashes(engine: Engine) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Every stored image's (ad pk, pHash text), pHash set. (numpy is imported here: saving an
    ad imports this module, and the light commands load no numpy.)"""
    import numpy as np

    with engine.connect() as conn:
        rows = conn.execute(
            select(AdImage.ad_pk, AdImage.phash).where(col(AdImage.phash).is_not(None))
        ).all()
    return np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows]


def stored_dcts(engine: Engine) -> list[tuple[int, str]]:
    """Every stored image's (ad pk, region hashes), region hashes set."""
    with engine.connect() as conn:
        query = select(AdImage.ad_pk, AdImage.dct).where(
            col(AdImage.dct).is_not(None), col(AdImage.dct) != ""
        )
        return [(int(pk), str(dct)) for pk, dct in conn.execute(query)]


def _write_marks(
    conn: Connection, marks: dict[int, int], bands: Mapping[int, Sequence[int]]
) -> None:
    if marks:
        conn.execute(insert(LinkMark), [{"ad_pk": p, "component": c} for p, c in marks.items()])
    rows = [{"ad_pk": p, "code": c} for p, codes in bands.items() for c in codes]
    for start in range(0, len(rows), 50_000):
        conn.execute(insert(LinkBand), rows[start : start + 50_000])


def replace_all(
    engine: Engine,
    config: str,
    marks: dict[int, int],
    bands: Mapping[int, Sequence[int]],
    *,
    done: Sequence[str],
) -> None:
    """After a full link: every mark and band anew, the queue items `done` gone (those it saw),
    the config recorded."""
    with engine.begin() as conn:
        for table in (LinkMark, LinkBand, LinkMeta):
            conn.execute(delete(table))
        _take(conn, done)
        _write_marks(conn, marks, bands)
        conn.execute(insert(LinkMeta), [{"name": CONFIG, "value": config}])


def forget(engine: Engine) -> None:
    """The marks no longer tell the stored networks (another path wrote them): the next
    incremental link is a full one."""
    with engine.begin() as conn:
        conn.execute(delete(LinkMeta).where(col(LinkMeta.name) == CONFIG))


def update_marks(
    conn: Connection,
    *,
    relinked: Sequence[int],
    marks: dict[int, int],
    banded: Sequence[int],
    bands: Mapping[int, Sequence[int]],
    done: Sequence[str],
) -> None:
    """After an incremental link, in its transaction: the marks of the `relinked` ads (and the
    stale marks of the components they were in) become `marks`; the bands of the `banded` ads
    become `bands`; the queue items `done` go."""
    for chunk in _chunks(list(relinked)):
        conn.execute(delete(LinkMark).where(col(LinkMark.ad_pk).in_(chunk)))
    for chunk in _chunks(list(banded)):
        conn.execute(delete(LinkBand).where(col(LinkBand.ad_pk).in_(chunk)))
    _take(conn, done)
    _write_marks(conn, marks, {p: bands[p] for p in banded if p in bands})


def is_hash(value: str) -> bool:
    return len(value) == 16 and all(c in "0123456789abcdef" for c in value)


def all_pks(engine: Engine) -> dict[AdKey, int]:
    """Every stored ad's primary key (one narrow read)."""
    with engine.connect() as conn:
        return {(s, a): int(pk) for pk, s, a in conn.execute(select(Ad.id, Ad.site, Ad.ad_id))}


LOCK_KEY = 0x76696769656C6E6B  # one incremental link at a time per database


@contextmanager
def link_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's incremental-link lock (PostgreSQL: a session advisory lock; SQLite,
    one writer at a time anyway: none): two steps never relink the same ads at once."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({LOCK_KEY})")
        conn.commit()
        try:
            yield
        finally:
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({LOCK_KEY})")
            conn.commit()
