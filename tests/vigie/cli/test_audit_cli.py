"""`vigie audit` for the data-protection officer (issue 19.6): export filtered by date, user
and action in CSV or JSON Lines (itself audited), readable translated descriptions with plural
forms, `vigie audit verify` finding an edited and a removed entry, and the trail's own
retention purge, recorded, after which the chain still verifies."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from typer.testing import Result

from storage.audit import ACTIONS, AuditLog
from storage.repository import Store
from vigie.audit_text import describe

Run = Callable[..., Result]
NOW = datetime.now(UTC)


def _db(env: dict[str, str]) -> str:
    return f"sqlite:///{Path(env['VIGIE_DATA_DIR']) / 'vigie.db'}"


@pytest.fixture
def trail(env: dict[str, str]) -> dict[str, str]:
    with Store.open(_db(env)) as store:
        log = AuditLog(store.engine)
        log.record(actor="ana", action="search", zone="5339", object_type="phone",
                   object_id="+32470000001", reason="PV 1", details={"hits": 1},
                   at=NOW - timedelta(days=900))
        log.record(actor="ana", action="search", zone="5339", object_type="phone",
                   object_id="=HYPERLINK(\"http://x\")", reason="PV 2",
                   details={"hits": 3, "cross_zone": True, "owner_zone": "5340"},
                   at=NOW - timedelta(days=10))
        log.record(actor="bert", action="view_networks", zone="5344",
                   details={"networks": 1}, at=NOW - timedelta(days=5))
        log.record(actor="bert", action="login", zone="5344", at=NOW - timedelta(days=1))
    return env


def test_export_json_filtered_and_itself_audited(run: Run, trail: dict[str, str]) -> None:
    since = (NOW - timedelta(days=30)).date().isoformat()
    result = run("audit", "--since", since, "--user", "ana", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["object_id"] for r in rows] == ['=HYPERLINK("http://x")']
    assert rows[0]["description"] == (
        'searched phone number =HYPERLINK("http://x"): 3 results — outside the user\'s zone '
        "(zone 5340)")
    assert rows[0]["at_brussels"].endswith(("CET", "CEST"))
    with Store.open(_db(trail)) as store:
        (export,) = AuditLog(store.engine).entries(action="audit_export")
    assert export.actor == "dpo"
    assert export.details["filters"]["actor"] == "ana"


def test_export_csv_for_a_belgian_spreadsheet(
    run: Run, trail: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "audit.csv"
    result = run("audit", "--action", "search", "-o", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1]["object_id"] == "'=HYPERLINK(\"http://x\")"  # never a live formula
    assert rows[0]["description"] == "a recherché le numéro de téléphone +32470000001 : 1 résultat"
    assert "=" not in rows[0]["details"].split(":")[0]


def test_bad_filters_are_one_line_errors(run: Run, trail: dict[str, str]) -> None:
    for args in (("--format", "xml"), ("--action", "nope"), ("--lang", "de")):
        result = run("audit", *args)
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1


def test_verify_finds_an_edited_and_a_removed_entry(run: Run, trail: dict[str, str]) -> None:
    ok = run("audit", "verify")
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.stdout
    with Store.open(_db(trail)) as store:
        ids = sorted(e.id for e in AuditLog(store.engine).entries())
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entry SET actor = 'nobody' WHERE id = :id"),
                         {"id": ids[1]})
            conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": ids[2]})
    broken = run("audit", "verify")
    assert broken.exit_code == 1
    assert f"entry {ids[1]} was changed" in broken.stdout
    assert f"removed (or changed) just before entry {ids[3]}" in broken.stdout


def test_audit_purge_is_recorded_and_verify_still_passes(
    run: Run, trail: dict[str, str]
) -> None:
    dry = run("audit", "purge", "--dry-run")  # default VIGIE_AUDIT_RETENTION_MONTHS: 36
    assert dry.exit_code == 0, dry.output
    assert "Would remove 0 audit entries" in dry.stdout
    done = run("audit", "purge", "--older-than", "24")
    assert done.exit_code == 0, done.output
    assert "Removed 1 audit entries" in done.stdout
    with Store.open(_db(trail)) as store:
        log = AuditLog(store.engine)
        (record,) = log.entries(action="audit_purge")
        assert record.details["removed"] == 1
        assert not [e for e in log.entries() if e.object_id == "+32470000001"]
    verified = run("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "starting at the purge record" in verified.stdout


def test_the_trails_retention_comes_from_the_environment(
    run: Run, trail: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    trail["VIGIE_AUDIT_RETENTION_MONTHS"] = "0"
    result = run("audit", "purge")
    assert result.exit_code == 2
    assert "VIGIE_AUDIT_RETENTION_MONTHS" in result.stderr.upper() or (
        "audit_retention_months" in result.stderr)


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_action_reads_as_a_sentence_in_every_language(lang: str) -> None:
    for action in sorted(ACTIONS):
        entry = SimpleNamespace(action=action, object_type="x", object_id="42",
                                details={"change": "add", "kind": "phone", "value": "+32"})
        sentence = describe(entry, lang)
        assert "=" not in sentence
        assert "_" not in sentence, (action, sentence)


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [("fr", "(1 réseau)", "(2 réseaux)"), ("nl", "(1 netwerk)", "(2 netwerken)"),
     ("en", "(1 network)", "(2 networks)")],
)
def test_plural_forms(lang: str, one: str, two: str) -> None:
    for n, expected in ((1, one), (2, two)):
        entry = SimpleNamespace(action="view_networks", object_type="networks", object_id=None,
                                details={"networks": n})
        assert describe(entry, lang).endswith(expected)
    zero = SimpleNamespace(action="view_networks", object_type=None, object_id=None,
                           details={"networks": 0})
    assert describe(zero, "fr").endswith("(0 réseau)")  # French: zero is singular
    assert describe(zero, "nl").endswith("(0 netwerken)")


def _used_messages() -> set[str | tuple[str, str]]:
    import ast

    import vigie.audit_text

    tree = ast.parse(Path(vigie.audit_text.__file__).read_text("utf-8"))
    found: set[str | tuple[str, str]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if name in ("_", "N_") and len(args) == 1:
            found.add(str(args[0]))
        elif name == "ngettext" and len(args) == 2:
            found.add((str(args[0]), str(args[1])))
    return found


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_audit_sentence_is_translated_with_its_plural_forms(lang: str) -> None:
    from babel.messages.pofile import read_po

    from vigie.web.i18n import LOCALE_DIR

    with (LOCALE_DIR / lang / "LC_MESSAGES" / "audit.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id: m.string for m in catalog if m.id}
    used = _used_messages()
    assert len(used) > 30
    for message in used:
        assert message in translated, f"{lang}: {message!r} is not in audit.po"
        string = translated[message]
        forms = string if isinstance(string, tuple) else (string,)
        assert all(forms), f"{lang}: {message!r} has an empty translation"
        assert len(forms) == (2 if isinstance(message, tuple) else 1)


def test_the_audit_catalogues_are_the_review_apps_languages() -> None:
    from vigie import audit_text
    from vigie.web import i18n

    assert audit_text.LANGS == i18n.LANGS
    assert audit_text.LOCALE_DIR == i18n.LOCALE_DIR
    assert audit_text.pick_lang("de") == i18n.DEFAULT_LANG
