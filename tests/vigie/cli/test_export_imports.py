"""`vigie networks export` and `vigie link --help` stay light (issue 18.4): a graph export reads
stored networks and writes them, so it loads neither the linker (numpy, datasketch, scipy, numba),
nor scikit-learn, nor networkx; `vigie link --help` only prints its options."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from pipeline.types import Analysis, Contact, Edge, ImageRef, Network, PhoneMatch, Place, RawAd
from storage.repository import Store

ROOT = Path(__file__).resolve().parents[3]
LINKER = ("datasketch", "scipy", "sklearn", "numba", "numpy")
T0 = datetime(2026, 10, 1, tzinfo=UTC)


def _run(args: list[str]) -> tuple[str, set[str]]:
    """What `vigie ARGS` printed and the modules it had imported when it returned."""
    probe = (
        "import sys\nfrom vigie.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('MODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("MODULES ")]
    return done.stdout, set(line.removeprefix("MODULES ").split())


def _store(path: Path) -> str:
    url = f"sqlite:///{path}"
    keys = []
    with Store.open(url) as store:
        for ad_id in ("1", "2"):
            raw = RawAd(
                "s",
                ad_id,
                f"http://127.0.0.1:9/{ad_id}",
                "Titre",
                "texte",
                fetched_at=T0,
                images=(ImageRef("http://127.0.0.1:9/i.png", "8f3a5c7e12345678"),),
            )
            analysis = Analysis(
                "s",
                ad_id,
                phones=(PhoneMatch("+32470123456", "BE", False, ()),),
                contacts=(Contact("telegram", "lola", ()),),
                place=Place("X", "5339", None, True, ()),
                images=raw.images,
            )
            store.save(raw, analysis, seen_at=T0)
            keys.append(("s", ad_id))
        store.replace_networks(
            [
                Network(
                    "N1",
                    tuple(keys),
                    (Edge(keys[0], keys[1], "phone", "+32470123456"),),
                    phones=("+32470123456",),
                    zones=("5339",),
                )
            ]
        )
    return url


def test_a_graph_export_loads_no_linker_nor_networkx(tmp_path: Path) -> None:
    url = _store(tmp_path / "v.db")
    out = tmp_path / "net.graphml"
    printed, modules = _run(
        ["networks", "export", "-o", str(out), "--reason", "PV 1", "--database", url]
    )
    assert "Exported 1 network(s), 2 ads" in printed
    # the handle, its kind from the light list (`pipeline.linkkinds`)
    assert "telegram:lola" in out.read_text(encoding="utf-8")
    assert "vigie.netexport" in modules  # the export really ran in this interpreter
    assert not [m for m in (*LINKER, "networkx") if m in modules]


def test_export_and_link_help_load_no_linker() -> None:
    for args in (["networks", "export", "--help"], ["link", "--help"]):
        printed, modules = _run(args)
        assert "--help" in printed, args
        assert not [m for m in LINKER if m in modules], args
