"""Site specs: one YAML file per site, loaded into a typed, frozen `SiteSpec`.

A spec says where a site's listings start, which CSS selectors find the ads and their fields,
whether the site needs a browser (`render: browser`) and which clicks that browser performs, and
the limits of a crawl. A bad spec raises `SpecError` naming the file, the field and what was
expected, e.g. `crawlers/sites/x.yaml: limits.max_pages: expected an integer ≥ 1, got "ten"`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from crawlers.api import ApiSpec
from crawlers.errors import SpecError
from crawlers.specerrors import format_validation_error, show
from crawlers.specfields import FieldSources, IdSources
from crawlers.specrequests import FormSpec, RequestSpec
from crawlers.specsteps import ClickSpec, OverlaySpec
from crawlers.specsyntax import Css

SITES_DIR = Path(__file__).resolve().parent / "sites"
"""The specs shipped with Vigie (`crawlers/sites/`)."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _name(value: str) -> str:
    if not _NAME.match(value):
        raise PydanticCustomError(
            "vigie_name",
            "expected a name of lowercase letters, digits, '-' and '_', got {value}",
            {"value": show(value)},
        )
    return value


def check_base_url(value: str) -> str:
    """An absolute http(s) URL, ending in "/" so that relative start URLs resolve below it;
    raises ValueError otherwise (a spec's `base_url` and the spider's `base_url` argument)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected an absolute http(s) URL, got {show(value)}")
    # urljoin drops the last path segment unless the base ends with "/".
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _http_url(value: str) -> str:
    try:
        return check_base_url(value)
    except ValueError as exc:
        raise PydanticCustomError("vigie_url", "{message}", {"message": str(exc)}) from None


def _start_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise PydanticCustomError(
            "vigie_url",
            "expected a path relative to base_url or an absolute http(s) URL, got {value}",
            {"value": show(value)},
        )
    return value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _custom(kind: str, message: str, field: str | None = None) -> PydanticCustomError:
    """A cross-field error; `field` (relative to the model) is appended to the error's path."""
    return PydanticCustomError(f"vigie_{kind}", message, {"field": field} if field else None)


class ListingSpec(_Model):
    """Listing pages: where the ad links are and how to reach the next page; or a JSON listing
    endpoint (`api`, see `crawlers.api`)."""

    ad_links: Css | None = None
    next_page: Css | None = None
    clicks: tuple[ClickSpec, ...] = ()
    api: ApiSpec | None = None

    @model_validator(mode="after")
    def _links_or_api(self) -> ListingSpec:
        if (self.ad_links is None) == (self.api is None):
            raise _custom("listing", 'expected exactly one of "ad_links" or "api"')
        return self


class AdSpec(_Model):
    """Ad pages: where each field is read (`crawlers.specfields`): a CSS selector — ending in
    `::attr(x)` or `::text` it reads exactly that, else the elements' visible text, one line per
    block — or structured data (JSON-LD, microdata, OpenGraph, embedded or whole-page JSON),
    with a regex after it and fallbacks. `age`, `alias` and `phone` read a profile block's
    fields; they join the ad's text (or contact) for the same extraction as the rest. `url`, when
    given, is the address the ad is stored under (the page people see, for an ad read from a
    JSON API); by default the page's own (canonical) URL."""

    id: IdSources
    title: FieldSources
    text: FieldSources
    location: FieldSources | None = None
    contact: FieldSources | None = None
    posted_at: FieldSources | None = None
    images: FieldSources | None = None
    lang: FieldSources | None = None
    age: FieldSources | None = None
    alias: FieldSources | None = None
    phone: FieldSources | None = None
    url: FieldSources | None = None
    clicks: tuple[ClickSpec, ...] = ()


class LimitsSpec(_Model):
    """The bounds of one crawl of the site; the defaults are polite for a real site.

    `max_pages` listing pages and `max_ads` ad pages per run; `max_depth` links away from a start
    URL (a listing's next page or ad is one more); `max_page_bytes` per page (a bigger one is
    abandoned); `page_timeout_s` to download a page or, in the browser, to load it; `retries` of
    a page that failed (5xx, 429, timeout, dropped connection).
    """

    max_pages: Annotated[int, Field(ge=1)] = 20
    max_ads: Annotated[int, Field(ge=1)] = 500
    max_depth: Annotated[int, Field(ge=1)] = 50
    max_page_bytes: Annotated[int, Field(ge=1024)] = 5_000_000
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    concurrent_requests: Annotated[int, Field(ge=1, le=32)] = 2
    download_delay: Annotated[float, Field(ge=0)] = 1.0
    page_timeout_s: Annotated[float, Field(gt=0)] = 30.0
    max_image_bytes: Annotated[int, Field(ge=1)] = 10_000_000
    max_image_pixels: Annotated[int, Field(ge=1)] = 40_000_000
    max_images_per_ad: Annotated[int, Field(ge=0)] = 10


