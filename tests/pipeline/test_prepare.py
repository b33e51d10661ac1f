"""`prepare`: what batch entry points call before their first ad (issue 14's throughput)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import gc
from pipeline.analyze import default_model, prepare
assert gc.get_freeze_count() == 0
prepare()
assert default_model.cache_info().currsize == 1, "the model is loaded"
print(gc.get_freeze_count())
"""


def test_prepare_loads_the_model_and_freezes_what_is_loaded_out_of_the_collector() -> None:
    # In a process of its own: a frozen heap stays frozen for the rest of the process.
    proc = subprocess.run(  # noqa: S603 — our own interpreter
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert int(proc.stdout.strip()) > 100_000  # the model, lexicons, gazetteer: a large heap
