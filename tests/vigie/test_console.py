from __future__ import annotations

import io

from rich.console import Console

from pipeline.types import ForeignLink, Network
from vigie import console as show


def _render(rows: list[Network]) -> str:
    out = io.StringIO()
    show.networks(Console(file=out, width=200, color_system=None), rows)
    return out.getvalue()


def test_networks_table_names_the_other_zones_that_saw_a_network() -> None:
    link = ForeignLink(
        ad=("demo-static", "7"), source_zone="5344", file_name="f.json", file_sha256="0" * 64,
        kind="phone", platform="", value="ab" * 32, pseudonymised=True,
    )
    seen = Network("N1", (("demo-static", "7"),), (), zones=("5341",), foreign=(link,))
    local = Network("N2", (("demo-static", "8"),), (), zones=("5342",))
    text = _render([seen, local])
    assert "also seen by 5344" in text
    assert text.count("also seen by") == 1
