"""Networks: the list, and one network as a graph, a timeline and its zone-to-zone movement
(from posting dates only). The page reads the ads it draws, at most `graph.MAX_ADS` of them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pipeline.graphexport import FORMATS
from storage.networks import count_networks, list_networks
from storage.webqueries import ads_by_keys, get_network
from vigie.web.charts import movements, posted_movement, timeline
from vigie.web.graph import drawn_members, network_picture
from vigie.web.params import MinZones, PageNo
from vigie.web.render import page
from vigie.web.security import Viewer

router = APIRouter()
PAGE_SIZE = 50


@router.get("/networks")
def networks_page(
    request: Request, user: Viewer, min_zones: MinZones = 1, page_no: PageNo = 1
) -> Response:
    engine = request.app.state.store.engine
    min_zones = max(min_zones, 1)
    total = count_networks(engine, min_zones=min_zones)
    networks = list_networks(
        engine, min_zones=min_zones, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE
    )
    zones = sorted({z for n in networks for z in n.zones})
    request.app.state.audit.record(
        actor=user.username,
        action="view_networks",
        zone=user.zone,
        object_type="networks",
        details={
            "min_zones": min_zones,
            "networks": len(networks),
            "page_no": page_no,
            "zones": zones,
            "cross_zone": any(z != user.zone for z in zones),
        },
    )
    return page(
        request,
        "networks.html",
        user=user,
        networks=networks,
        min_zones=min_zones,
        total=total,
        page_no=page_no,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@router.get("/networks/{network_id}")
def network_page(request: Request, user: Viewer, network_id: str) -> Response:
    state = request.app.state
    engine = state.store.engine
    network = get_network(engine, network_id=network_id)
    if network is None:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    state.audit.record(
        actor=user.username,
        action="view_network",
        zone=user.zone,
        object_type="network",
        object_id=network_id,
        details={
            "zones": list(network.zones),
            "cross_zone": any(z != user.zone for z in network.zones),
        },
    )
    drawn = drawn_members(network)
    ads = ads_by_keys(engine, keys=drawn)
    members = [ads[key] for key in drawn if key in ads]
    whole = len(drawn) == len(network.members)
    # every member read: the movement from their posting dates; else the linker's (the same rule)
    movement = posted_movement(members) if whole else network.movement
    return page(
        request,
        "network.html",
        user=user,
        network=network,
        picture=network_picture(network, ads),
        timeline=timeline(members),
        movement=movement,
        moves=movements(movement),
        members=members,
        formats=FORMATS,
        can_pseudonymise=state.pseudonym_key is not None,
    )
