"""Imported indicators and the files they came from: provenance on every row.

`ImportedFile` is one accepted exchange file (unique on its SHA-256, so importing it again
changes nothing); `ImportedIndicator` one indicator of it, with the zone that exported it.
Rows never leave `storage`: callers get `ImportedRecord`s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.columns import JSONDocument, UTCDateTime


class ImportedFile(SQLModel, table=True):
    __tablename__ = "exchange_imported_file"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True)
    file_name: str = Field(sa_type=Text)
    format: str
    source_zone: str = Field(index=True)
    signer_key: str | None = None  # fingerprint of the trusted key that verified it
    verified: bool
    tlp: str
    pseudonymised: bool
    pseudonym_key_id: str | None = None
    exported_at: datetime = Field(sa_type=UTCDateTime)
    imported_at: datetime = Field(sa_type=UTCDateTime)
    imported_by: str
    indicator_count: int


class ImportedIndicator(SQLModel, table=True):
    __tablename__ = "exchange_imported_indicator"
    __table_args__ = (Index("ix_exchange_imported_indicator_kind_value", "kind", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    file_pk: int = Field(foreign_key="exchange_imported_file.id", ondelete="CASCADE", index=True)
    source_zone: str = Field(index=True)
    kind: str
    platform: str
    value: str = Field(sa_type=Text)
    pseudonymised: bool
    score: float
    flags: list[str] = Field(sa_column=Column(JSONDocument, nullable=False))
    first_seen: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_seen: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sightings: int
    zones: list[str] = Field(sa_column=Column(JSONDocument, nullable=False))
    networks: list[str] = Field(sa_column=Column(JSONDocument, nullable=False))


@dataclass(frozen=True, slots=True)
class ImportedRecord:
    """An imported indicator with its provenance: zone, file, time of import."""

    kind: str
    platform: str
    value: str
    pseudonymised: bool
    score: float
    flags: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    sightings: int
    zones: tuple[str, ...]
    networks: tuple[str, ...]
    source_zone: str
    file_name: str
    file_sha256: str
    verified: bool
    pseudonym_key_id: str | None
    imported_at: datetime


def imported_record(row: ImportedIndicator, file: ImportedFile) -> ImportedRecord:
    return ImportedRecord(
        kind=row.kind, platform=row.platform, value=row.value, pseudonymised=row.pseudonymised,
        score=row.score, flags=tuple(row.flags), first_seen=row.first_seen,
        last_seen=row.last_seen, sightings=row.sightings, zones=tuple(row.zones),
        networks=tuple(row.networks), source_zone=row.source_zone, file_name=file.file_name,
        file_sha256=file.sha256, verified=file.verified,
        pseudonym_key_id=file.pseudonym_key_id, imported_at=file.imported_at,
    )
