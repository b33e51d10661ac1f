"""Networks as graphs analysts take away: GraphML and GEXF (networkx writes them; Gephi, Maltego
and networkx read them) and Neo4j CSV (`neo4j-admin database import` headers).

Nodes: ads, phones, handles, aliases and photo hashes; edges: an ad to each value it shows
(`HAS_PHONE`, `HAS_HANDLE`, `HAS_ALIAS`, `HAS_PHOTO`) and every link the linker drew between two
ads (`LINKED`, with its kind and evidence). With a `pseudonym` function every value (and the
evidence that would quote it) is replaced by its pseudonym, and ad titles are left out.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.graphwrite import GraphEdge, Node
from pipeline.linkkinds import LINKING_CONTACTS
from pipeline.types import AdKey, Analysis, Network

if TYPE_CHECKING:  # networkx loads only for the in-memory graph (`build_graph`, `write`)
    import networkx as nx

FORMATS = ("graphml", "gexf", "neo4j")

Pseudonym = Callable[[str, str], str]
"""(kind, value) -> pseudonym; kind is phone, handle, alias or photo."""


def _ad_node(key: AdKey) -> str:
    return f"ad:{key[0]}/{key[1]}"


def network_items(
    network: Network,
    ads: Mapping[AdKey, tuple[Analysis, dict[str, Any]]],
    *,
    pseudonym: Pseudonym | None = None,
) -> tuple[list[Node], list[GraphEdge]]:
    """The nodes and edges of one network (a value node once per network, an ad's link to a
    value once, each `LINKED` edge keyed by its rank between the same two ads)."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def link(ad: str, kind: str, raw: str, label: str) -> None:
        shown = pseudonym(kind, raw) if pseudonym is not None else raw
        node = f"{kind}:{shown}"
        nodes[node] = {"kind": kind, "label": shown, "pseudonymised": pseudonym is not None}
        edges[(ad, node, label)] = {"relation": label, "evidence": ""}

    for key in network.members:
        node = _ad_node(key)
        analysis, attrs = ads.get(key, (None, {}))
        shown = {k: v for k, v in attrs.items() if v is not None}
        if pseudonym is not None:
            shown.pop("title", None)
        nodes[node] = {"kind": "ad", "label": f"{key[0]}/{key[1]}",
                       "network": network.network_id, **shown}
        if analysis is None:
            continue
        for phone in analysis.phones:
            link(node, "phone", phone.e164, "HAS_PHONE")
        for contact in analysis.contacts:
            if contact.kind in LINKING_CONTACTS:
                link(node, "handle", f"{contact.kind}:{contact.value}", "HAS_HANDLE")
        for alias in analysis.aliases:
            link(node, "alias", alias.name, "HAS_ALIAS")
        for image in analysis.images:
            if image.phash:
                link(node, "photo", image.phash, "HAS_PHOTO")
    out = [(a, b, label, attrs) for (a, b, label), attrs in edges.items()]
    ranks: dict[frozenset[str], int] = {}
    for edge in network.edges:
        a, b = _ad_node(edge.a), _ad_node(edge.b)
        rank = ranks[frozenset((a, b))] = ranks.get(frozenset((a, b)), -1) + 1
        evidence = f"{edge.kind} link" if pseudonym is not None else edge.evidence
        out.append((a, b, str(rank), {"relation": "LINKED", "link": edge.kind,
                                      "evidence": evidence, "network": network.network_id}))
    return list(nodes.items()), out


def build_graph(
    networks: Iterable[Network],
    ads: Mapping[AdKey, tuple[Analysis, dict[str, Any]]],
    *,
    pseudonym: Pseudonym | None = None,
) -> nx.MultiGraph:
    """The graph of `networks`; `ads` gives each member's analysis and its node attributes
    (site, zone, scores, first seen, title). In memory: `graphwrite` writes without it."""
    import networkx as nx

    graph = nx.MultiGraph()
    for network in networks:
        nodes, edges = network_items(network, ads, pseudonym=pseudonym)
        for node, attrs in nodes:
            graph.add_node(node, **attrs)
        for a, b, key, attrs in edges:
            if attrs["relation"] == "LINKED":
                graph.add_edge(a, b, **attrs)
            else:
                graph.add_edge(a, b, key=key, **attrs)
    return graph


def _plain(graph: nx.MultiGraph) -> nx.MultiGraph:
    """A copy whose attributes GraphML and GEXF accept (str, int, float, bool; no None)."""
    import networkx as nx

    out = nx.MultiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for a, b, k, data in graph.edges(keys=True, data=True):
        out.add_edge(a, b, key=k, **{k2: _scalar(v) for k2, v in data.items() if v is not None})
    return out


def _scalar(value: Any) -> str | int | float | bool:
    return value if isinstance(value, str | int | float | bool) else str(value)


def write(graph: nx.MultiGraph, path: Path, fmt: str) -> list[Path]:
    """Write `graph` in `fmt` at `path` (for neo4j: a directory with nodes.csv and
    relationships.csv); returns the files written."""
    import networkx as nx

    if fmt == "graphml":
        nx.write_graphml(_plain(graph), path)
        return [path]
    if fmt == "gexf":
        nx.write_gexf(_plain(graph), path)
        return [path]
    if fmt != "neo4j":
        raise ValueError(f"unknown graph format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path.mkdir(parents=True, exist_ok=True)
    nodes, rels = path / "nodes.csv", path / "relationships.csv"
    columns = sorted({k for _, d in graph.nodes(data=True) for k in d} - {"kind"})
    with nodes.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id:ID", ":LABEL", *columns])
        for node, data in graph.nodes(data=True):
            label = str(data.get("kind", "value")).capitalize()
            writer.writerow([node, label, *(_cell(data.get(c)) for c in columns)])
    with rels.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([":START_ID", ":END_ID", ":TYPE", "link", "evidence", "network"])
        for a, b, data in graph.edges(data=True):
            writer.writerow(
                [
                    a,
                    b,
                    data.get("relation", "LINKED"),
                    _cell(data.get("link")),
                    _cell(data.get("evidence")),
                    _cell(data.get("network")),
                ]
            )
    return [nodes, rels]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
