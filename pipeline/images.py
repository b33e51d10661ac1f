"""Image bytes → perceptual hashes, in memory and bounded.

An ad's photos are compared by their 64-bit pHash and dHash (16 hex digits each): a re-encoded,
resized or lightly edited copy stays within a few bits. Optionally (`pdq=True`, the extra `pdq`:
the `pdqhash` package, built from source with a C++ compiler) also Meta's 256-bit PDQ hash, the
one hash-sharing programmes exchange, as 64 hex digits. The bytes are never written anywhere
(DESIGN.md, content rules). Untrusted input is bounded before it is decoded: byte size first,
then the format and the pixel count read from the header (Pillow opens lazily), and only then
the pixels are decoded.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal, overload

import imagehash
from PIL import Image, UnidentifiedImageError

DEFAULT_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF")


class ImageRejected(ValueError):
    """An image Vigie will not hash. `reason` is a short code: `too_big`, `too_many_pixels`,
    `format` or `corrupt`; `str(err)` adds the detail."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


def _flatten(im: Image.Image) -> Image.Image:
    """Transparent pixels count as white (their hidden colour is arbitrary)."""
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return im


def _pdq(im: Image.Image) -> str:
    """PDQ hash of a decoded image: 256 bits, in pdqhash's order, as 64 hex digits."""
    try:
        import numpy as np
        import pdqhash  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise RuntimeError(
            "PDQ hashing needs the optional package pdqhash: install Vigie with "
            "the extra 'pdq' (pip install 'vigie[pdq]'; it builds with a C++ "
            "compiler)"
        ) from None
    bits, _quality = pdqhash.compute(np.asarray(im.convert("RGB")))
    return bytes(np.packbits(np.asarray(bits, dtype=np.uint8))).hex()


@overload
def hash_image(
    data: bytes,
    *,
    max_bytes: int = ...,
    max_pixels: int = ...,
    formats: Sequence[str] = ...,
    pdq: Literal[False] = ...,
) -> tuple[str, str]: ...


@overload
def hash_image(
    data: bytes,
    *,
    max_bytes: int = ...,
    max_pixels: int = ...,
    formats: Sequence[str] = ...,
    pdq: Literal[True],
) -> tuple[str, str, str]: ...


def hash_image(
    data: bytes,
    *,
    max_bytes: int = 10_000_000,
    max_pixels: int = 40_000_000,
    formats: Sequence[str] = DEFAULT_FORMATS,
    pdq: bool = False,
) -> Any:
    """(pHash, dHash) of an encoded image, each 64 bits as 16 hex digits; with `pdq`, a third:
    the PDQ hash (64 hex digits), or RuntimeError when the extra `pdq` is not installed.

    Raises `ImageRejected` for more than `max_bytes` bytes, a header announcing more than
    `max_pixels` pixels (checked before decoding: a decompression bomb costs nothing), a format
    outside `formats`, or data that is truncated or corrupt.
    """

    def hashes(flat: Image.Image) -> tuple[str, ...]:
        out = str(imagehash.phash(flat)), str(imagehash.dhash(flat))
        return (*out, _pdq(flat)) if pdq else out

    return _decoded(data, max_bytes, max_pixels, formats, hashes)


def hash_photo(
    data: bytes,
    *,
    max_bytes: int = 10_000_000,
    max_pixels: int = 40_000_000,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> tuple[str, str, str]:
    """(pHash, dHash, DCT region hashes) of an encoded image: the first two as `hash_image`,
    the third as `pipeline.photomatch.encode_dct` writes it (`pipeline.photohash`). Bounded and
    refused as `hash_image`."""

    result: tuple[str, str, str] = _decoded(data, max_bytes, max_pixels, formats, photo_hashes)
    return result


def photo_hashes(im: Image.Image) -> tuple[str, str, str]:
    """`hash_photo` of a picture already decoded (and flattened, or opaque)."""
    from pipeline.photohash import grey_array, region_hashes
    from pipeline.photomatch import encode_dct

    small = im.copy()
    small.thumbnail((_DCT_SIDE, _DCT_SIDE), Image.Resampling.BOX)
    regions = encode_dct(region_hashes(grey_array(small)))
    return str(imagehash.phash(im)), str(imagehash.dhash(im)), regions


_DCT_SIDE = 256  # the DCT hashes read a copy at most this wide and high


def _decoded(
    data: bytes,
    max_bytes: int,
    max_pixels: int,
    formats: Sequence[str],
    hashes: Callable[[Image.Image], Any],
) -> Any:
    """`hashes` of the decoded image, once its size, format and pixel count are checked."""
    if len(data) > max_bytes:
        raise ImageRejected("too_big", f"{len(data)} bytes > {max_bytes}")
    if not data:
        raise ImageRejected("corrupt", "empty")
    allowed = tuple(f.upper() for f in formats)
    with warnings.catch_warnings():
        # Pillow's own bomb guard warns past ~89 Mpx; ours is stricter and said first.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=allowed)
        except UnidentifiedImageError:
            raise ImageRejected("format", f"not an image in {', '.join(allowed)}") from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageRejected("too_many_pixels", str(exc)) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected("corrupt", str(exc) or type(exc).__name__) from None
        with im:
            width, height = im.size
            if width * height > max_pixels:
                raise ImageRejected(
                    "too_many_pixels", f"{width}x{height} = {width * height} > {max_pixels}"
                )
            if width < 1 or height < 1:
                raise ImageRejected("corrupt", f"{width}x{height}")
            try:
                # JPEG can decode at 1/2, 1/4 or 1/8 scale: the hashes only need 32x32 pixels.
                im.draft(im.mode, (256, 256))
                im.load()
                return hashes(_flatten(im))
            except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
                raise ImageRejected("too_many_pixels", str(exc)) from None
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise ImageRejected("corrupt", str(exc) or type(exc).__name__) from None


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hashes written as hex digits of equal length."""
    if len(a) != len(b):
        raise ValueError(f"hashes of different lengths: {len(a)} and {len(b)} hex digits")
    return (int(a, 16) ^ int(b, 16)).bit_count()
