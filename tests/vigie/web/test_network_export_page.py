"""Taking a network away from its page (issue #16.7): GraphML and GEXF that networkx reads,
Neo4j's two CSV files in a zip, a reason required, pseudonymised on request, audited like any
export, and the temporary files gone once sent."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from storage.audit import AuditLog
from storage.repository import Store
from vigie.web import WebConfig, create_app

from .conftest import PHONE, login

Client = tuple[TestClient, str]


@pytest.fixture(autouse=True)
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's temporary files go to a folder of this test's own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_graphml_and_gexf_downloads_are_read_by_networkx_and_audited(
    investigator: Client, store: Store, own_tmp: Path
) -> None:
    client, token = investigator
    assert 'action="/networks/net-1/export"' in client.get("/networks/net-1").text
    response = client.post("/networks/net-1/export",
                           data={"csrf_token": token, "format": "graphml", "reason": "PV 2026/31"})
    assert response.status_code == 200
    assert 'filename="network-net-1.graphml"' in response.headers["content-disposition"]
    graph = nx.read_graphml(io.BytesIO(response.content))
    assert {"ad:demo-static/ad1", "ad:demo-static/ad2", f"phone:{PHONE}"} <= set(graph.nodes)
    assert "ad:demo-static/ad3" not in graph  # not a member of net-1
    [entry] = AuditLog(store.engine).entries(action="export")
    assert (entry.actor, entry.object_type, entry.reason) == (
        "investigator", "network_graph", "PV 2026/31"
    )
    assert entry.details["network"] == "net-1"
    assert entry.details["via"] == "web"
    assert entry.details["cross_zone"] is True  # net-1 spans zones 5339 and 5342
    assert entry.details["pseudonymised"] is False
    gexf = client.post("/networks/net-1/export",
                       data={"csrf_token": token, "format": "gexf", "reason": "PV 2026/31"})
    assert f"phone:{PHONE}" in nx.read_gexf(io.BytesIO(gexf.content))
    assert list(own_tmp.iterdir()) == []  # the files were removed once sent


def test_neo4j_download_is_a_zip_of_the_two_csv_files(investigator: Client) -> None:
    client, token = investigator
    response = client.post("/networks/net-1/export",
                           data={"csrf_token": token, "format": "neo4j", "reason": "PV 5"})
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        assert names == ["network-net-1/nodes.csv", "network-net-1/relationships.csv"]
        nodes = list(csv.reader(io.TextIOWrapper(archive.open(names[0]), "utf-8")))
        rels = list(csv.reader(io.TextIOWrapper(archive.open(names[1]), "utf-8")))
    assert nodes[0][:2] == ["id:ID", ":LABEL"]
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert any(row[2] == "LINKED" for row in rels[1:])


def test_an_export_needs_a_reason_an_investigator_and_a_known_format(
    investigator: Client, viewer: Client, store: Store
) -> None:
    client, token = investigator
    no_reason = client.post("/networks/net-1/export",
                            data={"csrf_token": token, "format": "gexf", "reason": "  "})
    assert no_reason.status_code == 400
    bad = client.post("/networks/net-1/export",
                      data={"csrf_token": token, "format": "pdf", "reason": "x"})
    assert bad.status_code == 400
    missing = client.post("/networks/none/export",
                          data={"csrf_token": token, "format": "gexf", "reason": "x"})
    assert missing.status_code == 404
    v_client, v_token = viewer
    assert "/export" not in v_client.get("/networks/net-1").text
    refused = v_client.post("/networks/net-1/export",
                            data={"csrf_token": v_token, "format": "gexf", "reason": "x"})
    assert refused.status_code == 403
    assert AuditLog(store.engine).count(action="export") == 0


def test_pseudonymised_only_with_the_shared_key(investigator: Client, store: Store) -> None:
    client, token = investigator
    form = {"csrf_token": token, "format": "graphml", "reason": "PV 9", "pseudonymise": "true"}
    assert client.post("/networks/net-1/export", data=form).status_code == 409
    assert AuditLog(store.engine).count(action="export") == 0
    app = create_app(store, WebConfig(secret_key="k" * 40, pseudonym_key=b"z" * 32))
    with TestClient(app) as keyed:
        form["csrf_token"] = login(keyed, "investigator")
        response = keyed.post("/networks/net-1/export", data=form)
    assert response.status_code == 200
    assert PHONE not in response.text
    assert "Lina" not in response.text  # neither aliases nor titles
    assert AuditLog(store.engine).entries(action="export")[0].details["pseudonymised"] is True

