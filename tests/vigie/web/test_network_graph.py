"""The network picture (issue #16.6): every link kind drawn, networks joined by similar photos
drawn in one piece, no label over another at 150 ads, everything inside the fitted view; the
timeline and the movement from posting dates only."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import networkx as nx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from pipeline.types import AdKey, Edge, Network
from storage.repository import Store
from vigie.web import graph
from vigie.web.charts import posted_movement, timeline
from vigie.web.graph import MAX_ADS, network_picture
from vigie.web.graphlayout import GAP, MARK, overlaps, place
from vigie.web.routes import network as network_route

from .bignetwork import SITE, T0, ads_and_network, seed


def _stored(raw: Any, analysis: Any) -> Any:
    return SimpleNamespace(
        site=raw.site, ad_id=raw.ad_id, title=raw.title, flags=analysis.flags, raw=raw,
        zone=analysis.place.zone if analysis.place else None, first_seen=raw.fetched_at,
    )


def picture_of(n: int) -> Any:
    ads, network = ads_and_network(n)
    stored = {(raw.site, raw.ad_id): _stored(raw, a) for raw, a in ads}
    return network_picture(network, stored), network


def test_a_150_ad_network_draws_every_link_kind_without_a_label_over_another() -> None:
    picture, network = picture_of(150)
    assert {"phone", "handle", "photo", "text"} <= set(picture.kinds)
    assert sum(1 for node in picture.nodes if node.kind == "ad") == 150
    assert not picture.truncated
    # every link of the network is drawn: each ad-to-ad edge, or both ads to the shared value
    drawn = {(link.a.key, link.b.key) for link in picture.links}
    for edge in network.edges:
        a, b = f"ad:{SITE}/{edge.a[1]}", f"ad:{SITE}/{edge.b[1]}"
        if edge.kind in ("phone", "contact"):
            value = ("phone:" if edge.kind == "phone" else "handle:") + edge.evidence
            assert {(a, value), (b, value)} <= drawn, edge
        else:
            assert (a, b) in drawn, edge
    xy = np.array([[node.x, node.y] for node in picture.nodes])
    widths = np.array([node.label_width for node in picture.nodes])
    assert overlaps(xy, widths) == []
    x0, y0, w, h = picture.view
    assert (xy[:, 0] - MARK >= x0).all()
    assert (xy[:, 1] - MARK >= y0).all()
    assert (xy[:, 0] + MARK + GAP + widths <= x0 + w).all()
    assert (xy[:, 1] + MARK <= y0 + h).all()


def test_networks_joined_by_similar_photos_are_drawn_in_one_piece() -> None:
    """Two pairs of ads, each sharing a phone, joined only by two photos 3 bits apart."""
    ads, _ = ads_and_network(4)
    keys: list[AdKey] = [(raw.site, raw.ad_id) for raw, _ in ads]
    network = Network(
        network_id="n",
        members=tuple(keys),
        edges=(
            Edge(keys[0], keys[1], "phone", "+32470000001"),
            Edge(keys[2], keys[3], "phone", "+32470000002"),
            Edge(keys[1], keys[2], "image", "phash 5a5a5a5a00010001 ~ 5a5a5a5a00020002: 3 bits"),
        ),
    )
    stored = {(raw.site, raw.ad_id): _stored(raw, a) for raw, a in ads}
    picture = network_picture(network, stored)
    graph = nx.Graph((link.a.key, link.b.key) for link in picture.links)
    graph.add_nodes_from(node.key for node in picture.nodes)
    assert nx.number_connected_components(graph) == 1
    [photo] = [link for link in picture.links if link.kind == "photo"]
    assert "3 bits" in photo.evidence


def test_a_network_past_the_drawing_limit_draws_and_says_how_many() -> None:
    ads, network = ads_and_network(MAX_ADS + 5)
    stored = {(raw.site, raw.ad_id): _stored(raw, a) for raw, a in ads[:MAX_ADS]}
    picture = network_picture(network, stored)
    assert (picture.drawn_ads, picture.total_ads, picture.truncated) == (MAX_ADS, MAX_ADS + 5, True)


@pytest.mark.parametrize("n", [1, 2, 30])
def test_layout_separates_boxes_even_for_nodes_in_one_place(n: int) -> None:
    placement = place(n, tuple((0, i) for i in range(1, n)), (66.0,) * n)
    assert overlaps(placement.xy, np.full(n, 66.0)) == []


def test_the_timeline_and_movement_use_posting_dates_only() -> None:
    ads, _ = ads_and_network(12, dated=False)
    stored = [_stored(raw, a) for raw, a in ads]
    chart = timeline(stored)
    assert (chart.points, chart.undated, chart.start) == ((), 12, None)
    assert posted_movement(stored) == ()  # 12 ads fetched within 0.1 s make no zig-zag
    dated = [
        SimpleNamespace(**{**vars(ad), "raw": SimpleNamespace(posted_at=T0 + timedelta(days=d))})
        for ad, d in zip(stored[:3], (2, 0, 1), strict=True)
    ]
    dated[0].zone, dated[1].zone, dated[2].zone = "5340", "5339", "5339"
    assert posted_movement([*dated, *stored[3:]]) == ("5339", "5340")
    chart = timeline([*dated, *stored[3:]])
    assert (len(chart.points), chart.undated) == (3, 9)


def test_a_network_known_only_by_fetch_times_shows_no_movement(
    store: Store, viewer: tuple[TestClient, str]
) -> None:
    network = seed(store, 30, dated=False)  # stored with a movement an older linker drew
    assert len(network.movement) > 1
    client, _ = viewer
    html = client.get("/networks/big-1").text
    assert 'class="note fetch-only"' in html
    assert 'class="tl-point"' not in html
    assert " → ".join(network.movement) not in html
    assert html.count('<line class="link link-') > 30


def test_a_big_networks_page_reads_only_the_ads_it_draws(
    store: Store, viewer: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store, 30)
    monkeypatch.setattr(graph, "MAX_ADS", 12)
    read: list[int] = []
    reader = network_route.ads_by_keys

    def counting(engine: Any, *, keys: Any) -> Any:
        read.append(len(keys))
        return reader(engine, keys=keys)

    monkeypatch.setattr(network_route, "ads_by_keys", counting)
    client, _ = viewer
    html = client.get("/networks/big-1").text
    assert read == [12]
    assert html.count('class="node node-ad') == 12
    assert 'class="note truncated"' in html
