"""End-to-end: crawl each synthetic real-world site with a spec written from README.md only.

Each test serves one site on loopback, runs ``vigie crawl specs/<site>.yaml`` in a subprocess
into a SQLite database in ``tmp_path``, reads the stored ads back and measures them against the
site's truth file: at least 95 % of the truth's ads (by id), of their phones (the analyses'
E.164 numbers) and of their photos (by URL of the largest version). The site's own and
advertisers' numbers must never be an ad's phone, and the "no photo" placeholder never an ad's
image. The specs are in ``specs/``; see the report in ``specs/README.md``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.crawlers.realsites._measure import Score, measure
from tests.crawlers.realsites.server import serve

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SPECS = HERE / "specs"
THRESHOLD = 0.95
CRAWL_TIMEOUT_S = 1500  # a loaded 2-core machine; the crawls themselves take 1-4 minutes


# The specs keep the polite defaults a technician ships (1 s between requests, 2 at a time); a
# loopback test server needs neither, and the suite must stay within minutes.
FAST_LIMITS = {"download_delay": 0, "concurrent_requests": 6}


def fast_copy(spec: Path, tmp_path: Path) -> Path:
    """The spec as written, with only its politeness limits lifted for the loopback server."""
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["limits"] = {**(data.get("limits") or {}), **FAST_LIMITS}
    copy = tmp_path / "fast" / spec.name  # a spec's name must be its file's
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy


def crawl_and_measure(site: str, tmp_path: Path, spec: Path | None = None) -> Score:
    spec_path = fast_copy(spec or SPECS / f"{site}.yaml", tmp_path)
    db_url = f"sqlite:///{tmp_path / 'vigie.db'}"
    env = dict(os.environ)
    env.update(
        VIGIE_DATABASE_URL=db_url,
        VIGIE_DATA_DIR=str(tmp_path / "data"),
        VIGIE_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    with serve(site) as base_url:
        proc = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
            [
                sys.executable,
                "-m",
                "vigie.cli",
                "crawl",
                str(spec_path),
                "--base-url",
                base_url,
                "--database",
                db_url,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=CRAWL_TIMEOUT_S,
            check=False,
        )
        assert proc.returncode == 0, (
            f"crawl of {site} exited {proc.returncode}\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
        )
        return measure(site, db_url, base_url)


def assert_score(score: Score, *, phones: bool = True) -> None:
    report = score.summary()
    assert score.ads_truth, report
    assert score.images_truth, report
    assert score.ads >= THRESHOLD, report
    if phones:
        assert score.phones_truth, report
        assert score.phones >= THRESHOLD, report
    assert score.images >= THRESHOLD, report
    assert not score.not_ad_phones_seen, report
    assert not score.placeholder_seen, report
    assert not score.extra_ads, report  # the removed (404) ad and navigation pages are no ads


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(CRAWL_TIMEOUT_S + 120)
def test_site_a_age_gate_and_click_to_reveal(tmp_path: Path) -> None:
    assert_score(crawl_and_measure("site_a", tmp_path))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(CRAWL_TIMEOUT_S + 120)
def test_site_b_spa_infinite_scroll_consent(tmp_path: Path) -> None:
    assert_score(crawl_and_measure("site_b", tmp_path))


@pytest.mark.slow
@pytest.mark.timeout(CRAWL_TIMEOUT_S + 120)
def test_site_b_through_its_json_api_without_browser(tmp_path: Path) -> None:
    # listing.api with a cursor, JSON ad documents read with json: sources
    assert_score(crawl_and_measure("site_b", tmp_path, SPECS / "api" / "site_b.yaml"))


@pytest.mark.slow
@pytest.mark.timeout(CRAWL_TIMEOUT_S + 120)
def test_site_c_embedded_state_json_api_structured_data(tmp_path: Path) -> None:
    assert_score(crawl_and_measure("site_c", tmp_path))


@pytest.fixture(scope="module")
def site_d_score(tmp_path_factory: pytest.TempPathFactory) -> Score:
    return crawl_and_measure("site_d", tmp_path_factory.mktemp("site_d"))


@pytest.mark.slow
@pytest.mark.timeout(CRAWL_TIMEOUT_S + 120)
def test_site_d_interstitial_noscript_images(site_d_score: Score) -> None:
    assert_score(site_d_score, phones=False)


@pytest.mark.slow
@pytest.mark.timeout(CRAWL_TIMEOUT_S + 120)
@pytest.mark.xfail(
    strict=True,
    reason="static mode cannot read them: site D's phones are only in a same-origin <iframe> "
    "document (never fetched) or in an open shadow root (light DOM: a base64 attribute); browser "
    "mode reads both (test_site_d_browser_phones_in_iframe_and_shadow_dom)",
)
def test_site_d_phones_in_iframe_and_shadow_dom(site_d_score: Score) -> None:
    """The static spec: the phones stay out of reach (see specs/README.md)."""
    assert site_d_score.phones >= THRESHOLD, site_d_score.summary()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(CRAWL_TIMEOUT_S + 120)
def test_site_d_browser_phones_in_iframe_and_shadow_dom(tmp_path: Path) -> None:
    # render: browser flattens open shadow roots ([data-vigie-shadow]) and same-origin frames
    # ([data-vigie-frame]) into the page read by the spec (specs/browser/site_d.yaml)
    assert_score(crawl_and_measure("site_d", tmp_path, SPECS / "browser" / "site_d.yaml"))
