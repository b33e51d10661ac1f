"""The session secret when VIGIE_SECRET_KEY is unset: generated once, kept in a 0600 file."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def load_or_create_secret(path: Path) -> str:
    """The secret stored in `path`, created (random, 0600) if the file does not exist."""
    try:
        text = path.read_text("utf-8").strip()
    except FileNotFoundError:
        text = ""
    if len(text) >= 32:
        return text
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data directory, private
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secret + "\n")
    path.chmod(0o600)
    return secret
