"""crawlers.sitespec: YAML site specs, typed and frozen, with exact error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from crawlers.errors import SpecError
from crawlers.sitespec import SITES_DIR, ClickSpec, check_base_url, load_spec, load_specs

MINIMAL = {
    "name": "x",
    "base_url": "http://127.0.0.1:8000",
    "listing": {"ad_links": "a.ad::attr(href)"},
    "ad": {"id": {"url_regex": r"/ad/(\w+)"}, "title": "h1", "text": "div.body"},
}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in `tmp_path` so that error messages show the short relative file name."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(directory: Path, data: object, name: str = "x") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def _with(path: str, value: object) -> dict[str, object]:
    """MINIMAL with the field at dotted `path` set to `value`."""
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return data


def test_shipped_demo_specs_load() -> None:
    specs = {spec.name: spec for spec in load_specs()}
    assert set(specs) >= {"demo-static", "demo-js"}
    static, js = specs["demo-static"], specs["demo-js"]
    assert static.render == "static"
    assert not static.browser
    assert js.browser
    assert [step.click for step in js.ad.clicks if step.click] == [
        "#age-ok",
        "#ad button.show-number",
    ]
    load_more = [step for step in js.listing.clicks if step.repeat]
    assert load_more
    assert load_more[0].click == "#load-more"


def test_defaults_fill_what_the_spec_leaves_out(in_tmp: Path) -> None:
    spec = load_spec(_write(in_tmp, MINIMAL))
    assert spec.render == "static"
    assert spec.base_url == "http://127.0.0.1:8000/"
    assert spec.start_urls == ("/",)
    assert spec.limits.max_pages >= 1
    assert spec.limits.download_delay > 0
    assert (spec.limits.max_depth, spec.limits.max_page_bytes, spec.limits.retries) == (
        50,
        5_000_000,
        2,
    )
    assert spec.ad.images is None
    assert spec.listing.clicks == ()


def test_spec_is_frozen(in_tmp: Path) -> None:
    spec = load_spec(_write(in_tmp, MINIMAL))
    with pytest.raises(ValidationError):
        spec.name = "other"  # type: ignore[misc]
    assert hash(spec) == hash(load_spec(in_tmp / "x.yaml"))


def test_load_by_name_from_a_directory(tmp_path: Path) -> None:
    _write(tmp_path, MINIMAL)
    assert load_spec("x", sites_dir=tmp_path).name == "x"
    assert [spec.name for spec in load_specs(tmp_path)] == ["x"]
    assert load_spec("x", tmp_path).name == "x"  # the directory may be given positionally


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("limits.max_pages", "ten", 'limits.max_pages: expected an integer ≥ 1, got "ten"'),
        ("limits.max_pages", 0, "limits.max_pages: expected an integer ≥ 1, got 0"),
        ("limits.max_depth", 0, "limits.max_depth: expected an integer ≥ 1, got 0"),
        (
            "limits.max_page_bytes",
            100,
            "limits.max_page_bytes: expected an integer ≥ 1024, got 100",
        ),
        ("limits.retries", 11, "limits.retries: expected an integer ≥ 0 and ≤ 10, got 11"),
        (
            "limits.concurrent_requests",
            100,
            "limits.concurrent_requests: expected an integer ≥ 1 and ≤ 32, got 100",
        ),
        ("limits.download_delay", -1, "limits.download_delay: expected a number ≥ 0, got -1"),
        ("limits.page_timeout_s", None, "limits.page_timeout_s: expected a number > 0, got null"),
        ("render", "chrome", 'render: expected "static" or "browser", got "chrome"'),
        ("base_url", "ftp://x", 'base_url: expected an absolute http(s) URL, got "ftp://x"'),
        ("start_urls", [], "start_urls: expected a non-empty list of strings, got a list"),
        ("start_urls", [3], "start_urls[0]: expected a string, got 3"),
        (
            "start_urls",
            ["mailto:a@b.c"],
            "start_urls[0]: expected a path relative to base_url or an absolute http(s) URL, "
            'got "mailto:a@b.c"',
        ),
        ("listing", "a", 'listing: expected a mapping, got "a"'),
        (
            "listing.colour",
            "red",
            "listing.colour: unknown field (expected one of: ad_links, next_page, clicks, api)",
        ),
        (
            "ad.title",
            "h1[",
            'ad.title: expected a CSS selector, got "h1[" '
            "(Expected ident or '*', got <EOF at 3>)",
        ),
        (
            "ad.id",
            {"css": "a", "url_regex": "b"},
            'ad.id: expected exactly one of "css", "url_regex", "jsonld", "microdata", "opengraph"'
            ' or "json", got css, url_regex',
        ),
        (
            "ad.id",
            {"url_regex": "(x"},
            'ad.id.url_regex: expected a regular expression, got "(x" '
            "(missing ), unterminated subpattern at position 0)",
        ),
        (
            "name",
            "X Y",
            "name: expected a name of lowercase letters, digits, '-' and '_', got \"X Y\"",
        ),
        (
            "listing.clicks",
            [{"click": "#ok"}],
            'listing.clicks: clicks need render: browser (this spec has render: "static")',
        ),
    ],
)
def test_bad_field_names_file_field_and_expectation(
    in_tmp: Path, field: str, value: object, message: str
) -> None:
    with pytest.raises(SpecError) as err:
        load_spec(_write(in_tmp, _with(field, value)))
    assert str(err.value) == f"x.yaml: {message}"


def test_missing_required_field(in_tmp: Path) -> None:
    data = _with("ad.text", None)
    del data["ad"]["text"]  # type: ignore[attr-defined]
    with pytest.raises(SpecError, match=r"^x\.yaml: ad\.text: required, but missing$"):
        load_spec(_write(in_tmp, data))


@pytest.mark.parametrize(
    ("step", "where", "message"),
    [
        ({"optional": True}, "", 'expected a "click" selector, a "wait_for" selector or both'),
        ({"wait_for": ".a", "repeat": True}, ".repeat", 'only meaningful with a "click" selector'),
        (
            {"click": "#a", "max_times": 3},
            ".max_times",
            "more than 1 needs repeat: true (or scroll: true)",
        ),
        ({"click": "#a", "timeout_s": 0}, ".timeout_s", "expected a number > 0, got 0"),
        (
            {"click": "#a", "wait": ".b"},
            ".wait",
            "unknown field (expected one of: click, "
            "wait_for, scroll, once, optional, repeat, max_times, timeout_s)",
        ),
    ],
)
def test_bad_browser_step(in_tmp: Path, step: dict[str, object], where: str, message: str) -> None:
    data = _with("render", "browser")
    data["ad"]["clicks"] = [{"click": "#age"}, step]  # type: ignore[index]
    with pytest.raises(SpecError) as err:
        load_spec(_write(in_tmp, data))
    assert str(err.value) == f"x.yaml: ad.clicks[1]{where}: {message}"


def test_every_problem_is_listed_one_per_line(in_tmp: Path) -> None:
    data = _with("limits.max_pages", "ten")
    data["limits"]["max_ads"] = -2  # type: ignore[index]
    with pytest.raises(SpecError) as err:
        load_spec(_write(in_tmp, data))
    assert str(err.value).splitlines() == [
        'x.yaml: limits.max_pages: expected an integer ≥ 1, got "ten"',
        "x.yaml: limits.max_ads: expected an integer ≥ 1, got -2",
    ]


def test_name_must_match_the_file_name(in_tmp: Path) -> None:
    with pytest.raises(SpecError) as err:
        load_spec(_write(in_tmp, MINIMAL, name="other"))
    assert str(err.value) == 'other.yaml: name: expected "other" (the file\'s name), got "x"'


def test_yaml_syntax_error_names_the_line(in_tmp: Path) -> None:
    (in_tmp / "x.yaml").write_text("name: x\nlisting: [unclosed\n", "utf-8")
    with pytest.raises(SpecError, match=r"^x\.yaml: line 3, column 1: invalid YAML: "):
        load_spec(in_tmp / "x.yaml")


def test_duplicate_key_is_an_error(in_tmp: Path) -> None:
    (in_tmp / "x.yaml").write_text("name: x\nrender: static\nrender: browser\n", "utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(in_tmp / "x.yaml")
    assert str(err.value) == 'x.yaml: line 3, column 1: duplicate key "render"'


def test_top_level_must_be_a_mapping(in_tmp: Path) -> None:
    (in_tmp / "x.yaml").write_text("- a\n- b\n", "utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(in_tmp / "x.yaml")
    assert str(err.value) == "x.yaml: expected a mapping of spec fields, got a list"


def test_unknown_name_and_missing_file(in_tmp: Path) -> None:
    _write(in_tmp, MINIMAL)
    with pytest.raises(SpecError) as err:
        load_spec("nope", sites_dir=in_tmp)
    assert str(err.value) == '.: no site spec named "nope" (known: x)'
    with pytest.raises(SpecError, match=r"^gone\.yaml: no such file$"):
        load_spec(in_tmp / "gone.yaml")


def test_shipped_dir_is_the_default() -> None:
    assert load_spec("demo-static").name == "demo-static"
    assert SITES_DIR.name == "sites"


def test_base_url_gets_a_trailing_slash() -> None:
    assert check_base_url("http://127.0.0.1:5000") == "http://127.0.0.1:5000/"
    assert check_base_url("https://h/site?x=1") == "https://h/site/"
    with pytest.raises(ValueError, match='^expected an absolute http\\(s\\) URL, got "/a"$'):
        check_base_url("/a")


def test_click_times() -> None:
    assert ClickSpec(click="#a").times == 1
    assert ClickSpec(click="#a", repeat=True).times == 50
    assert ClickSpec(click="#a", repeat=True, max_times=3).times == 3
