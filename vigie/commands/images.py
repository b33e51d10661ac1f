"""`vigie images match QUERY… --against DIR`: which pictures of a folder Vigie would link each
query picture to, with the evidence (hash kind, regions, orientation, distance). The decision is
linking's own (`pipeline.photomatch`); every picture is hashed in memory and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from vigie.commands.base import Failure, JsonOpt, app, emit_json, out
from vigie.terminal import safe

images_app = typer.Typer(help="Photos: match pictures as Vigie links them.")
app.add_typer(images_app, name="images")

MAX_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class _Hashed:
    path: Path
    photo: Any  # pipeline.photomatch.Photo, or None when refused
    error: str | None


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield path


def _hash(path: Path) -> _Hashed:
    from pipeline.images import ImageRejected, hash_photo
    from pipeline.photomatch import Photo

    try:
        data = path.read_bytes()
    except OSError as exc:
        return _Hashed(path, None, f"unreadable: {exc.strerror or exc}")
    try:
        return _Hashed(path, Photo.of(*hash_photo(data, max_bytes=MAX_BYTES)), None)
    except ImageRejected as exc:
        return _Hashed(path, None, exc.reason)
    finally:
        del data


@images_app.command("match")
def match(
    queries: Annotated[list[Path], typer.Argument(help="Pictures to look for.")],
    against: Annotated[
        Path, typer.Option("--against", help="Folder of pictures to look in (recursively).")
    ],
    as_json: JsonOpt = False,
) -> None:
    """For each query picture, the pictures of DIR that Vigie would link it to: mirrored,
    turned, cropped, framed, bannered or recoloured copies too, with the hash kind and the
    distance in bits as evidence. Nothing is written to disk."""
    from pipeline.photomatch import PhotoIndex

    if not against.is_dir():
        raise Failure(f"--against {against}: not a folder")
    index: PhotoIndex[str] = PhotoIndex()
    refused = 0
    for hashed in map(_hash, _files(against)):
        if hashed.photo is None:
            refused += 1
        else:
            index.extend([(str(hashed.path), hashed.photo)])
    rows: list[dict[str, Any]] = []
    for query in queries:
        hashed = _hash(query)
        found = [] if hashed.photo is None else index.match(hashed.photo)
        rows.append({
            "query": str(query),
            "error": hashed.error,
            "matches": [
                {"image": m.key, "kind": m.kind, "regions": m.detail, "distance": m.distance}
                for m in found
            ],
        })
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        if row["error"]:
            out.print(f"{safe(row['query'])}: not hashed ({safe(row['error'])})")
            continue
        out.print(f"{safe(row['query'])}: {len(row['matches'])} match(es)")
        for m in row["matches"]:
            how = f"{m['kind']} {m['regions']}".strip()
            out.print(f"  {safe(m['image'])}  {safe(how)}: {m['distance']} bits")
    if refused:
        out.print(f"({refused} file(s) in {safe(str(against))} are no picture Vigie hashes)")
