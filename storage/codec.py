"""JSON round-trip of the pipeline's result types (datetimes as ISO-8601, tuples as lists).

Validation goes through pydantic's TypeAdapter on the pipeline's own dataclasses, so a new field
with a default in `pipeline.types` needs no change here and older documents still decode.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from pipeline.types import Analysis, Network, RawAd
from storage.errors import CorruptRecord

T = TypeVar("T")

_RAWAD = TypeAdapter(RawAd)
_ANALYSIS = TypeAdapter(Analysis)
_NETWORK = TypeAdapter(Network)


def _dump(adapter: TypeAdapter[T], value: T) -> dict[str, Any]:
    out: dict[str, Any] = adapter.dump_python(value, mode="json")
    return out


def _load(adapter: TypeAdapter[T], data: object, what: str) -> T:
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise CorruptRecord(
            f"stored {what} does not decode ({exc.error_count()} error(s)); "
            f"first: {where}: {first['msg']}"
        ) from exc


def rawad_to_dict(raw: RawAd) -> dict[str, Any]:
    return _dump(_RAWAD, raw)


def rawad_from_dict(data: object) -> RawAd:
    return _load(_RAWAD, data, "RawAd")


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    return _dump(_ANALYSIS, analysis)


def analysis_from_dict(data: object) -> Analysis:
    return _load(_ANALYSIS, data, "Analysis")


def network_to_dict(network: Network) -> dict[str, Any]:
    return _dump(_NETWORK, network)


def network_from_dict(data: object) -> Network:
    return _load(_NETWORK, data, "Network")
