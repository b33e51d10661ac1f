"""Take a network away from its page: the export `vigie networks export` makes (GraphML, GEXF,
or Neo4j's nodes and relationships CSV files in one zip), with a required reason, optionally
pseudonymised under the zones' shared key, audited like any export, then downloaded as it is
read from a temporary file that is removed once sent.

An investigator's right (a viewer reads, never exports); reading another zone's ads is allowed
and the audit entry marks it (`cross_zone`).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from pipeline.graphexport import FORMATS
from storage.users import User
from storage.webqueries import get_network
from vigie.netexport import GraphExportError, export_graph
from vigie.web.render import page
from vigie.web.security import CSRF, Investigator

router = APIRouter()

MEDIA = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "neo4j": "application/zip",
}
SUFFIX = {"graphml": "graphml", "gexf": "gexf", "neo4j": "zip"}


def _refuse(request: Request, user: User, message: str, status: int = 400) -> Response:
    return page(request, "error.html", user=user, status_code=status, error="bad_request",
                message=message)


@router.post("/networks/{network_id}/export", dependencies=[CSRF])
def export_network(
    request: Request,
    user: Investigator,
    network_id: str,
    fmt: Annotated[str, Form(alias="format", max_length=20)] = "graphml",
    reason: Annotated[str, Form(max_length=200)] = "",
    pseudonymise: Annotated[bool, Form()] = False,
) -> Response:
    state = request.app.state
    if not reason.strip():
        return page(request, "error.html", user=user, status_code=400, error="reason")
    if fmt not in FORMATS:
        return page(request, "error.html", user=user, status_code=400, error="invalid")
    network = get_network(state.store.engine, network_id=network_id)
    if network is None:
        return page(request, "error.html", user=user, status_code=404, error="not_found")
    key = state.pseudonym_key if pseudonymise else None
    if pseudonymise and key is None:
        return page(request, "error.html", user=user, status_code=409, error="no_key")
    folder = Path(tempfile.mkdtemp(prefix="vigie-graph-"))
    try:
        name = "network-" + re.sub(r"[^A-Za-z0-9_-]", "_", network.network_id)[:80]
        target = folder / (name if fmt == "neo4j" else f"{name}.{fmt}")
        result = export_graph(
            state.store,
            target,
            fmt=fmt,
            zone=user.zone,
            actor=user.username,
            reason=reason,
            network_id=network.network_id,
            pseudonym_key=key,
            details={
                "via": "web",
                "zones": list(network.zones),
                "cross_zone": any(z != user.zone for z in network.zones),
            },
        )
        download = result.files[0]
        if fmt == "neo4j":  # the two CSV files neo4j-admin import reads, in one zip
            download = folder / f"{name}.zip"
            with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in result.files:
                    archive.write(file, f"{name}/{file.name}")
    except GraphExportError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return _refuse(request, user, str(exc))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        download,
        media_type=MEDIA[fmt],
        filename=f"{name}.{SUFFIX[fmt]}",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
