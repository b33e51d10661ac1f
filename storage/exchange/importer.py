"""Importing another zone's exchange file: verify, parse, check, then write all of it or nothing.

The signature is checked against the trusted zone keys first (an unsigned file, or one signed
by an unknown key, is refused unless `allow_unsigned`); the file is parsed whole and every
indicator checked before one row is written; the rows go in one transaction, keyed on the
file's SHA-256 so that importing the same file again changes nothing. The zone of provenance
is the signer's (a file claiming another zone than its signer's is refused).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col, select

from storage.audit import AuditLog
from storage.columns import as_utc
from storage.engine import write_engine
from storage.exchange.errors import ExchangeError, MalformedFile, SignatureError
from storage.exchange.formats import read
from storage.exchange.model import KINDS, TLP_LEVELS, ZONES, ExchangeBundle, ExchangeIndicator
from storage.exchange.signing import Signer, ZoneKey, signature_path, verify_bytes
from storage.exchange.tables import ImportedFile, ImportedIndicator

log = logging.getLogger(__name__)

_HEX16 = re.compile(r"^[0-9a-f]{16}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_SIGHTINGS = 2**31 - 1  # an INTEGER column on both databases
EXTERNAL = "external"
"""The source zone of an unsigned file that names none (a MISP or OpenCTI export)."""
MAX_VALUE = 512  # a phone, handle, e-mail or URL is far shorter; PostgreSQL indexes cap rows


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did. `added` is False when the same file had been imported before."""

    file_name: str
    sha256: str
    format: str
    source_zone: str
    signer: Signer | None
    indicators: int
    networks: int
    added: bool
    skipped: tuple[str, ...] = ()
    """What the file held that Vigie does not understand (a foreign tool's file)."""


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file that passed the signature and content checks, not yet written."""

    path: Path
    sha256: str
    format: str
    bundle: ExchangeBundle
    signer: Signer | None
    source_zone: str


def _check_time(where: str, value: datetime | None) -> None:
    """A time the database can store: in UTC, between years 1 and 9999."""
    if value is None:
        return
    try:
        as_utc(value)
    except OverflowError:
        raise MalformedFile(f"{where}: time {value.isoformat()} out of range in UTC") from None


def _check_text(where: str, *values: str) -> None:
    """Text the databases can store: no NUL (PostgreSQL refuses it), valid Unicode."""
    for value in values:
        if "\x00" in value:
            raise MalformedFile(f"{where}: a NUL character in {value[:40]!r}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedFile(f"{where}: invalid Unicode (a lone surrogate)") from None


def _check_indicator(n: int, i: ExchangeIndicator) -> None:
    where = f"indicator {n} ({i.kind})"
    _check_text(where, i.kind, i.value, i.platform, *i.flags, *i.zones)
    if i.kind not in KINDS:
        raise MalformedFile(f"{where}: unknown kind; expected one of {', '.join(KINDS)}")
    if not i.value:
        raise MalformedFile(f"{where}: empty value")
    if len(i.value) > MAX_VALUE or len(i.platform) > MAX_VALUE:
        raise MalformedFile(f"{where}: a value over {MAX_VALUE} characters")
    if i.kind == "image" and (i.platform not in ("phash", "dhash") or not _HEX16.match(i.value)):
        raise MalformedFile(f"{where}: an image hash is phash/dhash with 16 hex digits")
    if i.pseudonymised and not _HEX64.match(i.value):
        raise MalformedFile(f"{where}: a pseudonymised value is 64 hex digits (HMAC-SHA256)")
    if not 0.0 <= i.score <= 1.0:
        raise MalformedFile(f"{where}: score {i.score} outside 0–1")
    if bad := [z for z in i.zones if z not in ZONES]:
        raise MalformedFile(f"{where}: {bad[0]!r} is not a Brussels police zone")
    if not 0 <= i.sightings <= MAX_SIGHTINGS:
        raise MalformedFile(f"{where}: sightings {i.sightings} outside 0–{MAX_SIGHTINGS}")
    _check_time(f"{where} first_seen", i.first_seen)
    _check_time(f"{where} last_seen", i.last_seen)


def _check_bundle(bundle: ExchangeBundle) -> None:
    _check_time("exported_at", bundle.exported_at)
    _check_text("file", bundle.tlp, bundle.pseudonym_key_id or "",
                *(n.network_id for n in bundle.networks))


def check_file(path: Path, *, trusted: list[ZoneKey], allow_unsigned: bool = False) -> CheckedFile:
    """Verify and parse `path` without writing anything; raise saying what is wrong."""
    try:
        _check_text("file name", path.name)
    except MalformedFile:
        raise MalformedFile(f"{path!r}: a file name that is not valid Unicode: rename it") from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MalformedFile(f"{path}: cannot read ({exc.strerror})") from None
    sig = signature_path(path)
    signer: Signer | None = None
    if sig.exists():
        try:
            signer = verify_bytes(data, sig.read_bytes(), trusted, path.name)
        except RecursionError:  # a signature document nested absurdly deep
            raise SignatureError(f"{sig.name}: not a Vigie signature file") from None
    elif not allow_unsigned:
        raise SignatureError(
            f"{path.name} is not signed (no {sig.name} beside it): refused; "
            "--allow-unsigned imports it without knowing who made it"
        )
    try:
        fmt, bundle = read(data)
    except MalformedFile as exc:
        raise MalformedFile(f"{path.name}: {exc}") from None
    if signer is not None and bundle.zone and bundle.zone != signer.zone:
        raise SignatureError(
            f"{path.name} claims zone {bundle.zone} but is signed by zone {signer.zone}"
        )
    zone = signer.zone if signer is not None else bundle.zone or EXTERNAL
    if zone not in ZONES and zone != EXTERNAL:
        raise MalformedFile(f"{path.name}: exporting zone {zone!r} is not a zone 5339–5344")
    if bundle.tlp not in TLP_LEVELS:
        raise MalformedFile(f"{path.name}: unknown TLP {bundle.tlp!r}")
    try:
        _check_bundle(bundle)
        first: dict[tuple[str, str, str], int] = {}
        for n, indicator in enumerate(bundle.indicators, 1):
            _check_indicator(n, indicator)
            if (earlier := first.setdefault(indicator.key, n)) != n:
                raise MalformedFile(
                    f"indicator {n} ({indicator.kind}) duplicates indicator {earlier} "
                    f"(id {indicator.id}): one value, one indicator; nothing imported"
                )
    except MalformedFile as exc:
        raise MalformedFile(f"{path.name}: {exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    return CheckedFile(path, digest, fmt.name, bundle, signer, zone)


def _rows(checked: CheckedFile, file_pk: int) -> list[ImportedIndicator]:
    networks: dict[str, list[str]] = defaultdict(list)
    for network in checked.bundle.networks:
        for indicator_id in network.indicator_ids:
            networks[indicator_id].append(network.network_id)
    return [
        ImportedIndicator(
            file_pk=file_pk, source_zone=checked.source_zone, kind=i.kind, platform=i.platform,
            value=i.value, pseudonymised=i.pseudonymised, score=i.score, flags=list(i.flags),
            first_seen=i.first_seen, last_seen=i.last_seen, sightings=i.sightings,
            zones=list(i.zones), networks=sorted(set(networks.get(i.id, ()))),
        )
        for i in checked.bundle.indicators
    ]


def _store(engine: Engine, checked: CheckedFile, actor: str, now: datetime) -> bool:
    bundle = checked.bundle
    with Session(write_engine(engine)) as session:
        query = select(ImportedFile.id).where(col(ImportedFile.sha256) == checked.sha256)
        if session.exec(query).first() is not None:
            return False
        row = ImportedFile(
            sha256=checked.sha256, file_name=checked.path.name, format=checked.format,
            source_zone=checked.source_zone,
            signer_key=checked.signer.fingerprint if checked.signer else None,
            verified=checked.signer is not None, tlp=bundle.tlp,
            pseudonymised=bundle.pseudonymised, pseudonym_key_id=bundle.pseudonym_key_id,
            exported_at=bundle.exported_at, imported_at=now, imported_by=actor,
            indicator_count=len(bundle.indicators),
        )
        session.add(row)
        session.flush()
        assert row.id is not None  # noqa: S101 — set by the flush
        session.add_all(_rows(checked, row.id))
        try:
            session.commit()
        except IntegrityError:  # the same file, imported concurrently
            session.rollback()
            return False
        except DBAPIError as exc:  # nothing was written: the transaction is rolled back whole
            session.rollback()
            raise ExchangeError(f"{checked.path.name}: not imported: {exc.orig}") from exc
    return True


def import_file(
    engine: Engine,
    path: Path,
    *,
    trusted: list[ZoneKey],
    actor: str,
    zone: str,
    allow_unsigned: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    """Import `path` into the database behind `engine` and record it in the audit trail."""
    checked = check_file(path, trusted=trusted, allow_unsigned=allow_unsigned)
    added = _store(engine, checked, actor, now or datetime.now(UTC))
    report = ImportReport(
        file_name=path.name, sha256=checked.sha256, format=checked.format,
        source_zone=checked.source_zone, signer=checked.signer,
        indicators=len(checked.bundle.indicators), networks=len(checked.bundle.networks),
        added=added, skipped=checked.bundle.skipped,
    )
    AuditLog(engine).record(
        actor=actor, action="import", zone=zone, object_type="exchange_file",
        object_id=checked.sha256, reason=None,
        details={
            "file": path.name, "format": checked.format, "source_zone": checked.source_zone,
            "signed_by": checked.signer.fingerprint if checked.signer else None,
            "verified": checked.signer is not None, "indicators": report.indicators,
            "already_imported": not added, "tlp": checked.bundle.tlp,
            "skipped": list(checked.bundle.skipped),
        },
    )
    log.info("imported %s from zone %s: %d indicators (new: %s)", path.name,
             checked.source_zone, report.indicators, added)
    return report
