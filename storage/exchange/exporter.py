"""Exporting: collect → serialise → write the file (and its detached signature) atomically →
record who, when, why, what and for whom in the audit trail."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from storage.audit import AuditLog
from storage.exchange import csvfmt
from storage.exchange.collect import ExportFilters, collect
from storage.exchange.errors import ExchangeError
from storage.exchange.formats import FORMATS
from storage.exchange.jws import JWS_SUFFIX, sign_jws
from storage.exchange.model import TLP_LEVELS, ZONES
from storage.exchange.signing import sign_bytes, signature_path
from storage.repository import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    signature: Path | None
    sha256: str
    indicators: int
    networks: int
    jws: Path | None = None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(
    store: Store,
    path: Path,
    *,
    fmt: str,
    zone: str,
    actor: str,
    reason: str,
    tlp: str = "amber",
    filters: ExportFilters | None = None,
    recipient: str = "Brussels police zones",
    pseudonym_key: bytes | None = None,
    signing_key: Ed25519PrivateKey | None = None,
    now: datetime | None = None,
    csv_delimiter: str = ";",
) -> ExportResult:
    """Export the zone's indicators to `path` in `fmt`; audit it. `reason` is mandatory."""
    if not reason.strip():
        raise ExchangeError("an export needs a reason (--reason \"case reference\")")
    if fmt not in FORMATS:
        raise ExchangeError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if tlp not in TLP_LEVELS:
        raise ExchangeError(f"unknown TLP {tlp!r}; expected one of {', '.join(TLP_LEVELS)}")
    if zone not in ZONES:
        raise ExchangeError(f"zone {zone!r} is not a Brussels police zone 5339–5344")
    filters = filters or ExportFilters()
    bundle = collect(store, zone=zone, tlp=tlp, filters=filters, pseudonym_key=pseudonym_key,
                     now=now)
    data = (csvfmt.dumps(bundle, delimiter=csv_delimiter) if fmt == "csv"
            else FORMATS[fmt].dumps(bundle))
    _write_atomic(path, data)
    sig_path: Path | None = signature_path(path)
    jws_path: Path | None = path.with_name(path.name + JWS_SUFFIX)
    if signing_key is not None and sig_path is not None and jws_path is not None:
        _write_atomic(sig_path, sign_bytes(data, signing_key, zone))
        _write_atomic(jws_path, sign_jws(data, signing_key, zone))
    else:  # a signature of an earlier file would not match
        for stale in (sig_path, jws_path):
            if stale is not None:
                stale.unlink(missing_ok=True)
        sig_path = jws_path = None
    digest = hashlib.sha256(data).hexdigest()
    AuditLog(store.engine).record(
        actor=actor, action="export", zone=zone, object_type="exchange_file", object_id=digest,
        reason=reason.strip(),
        details={
            "file": path.name, "format": fmt, "filters": filters.describe(), "tlp": tlp,
            "indicators": len(bundle.indicators), "networks": len(bundle.networks),
            "pseudonymised": bundle.pseudonymised, "signed": signing_key is not None,
            "recipient": recipient,
        },
        at=bundle.exported_at,
    )
    log.info("exported %d indicators to %s (%s)", len(bundle.indicators), path.name, fmt)
    return ExportResult(path, sig_path, digest, len(bundle.indicators), len(bundle.networks),
                        jws_path)
