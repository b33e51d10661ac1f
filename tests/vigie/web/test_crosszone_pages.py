"""Other zones' indicators in the review app: the dashboard lists the alerts they raised (and an
investigator closes one), the network pages say which other zone also saw the network."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from pipeline.types import Analysis, PhoneMatch, Place, RawAd
from storage.audit import AuditLog
from storage.exchange.alerts import list_imported_alerts
from storage.exchange.exporter import export
from storage.exchange.importer import import_file
from storage.exchange.pseudonym import create_key, digest
from storage.repository import Store
from vigie.crosslink import link_with_imports

from .conftest import PHONE

Client = tuple[TestClient, str]


def _import_zone_5344(store: Store, tmp_path: Path) -> bytes:
    """Zone 5344 exports, pseudonymised, one ad with the phone of the store's ads."""
    key = create_key(tmp_path / "shared.key")
    raw = RawAd("other-site", "x1", "http://127.0.0.1/x1", "Titre", "Texte")
    analysis = Analysis(
        site=raw.site, ad_id=raw.ad_id, phones=(PhoneMatch(PHONE, "BE", False, ()),),
        place=Place("Uccle", "5344", None, True, ()), minor_score=0.9, flags=("minor",),
    )
    path = tmp_path / "zone-5344.json"
    with Store.open(f"sqlite:///{tmp_path / 'zone-5344.db'}") as zone_a:
        zone_a.save(raw, analysis)
        export(zone_a, path, fmt="vigie", zone="5344", actor="a", reason="case",
               pseudonym_key=key)
    import_file(store.engine, path, trusted=[], actor="b", zone="5339", allow_unsigned=True)
    return key


def test_dashboard_lists_and_closes_alerts_from_another_zone(
    investigator: Client, store: Store, tmp_path: Path
) -> None:
    client, token = investigator
    assert "/exchange-alerts/" not in client.get("/dashboard").text
    key = _import_zone_5344(store, tmp_path)
    report = link_with_imports(store, own_zone="5339", pseudonym_key=key)
    assert report.alerts_opened == 3  # the three ads of the store show that phone
    html = client.get("/dashboard").text
    assert html.count("/exchange-alerts/") == 3
    assert "zone 5344, fichier zone-5344.json" in html  # French by default
    assert "leurs signalements : minor" in html
    [alert] = [a for a in list_imported_alerts(store.engine) if a.ad_id == "ad1"]  # zone 5339
    without = client.post(f"/exchange-alerts/{alert.id}/close", data={"csrf_token": token})
    assert without.status_code == 400  # closing needs a reason
    assert len(list_imported_alerts(store.engine)) == 3
    client.post(f"/exchange-alerts/{alert.id}/close", data={"csrf_token": token, "reason": "PV 4"})
    assert len(list_imported_alerts(store.engine)) == 2
    assert client.get("/dashboard").text.count("/exchange-alerts/") == 2
    [entry] = AuditLog(store.engine).entries(action="watchlist_change")
    assert (entry.object_type, entry.object_id) == ("exchange_alert", str(alert.id))
    assert entry.reason == "PV 4"
    gone = client.post("/exchange-alerts/9999/close", data={"csrf_token": token, "reason": "x"})
    assert gone.status_code == 404


def test_network_pages_say_which_other_zone_also_saw_the_network(
    investigator: Client, store: Store, tmp_path: Path
) -> None:
    client, _ = investigator
    key = _import_zone_5344(store, tmp_path)
    report = link_with_imports(store, own_zone="5339", pseudonym_key=key)
    [network] = report.joined
    listing = client.get("/networks").text
    assert "zone 5344" in listing
    page = client.get(f"/networks/{network.network_id}").text
    assert "Vu aussi par la zone 5344" in page
    assert digest(key, "phone", "", PHONE) in page  # the evidence names zone 5344's HMAC
    assert "Indicateurs d&#39;autres zones" in page
