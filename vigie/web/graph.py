"""A network as a picture drawn on the server: ads, phones, photos and aliases as nodes, placed
by a deterministic force-directed layout (Fruchterman–Reingold, numpy); the template turns it
into SVG elements (every label escaped)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline.types import AdKey, Network
from storage.records import StoredAd
from vigie.web.render import ad_path

MAX_NODES = 200
ITERATIONS = 120


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    kind: str  # ad, phone, alias, image
    label: str
    href: str | None
    x: float
    y: float
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    a: Node
    b: Node
    kind: str


@dataclass(frozen=True, slots=True)
class Picture:
    width: int
    height: int
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    truncated: bool


def _layout(
    n: int, pairs: list[tuple[int, int]], width: int, height: int
) -> npt.NDArray[np.float64]:
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pos = np.column_stack([np.cos(angles), np.sin(angles)]) * 0.5
    if n > 1:
        k = np.sqrt(1.0 / n)
        temperature = 0.1
        edges = np.array(pairs, dtype=int).reshape(-1, 2)
        for _ in range(ITERATIONS):
            delta = pos[:, None, :] - pos[None, :, :]
            dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
            force = (delta / dist[:, :, None] * (k * k / dist)[:, :, None]).sum(axis=1)
            if len(edges):
                d = pos[edges[:, 0]] - pos[edges[:, 1]]
                length = np.maximum(np.linalg.norm(d, axis=1), 1e-3)
                pull = d * (length / k)[:, None]
                np.add.at(force, edges[:, 0], -pull)
                np.add.at(force, edges[:, 1], pull)
            norm = np.maximum(np.linalg.norm(force, axis=1), 1e-9)
            pos += force / norm[:, None] * np.minimum(norm, temperature)[:, None]
            temperature *= 0.97
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    span = np.where(hi - lo > 1e-9, hi - lo, 1.0)
    margin = 40
    scaled: npt.NDArray[np.float64] = (pos - lo) / span
    scaled[:, 0] = margin + scaled[:, 0] * (width - 2 * margin)
    scaled[:, 1] = margin + scaled[:, 1] * (height - 2 * margin)
    return scaled


def network_picture(
    network: Network, ads: dict[AdKey, StoredAd], *, width: int = 900, height: int = 560
) -> Picture:
    """Nodes: the member ads, the network's phones and aliases, and the photo hashes two or
    more members share; links: an ad to what it shows, and the ad–ad edges of other kinds."""
    members = [key for key in network.members if key in ads][:MAX_NODES]
    keys: list[str] = []
    info: dict[str, tuple[str, str, str | None, bool]] = {}
    pairs: list[tuple[str, str, str]] = []
    for key in members:
        ad = ads[key]
        node = f"ad:{key[0]}/{key[1]}"
        keys.append(node)
        info[node] = ("ad", ad.title[:40] or key[1], ad_path(*key), bool(ad.flags))
    image_users: defaultdict[str, list[str]] = defaultdict(list)
    wanted_phones, wanted_aliases = set(network.phones), set(network.aliases)
    for key in members:
        ad, node = ads[key], f"ad:{key[0]}/{key[1]}"
        for p in ad.analysis.phones:
            if p.e164 in wanted_phones:
                pairs.append((node, f"phone:{p.e164}", "phone"))
                info.setdefault(f"phone:{p.e164}", ("phone", p.e164, None, False))
        for a in ad.analysis.aliases:
            if a.name in wanted_aliases:
                pairs.append((node, f"alias:{a.name}", "alias"))
                info.setdefault(f"alias:{a.name}", ("alias", a.name, None, False))
        for im in ad.analysis.images:
            if im.phash:
                image_users[im.phash].append(node)
    for phash, users in image_users.items():
        if len(set(users)) > 1:
            info[f"image:{phash}"] = ("image", phash, None, False)
            pairs += [(u, f"image:{phash}", "image") for u in dict.fromkeys(users)]
    for edge in network.edges:
        if edge.kind not in ("phone", "image") and edge.a in ads and edge.b in ads:
            pairs.append((f"ad:{edge.a[0]}/{edge.a[1]}", f"ad:{edge.b[0]}/{edge.b[1]}", edge.kind))
    keys += [k for k in info if k not in keys]
    truncated = len(keys) > MAX_NODES or len(members) < len(network.members)
    keys = keys[:MAX_NODES]
    index = {k: i for i, k in enumerate(keys)}
    kept = [(a, b, kind) for a, b, kind in dict.fromkeys(pairs) if a in index and b in index]
    pos = _layout(len(keys), [(index[a], index[b]) for a, b, _ in kept], width, height)
    nodes = {
        k: Node(
            k,
            *info[k][:3],
            x=round(float(pos[i, 0]), 1),
            y=round(float(pos[i, 1]), 1),
            flagged=info[k][3],
        )
        for k, i in index.items()
    }
    links = tuple(Link(nodes[a], nodes[b], kind) for a, b, kind in kept)
    return Picture(width, height, tuple(nodes.values()), links, truncated)
