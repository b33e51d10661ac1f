"""Photo URLs as sites serve them (issue 13.3): srcset, <picture>, lazy-loading attributes and
CSS background images, relative and protocol-relative, with no malformed URL coming out."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawlers.images import image_urls, srcset_best

PAGE = "https://site.example/ads/42?ref=list"


def _urls(html: str, css: str) -> list[str]:
    return image_urls(Selector(text=html), css, base_url=PAGE)


@pytest.mark.parametrize(
    ("srcset", "best"),
    [
        ("a.jpg 320w, b.jpg 1024w, c.jpg 640w", "b.jpg"),
        ("a.jpg, b.jpg 2x, c.jpg 1.5x", "b.jpg"),
        ("/img/x,y.jpg 100w, /img/z.jpg 50w", "/img/x,y.jpg"),  # a comma inside a URL
        ("  single.webp  ", "single.webp"),
        ("", None),
    ],
)
def test_srcset_gives_its_largest_candidate(srcset: str, best: str | None) -> None:
    assert srcset_best(srcset) == best


def test_every_way_a_gallery_serves_its_photos() -> None:
    html = """
    <div class="gallery">
      <img src="/p/1.jpg">
      <img src="data:image/gif;base64,R0lGOD" data-src="/p/2.jpg">
      <img srcset="/p/3-small.jpg 320w, /p/3-large.jpg 1280w" src="/p/3-small.jpg">
      <picture>
        <source srcset="/p/4.avif 1x, /p/4@2x.avif 2x" type="image/avif">
        <img src="/p/4.jpg">
      </picture>
      <div class="thumb" style="width:10px; background-image: url('//cdn.example/p/5.jpg')"></div>
      <a class="photo" style="background: #000 url(p/6.jpg) no-repeat"></a>
      <img data-lazy="https://cdn.example/p/7.jpg" src="/static/blank.gif">
    </div>"""
    assert _urls(html, "div.gallery") == [
        "https://site.example/p/1.jpg",
        "https://site.example/p/2.jpg",
        "https://site.example/p/3-large.jpg",
        "https://site.example/p/4@2x.avif",
        "https://cdn.example/p/5.jpg",
        "https://site.example/ads/p/6.jpg",
        "https://cdn.example/p/7.jpg",
    ]


def test_img_elements_and_attributes_selected_directly() -> None:
    html = (
        '<img class="ph" srcset="/a-1.jpg 1x, /a-2.jpg 2x">'
        '<img class="ph" data-src="/b.jpg" src="data:,">'
        '<span class="bg" style="background-image:url(&quot;/c.jpg&quot;)"></span>'
    )
    assert _urls(html, "img.ph") == ["https://site.example/a-2.jpg", "https://site.example/b.jpg"]
    assert _urls(html, "img.ph::attr(srcset)") == ["https://site.example/a-2.jpg"]
    assert _urls(html, "span.bg") == ["https://site.example/c.jpg"]
    assert _urls(html, "span.bg::attr(style)") == ["https://site.example/c.jpg"]


def test_nothing_malformed_comes_out() -> None:
    html = (
        '<img srcset="/x.jpg 100w, /y.jpg 200w">'  # read as a srcset, never as one URL
        '<img src="javascript:void(0)"><img src=""><img>'
        '<div style="background-image: none"></div>'
    )
    urls = _urls(html, "img, div")
    assert urls == ["https://site.example/y.jpg"]
    assert all(" " not in u and "," not in u for u in urls)


def test_a_picture_gives_its_widest_candidate_across_sources_and_img() -> None:
    html = (
        '<picture><source type="image/webp" srcset="/m/1-480.webp 480w, /m/1-960.webp 960w">'
        '<img src="/m/1-320.jpg" srcset="/m/1-320.jpg 320w, /m/resize/w=1280;q=85/1.jpg 1280w">'
        "</picture>"
    )
    assert _urls(html, "picture") == ["https://site.example/m/resize/w=1280;q=85/1.jpg"]
