"""Run one atheris harness: `python -m tests.fuzz.atheris_run TARGET [libFuzzer flags] [DIR...]`.

TARGET is one of analyze, spec, image, importer (tests/fuzz/atheris_targets.py); run it from the
repository root. The target's seed corpus is generated into a temporary directory, passed after
the corpus directories you give (libFuzzer adds new inputs to the first directory, so they land
in yours, or in the temporary one when you give none) and removed at the end. Examples:

    python -m tests.fuzz.atheris_run image -seed=1 -runs=5000
    python -m tests.fuzz.atheris_run importer -max_total_time=600 corpus/importer

libFuzzer prints `Done N runs in S second(s)` when it stops without a crash (exit code 0); a
crash prints the Python traceback, writes the input to `<artifact_prefix>crash-<sha1>` and exits
non-zero.

libFuzzer ends its process without running Python's clean-up, so the fuzzing itself runs in a
child process (`TARGET --workdir=DIR ...`: builds the harness, writes the seeds, fuzzes) and this
one only makes and removes the temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.fuzz.atheris_targets import BUILDERS, INSTRUMENT

ROOT = Path(__file__).resolve().parents[2]
USAGE = (
    f"usage: python -m tests.fuzz.atheris_run {{{','.join(BUILDERS)}}} [libFuzzer flags] [DIR...]"
)


def _fuzz(target: str, workdir: Path, argv0: str, flags: list[str]) -> int:
    """In the child: instrument the target's packages, build its harness, start libFuzzer."""
    import atheris  # type: ignore[import-untyped]

    with atheris.instrument_imports(include=list(INSTRUMENT[target])):
        test_one_input = BUILDERS[target](workdir / "work")
    from tests.fuzz.atheris_seeds import write_seeds  # after the instrumented imports

    write_seeds(target, workdir / "seeds")
    atheris.Setup([argv0, *flags, str(workdir / "seeds")], test_one_input)
    atheris.Fuzz()  # ends the process: 0 when the runs are done, non-zero on a crash
    return 1


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in BUILDERS:
        sys.stderr.write(USAGE + "\n")
        return 2
    target, flags = argv[1], argv[2:]
    if flags and flags[0].startswith("--workdir="):
        return _fuzz(target, Path(flags[0].removeprefix("--workdir=")), argv[0], flags[1:])
    try:
        # Fail here, with a clear message, rather than in the child.
        import atheris  # noqa: F401
    except ImportError:
        sys.stderr.write("atheris is not installed: pip install 'atheris>=2.3,<4'\n")
        return 2
    with tempfile.TemporaryDirectory(prefix=f"vigie-atheris-{target}-") as tmp:
        workdir = Path(tmp)
        (workdir / "work").mkdir()
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        child = [sys.executable, "-m", "tests.fuzz.atheris_run", target, f"--workdir={tmp}"]
        return subprocess.call([*child, *flags], env={**os.environ, "PYTHONPATH": path})


if __name__ == "__main__":
    sys.exit(main(sys.argv))