class SiteSpec(_Model):
    """Everything Vigie knows about crawling one site."""

    name: Annotated[str, AfterValidator(_name)]
    description: str = ""
    render: Literal["static", "browser"] = "static"
    base_url: Annotated[str, AfterValidator(_http_url)]
    start_urls: Annotated[
        tuple[Annotated[str, AfterValidator(_start_url)], ...], Field(min_length=1)
    ] = ("/",)
    request: RequestSpec = RequestSpec()
    form: FormSpec | None = None
    overlays: tuple[OverlaySpec, ...] = ()
    listing: ListingSpec
    ad: AdSpec
    limits: LimitsSpec = LimitsSpec()

    @model_validator(mode="after")
    def _browser_only(self) -> SiteSpec:
        if self.render == "static":
            for where, clicks in (("listing", self.listing.clicks), ("ad", self.ad.clicks)):
                if clicks:
                    raise _custom(
                        "browser_only",
                        'clicks need render: browser (this spec has render: "static")',
                        f"{where}.clicks",
                    )
            if self.overlays:
                raise _custom(
                    "browser_only",
                    'overlays need render: browser (this spec has render: "static")',
                    "overlays",
                )
        return self

    @property
    def browser(self) -> bool:
        return self.render == "browser"


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of duplicate keys silently; a spec with one is an error here."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            mark = key_node.start_mark
            raise SpecError(
                loader.name,
                f"line {mark.line + 1}, column {mark.column + 1}: duplicate key {show(key)}",
            )
        seen.add(key)
    return dict(loader.construct_mapping(node))


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _display(path: Path) -> str:
    """The path as a user reads it: relative to the working directory when under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_spec(data: object, *, source: str, expected_name: str | None = None) -> SiteSpec:
    """Validate already-parsed YAML. `source` names the file in error messages."""
    if not isinstance(data, Mapping):
        raise SpecError(source, f"expected a mapping of spec fields, got {show(data)}")
    try:
        spec = SiteSpec.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, SiteSpec, source, data) from None
    if expected_name is not None and spec.name != expected_name:
        raise SpecError(
            source,
            f"expected {show(expected_name)} (the file's name), got {show(spec.name)}",
            field="name",
        )
    return spec


def load_spec(path_or_name: str | Path, sites_dir: str | Path | None = None) -> SiteSpec:
    """Load one spec: a path to a YAML file, or the name of a spec in `sites_dir`."""
    path = Path(path_or_name)
    if isinstance(path_or_name, str) and _NAME.match(path_or_name) and not path.suffix:
        directory = Path(sites_dir) if sites_dir is not None else SITES_DIR
        path = directory / f"{path_or_name}.yaml"
        if not path.is_file():
            known = ", ".join(sorted(p.stem for p in directory.glob("*.yaml"))) or "none"
            raise SpecError(
                _display(directory), f"no site spec named {show(path_or_name)} (known: {known})"
            )
    source = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(source, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(source, f"cannot read the file ({exc})") from None
    try:
        _check_depth(text)
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except SpecError as exc:
        raise SpecError(source, exc.detail) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise SpecError(source, f"{where}invalid YAML: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # str(exc) spans two lines: say it in one
        line, column = text.count("\n", 0, exc.position) + 1, exc.position + 1
        column -= text.rfind("\n", 0, exc.position) + 1
        raise SpecError(
            source,
            f"line {line}, column {column}: invalid YAML: character "
            f"#x{exc.character:04x} is not allowed ({exc.reason})",
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(source, "invalid YAML: " + " ".join(str(exc).split())) from None
    return parse_spec(data, source=source, expected_name=path.stem)


MAX_DEPTH = 32
"""Deepest nesting of mappings and lists a spec may have (a real one has 4 levels; PyYAML
builds nested nodes recursively, so thousands of levels would exhaust Python's stack)."""


def _check_depth(text: str) -> None:
    """Refuse YAML nested deeper than MAX_DEPTH, reading its events (no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
                raise SpecError("", f"{where}nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def load_specs(directory: str | Path | None = None) -> list[SiteSpec]:
    """Every `*.yaml` spec in `directory` (default: the shipped `crawlers/sites/`), by name."""
    root = Path(directory) if directory is not None else SITES_DIR
    if not root.is_dir():
        raise SpecError(_display(root), "not a directory of site specs")
    return [load_spec(p) for p in sorted(root.glob("*.yaml"))]
