"""How a long export reports where it is: phases (reading the ads, merging, writing) each with a
total, advanced as work is done. The command line shows it as a progress bar; the rest ignores it.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, phase: str, total: int | None) -> None:
        """A new phase of `total` steps (None: unknown)."""
        ...

    def advance(self, steps: int) -> None: ...


class Silent:
    """No progress shown."""

    def start(self, phase: str, total: int | None) -> None:
        return None

    def advance(self, steps: int) -> None:
        return None
