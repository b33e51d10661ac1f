"""Table models. A table row never leaves `storage`: callers get the read models of records.py.

Ads: `Ad` is the current state of one ad (unique on site + ad_id) with columns derived from its
analysis for querying; `AdVersion` keeps one row per distinct content; the child tables
(`AdPhone`, `AdContact`, `AdImage`, `AdAlias`, `AdFlag`) index the current content.
Networks: `Network`, its `NetworkMember`s and the `NetworkEdge`s that joined them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.columns import JSONDocument, UTCDateTime


def _json() -> Any:
    return Field(sa_column=Column(JSONDocument, nullable=False))


class Ad(SQLModel, table=True):
    __tablename__ = "ad"
    __table_args__ = (
        UniqueConstraint("site", "ad_id", name="uq_ad_site_ad_id"),
        # narrow: the dashboard's counts and the queue's count read it alone (migration 0008)
        Index("ix_ad_zone_site_first_seen", "zone", "site", "first_seen", "id"),
        # the same over flagged ads only: the queue's count of them by zone, site and day
        # (migration 0012)
        Index(
            "ix_ad_flagged_zone_site_first_seen", "zone", "site", "first_seen", "id",
            postgresql_where=text("flags <> ''"), sqlite_where=text("flags <> ''"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    site: str
    ad_id: str
    url: str = Field(sa_type=Text)
    title: str = Field(sa_type=Text)
    text: str = Field(sa_type=Text)
    location_text: str = Field(sa_type=Text)
    contact_text: str = Field(sa_type=Text)
    lang: str | None = None
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_seen: datetime = Field(sa_type=UTCDateTime, index=True)
    version: int
    content_sha256: str
    # Evidence of the latest fetch (pages carry dynamic bits, so they are not the content hash).
    page_sha256: str | None = None
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Derived from the analysis, for querying.
    zone: str | None = Field(default=None, index=True)
    commune: str | None = None
    minor_score: float
    trafficking_score: float
    max_score: float = Field(index=True)
    flags: str = ""  # comma-separated, as in Analysis.flags; AdFlag indexes them
    model_version: str
    raw_json: dict[str, Any] = _json()  # the latest RawAd
    analysis_json: dict[str, Any] = _json()  # its Analysis


class AdVersion(SQLModel, table=True):
    __tablename__ = "ad_version"
    __table_args__ = (UniqueConstraint("ad_pk", "version", name="uq_ad_version_ad_pk_version"),)

    id: int | None = Field(default=None, primary_key=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    version: int
    content_sha256: str
    page_sha256: str | None = None
    url: str = Field(sa_type=Text)
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    seen_at: datetime = Field(sa_type=UTCDateTime)
    raw_json: dict[str, Any] = _json()
    analysis_json: dict[str, Any] = _json()


class AdPhone(SQLModel, table=True):
    __tablename__ = "ad_phone"
    __table_args__ = (UniqueConstraint("ad_pk", "e164", name="uq_ad_phone_ad_pk_e164"),)

    id: int | None = Field(default=None, primary_key=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    e164: str = Field(index=True)
    region: str
    obfuscated: bool


class AdContact(SQLModel, table=True):
    __tablename__ = "ad_contact"
    __table_args__ = (Index("ix_ad_contact_kind_value", "kind", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    kind: str
    value: str = Field(sa_type=Text)


class AdImage(SQLModel, table=True):
    __tablename__ = "ad_image"

    id: int | None = Field(default=None, primary_key=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    position: int
    url: str = Field(sa_type=Text)
    phash: str | None = Field(default=None, index=True)
    dhash: str | None = Field(default=None, index=True)
    dct: str | None = Field(default=None, sa_type=Text)  # region=hex pairs (pipeline.photohash)


class AdAlias(SQLModel, table=True):
    __tablename__ = "ad_alias"

    id: int | None = Field(default=None, primary_key=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    name: str = Field(index=True)


class AdFlag(SQLModel, table=True):
    __tablename__ = "ad_flag"
    __table_args__ = (UniqueConstraint("ad_pk", "flag", name="uq_ad_flag_ad_pk_flag"),)

    id: int | None = Field(default=None, primary_key=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    flag: str = Field(index=True)


class Network(SQLModel, table=True):
    __tablename__ = "network"

    network_id: str = Field(primary_key=True)
    size: int
    risk: float = Field(index=True)
    zone_count: int
    phones: list[str] = _json()
    aliases: list[str] = _json()
    sites: list[str] = _json()
    zones: list[str] = _json()
    movement: list[str] = _json()
    first_seen: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_seen: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NetworkMember(SQLModel, table=True):
    __tablename__ = "network_member"

    id: int | None = Field(default=None, primary_key=True)
    network_id: str = Field(foreign_key="network.network_id", ondelete="CASCADE", index=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    position: int


class NetworkEdge(SQLModel, table=True):
    __tablename__ = "network_edge"

    id: int | None = Field(default=None, primary_key=True)
    network_id: str = Field(foreign_key="network.network_id", ondelete="CASCADE", index=True)
    a_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    b_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    kind: str
    evidence: str = Field(sa_type=Text)
    position: int


# -- incremental linking (storage/linkindex.py; migration 0014) --------------------------------


class LinkBand(SQLModel, table=True):
    """One LSH band code of an ad's text signature as the last link computed it: the stored ads
    whose text may be a near-duplicate of a new one are those sharing one of its codes."""

    __tablename__ = "link_band"

    id: int | None = Field(default=None, primary_key=True)
    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", index=True)
    code: int = Field(sa_type=BigInteger, index=True)


class LinkMark(SQLModel, table=True):
    """The component (every edge's, hubs' included) an ad was in at the last link: ads linked to
    nothing have none."""

    __tablename__ = "link_mark"

    ad_pk: int = Field(foreign_key="ad.id", ondelete="CASCADE", primary_key=True)
    component: int = Field(sa_type=BigInteger, index=True)


class LinkQueue(SQLModel, table=True):
    """What the next incremental link must look at: `a:<ad pk>` an ad saved since, `c:<id>` a
    component one of whose ads was erased."""

    __tablename__ = "link_queue"

    item: str = Field(primary_key=True)
    stamp: int = Field(sa_type=BigInteger)  # drawn anew by each save: a link takes what it read


class LinkMeta(SQLModel, table=True):
    """`config`: the link configuration the marks and bands were made with (absent: none)."""

    __tablename__ = "link_meta"

    name: str = Field(primary_key=True)
    value: str = Field(sa_type=Text)
