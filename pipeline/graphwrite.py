"""Writing network graphs as they are read, one network at a time: GraphML, GEXF and Neo4j CSV
with the nodes, edges and attributes `graphexport.build_graph` gives networkx, without holding
the graph (networkx builds the whole tree of a file in memory before writing it).

The attributes are declared up front (a fixed schema: `NODE_ATTRS`, `EDGE_ATTRS`); a value node
seen in an earlier network is written once (the writer remembers node ids, not nodes). GEXF
lists every node before any edge: its edges wait in a temporary file until the end.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

Node = tuple[str, dict[str, Any]]
"""A node id and its attributes."""
GraphEdge = tuple[str, str, str, dict[str, Any]]
"""Two node ids, the edge's key and its attributes."""

NODE_ATTRS = {
    "kind": "string", "label": "string", "pseudonymised": "boolean", "network": "string",
    "site": "string", "ad_id": "string", "zone": "string", "minor_score": "double",
    "trafficking_score": "double", "first_seen": "string", "title": "string",
}
EDGE_ATTRS = {"relation": "string", "evidence": "string", "link": "string", "network": "string"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


class GraphWriter:
    """`add(nodes, edges)` for each network, inside `with`; `files` once closed."""

    def __init__(self, path: Path, fmt: str, *, pseudonymised: bool) -> None:
        self.path = path
        self.fmt = fmt
        self.files: list[Path] = []
        self.nodes = 0
        self.edges = 0
        self._seen: set[str] = set()
        self._columns = [c for c in sorted(NODE_ATTRS) if c != "kind"
                         and not (pseudonymised and c == "title")]
        self._out: IO[str] | None = None
        self._rels: IO[str] | None = None
        self._edges_tmp: IO[str] | None = None
        self._node_csv: Any = None
        self._rel_csv: Any = None

    def __enter__(self) -> GraphWriter:
        if self.fmt == "neo4j":
            self.path.mkdir(parents=True, exist_ok=True)
            self.files = [self.path / "nodes.csv", self.path / "relationships.csv"]
            self._out = self.files[0].open("w", newline="", encoding="utf-8")
            self._rels = self.files[1].open("w", newline="", encoding="utf-8")
            self._node_csv = csv.writer(self._out)
            self._rel_csv = csv.writer(self._rels)
            self._node_csv.writerow(["id:ID", ":LABEL", *self._columns])
            self._rel_csv.writerow([":START_ID", ":END_ID", ":TYPE", "link", "evidence",
                                    "network"])
            return self
        if self.fmt not in ("graphml", "gexf"):
            raise ValueError(f"unknown graph format {self.fmt!r}")
        self.files = [self.path]
        self._out = self.path.open("w", encoding="utf-8")
        self._out.write("<?xml version='1.0' encoding='utf-8'?>\n")
        if self.fmt == "graphml":
            self._out.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
            for n, (name, kind) in enumerate(NODE_ATTRS.items()):
                self._out.write(f'<key id="n{n}" for="node" attr.name="{name}" '
                                f'attr.type="{kind}" />\n')
            for n, (name, kind) in enumerate(EDGE_ATTRS.items()):
                self._out.write(f'<key id="e{n}" for="edge" attr.name="{name}" '
                                f'attr.type="{kind}" />\n')
            self._out.write('<graph edgedefault="undirected">\n')
        else:
            self._out.write('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
                            '<graph defaultedgetype="undirected" mode="static">\n')
            for cls, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
                self._out.write(f'<attributes class="{cls}" mode="static">\n')
                for n, (name, kind) in enumerate(attrs.items()):
                    self._out.write(f'<attribute id="{n}" title="{name}" type="{kind}" />\n')
                self._out.write("</attributes>\n")
            self._out.write("<nodes>\n")
            self._edges_tmp = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        return self

    def add(self, nodes: Iterable[Node], edges: Iterable[GraphEdge]) -> None:
        for node, attrs in nodes:
            if node in self._seen:
                continue
            self._seen.add(node)
            self.nodes += 1
            self._node(node, {k: v for k, v in attrs.items() if v is not None})
        for a, b, key, attrs in edges:
            self.edges += 1
            self._edge(a, b, key, {k: v for k, v in attrs.items() if v is not None})

    def _node(self, node: str, attrs: dict[str, Any]) -> None:
        assert self._out is not None  # noqa: S101 — inside `with`
        if self.fmt == "neo4j":
            label = str(attrs.get("kind", "value")).capitalize()
            self._node_csv.writerow([node, label, *(_text(attrs[c]) if c in attrs else ""
                                                    for c in self._columns)])
        elif self.fmt == "graphml":
            data = "".join(f'<data key="n{n}">{escape(_text(attrs[k]))}</data>'
                           for n, k in enumerate(NODE_ATTRS) if k in attrs)
            self._out.write(f"<node id={quoteattr(node)}>{data}</node>\n")
        else:
            label = _text(attrs.get("label", node))
            values = "".join(f'<attvalue for="{n}" value={quoteattr(_text(attrs[k]))} />'
                             for n, k in enumerate(NODE_ATTRS) if k in attrs and k != "label")
            self._out.write(f"<node id={quoteattr(node)} label={quoteattr(label)}>"
                            f"<attvalues>{values}</attvalues></node>\n")

    def _edge(self, a: str, b: str, key: str, attrs: dict[str, Any]) -> None:
        if self.fmt == "neo4j":
            self._rel_csv.writerow([a, b, attrs.get("relation", "LINKED"),
                                    *(_text(attrs.get(c, "")) for c in
                                      ("link", "evidence", "network"))])
        elif self.fmt == "graphml":
            assert self._out is not None  # noqa: S101
            data = "".join(f'<data key="e{n}">{escape(_text(attrs[k]))}</data>'
                           for n, k in enumerate(EDGE_ATTRS) if k in attrs)
            self._out.write(f"<edge source={quoteattr(a)} target={quoteattr(b)} "
                            f"id={quoteattr(key)}>{data}</edge>\n")
        else:
            assert self._edges_tmp is not None  # noqa: S101
            values = "".join(f'<attvalue for="{n}" value={quoteattr(_text(attrs[k]))} />'
                             for n, k in enumerate(EDGE_ATTRS) if k in attrs)
            self._edges_tmp.write(f'<edge id="{self.edges - 1}" source={quoteattr(a)} '
                                  f"target={quoteattr(b)}><attvalues>{values}</attvalues>"
                                  "</edge>\n")

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if kind is None and self.fmt == "graphml" and self._out is not None:
                self._out.write("</graph>\n</graphml>\n")
            elif kind is None and self.fmt == "gexf" and self._out is not None:
                assert self._edges_tmp is not None  # noqa: S101
                self._out.write("</nodes>\n<edges>\n")
                self._edges_tmp.seek(0)
                shutil.copyfileobj(self._edges_tmp, self._out)
                self._out.write("</edges>\n</graph>\n</gexf>\n")
        finally:
            for fh in (self._out, self._rels, self._edges_tmp):
                if fh is not None:
                    fh.close()
