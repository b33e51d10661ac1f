"""crawlers.extract: reading pages with a spec's selectors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree
from parsel import Selector

from crawlers.dates import parse_posted
from crawlers.extract import NoAdId, element_text, links, read_ad, values
from crawlers.sitespec import SiteSpec, load_spec
from crawlers.specfields import IdSource
from pipeline.types import ImageRef

FETCHED = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


def _root(html: str) -> object:
    return Selector(text=html).css("div#x")[0].root


def test_blocks_make_lines_and_inline_elements_do_not() -> None:
    page = (
        '<div id="x"><p>Tél : <b>0470</b> 12 34 56</p><p>Second\n   line</p>'
        "first<br>after break<!-- hidden --> tail<script>var s = 1;</script> end</div>"
    )
    assert element_text(_root(page)) == (
        "Tél : 0470 12 34 56\nSecond line\nfirst\nafter break tail end"
    )


def test_deeply_nested_element_does_not_blow_the_stack() -> None:
    root = node = etree.Element("div")
    for _ in range(5000):
        node = etree.SubElement(node, "span")
    node.text = "deep"
    assert element_text(root) == "deep"


def test_values_reads_attributes_text_nodes_and_elements() -> None:
    sel = Selector(text='<a href=" /u " class="l">one <i>two</i></a><a class="l"> </a>')
    assert values(sel, "a.l::attr(href)") == ["/u"]
    assert values(sel, "a.l") == ["one two"]
    assert values(sel, "a.l::text") == ["one"]


def test_links_are_absolute_unique_http_in_page_order() -> None:
    sel = Selector(
        text='<a href="/b">b</a><a href="a#frag">a</a><a href="/b">again</a>'
        '<a href="mailto:x@y.z">m</a><a href="javascript:void(0)">j</a><a>none</a>'
    )
    assert links(sel, "a", base_url="http://h:1/dir/page") == [
        "http://h:1/b",
        "http://h:1/dir/a",
    ]


FETCHED = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)  # 10:00 in Brussels (CEST)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-03T14:00:00+02:00", datetime(2026, 10, 3, 12, 0, tzinfo=UTC)),
        ("2026-10-03T14:00:00Z", datetime(2026, 10, 3, 14, 0, tzinfo=UTC)),
        ("2026-10-03 14:00", datetime(2026, 10, 3, 12, 0, tzinfo=UTC)),  # local time
        ("3 octobre", datetime(2026, 10, 2, 22, 0, tzinfo=UTC)),
        ("Publié il y a 2 heures", datetime(2026, 10, 5, 6, 0, tzinfo=UTC)),
        ("gisteren om 14:30", datetime(2026, 10, 4, 12, 30, tzinfo=UTC)),
        ("Posted 3 days ago", datetime(2026, 10, 2, 8, 0, tzinfo=UTC)),
        ("Geplaatst op 1 oktober 2026", datetime(2026, 9, 30, 22, 0, tzinfo=UTC)),
        ("04/10/2026 09:15", datetime(2026, 10, 4, 7, 15, tzinfo=UTC)),  # day first
        ("demain", None),  # after the fetch: not a posting date
        ("Annonce n° 48213", None),
        ("25 €", None),
        (None, None),
    ],
)
def test_posting_dates_in_any_common_form_resolve_against_the_fetch(
    value: str | None, expected: datetime | None
) -> None:
    assert parse_posted(value, fetched_at=FETCHED) == expected


AD = """<html><body><article class="ad" data-ad-id="S0042" lang="nl">
<h1 class="ad-title">Mila, nieuw in Brussel</h1>
<p class="ad-location">Elsene</p>
<time class="ad-date" datetime="2026-10-03T14:00:00+00:00">3 oktober</time>
<div class="ad-body"><p>Beschikbaar.</p><p>Enkel op afspraak.</p></div>
<p class="ad-contact">Tel: 0470 12 34 56</p>
<div class="ad-photos"><img class="ad-photo" src="/img/a.png"><img class="ad-photo"
 src="https://cdn.example/b.jpg"><img class="ad-photo" src="/img/a.png"></div>
</article></body></html>"""


def _read(spec: SiteSpec, html: str, url: str, notes: list[str] | None = None) -> object:
    return read_ad(
        spec,
        Selector(text=html),
        url=url,
        page_sha256="0" * 64,
        fetched_at=FETCHED,
        note=(notes if notes is not None else []).append,
    )


def test_read_ad_with_the_demo_static_spec() -> None:
    spec = load_spec("demo-static")
    ad = _read(spec, AD, "http://127.0.0.1:1/static/ad/S0042")
    assert ad.site == "demo-static"  # type: ignore[attr-defined]
    assert ad == type(ad)(  # type: ignore[operator]
        site="demo-static",
        ad_id="S0042",
        url="http://127.0.0.1:1/static/ad/S0042",
        title="Mila, nieuw in Brussel",
        text="Beschikbaar.\nEnkel op afspraak.",
        location_text="Elsene",
        lang="nl",
        contact_text="Tel: 0470 12 34 56",
        posted_at=datetime(2026, 10, 3, 14, 0, tzinfo=UTC),
        fetched_at=FETCHED,
        page_sha256="0" * 64,
        images=(
            ImageRef(url="http://127.0.0.1:1/img/a.png"),
            ImageRef(url="https://cdn.example/b.jpg"),
        ),
    )


def test_id_from_the_url_and_problems_are_noted() -> None:
    base = load_spec("demo-static")
    spec = base.model_copy(
        update={
            "ad": base.ad.model_copy(update={"id": (IdSource(url_regex=r"/ad/(\w+)$"),)}),
            "limits": base.limits.model_copy(update={"max_images_per_ad": 1}),
        }
    )
    notes: list[str] = []
    page = AD.replace("2026-10-03T14:00:00+00:00", "bientôt")
    ad = _read(spec, page, "http://h/static/ad/Q77", notes)
    assert ad.ad_id == "Q77"  # type: ignore[attr-defined]
    assert ad.posted_at is None  # type: ignore[attr-defined]
    assert len(ad.images) == 1  # type: ignore[attr-defined]
    assert notes == ["posted_at_unreadable", "images_over_limit"]


def test_page_without_id_is_not_an_ad() -> None:
    with pytest.raises(NoAdId):
        _read(load_spec("demo-static"), "<html><h1 class='ad-title'>x</h1></html>", "http://h/")
