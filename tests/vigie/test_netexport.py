"""Networks taken away as graphs: GraphML and GEXF that networkx reads back, Neo4j CSV with the
headers `neo4j-admin database import` reads, pseudonymised on demand, audited."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pytest

from pipeline.types import (
    Alias,
    Analysis,
    Contact,
    Edge,
    ImageRef,
    Network,
    PhoneMatch,
    Place,
    RawAd,
)
from storage.audit import AuditLog
from storage.repository import Store
from vigie.netexport import GraphExportError, export_graph

T0 = datetime(2026, 10, 1, tzinfo=UTC)
PHONE = "+32470123456"
PHASH = "8f3a5c7e12345678"


def _ad(ad_id: str, zone: str, alias: str) -> tuple[RawAd, Analysis]:
    raw = RawAd(
        site="s",
        ad_id=ad_id,
        url=f"http://127.0.0.1:9/{ad_id}",
        title=f"Titre {ad_id}",
        text="texte",
        fetched_at=T0,
        images=(ImageRef("http://127.0.0.1:9/i.png", PHASH),),
    )
    analysis = Analysis(
        site="s",
        ad_id=ad_id,
        phones=(PhoneMatch(PHONE, "BE", False, ()),),
        contacts=(Contact("telegram", "lola", ()),),
        aliases=(Alias(alias, ()),),
        place=Place("X", zone, None, True, ()),
        images=raw.images,
    )
    return raw, analysis


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(f"sqlite:///{tmp_path / 'v.db'}")
    for raw, analysis in (
        _ad("1", "5339", "Lina"),
        _ad("2", "5342", "Mia"),
        _ad("3", "5340", "Zoé"),
    ):
        opened.save(raw, analysis, seen_at=T0)
    a, b = ("s", "1"), ("s", "2")
    opened.replace_networks(
        [
            Network(
                "N1",
                (a, b),
                (Edge(a, b, "phone", PHONE), Edge(a, b, "image", "0 bits")),
                phones=(PHONE,),
                zones=("5339", "5342"),
            ),
            Network("N2", (("s", "3"),), ()),
        ]
    )
    return opened


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_every_link_kind(
    store: Store, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"net.{fmt}"
    result = export_graph(
        store, path, fmt=fmt, zone="5339", actor="t", reason="PV 1", network_id="N1"
    )
    graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert kinds == {"ad", "phone", "handle", "alias", "photo"}
    assert graph.nodes[f"phone:{PHONE}"]["label"] == PHONE
    assert graph.nodes["ad:s/1"]["zone"] == "5339"
    links = {d.get("link") for _, _, d in graph.edges(data=True) if d.get("relation") == "LINKED"}
    assert links == {"phone", "image"}
    types = {d.get("relation") for _, _, d in graph.edges(data=True)}
    assert {"HAS_PHONE", "HAS_HANDLE", "HAS_ALIAS", "HAS_PHOTO", "LINKED"} <= types
    assert (result.networks, result.ads) == (1, 2)
    (entry,) = AuditLog(store.engine).entries(action="export")
    assert entry.reason == "PV 1"
    assert entry.object_type == "network_graph"


def test_neo4j_csv_has_import_headers(store: Store, tmp_path: Path) -> None:
    result = export_graph(store, tmp_path / "neo", fmt="neo4j", zone=None, actor="t", reason="x")
    nodes, rels = result.files
    with nodes.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["id:ID", ":LABEL"]
    labels = {row[1] for row in rows[1:]}
    assert labels == {"Ad", "Phone", "Handle", "Alias", "Photo"}
    with rels.open(encoding="utf-8") as f:
        head, *edges = list(csv.reader(f))
    assert head[:3] == [":START_ID", ":END_ID", ":TYPE"]
    ids = {row[0] for row in rows[1:]}
    assert all(e[0] in ids and e[1] in ids for e in edges)  # every relationship's ends exist
    assert result.networks == 2


def test_pseudonymised_export_quotes_no_value(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "p.graphml"
    export_graph(
        store, path, fmt="graphml", zone="5339", actor="t", reason="x", pseudonym_key=b"k" * 32
    )
    text = path.read_text(encoding="utf-8")
    for clear in (PHONE, "lola", "Lina", "Titre 1", PHASH):
        assert clear not in text
    graph = nx.read_graphml(path)
    assert sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "phone") == 1


def test_bad_requests_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(GraphExportError, match="reason"):
        export_graph(store, tmp_path / "x", fmt="gexf", zone=None, actor="t", reason=" ")
    with pytest.raises(GraphExportError, match="no network"):
        export_graph(
            store, tmp_path / "x", fmt="gexf", zone=None, actor="t", reason="r", network_id="N9"
        )
    with pytest.raises(GraphExportError, match="unknown format"):
        export_graph(store, tmp_path / "x", fmt="dot", zone=None, actor="t", reason="r")


def test_the_command_exports_one_network_and_needs_a_reason(store: Store, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vigie.cli import app

    db = str(store.engine.url)
    out = tmp_path / "one.gexf"
    args = ["networks", "export", "-o", str(out), "--format", "gexf", "--network", "N1"]
    refused = CliRunner().invoke(app, [*args, "--database", db])
    assert refused.exit_code == 2
    assert "--reason is required" in refused.stderr
    done = CliRunner().invoke(app, [*args, "--reason", "PV 7", "--database", db])
    assert done.exit_code == 0, done.output
    assert "Exported 1 network(s), 2 ads" in done.stdout
    assert set(nx.read_gexf(out).nodes) >= {"ad:s/1", "ad:s/2", f"phone:{PHONE}"}
    listed = CliRunner().invoke(app, ["networks", "--json", "--database", db])
    assert listed.exit_code == 0
    assert '"N1"' in listed.stdout


def test_the_listing_shows_the_riskiest_networks_up_to_its_limit(store: Store) -> None:
    from typer.testing import CliRunner

    from vigie.cli import app

    db = str(store.engine.url)
    every = CliRunner().invoke(app, ["networks", "--min-zones", "0", "--json", "--database", db])
    assert every.exit_code == 0, every.output
    first = CliRunner().invoke(
        app, ["networks", "--min-zones", "0", "--limit", "1", "--json", "--database", db]
    )
    assert first.exit_code == 0, first.output
    assert len(every.stdout.splitlines()) == 2
    assert first.stdout.splitlines() == every.stdout.splitlines()[:1]
    table = CliRunner().invoke(
        app, ["networks", "--min-zones", "0", "--limit", "1", "--database", db]
    )
    assert table.exit_code == 0, table.output
    assert "Networks (1 of 2)" in table.stdout


def _edges(graph: nx.MultiGraph) -> list[tuple[frozenset[str], str, str, str]]:
    return sorted(
        (frozenset((a, b)), str(d.get("relation")), str(d.get("link", "")),
         str(d.get("evidence", "")))
        for a, b, d in graph.edges(data=True)
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_the_streamed_graph_is_the_networkx_graph(
    store: Store, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#18.3: written a network at a time (one network per page here), the file holds the graph
    `build_graph` makes in memory: same nodes with the same attributes, same edges."""
    from pipeline.graphexport import build_graph
    from vigie import netexport

    monkeypatch.setattr(netexport, "NETWORKS_PER_PAGE", 1)
    pages: list[int] = []
    real = netexport.list_networks

    def counted(*args: object, **kwargs: object) -> list[Network]:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        pages.append(len(found))
        return found

    monkeypatch.setattr(netexport, "list_networks", counted)
    path = tmp_path / f"all.{fmt}"
    result = export_graph(store, path, fmt=fmt, zone=None, actor="t", reason="r")
    assert pages == [1, 1, 0]
    networks = store.list_networks(min_zones=0)
    keys = [k for n in networks for k in n.members]
    expected = build_graph(networks, netexport._ads(store, keys))
    written = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert (result.nodes, result.edges) == (expected.number_of_nodes(),
                                            expected.number_of_edges())
    assert set(written.nodes) == set(expected.nodes)
    for node, data in expected.nodes(data=True):
        assert {k: str(v) for k, v in written.nodes[node].items()} == {
            k: str(v) for k, v in data.items()}, node
    assert _edges(written) == _edges(expected)
