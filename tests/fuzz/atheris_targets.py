"""Coverage-guided fuzz targets for atheris: one `TestOneInput(data: bytes)` per target.

Each `build_*` function imports its target lazily (so that the runner can import it inside
`atheris.instrument_imports`) and returns the `TestOneInput` for libFuzzer. An input may end in
the target's own refusal (its domain error) and nothing else: any other exception, or a broken
allowed-outcome check (tests/fuzz/outcomes.py, tests/fuzz/exchange_cases.py), escapes and
crashes the harness.

Each builder makes one call on an empty input before returning: lazy imports (Pillow's plugins,
the shipped risk model) then happen inside the instrumentation, and a broken harness fails at
once rather than as a "crash" of the first input.

Input encodings (chosen so that the seed corpus is readable and mutations land in the text):
- analyze: UTF-8 (invalid bytes replaced), split on U+001E into title, text, location, contact;
- spec: the bytes of a YAML file `fuzzed.yaml`, loaded with `crawlers.sitespec.load_spec`;
- image: the bytes of an encoded image, hashed with bounded limits;
- importer: the bytes of an exchange file, imported (unsigned allowed) into a temporary SQLite.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

TestOneInput = Callable[[bytes], None]

FIELD_SEPARATOR = "\x1e"
"""Separates the four text fields of an ad in the analyze target's input."""

IMAGE_MAX_BYTES = 65_536
IMAGE_MAX_PIXELS = 1_000_000
"""The image target's limits: small, so that a refused bomb costs nothing and a run stays fast."""

SPEC_STEM = "fuzzed"
"""The spec target's file is `fuzzed.yaml`: a spec loads only when its `name` is this stem."""

INSTRUMENT: dict[str, tuple[str, ...]] = {
    "analyze": ("pipeline", "models"),
    "spec": ("crawlers", "yaml", "cssselect"),
    "image": ("pipeline.images", "PIL", "imagehash"),
    "importer": ("storage",),
}
"""The packages whose code guides each target's fuzzing (atheris coverage instrumentation)."""


def split_fields(data: bytes) -> dict[str, str]:
    """The analyze target's input as the four text fields of an ad."""
    parts = data.decode("utf-8", "replace").split(FIELD_SEPARATOR, 3)
    parts += [""] * (4 - len(parts))
    return dict(zip(("title", "text", "location", "contact"), parts, strict=True))


def build_analyze(workdir: Path) -> TestOneInput:
    """pipeline.analyze on a RawAd made of the input's text: never raises."""
    from pipeline.analyze import analyze
    from pipeline.types import RawAd
    from tests.fuzz.outcomes import check_analysis

    def test_one_input(data: bytes) -> None:
        fields = split_fields(data)
        raw = RawAd("fuzz", "1", "", fields["title"], fields["text"], fields["location"], None,
                    contact_text=fields["contact"])
        check_analysis(fields, analyze(raw))

    test_one_input(b"")
    return test_one_input


def _display(path: Path) -> str:
    """How load_spec names a file in its messages: relative to the working directory if under."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def build_spec(workdir: Path) -> TestOneInput:
    """load_spec on the input as a YAML file: a SiteSpec named for the file, or a SpecError."""
    from crawlers.errors import SpecError
    from crawlers.sitespec import load_spec
    from tests.fuzz.outcomes import check_spec_refusal

    path = workdir / f"{SPEC_STEM}.yaml"
    source = _display(path)

    def test_one_input(data: bytes) -> None:
        path.write_bytes(data)
        try:
            spec = load_spec(path)
        except SpecError as exc:
            check_spec_refusal(exc, source)
        else:
            assert spec.name == SPEC_STEM, spec.name

    test_one_input(b"")
    return test_one_input


def build_image(workdir: Path) -> TestOneInput:
    """hash_image with small limits: two hashes, or ImageRejected with a reason code."""
    from PIL import Image

    from pipeline.images import ImageRejected, hash_image
    from tests.fuzz.outcomes import check_image_hashes, check_image_refusal

    Image.init()  # imports every format plugin now, inside the instrumentation

    def test_one_input(data: bytes) -> None:
        try:
            hashes = hash_image(data, max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS)
        except ImageRejected as exc:
            check_image_refusal(exc)
            return
        check_image_hashes(hashes)
        assert len(data) <= IMAGE_MAX_BYTES
        with Image.open(io.BytesIO(data)) as im:  # lazy: reads the header only
            assert im.width * im.height <= IMAGE_MAX_PIXELS, im.size

    test_one_input(b"")
    return test_one_input


def build_importer(workdir: Path) -> TestOneInput:
    """import_file on the input: imported whole, or ExchangeError with nothing written."""
    from storage.repository import Store
    from tests.fuzz.exchange_cases import Target, attempt

    store = Store.open(f"sqlite:///{workdir / 'zone.db'}")  # closed when the process ends
    target = Target(store.engine, workdir / "incoming.json")

    def test_one_input(data: bytes) -> None:
        attempt(target, data)

    test_one_input(b"")
    return test_one_input


BUILDERS: dict[str, Callable[[Path], TestOneInput]] = {
    "analyze": build_analyze,
    "spec": build_spec,
    "image": build_image,
    "importer": build_importer,
}
