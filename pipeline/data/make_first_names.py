"""Writes `first_names.txt` (beside this file) from Faker's person providers: every first name of
every locale, with the number of locales that list it. Run by hand when Faker is updated:

    .venv/bin/pip install faker && .venv/bin/python pipeline/data/make_first_names.py

Faker is then not needed at run time (and its ~90 modules are not loaded in every process).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from pipeline.names import key

HEADER = """\
# First names of every locale of Faker's person providers (faker {version}), one a line:
# "<name, lower case, no accents><TAB><number of locales listing it><TAB><their languages>".
# Written by pipeline/data/make_first_names.py; read by pipeline/names.py.
#
# Faker — Copyright (c) 2012 Daniele Faraglia — MIT License:
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software
# and associated documentation files (the "Software"), to deal in the Software without
# restriction, including without limitation the rights to use, copy, modify, merge, publish,
# distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
# Software is furnished to do so, subject to the following conditions: The above copyright
# notice and this permission notice shall be included in all copies or substantial portions of
# the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
# PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
# LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
# OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
# DEALINGS IN THE SOFTWARE.
"""


def collect() -> tuple[Counter[str], dict[str, set[str]]]:
    """Each name -> how many locales list it, and the languages of those locales ("ro_RO" ->
    "ro")."""
    import faker.providers.person as person

    names: Counter[str] = Counter()
    langs: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(person.__path__):
        module = importlib.import_module(f"{person.__name__}.{info.name}")
        provider = getattr(module, "Provider", None)
        here: set[str] = set()
        for attr in ("first_names", "first_names_female", "first_names_male"):
            value = getattr(provider, attr, None)
            if isinstance(value, dict | tuple | list | set | frozenset):
                here.update(key(str(n)) for n in value)
        names.update(here)
        for name in here:
            langs.setdefault(name, set()).add(info.name.split("_")[0])
    del names[""]
    return names, langs


def main() -> None:
    names, langs = collect()
    lines = [
        f"{n}\t{k}\t{','.join(sorted(langs[n]))}"
        for n, k in sorted(names.items())
        if "\t" not in n and "\n" not in n
    ]
    out = Path(__file__).with_name("first_names.txt")
    out.write_text(HEADER.format(version=version("faker")) + "\n".join(lines) + "\n", "utf-8")
    sys.stdout.write(f"{len(lines)} names written to {out}\n")


if __name__ == "__main__":
    main()
