"""Turn pydantic's validation errors into a site spec's exact, human error lines.

Each line names the field by its path in the YAML (`listing.clicks[0].wait_for`) and says what
was expected, derived from the field's own type and constraints, and what was found.
"""

from __future__ import annotations

import json
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from crawlers.errors import SpecError


def show(value: object) -> str:
    """A value as the YAML author wrote it: strings quoted, booleans and null in YAML's words."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str | int | float):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


MAX_PROBLEMS = 20
"""At most this many problems are listed, one a line; a last line counts the others."""

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _path(loc: tuple[int | str, ...]) -> str:
    """`listing.clicks[0].wait_for`; a key that is not a plain name is quoted: `ad["\\n"]`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:  # a line break or a dot in a key must not break or fake the path
            out += f"[{show(part)}]"
    return out


def _unwrap(annotation: Any, metadata: list[Any]) -> Any:
    """Strip `X | None` and `Annotated[X, ...]`, collecting the constraints into `metadata`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            for item in extra:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _field(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[Any, list[Any]] | None:
    """The annotation and constraints of the field at `loc`, or None when `loc` is not a field."""
    annotation: Any = model
    metadata: list[Any] = []
    for part in loc:
        annotation = _unwrap(annotation, metadata)
        if isinstance(part, str):
            if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
                return None
            info = annotation.model_fields.get(part)
            if info is None:
                return None
            annotation, metadata = info.annotation, list(info.metadata)
        elif get_origin(annotation) in (tuple, list):
            annotation, metadata = get_args(annotation)[0], []
        else:
            return None
    return _unwrap(annotation, metadata), metadata


def _bounds(metadata: list[Any]) -> str:
    words = []
    for item in metadata:
        if isinstance(item, at.Ge):
            words.append(f"≥ {item.ge}")
        elif isinstance(item, at.Gt):
            words.append(f"> {item.gt}")
        elif isinstance(item, at.Le):
            words.append(f"≤ {item.le}")
        elif isinstance(item, at.Lt):
            words.append(f"< {item.lt}")
    return " " + " and ".join(words) if words else ""


def describe(annotation: Any, metadata: list[Any]) -> str:
    """What a field expects, in words: `an integer ≥ 1`, `"static" or "browser"`, `a mapping`."""
    min_len = max((m.min_length for m in metadata if isinstance(m, at.MinLen)), default=0)
    origin = get_origin(annotation)
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "an integer" + _bounds(metadata)
    if annotation is float:
        return "a number" + _bounds(metadata)
    if annotation is str:
        return "a non-empty string" if min_len else "a string"
    if origin is Literal:
        return " or ".join(show(a) for a in get_args(annotation))
    if origin in (tuple, list):
        element = _unwrap(get_args(annotation)[0], [])
        of = " of strings" if element is str else " of mappings" if _is_model(element) else ""
        return ("a non-empty list" if min_len else "a list") + of
    if _is_model(annotation):
        return "a mapping"
    return "a valid value"


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _line(error: ErrorDetails, model: type[BaseModel]) -> tuple[str, str]:
    """(field path, message) for one pydantic error."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind.startswith("vigie_"):
        extra = ctx.get("field")
        return _path(loc + tuple(str(extra).split("."))) if extra else _path(loc), error["msg"]
    if kind == "missing":
        return _path(loc), "required, but missing"
    if kind == "extra_forbidden":
        parent = _field(model, loc[:-1])
        known = (
            ", ".join(parent[0].model_fields) if parent is not None and _is_model(parent[0]) else ""
        )
        return _path(loc), "unknown field" + (f" (expected one of: {known})" if known else "")
    found = _field(model, loc)
    expected = describe(*found) if found is not None else error["msg"].lower()
    return _path(loc), f"expected {expected}, got {show(error['input'])}"


def _as_written(loc: tuple[int | str, ...], data: Any) -> tuple[int | str, ...]:
    """`loc` without the list indexes the spec did not write: a field given as one source (a
    mapping or a string) is validated as a list of one, but its errors name the field itself."""
    out: list[int | str] = []
    node = data
    for part in loc:
        if isinstance(part, int) and not isinstance(node, list | tuple):
            continue  # the validator's own wrapping: the spec wrote no list here
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list | tuple) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def format_validation_error(
    exc: ValidationError, model: type[BaseModel], source: str, data: Any = None
) -> SpecError:
    """One `SpecError` for every problem pydantic found, the first one first. With the spec's
    `data`, list indexes the spec did not write are left out of the paths."""
    errors = exc.errors(include_url=False)
    if data is not None:
        errors = [{**e, "loc": _as_written(tuple(e["loc"]), data)} for e in errors]
    # A list whose items failed also reports itself (e.g. "too short after validation"): noise.
    # Every proper prefix of every location, in one pass: linear in the errors' total depth
    # (comparing each error with every other one took minutes for 100,000 unknown keys).
    parents = {tuple(e["loc"][:k]) for e in errors for k in range(len(e["loc"]))}
    errors = [e for e in errors if tuple(e["loc"]) not in parents]
    lines = [_line(error, model) for error in errors[: MAX_PROBLEMS + 1]]
    (field, message), *rest = lines[:MAX_PROBLEMS]
    more = tuple(f"{source}: {f}: {m}" if f else f"{source}: {m}" for f, m in rest)
    if len(errors) > MAX_PROBLEMS:
        more += (f"{source}: … and {len(errors) - MAX_PROBLEMS:,} more problems",)
    return SpecError(source, message, field=field or None, more=more)
