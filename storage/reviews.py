"""Investigators' decisions on flagged ads, and the labels a model learns from them.

A decision is `confirm` (the ad's flags are right), `dismiss` (they are wrong) or `escalate`
(hand it up; no label). Each is stored per user with a note and never changed: a new decision
on the same ad is a new row, and the latest confirm/dismiss is the ad's label.

A decision may name one flag (`target` "minor" or "trafficking"): it then labels that flag only,
whether the model raised it or not — confirming the minor cue of an ad the model did not flag
gives a positive minor label. A decision without a target speaks for the flags the ad carried.
Per flag, the latest decision that labels it wins.

`labelled_ads(engine)` is what `vigie train --from-reviews` reads:

    for raw, labels in labelled_ads(engine):
        labels["minor"]         # True: confirmed minor flag; False: dismissed; None: no label
        labels["trafficking"]   # likewise for the trafficking flag

and `reviewed_network_sizes(engine)` gives the real size of each reviewed ad's stored network
(the model's network feature), so training on reviews learns from the sizes linking found.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Engine, Text, func
from sqlmodel import Field, Session, SQLModel, col, select

from pipeline.types import AdKey, RawAd
from storage.codec import rawad_from_dict
from storage.columns import UTCDateTime
from storage.errors import StorageError, UnknownAd
from storage.tables import Ad, Network, NetworkMember
from storage.users import check_zone

DECISIONS = ("confirm", "dismiss", "escalate")
LABELLED_FLAGS = ("minor", "trafficking")
MAX_NOTE = 4000

Labels = dict[str, bool | None]


class Decision(SQLModel, table=True):
    __tablename__ = "review_decision"

    id: int | None = Field(default=None, primary_key=True)
    site: str = Field(index=True)
    ad_id: str = Field(index=True)
    actor: str = Field(index=True)
    zone: str | None = None
    decision: str
    note: str = Field(default="", sa_type=Text)
    flags: str = ""  # the ad's flags when decided, comma-separated
    target: str | None = None  # the one flag decided ("minor" | "trafficking"); None: the ad's
    at: datetime = Field(sa_type=UTCDateTime, index=True)


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    site: str
    ad_id: str
    actor: str
    zone: str | None
    decision: str
    note: str
    flags: tuple[str, ...]
    at: datetime
    ad_zone: str | None = None
    """The ad's zone when the decision was recorded (set by `record_decision` only)."""
    target: str | None = None

    @property
    def labels(self) -> Labels:
        """What this decision says about each flag (escalate says nothing): the target flag's,
        else each flag the ad carried."""
        value = {"confirm": True, "dismiss": False}.get(self.decision)
        if self.target is not None:
            return {f: (value if f == self.target else None) for f in LABELLED_FLAGS}
        return {f: (value if f in self.flags else None) for f in LABELLED_FLAGS}


def _review(row: Decision) -> Review:
    return Review(
        id=row.id or 0,
        site=row.site,
        ad_id=row.ad_id,
        actor=row.actor,
        zone=row.zone,
        decision=row.decision,
        note=row.note,
        flags=tuple(f for f in row.flags.split(",") if f),
        at=row.at,
        target=row.target,
    )


def record_decision(
    engine: Engine,
    *,
    site: str,
    ad_id: str,
    actor: str,
    zone: str | None,
    decision: str,
    note: str = "",
    at: datetime | None = None,
    for_zone: str | None = None,
    target: str | None = None,
) -> Review:
    """Store one decision on a stored ad (its current flags are kept with it); `target` names
    the one flag it decides (None: the ad's flags).

    With `for_zone`, the ad must belong to that zone (or to none), else OtherZone: a zone's
    ads are decided by its own investigators. None: any zone (an administrator, the CLI)."""
    if decision not in DECISIONS:
        raise StorageError(f"unknown decision {decision!r}; expected one of {DECISIONS}")
    if target is not None and target not in LABELLED_FLAGS:
        raise StorageError(f"unknown flag {target!r}; expected one of {LABELLED_FLAGS}")
    if len(note) > MAX_NOTE:
        raise StorageError(f"a note has at most {MAX_NOTE} characters")
    with Session(engine) as session:
        ad = session.exec(select(Ad).where(col(Ad.site) == site, col(Ad.ad_id) == ad_id)).first()
        if ad is None:
            raise UnknownAd([(site, ad_id)])
        check_zone(f"ad {site}/{ad_id}", owner=ad.zone, acting_zone=for_zone)
        row = Decision(
            site=site,
            ad_id=ad_id,
            actor=actor,
            zone=zone,
            decision=decision,
            note=note,
            flags=ad.flags,
            target=target,
            at=at or datetime.now(UTC),
        )
        session.add(row)
        session.commit()
        session.refresh(row)
        return replace(_review(row), ad_zone=ad.zone)


