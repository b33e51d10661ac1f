"""Lists a page at a time (issue #18.1): the networks list, search results and alerts have page
links, every item is on exactly one page, and the image search goes through the app's index."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from pipeline.types import Edge, Network
from storage.repository import Store
from storage.watchlists import add_entry, scan_alerts
from vigie.web.routes import dashboard as dashboard_route
from vigie.web.routes import network as network_route
from vigie.web.routes import search as search_route
from vigie.web.routes import watchlists as watchlists_route

from .conftest import PHASH, PHONE, linked_ads

Client = tuple[TestClient, str]


def network_ids(html: str) -> list[str]:
    return re.findall(r'class="network-link" href="/networks/[^"]+">([^<]+)</a>', html)


def test_the_networks_list_pages(
    investigator: Client, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = investigator
    keys = (("demo-static", "ad1"), ("demo-static", "ad2"))
    store.replace_networks(
        [
            Network(
                network_id=f"net-{i:02d}",
                members=keys,
                edges=(Edge(keys[0], keys[1], "phone", PHONE),),
                zones=("5339", "5342"),
                risk=i / 10,
            )
            for i in range(7)
        ]
    )
    monkeypatch.setattr(network_route, "PAGE_SIZE", 3)
    pages = [client.get(f"/networks?min_zones=1&page_no={n}").text for n in (1, 2, 3)]
    assert [network_ids(p) for p in pages] == [
        ["net-06", "net-05", "net-04"],
        ["net-03", "net-02", "net-01"],
        ["net-00"],
    ]
    assert 'rel="next" href="/networks?min_zones=1&page_no=2"' in pages[0]
    assert 'rel="prev"' not in pages[0]
    assert 'rel="prev" href="/networks?min_zones=1&page_no=2"' in pages[2]
    assert 'rel="next"' not in pages[2]
    assert network_ids(client.get("/networks?page_no=9").text) == []


def test_search_results_page(investigator: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    client, token = investigator
    monkeypatch.setattr(search_route, "PAGE_SIZE", 1)
    form = {"kind": "phone", "q": "0470 12 34 56", "reason": "case 18", "csrf_token": token}
    first = client.post("/search", data=form).text
    second = client.post("/search", data={**form, "page_no": "2"}).text
    third = client.post("/search", data={**form, "page_no": "3"}).text
    shown = [linked_ads(first), linked_ads(second), linked_ads(third)]
    assert [len(s) for s in shown] == [1, 1, 1]
    assert len({a for s in shown for a in s}) == 3  # each ad on one page
    assert 'name="page_no" value="2"' in first
    assert 'class="pager-next"' in second
    assert 'class="pager-prev"' in second
    assert 'class="pager-next"' not in third


def test_search_by_image_uses_the_apps_index(investigator: Client) -> None:
    client, token = investigator
    app = client.app
    form = {"kind": "image", "q": PHASH, "reason": "case 18", "csrf_token": token}
    assert len(linked_ads(client.post("/search", data=form).text)) == 3
    index = app.state.image_hashes  # type: ignore[attr-defined]
    assert len(index._index) == 6  # built once: the pHash and dHash of the three images


def alert_ads(html: str) -> list[str]:
    table = html.split('<table class="alerts">', 1)[1].split("</table>", 1)[0]
    return linked_ads(table)


@pytest.mark.parametrize("path", ["/dashboard", "/watchlists"])
def test_alerts_page(
    investigator: Client, store: Store, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    client, _ = investigator
    add_entry(store.engine, kind="alias", value="Lina", label="", created_by="t", zone="5339")
    assert scan_alerts(store.engine) == 2
    monkeypatch.setattr(dashboard_route, "ALERTS_PAGE", 1)
    monkeypatch.setattr(watchlists_route, "ALERTS_PAGE", 1)
    first, second = client.get(path).text, client.get(f"{path}?alerts_page=2").text
    assert len(alert_ads(first)) == len(alert_ads(second)) == 1
    assert set(alert_ads(first) + alert_ads(second)) == {"ad1", "ad2"}
    assert f'rel="next" href="{path}?alerts_page=2"' in first
    assert f'rel="prev" href="{path}?alerts_page=1"' in second
    assert 'rel="next" href="' + path + "?alerts_page=3" not in second
