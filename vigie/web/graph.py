"""A network as a picture drawn on the server, showing what links its ads.

Nodes: the member ads, and the phones and messaging handles two or more of them share (a value
shared by many ads is one node with many links, not a tangle of ad-to-ad lines). Links: an ad to
each shared value, and ad to ad for the other kinds the linker found — similar photos (each with
its hash distance), text templates, an alias in one zone, another zone's indicator. Every link of
the network between drawn ads is drawn. `graphlayout` places the nodes so that no label covers
another; the template turns the picture into SVG (every label escaped).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.types import AdKey, Network
from storage.records import StoredAd
from vigie.web.graphlayout import label_width, place
from vigie.web.render import ad_path

MAX_ADS = 200
"""Ads drawn at most (the first members); the page says when a network has more."""
LABEL = 22
"""Characters of a label at most (the whole value is in the node's tooltip)."""

VALUE_KINDS = {"phone": "phone", "contact": "handle"}
"""Edge kinds whose evidence is the shared value itself: drawn as a node the ads link to."""
LINK_KINDS = {"image": "photo", "text": "text", "alias_zone": "alias"}
"""Other edge kinds, drawn ad to ad (an imported-… kind is drawn as "imported")."""
DRAWN_KINDS = ("phone", "handle", "photo", "text", "alias", "imported")


def drawn_kind(edge_kind: str) -> str:
    if edge_kind in VALUE_KINDS:
        return VALUE_KINDS[edge_kind]
    if edge_kind.startswith("imported-"):
        return "imported"
    return LINK_KINDS.get(edge_kind, edge_kind)


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    kind: str  # ad, phone, handle
    label: str
    title: str
    href: str | None
    x: float
    y: float
    label_width: float
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    a: Node
    b: Node
    kind: str  # one of DRAWN_KINDS
    edge_kind: str  # the linker's kind (phone, contact, image, text, alias_zone, imported-…)
    evidence: str


@dataclass(frozen=True, slots=True)
class Picture:
    view: tuple[float, float, float, float]
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    drawn_ads: int
    total_ads: int

    @property
    def truncated(self) -> bool:
        return self.drawn_ads < self.total_ads

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of link drawn, in legend order."""
        present = {link.kind for link in self.links}
        return tuple(k for k in DRAWN_KINDS if k in present)

    @property
    def view_box(self) -> str:
        return " ".join(f"{v:g}" for v in self.view)

    def display_height(self, width: int = 1150, low: int = 260, high: int = 680) -> int:
        """Pixels of height the drawing gets on a page `width` pixels wide (fitted, bounded)."""
        vw, vh = self.view[2], self.view[3]
        scale = min(1.0, width / vw) if vw else 1.0
        return int(max(low, min(high, vh * scale)))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


def drawn_members(network: Network) -> list[AdKey]:
    """The members the picture draws (and the page reads)."""
    return list(network.members[:MAX_ADS])


def network_picture(network: Network, ads: dict[AdKey, StoredAd]) -> Picture:
    """The picture of `network`, drawing its first MAX_ADS members found in `ads`."""
    members = [key for key in drawn_members(network) if key in ads]
    info: dict[str, tuple[str, str, str, str | None, bool]] = {}  # kind, label, title, href
    for key in members:
        ad = ads[key]
        title = ad.title or key[1]
        info[f"ad:{key[0]}/{key[1]}"] = (
            "ad", _short(title), f"{title} ({key[0]}/{key[1]})", ad_path(*key), bool(ad.flags)
        )
    pairs: dict[tuple[str, str, str], tuple[str, str]] = {}
    for edge in network.edges:
        a, b = f"ad:{edge.a[0]}/{edge.a[1]}", f"ad:{edge.b[0]}/{edge.b[1]}"
        if a not in info or b not in info:
            continue
        kind = drawn_kind(edge.kind)
        if edge.kind in VALUE_KINDS and edge.evidence:
            value = f"{kind}:{edge.evidence}"
            info.setdefault(value, (kind, _short(edge.evidence), edge.evidence, None, False))
            for end in (a, b):
                pairs.setdefault((end, value, kind), (edge.kind, edge.evidence))
        else:
            pairs.setdefault((a, b, kind), (edge.kind, edge.evidence))
    keys = list(info)
    index = {k: i for i, k in enumerate(keys)}
    widths = [label_width(info[k][1]) for k in keys]
    placement = place(len(keys), tuple((index[a], index[b]) for a, b, _ in pairs), tuple(widths))
    nodes = {
        k: Node(
            key=k,
            kind=info[k][0],
            label=info[k][1],
            title=info[k][2],
            href=info[k][3],
            x=float(placement.xy[i, 0]),
            y=float(placement.xy[i, 1]),
            label_width=widths[i],
            flagged=info[k][4],
        )
        for k, i in index.items()
    }
    links = tuple(
        Link(nodes[a], nodes[b], kind, edge_kind, evidence)
        for (a, b, kind), (edge_kind, evidence) in pairs.items()
    )
    return Picture(placement.view, tuple(nodes.values()), links, len(members), len(network.members))