def reviews_of(engine: Engine, *, site: str, ad_id: str) -> list[Review]:
    """Every decision on the ad, newest first."""
    query = (
        select(Decision)
        .where(col(Decision.site) == site, col(Decision.ad_id) == ad_id)
        .order_by(col(Decision.id).desc())
    )
    with Session(engine) as session:
        return [_review(row) for row in session.exec(query).all()]


def latest_decisions(engine: Engine) -> dict[tuple[str, str], str]:
    """(site, ad_id) → the latest decision on it, for the queue's status column and filter."""
    latest: dict[tuple[str, str], str] = {}
    query = select(Decision.site, Decision.ad_id, Decision.decision).order_by(col(Decision.id))
    with Session(engine) as session:
        for site, ad_id, decision in session.exec(query).all():
            latest[(site, ad_id)] = decision
    return latest


def labelled_ads(engine: Engine, *, standing: bool = False) -> Iterator[tuple[RawAd, Labels]]:
    """Every reviewed ad whose confirm/dismiss decisions give at least one label, with its RawAd
    (the current version) and `{"minor": bool | None, "trafficking": bool | None}`: per flag,
    the latest decision that labels it (a per-flag decision, or one on the ad's flags).

    With `standing`, a flag no decision labels takes the model's current verdict (raised or
    not), which the investigator, having read the ad, left standing."""
    labels: dict[tuple[str, str], Labels] = {}
    query = (
        select(Decision)
        .where(col(Decision.decision).in_(("confirm", "dismiss")))
        .order_by(col(Decision.id))
    )
    with Session(engine) as session:
        for row in session.exec(query).all():
            current = labels.setdefault((row.site, row.ad_id), dict.fromkeys(LABELLED_FLAGS))
            current.update((f, v) for f, v in _review(row).labels.items() if v is not None)
        for (site, ad_id), ad_labels in labels.items():
            if all(v is None for v in ad_labels.values()):
                continue
            ad = session.exec(
                select(Ad).where(col(Ad.site) == site, col(Ad.ad_id) == ad_id)
            ).first()
            if ad is not None:
                if standing:
                    flags = set(ad.flags.split(","))
                    ad_labels = {
                        f: (f in flags if v is None else v) for f, v in ad_labels.items()
                    }
                yield rawad_from_dict(ad.raw_json), ad_labels


def reviewed_network_sizes(engine: Engine) -> dict[AdKey, int]:
    """(site, ad_id) → member count of the largest stored network of every reviewed ad that
    belongs to one (an ad in no network is alone: size 1)."""
    reviewed = select(Decision.site, Decision.ad_id).distinct().subquery()
    query = (
        select(Ad.site, Ad.ad_id, func.max(Network.size))
        .join(reviewed, (reviewed.c.site == col(Ad.site)) & (reviewed.c.ad_id == col(Ad.ad_id)))
        .join(NetworkMember, col(NetworkMember.ad_pk) == col(Ad.id))
        .join(Network, col(Network.network_id) == col(NetworkMember.network_id))
        .group_by(col(Ad.site), col(Ad.ad_id))
    )
    with Session(engine) as session:
        return {(site, ad_id): int(size) for site, ad_id, size in session.exec(query).all()}
