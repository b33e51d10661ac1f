"""The review app's messages as Babel extracts them (templates and Python), for the catalogue
tools and the test that keeps every message translated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

WEB_DIR = Path(__file__).parent
METHOD_MAP = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extracted() -> Iterator[tuple[str, str, int]]:
    """(message, file, line) for every translatable message of the app."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        WEB_DIR, METHOD_MAP, keywords=KEYWORDS
    ):
        if isinstance(message, str):
            yield message, filename, lineno
        else:  # plural forms: every form is a message
            for form in message:
                if form:
                    yield str(form), filename, lineno
