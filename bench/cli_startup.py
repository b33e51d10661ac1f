"""How fast the command line starts (issue 18.4): `vigie --help`, `vigie --version`, `vigie sites`
and a few commands' own `--help` (`evaluate`, `schedule`, `import`: they imported scikit-learn,
the store, the scheduler or the exchange formats before those imports moved into the commands),
each in a fresh interpreter, against `python -c pass`, against importing every command module up
front, and `scrapy version` (the issue's yardstick) measured in the same run.

    .venv/bin/python bench/cli_startup.py [--rounds 7]

Wall-clock medians of `--rounds` runs each; the last line is one JSON object with the figures.
Also checks which heavy libraries `vigie --help`, `vigie --version` and the commands' `--help`
imported (none expected; tests/vigie/cli/test_startup.py checks every command's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
HEAVY = ("sklearn", "scipy", "jsonschema", "alembic", "pygments.lexers", "scrapy", "sqlalchemy",
         "argon2", "numpy", "spacy", "twisted", "pydantic", "stix2", "apscheduler")
EAGER = (
    "import importlib\n"
    "for m in ('audit','batch','core','db','exchange','extraction','linking','model',"
    "'retention','schedule','web'):\n"
    "    importlib.import_module('vigie.commands.' + m)\n"
)
CASES = {
    "python -c pass": [PY, "-c", "pass"],
    "vigie --version": [PY, "-m", "vigie.cli", "--version"],
    "vigie --help": [PY, "-m", "vigie.cli", "--help"],
    "vigie sites": [PY, "-m", "vigie.cli", "sites"],
    "vigie evaluate --help": [PY, "-m", "vigie.cli", "evaluate", "--help"],
    "vigie schedule --help": [PY, "-m", "vigie.cli", "schedule", "--help"],
    "vigie import --help": [PY, "-m", "vigie.cli", "import", "--help"],
    "import every command module": [PY, "-c", EAGER],
    "scrapy version": [PY, "-m", "scrapy.cmdline", "version"],
}


def _time(cmd: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _heavy_imports(args: list[str]) -> list[str]:
    probe = (
        "import sys\nfrom vigie.cli import app\n"
        f"try:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([PY, "-c", probe], cwd=ROOT, check=True, capture_output=True,  # noqa: S603
                          text=True)
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("HEAVY:")]
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    medians = {name: _time(cmd, args.rounds) for name, cmd in CASES.items()}
    for name, seconds in medians.items():
        print(f"{name:30s} {seconds * 1000:8.0f} ms")
    base, eager = medians["python -c pass"], medians["import every command module"]
    scrapy = medians["scrapy version"]
    figures = {
        "rounds": args.rounds,
        "ms": {k: round(v * 1000) for k, v in medians.items()},
        "help_vs_python": round(medians["vigie --help"] / base, 2),
        "help_vs_eager_imports": round(medians["vigie --help"] / eager, 3),
        "help_vs_scrapy_version": round(medians["vigie --help"] / scrapy, 2),
        "sites_vs_scrapy_version": round(medians["vigie sites"] / scrapy, 2),
        "heavy_imported_by_help": _heavy_imports(["--help"]),
        "heavy_imported_by_version": _heavy_imports(["--version"]),
        "heavy_imported_by_command_help": {
            c: _heavy_imports([c, "--help"]) for c in ("evaluate", "schedule", "import")
        },
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
