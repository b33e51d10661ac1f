"""Exporting: spool the selected ads' values → write the file as it is read, hashing and signing
it on the way (atomically: a temporary file renamed) → its detached signatures → record who,
when, why, what and for whom in the audit trail."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from storage.audit import AuditLog
from storage.exchange import csvfmt
from storage.exchange.collect import ExportFilters, spool
from storage.exchange.errors import ExchangeError
from storage.exchange.formats import FORMATS
from storage.exchange.jws import JWS_SUFFIX
from storage.exchange.model import TLP_LEVELS, ZONES
from storage.exchange.progress import Progress, Silent
from storage.exchange.signing import signature_path
from storage.exchange.source import Counted
from storage.exchange.streamsign import ExportSigner
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


class _Sink:
    """The export file being written: bytes gathered into large writes, each hashed and signed
    on its way to the file (so the file is never read back nor held)."""

    def __init__(self, fh: BinaryIO, signer: ExportSigner) -> None:
        self._fh = fh
        self._signer = signer
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= _CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        chunk = bytes(self._buffer)
        self._signer.update(chunk)
        self._fh.write(chunk)
        self._buffer.clear()


_CHUNK = 1 << 16


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    with _atomic(path) as fh:
        fh.write(data)


@contextmanager
def _atomic(path: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `path`, renamed to it on success: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
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
    progress: Progress | None = None,
) -> ExportResult:
    """Export the zone's indicators to `path` in `fmt`; audit it. `reason` is mandatory.

    The ads are read a page at a time and the file is written, hashed and signed as it is
    read: memory does not grow with the number of ads (`collect.spool`).
    """
    if not reason.strip():
        raise ExchangeError("an export needs a reason (--reason \"case reference\")")
    if fmt not in FORMATS:
        raise ExchangeError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if tlp not in TLP_LEVELS:
        raise ExchangeError(f"unknown TLP {tlp!r}; expected one of {', '.join(TLP_LEVELS)}")
    if zone not in ZONES:
        raise ExchangeError(f"zone {zone!r} is not a Brussels police zone 5339–5344")
    if csv_delimiter not in (";", ","):
        raise ExchangeError(f"CSV delimiter must be ';' or ',', not {csv_delimiter!r}")
    filters = filters or ExportFilters()
    progress = progress or Silent()
    signer = ExportSigner(signing_key, zone)
    with spool(store, zone=zone, tlp=tlp, filters=filters, pseudonym_key=pseudonym_key,
               now=now, progress=progress, temp_dir=path.parent) as source:
        progress.start(f"Writing {fmt}", source.indicator_count * FORMATS[fmt].passes)
        counted = Counted(source, progress.advance)
        with _atomic(path) as fh:
            sink = _Sink(fh, signer)
            if fmt == "csv":
                csvfmt.write(counted, sink, delimiter=csv_delimiter)
            else:
                FORMATS[fmt].write(counted, sink)
            sink.flush()
        header, indicators, networks = source.header, source.indicator_count, source.network_count
    sig_path: Path | None = signature_path(path)
    jws_path: Path | None = path.with_name(path.name + JWS_SUFFIX)
    signatures = signer.signatures()
    if signatures is not None and sig_path is not None and jws_path is not None:
        _write_atomic(sig_path, signatures[0])
        _write_atomic(jws_path, signatures[1])
    else:  # a signature of an earlier file would not match
        for stale in (sig_path, jws_path):
            if stale is not None:
                stale.unlink(missing_ok=True)
        sig_path = jws_path = None
    digest = signer.sha256.hexdigest()
    AuditLog(store.engine).record(
        actor=actor, action="export", zone=zone, object_type="exchange_file", object_id=digest,
        reason=reason.strip(),
        details={
            "file": path.name, "format": fmt, "filters": filters.describe(), "tlp": tlp,
            "indicators": indicators, "networks": networks,
            "pseudonymised": header.pseudonymised, "signed": signing_key is not None,
            "recipient": recipient,
        },
        at=header.exported_at,
    )
    log.info("exported %d indicators to %s (%s)", indicators, path.name, fmt)
    return ExportResult(path, sig_path, digest, indicators, networks, jws_path)
