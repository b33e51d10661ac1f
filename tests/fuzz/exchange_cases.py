"""Exchange-file fuzzing, shared by the hypothesis suite and the atheris harness: valid exports
of every format to start from, and `attempt`, the importer's allowed outcome — a whole import
or the importer's own error (ExchangeError) with nothing written.

No pytest and no hypothesis here: the atheris harnesses import this module in a process of
their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from storage.audit import AuditEntry
from storage.exchange.errors import ExchangeError
from storage.exchange.formats import FORMATS
from storage.exchange.importer import ImportReport, import_file
from storage.exchange.model import ExchangeBundle, ExchangeIndicator, ExchangeNetwork
from storage.exchange.pseudonym import pseudonymise
from storage.exchange.signing import ZoneKey, signature_path
from storage.exchange.tables import ImportedFile, ImportedIndicator

SEEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PRIVATE = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TRUSTED = [ZoneKey("5344", PRIVATE.public_key().public_bytes_raw())]


def bundle() -> ExchangeBundle:
    """A small synthetic bundle with every kind of indicator, a pseudonymised one and a network."""
    indicators = [
        ExchangeIndicator("phone", "+32470123456", score=0.82, flags=("minor",), first_seen=SEEN,
                          last_seen=SEEN, sightings=2, zones=("5339", "5340")),
        ExchangeIndicator("email", "lina.b@example.invalid", score=0.1, sightings=1),
        ExchangeIndicator("handle", "lina_b", platform="telegram", score=0.4,
                          flags=("minor", "trafficking"), sightings=1, zones=("5341",)),
        ExchangeIndicator("url", "https://example.invalid/p/lina", sightings=1),
        ExchangeIndicator("alias", "Lina", sightings=3),
        ExchangeIndicator("image", "ffee001122334455", platform="phash", score=1.0,
                          first_seen=SEEN, last_seen=SEEN, sightings=1),
        pseudonymise(ExchangeIndicator("phone", "+32470999999", sightings=1), bytes(32)),
    ]
    network = ExchangeNetwork("Nabc123", (indicators[0].id, indicators[2].id), ("5339",), 0.7)
    return ExchangeBundle(zone="5344", exported_at=SEEN, tlp="amber",
                          indicators=tuple(indicators), networks=(network,),
                          pseudonymised=False)


VALID: dict[str, bytes] = {name: fmt.dumps(bundle()) for name, fmt in FORMATS.items()}
"""A valid export of the bundle in every format, by format name."""


@dataclass
class Target:
    """A zone database (behind `engine`) and the path an incoming file is written to."""

    engine: Engine
    path: Path


def counts(engine: Engine) -> tuple[int, int, int]:
    """Rows in the imported-file, imported-indicator and audit tables."""
    with Session(engine) as session:
        return (
            int(session.exec(select(func.count()).select_from(ImportedFile)).one()),
            int(session.exec(select(func.count()).select_from(ImportedIndicator)).one()),
            int(session.exec(select(func.count()).select_from(AuditEntry)).one()),
        )


def attempt(
    target: Target, data: bytes, *, signature: bytes | None = None, allow_unsigned: bool = True
) -> ImportReport | ExchangeError:
    """Import `data`: a report, or the importer's own error with nothing written."""
    target.path.write_bytes(data)
    sig = signature_path(target.path)
    if signature is None:
        sig.unlink(missing_ok=True)
    else:
        sig.write_bytes(signature)
    before = counts(target.engine)
    refused: ExchangeError | None = None
    try:
        report = import_file(target.engine, target.path, trusted=TRUSTED, actor="fuzz",
                             zone="5339", allow_unsigned=allow_unsigned)
    except ExchangeError as exc:
        refused = exc
    if refused is not None:
        assert counts(target.engine) == before, f"refused ({refused}) but rows changed"
        assert str(refused).strip()
        assert "\n" not in str(refused)  # one line for the CLI
        return refused
    files, rows, audit = counts(target.engine)
    added = (1, report.indicators) if report.added else (0, 0)
    assert (files - before[0], rows - before[1], audit - before[2]) == (*added, 1)
    return report

