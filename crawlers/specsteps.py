"""Browser steps of a site spec: clicks, waits, scrolls, and overlays dismissed whenever they
appear. Their selectors are Playwright selectors (`crawlers.pwselectors`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from crawlers.pwselectors import PwSelector


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _custom(kind: str, message: str, field: str | None = None) -> PydanticCustomError:
    """A cross-field error; `field` (relative to the model) is appended to the error's path."""
    return PydanticCustomError(f"vigie_{kind}", message, {"field": field} if field else None)


class ClickSpec(_Model):
    """One browser step: click `click`, wait for `wait_for`, or both; or scroll.

    After a click, `wait_for` waits until *more* elements match it than before the click (a new
    card, a filled phone number); without a click it waits until one matches. `optional: true`
    skips the step when its target is absent (an age gate already passed). `repeat: true` clicks
    again until the target is gone or `max_times` clicks were made ("load more"). `scroll: true`
    scrolls to the bottom until no new `wait_for` item appears (infinite scroll; at most
    `max_times` scrolls, default 50). `once: true` runs the step on the first page of the crawl
    only (an age gate whose cookie then stays in the browser).
    """

    click: PwSelector | None = None
    wait_for: PwSelector | None = None
    scroll: bool = False
    once: bool = False
    optional: bool = False
    repeat: bool = False
    max_times: Annotated[int, Field(ge=1)] | None = None
    timeout_s: Annotated[float, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _coherent(self) -> ClickSpec:
        if self.click is None and self.wait_for is None:
            raise _custom("step", 'expected a "click" selector, a "wait_for" selector or both')
        if self.scroll and (self.click is not None or self.wait_for is None):
            raise _custom("step", 'scroll needs "wait_for" (the items it loads) and no "click"')
        if self.repeat and self.click is None:
            raise _custom("step", 'only meaningful with a "click" selector', "repeat")
        if self.max_times is not None and self.max_times > 1 and not (self.repeat or self.scroll):
            raise _custom("step", "more than 1 needs repeat: true (or scroll: true)", "max_times")
        return self

    @property
    def times(self) -> int:
        """How many clicks (or scrolls) at most: `max_times`, else 50 when repeating or
        scrolling, else 1."""
        if self.max_times is not None:
            return self.max_times
        return 50 if self.repeat or self.scroll else 1


class OverlaySpec(_Model):
    """An overlay that may appear at any moment (a consent dialog injected a second after load):
    whenever `selector` shows and blocks a step, `click` (default: `selector` itself) dismisses
    it; one still showing when the steps are done is dismissed too."""

    selector: PwSelector
    click: PwSelector | None = None
