"""The atheris harnesses, each run for a bounded number of inputs with a fixed seed.

Each harness runs in a subprocess (atheris instruments the process it fuzzes and libFuzzer ends
it): exit code 0, and libFuzzer's `Done N runs` says how many inputs were actually tried.
Budget: 2,000 + 1,500 + 4,000 + 1,500 = 9,000 coverage-guided inputs per CI run, on top of the
hypothesis suite's 11,460 (test_fuzz_inputs.py, test_fuzz_importers.py).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNS = {"analyze": 2000, "spec": 1500, "image": 4000, "importer": 1500}

needs_atheris = pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None,
    reason="atheris is not installed (pip install 'atheris>=2.3,<4'; cp311 manylinux wheel)",
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.fuzz.atheris_run", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )


@needs_atheris
@pytest.mark.parametrize("target", sorted(RUNS))
def test_harness_runs_its_inputs_without_a_crash(target: str, tmp_path: Path) -> None:
    runs = RUNS[target]
    done = _run(target, "-seed=1", f"-runs={runs}", "-timeout=60",
                f"-artifact_prefix={tmp_path}/")
    tail = done.stderr[-3000:]
    assert done.returncode == 0, tail
    assert not list(tmp_path.glob("crash-*")), tail
    finished = re.search(r"^Done (\d+) runs in \d+ second", done.stderr, re.MULTILINE)
    assert finished is not None, tail
    assert int(finished.group(1)) == runs
    coverage = re.search(r"INITED cov: (\d+)", done.stderr)  # instrumentation took effect
    assert coverage is not None, tail
    assert int(coverage.group(1)) > 100, tail


def test_runner_refuses_an_unknown_target() -> None:
    done = _run("nonsense")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: python -m tests.fuzz.atheris_run {analyze,spec,")
