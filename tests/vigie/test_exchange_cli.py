"""`vigie keys`, `vigie export`, `vigie import`, `vigie matches` as a zone analyst runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.types import Analysis, PhoneMatch, Place, RawAd
from storage.audit import AuditLog
from storage.repository import Store
from vigie.cli import app


def _zone_env(tmp_path: Path, zone: str) -> dict[str, str]:
    root = tmp_path / zone
    return {"VIGIE_DATA_DIR": str(root), "VIGIE_ZONE": zone, "VIGIE_USER": f"analyst-{zone}",
            "VIGIE_KEYS_DIR": str(root / "keys"), "VIGIE_DATABASE_URL": ""}


def _run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={**env, "COLUMNS": "200"})
    return result.exit_code, result.output


def _add_ad(data_dir: Path, ad_id: str, zone: str, phone: str) -> None:
    raw = RawAd("demo-static", ad_id, f"http://127.0.0.1/ad/{ad_id}", "Titre", "Texte")
    place = Place("Ixelles", zone, None, True, ())
    analysis = Analysis(raw.site, ad_id, phones=(PhoneMatch(phone, "BE", False, ()),),
                        place=place, minor_score=0.9, flags=("minor",))
    with Store.open(f"sqlite:///{data_dir / 'vigie.db'}") as store:
        store.save(raw, analysis)


@pytest.fixture
def zones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], dict[str, str]]:
    monkeypatch.delenv("VIGIE_DATABASE_URL", raising=False)
    a, b = _zone_env(tmp_path, "5344"), _zone_env(tmp_path, "5341")
    for env in (a, b):
        env.pop("VIGIE_DATABASE_URL")
    _add_ad(tmp_path / "5344", "A1", "5344", "+32470123456")
    _add_ad(tmp_path / "5341", "B1", "5341", "+32470123456")
    return a, b


def test_signed_pseudonymised_exchange_end_to_end(
    zones: tuple[dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    a, b = zones
    assert _run(a, "keys", "init")[0] == 0
    assert _run(a, "keys", "pseudonym-new")[0] == 0
    keys_a = Path(a["VIGIE_KEYS_DIR"])
    assert _run(b, "keys", "pseudonym-install", str(keys_a / "pseudonym.key"))[0] == 0
    code, output = _run(b, "keys", "trust", str(keys_a / "signing.pub"))
    assert code == 0
    assert "Zone 5344 trusted" in output
    out_file = tmp_path / "a.stix.json"
    code, output = _run(a, "export", "--format", "stix", "--pseudonymise", "--flag", "minor",
                        "--sign", str(keys_a / "signing.key"), "--reason", "case 17",
                        "-o", str(out_file))
    assert code == 0, output
    assert "Exported 1 indicators" in output
    assert "+32470123456" not in out_file.read_text()
    code, output = _run(b, "import", str(out_file), "--verify")
    assert code == 0
    assert "signed by zone 5344" in output
    assert "nothing written" in output
    code, output = _run(b, "import", str(out_file))
    assert code == 0
    assert "Imported 1 indicators" in output
    assert "from zone 5344" in output
    assert "1 local ads match other zones' indicators: 1 networks also seen by another zone, " \
           "1 new alerts" in output
    with Store.open(f"sqlite:///{tmp_path / '5341' / 'vigie.db'}") as zone_b:
        [network] = zone_b.list_networks()
        assert network.foreign_zones == ("5344",)
        assert network.members == (("demo-static", "B1"),)
    assert "nothing changed" in _run(b, "import", str(out_file))[1]
    code, output = _run(b, "matches")
    assert code == 0
    assert "demo-static/B1" in output
    assert "+32470123456" in output
    with Store.open(f"sqlite:///{tmp_path / '5344' / 'vigie.db'}") as store:
        [entry] = AuditLog(store.engine).entries(action="export")
    assert (entry.actor, entry.reason, entry.details["format"]) == ("analyst-5344", "case 17",
                                                                    "stix")


def test_export_without_reason_is_a_clear_error(
    zones: tuple[dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    code, output = _run(zones[0], "export", "-o", str(tmp_path / "x.json"))
    assert code == 2
    assert "--reason is required" in output
    assert not (tmp_path / "x.json").exists()


def test_import_refuses_unsigned_and_tampered_files(
    zones: tuple[dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    a, b = zones
    out_file = tmp_path / "a.json"
    assert _run(a, "export", "--reason", "case", "-o", str(out_file))[0] == 0
    code, output = _run(b, "import", str(out_file))
    assert code == 2
    assert "is not signed" in output
    assert "--allow-unsigned" in output
    code, output = _run(b, "import", str(out_file), "--allow-unsigned")
    assert code == 0
    assert "NOT signed" in output
    assert _run(a, "keys", "init")[0] == 0
    keys_a = Path(a["VIGIE_KEYS_DIR"])
    _run(b, "keys", "trust", str(keys_a / "signing.pub"))
    signed = tmp_path / "signed.json"
    _run(a, "export", "--reason", "case", "--sign", str(keys_a / "signing.key"), "-o", str(signed))
    signed.write_text(signed.read_text().replace('"minor"', '"trafficking"'))
    code, output = _run(b, "import", str(signed))
    assert code == 2
    assert "does not match the file's bytes" in output


def test_bad_zone_setting_is_refused(tmp_path: Path) -> None:
    env = _zone_env(tmp_path, "5344")
    env.pop("VIGIE_DATABASE_URL")
    env["VIGIE_ZONE"] = "1000"
    code, output = _run(env, "keys", "list")
    assert code == 2
    assert "VIGIE_ZONE" in output


def test_a_crash_after_the_import_commit_is_completed_by_a_rerun(
    zones: tuple[dict[str, str], dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#17.6: the file's rows are committed, then the run dies before its alerts: the rerun
    raises them (and only once)."""
    from storage.exchange.alerts import list_imported_alerts
    from vigie import crosslink

    a, b = zones
    out_file = tmp_path / "a.json"
    assert _run(a, "export", "--reason", "case", "-o", str(out_file))[0] == 0

    def crash(*args: object, **kwargs: object) -> None:
        raise SystemExit(137)  # as if killed right after the import's commit

    with monkeypatch.context() as m:
        m.setattr(crosslink, "link_with_imports", crash)
        assert _run(b, "import", str(out_file), "--allow-unsigned")[0] == 137
    db = f"sqlite:///{tmp_path / '5341' / 'vigie.db'}"
    with Store.open(db) as zone_b:
        assert list_imported_alerts(zone_b.engine) == []
    code, output = _run(b, "import", str(out_file), "--allow-unsigned")
    assert code == 0, output
    assert "imported before" in output
    assert "1 alerts completed" in output
    with Store.open(db) as zone_b:
        [alert] = list_imported_alerts(zone_b.engine)
    assert alert.ad == ("demo-static", "B1")
    assert "nothing changed" in _run(b, "import", str(out_file), "--allow-unsigned")[1]


def test_an_other_tools_misp_event_imports_and_says_what_it_skipped(
    zones: tuple[dict[str, str], dict[str, str]], tmp_path: Path
) -> None:
    from pymisp import MISPEvent, MISPObject

    event = MISPEvent()
    event.info = "another MISP"
    event.add_tag("tlp:amber")
    event.add_attribute("phone-number", "+32 470 12 34 56")
    event.add_attribute("sha256", "e" * 64)
    account = MISPObject("user-account")  # object attributes have no comment: no leaked error
    account.add_attribute("username", value="nora_b")
    event.add_object(account)
    path = tmp_path / "event.json"
    path.write_text(event.to_json())
    code, output = _run(zones[1], "import", str(path), "--allow-unsigned")
    assert code == 0, output
    assert "Imported 2 indicators" in output
    assert "from zone external (misp)" in output
    assert "Skipped (not understood by Vigie): 1 sha256 attribute" in output
    assert "1 local ads match other zones' indicators" in output  # B1 has +32470123456
