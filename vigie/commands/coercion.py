"""Typer's value converters, built only for a value to convert.

Typer (0.2x) converts each parameter's value with a pydantic `TypeAdapter`, which it builds the
first time the parameter is processed, even when there is nothing to convert: every
`vigie <command> --help` then imported pydantic (~80 ms), for the app's own `--help`,
`--install-completion` and `--show-completion` left unset, and for a group's options left at
their default (`vigie networks export --help` goes through `vigie networks`' `--limit 50`).

`defer` gives each parameter a converter that builds Typer's own one when a value comes and
hands it over. An unset value is left as Typer leaves it (None, or () for a repeatable option);
a declared default that Typer's converter would return unchanged (an `int` 50 for an `int`
option, `Path("-")` for a `Path` that need not exist) is kept as it is.

This leans on Typer's private `_runtime_param`: on a Typer without it, `defer` does nothing
(tests/vigie/cli/test_startup.py then fails on pydantic, not the commands).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover — another Typer: its converters as they are
    RuntimeParam = None  # type: ignore[assignment,misc]


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _Deferred(RuntimeParam):
        """Typer's converter for `descriptor`, built when a value (not None) comes."""

        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if value is param.default and _as_declared(value, self.annotation, self.parameter_info):
                return value  # the declared default, as Typer's converter would return it
            real = build_runtime_param(self.descriptor)
            param._runtime_param = real  # built once: the next value goes to it directly
            return real.coerce(value, param=param, ctx=ctx)


def _as_declared(value: object, annotation: object, info: Any) -> bool:
    """Whether Typer's converter would return `value` (a declared default) unchanged: a number or
    a string of exactly the declared type, or a path, of the declared type, that need not exist,
    is not resolved and does not exist (Typer then only checks that it does not exist)."""
    if info.parser is not None:
        return False
    if type(value) in (int, float, str) and type(value) is annotation:
        return True
    return (
        isinstance(annotation, type)
        and issubclass(annotation, Path)
        and isinstance(value, annotation)
        and info.path_type is None
        and not (info.exists or info.resolve_path or info.allow_dash)
        and not os.path.lexists(value)
    )


def defer(params: Iterable[object]) -> None:
    """Let each Typer parameter of `params` build its converter only for a value to convert."""
    if RuntimeParam is None:  # pragma: no cover
        return
    for param in params:
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            descriptor = param.type_descriptor
            param._runtime_param = _Deferred(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
            )
