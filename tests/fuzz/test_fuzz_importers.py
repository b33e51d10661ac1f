"""Hostile exchange files: the importer either imports them whole or refuses them with its own
error (ExchangeError), and a refusal writes nothing — never another exception, never a
half-written database.

Start from valid exports of every format (Vigie JSON, STIX 2.1, MISP, CSV), then flip, insert
and cut bytes; replace JSON values by other types, huge or non-finite numbers, NUL and lone
surrogates, deep nesting; replace CSV cells; tamper with signatures.
Budget: 400 + 400 + 200 + 100 + 60 = 1,160 generated files per CI run (derandomized).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.exchange.errors import MalformedFile, SignatureError
from storage.exchange.formats import FORMATS
from storage.exchange.importer import ImportReport
from storage.exchange.signing import sign_bytes
from storage.repository import Store
from tests.fuzz.exchange_cases import PRIVATE, VALID, Target, attempt

JSON_FORMATS = ("vigie", "stix", "misp")


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    root = tmp_path_factory.mktemp("fuzz-import")
    with Store.open(f"sqlite:///{root / 'zone.db'}") as store:
        yield Target(store.engine, root / "incoming.json")


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def test_every_valid_export_imports(target: Target) -> None:
    for name, data in VALID.items():
        outcome = attempt(target, data, signature=sign_bytes(data, PRIVATE, "5344"),
                          allow_unsigned=False)
        assert isinstance(outcome, ImportReport), (name, outcome)


BYTE_OPS = st.lists(
    st.tuples(st.sampled_from(("flip", "insert", "delete", "truncate")),
              st.integers(min_value=0), st.binary(min_size=1, max_size=8)),
    min_size=1, max_size=6,
)


def _mutate_bytes(data: bytes, ops: list[tuple[str, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for op, where, payload in ops:
        at = where % (len(buf) + 1)
        if op == "flip" and buf:
            buf[at % len(buf)] ^= payload[0] or 1
        elif op == "insert":
            buf[at:at] = payload
        elif op == "delete":
            del buf[at : at + len(payload) * 8]
        else:
            del buf[at:]
    return bytes(buf)


@fuzz(400)
@given(fmt=st.sampled_from(sorted(FORMATS)), ops=BYTE_OPS)
def test_byte_mutations_are_imported_or_refused_cleanly(
    target: Target, fmt: str, ops: list[tuple[str, int, bytes]]
) -> None:
    attempt(target, _mutate_bytes(VALID[fmt], ops))


HOSTILE = st.one_of(
    st.sampled_from([
        None, True, 0, -1, 2**63, -(2**63) - 1, 10**30, 1e308, -0.0, 0.5, "", "\x00", "\ud800",
        "é" * 3, "9" * 5000, "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
        "2026-02-30T00:00:00Z", "2026-03-01T23:59:60Z", "amber", "5344", "phone", "image",
        "indicator--00000000-0000-4000-8000-000000000000", [], {}, [[]], {"a": {}},
    ]),
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.recursive(st.none() | st.integers() | st.text(max_size=4),
                 lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8),
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found += _paths(v, (*prefix, i))
    return found


def _replace(doc: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


@fuzz(400)
@given(fmt=st.sampled_from(JSON_FORMATS), picks=st.lists(
    st.tuples(st.integers(min_value=0), HOSTILE, st.booleans()), min_size=1, max_size=3),
    nest=st.sampled_from([0, 0, 0, 50, 5000, 200_000]))
def test_json_value_mutations_are_imported_or_refused_cleanly(
    target: Target, fmt: str, picks: list[tuple[int, Any, bool]], nest: int
) -> None:
    doc = json.loads(VALID[fmt])
    for index, value, delete in picks:
        paths = _paths(doc)
        path = paths[index % len(paths)]
        doc = _replace(doc, path, value, delete and bool(path))
    text = json.dumps(doc)  # NaN, Infinity and lone surrogates pass through as JSON allows
    if nest:  # nest the whole document deeply in arrays (a JSON bomb of depth)
        text = "[" * nest + text + "]" * nest
    attempt(target, text.encode("utf-8", "surrogatepass"))


CELLS = st.one_of(
    st.sampled_from([
        "", "nan", "inf", "-1", "1e999", "99999999999999999999999", "0x10", "true", "'=1+1",
        "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2026-13-01", "\x00", "5344",
        "image", "phash", "zz", "a" * 64, "minor;trafficking;minor", "5339;9999", "red",
    ]),
    st.text(max_size=10),
)


@fuzz(200)
@given(changes=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0), CELLS),
                        min_size=1, max_size=4))
def test_csv_cell_mutations_are_imported_or_refused_cleanly(
    target: Target, changes: list[tuple[int, int, str]]
) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(VALID["csv"].decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    for row_index, column, value in changes:
        row = rows[1 + row_index % (len(rows) - 1)]
        row[column % len(row)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    attempt(target, buffer.getvalue().encode("utf-8", "surrogatepass"))


@fuzz(100)
@given(fmt=st.sampled_from(sorted(FORMATS)), ops=BYTE_OPS, tamper_sig=st.booleans())
def test_a_signed_file_altered_after_signing_is_refused(
    target: Target, fmt: str, ops: list[tuple[str, int, bytes]], tamper_sig: bool
) -> None:
    data = VALID[fmt]
    signature = sign_bytes(data, PRIVATE, "5344")
    changed = _mutate_bytes(signature if tamper_sig else data, ops)
    if tamper_sig:
        signature, altered = changed, changed != signature
    else:
        data, altered = changed, changed != data
    outcome = attempt(target, data, signature=signature, allow_unsigned=False)
    if not altered:
        assert isinstance(outcome, ImportReport)
    elif tamper_sig:  # a change JSON ignores (whitespace) still verifies
        assert isinstance(outcome, ImportReport | SignatureError)
    else:  # altered bytes never verify
        assert isinstance(outcome, SignatureError)


@fuzz(60)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), fmt=st.sampled_from(JSON_FORMATS))
def test_shuffled_json_lines_are_imported_or_refused_cleanly(
    target: Target, seed: int, fmt: str
) -> None:
    lines = json.dumps(json.loads(VALID[fmt]), indent=1).splitlines()
    random.Random(seed).shuffle(lines)  # noqa: S311 — test data, not security
    attempt(target, "\n".join(lines).encode())


def _csv_with(column: str, value: str) -> bytes:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(VALID["csv"].decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    rows[1][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _stix_with(name: str, value: Any) -> bytes:
    doc = json.loads(VALID["stix"])
    indicator = next(o for o in doc["objects"] if o["type"] == "indicator")
    next(iter(indicator["extensions"].values()))[name] = value
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nested deeper than"),
        (b'{"a":' * 100 + b"1" + b"}" * 100, "nested deeper than"),
        (b'{"format": "vigie-exchange", "version": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (_csv_with("first_seen", "0001-01-01T00:00:00+01:00"), "out of range in UTC"),
        (_csv_with("sightings", "99999999999999999999999"), "sightings"),
        (_csv_with("value", "+3247\x000123456"), "NUL"),
        (_csv_with("value", "\ud800"), "not a readable CSV"),
        (_stix_with("flags", [[]]), "not a list of strings"),
        (_stix_with("kind", None), "wrong type"),
        (_stix_with("sightings", True), "wrong type"),
    ],
    ids=["deep-array", "deep-object", "huge-int", "year-1", "huge-sightings", "nul",
         "surrogate", "stix-flag-list", "stix-kind-null", "stix-bool-sightings"],
)
def test_regressions_found_by_fuzzing_are_refused_as_malformed(
    target: Target, data: bytes, message: str
) -> None:
    outcome = attempt(target, data)
    assert isinstance(outcome, MalformedFile), outcome
    assert message in str(outcome)
