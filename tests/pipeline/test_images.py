"""pipeline.images: bounded, in-memory perceptual hashing of generated images."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from pipeline.images import ImageRejected, hamming, hash_image


def _picture(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """Generated shapes on a gradient with a little noise: no photograph, no person."""
    rng = random.Random(seed)
    w, h = size
    im = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(im)
    for _ in range(8):
        x0, y0 = rng.randrange(w - 40), rng.randrange(h - 40)
        box = (x0, y0, x0 + rng.randrange(20, w // 2), y0 + rng.randrange(20, h // 2))
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    noise = Image.effect_noise(size, 12).convert("RGB")
    return Image.blend(im, noise, 0.08)


def _encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def _png_with_header_size(width: int, height: int) -> bytes:
    """A tiny valid PNG whose IHDR claims `width` x `height` (a decompression bomb's header)."""
    data = bytearray(_encode(Image.new("L", (4, 4)), "PNG"))
    # Signature (8) + chunk length (4) + b"IHDR" (4), then width, height; CRC after 13 bytes.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_hashes_are_64_bit_hex_and_deterministic() -> None:
    png = _encode(_picture(1), "PNG")
    phash, dhash = hash_image(png)
    assert len(phash) == len(dhash) == 16
    int(phash, 16), int(dhash, 16)
    assert hash_image(png) == (phash, dhash)


def test_reencoded_resized_copy_is_near_and_another_image_is_far() -> None:
    original = hash_image(_encode(_picture(7), "PNG"))
    copy = hash_image(_encode(_picture(7).resize((200, 150)), "JPEG", quality=70))
    other = hash_image(_encode(_picture(8), "PNG"))
    assert hamming(original[0], copy[0]) <= 8
    assert hamming(original[1], copy[1]) <= 8
    assert hamming(original[0], other[0]) > 16
    assert hamming(original[1], other[1]) > 12


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_every_default_format_is_hashed(fmt: str) -> None:
    im = _picture(3)
    phash, _ = hash_image(_encode(im if fmt != "GIF" else im.convert("P"), fmt))
    assert hamming(phash, hash_image(_encode(im, "PNG"))[0]) <= 10


def test_transparent_pixels_count_as_white() -> None:
    im = _picture(4).convert("RGBA")
    hidden = Image.new("RGBA", im.size, (0, 0, 0, 0))
    hidden.paste(im.crop((0, 0, 160, 240)), (0, 0))
    white = Image.new("RGB", im.size, "white")
    white.paste(im.crop((0, 0, 160, 240)).convert("RGB"), (0, 0))
    assert hash_image(_encode(hidden, "PNG")) == hash_image(_encode(white, "PNG"))


def test_too_many_bytes_is_refused_before_anything_else() -> None:
    with pytest.raises(ImageRejected) as err:
        hash_image(b"\x00" * 101, max_bytes=100)
    assert err.value.reason == "too_big"
    assert str(err.value) == "too_big: 101 bytes > 100"


def test_bomb_header_is_refused_without_decoding() -> None:
    bomb = _png_with_header_size(8000, 6000)  # 48 Mpx announced, 4x4 actually present
    with pytest.raises(ImageRejected) as err:
        hash_image(bomb)
    assert err.value.reason == "too_many_pixels"
    assert str(err.value) == "too_many_pixels: 8000x6000 = 48000000 > 40000000"


def test_huge_bomb_header_beyond_pillows_own_guard_is_refused() -> None:
    with pytest.raises(ImageRejected) as err:
        hash_image(_png_with_header_size(100_000, 100_000))
    assert err.value.reason == "too_many_pixels"


def test_pixel_limit_is_configurable() -> None:
    png = _encode(_picture(5, (100, 80)), "PNG")
    with pytest.raises(ImageRejected, match=r"^too_many_pixels: 100x80 = 8000 > 7999$"):
        hash_image(png, max_pixels=7999)
    assert hash_image(png, max_pixels=8000)


def test_format_outside_the_allowed_list_is_refused() -> None:
    with pytest.raises(ImageRejected) as err:
        hash_image(_encode(_picture(6), "BMP"))
    assert err.value.reason == "format"
    with pytest.raises(ImageRejected, match="^format: not an image in JPEG$"):
        hash_image(_encode(_picture(6), "PNG"), formats=("jpeg",))


def test_bytes_that_are_no_image_are_refused() -> None:
    with pytest.raises(ImageRejected) as err:
        hash_image(b"<html>not an image</html>")
    assert err.value.reason == "format"
    with pytest.raises(ImageRejected, match="^corrupt: empty$"):
        hash_image(b"")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_is_refused_as_corrupt(fmt: str) -> None:
    data = _encode(_picture(9), fmt)
    with pytest.raises(ImageRejected) as err:
        hash_image(data[: len(data) // 2])
    assert err.value.reason == "corrupt"


def test_hamming_counts_differing_bits() -> None:
    assert hamming("0000000000000000", "000000000000000f") == 4
    assert hamming("ffffffffffffffff", "0000000000000000") == 64
    with pytest.raises(ValueError, match="different lengths"):
        hamming("00", "000")


def test_pdq_hash_when_the_extra_is_installed() -> None:
    pytest.importorskip("pdqhash", reason="the optional extra 'pdq' (pdqhash) is not installed")
    original = _encode(_picture(5), "PNG")
    copy = _encode(_picture(5).resize((200, 150)), "JPEG", quality=70)
    other = _encode(_picture(6), "PNG")
    phash, dhash, pdq = hash_image(original, pdq=True)
    assert (phash, dhash) == hash_image(original)
    assert len(pdq) == 64
    assert hamming(pdq, hash_image(copy, pdq=True)[2]) <= 31  # PDQ's guidance for a match
    assert hamming(pdq, hash_image(other, pdq=True)[2]) > 64


def test_pdq_without_the_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pdqhash", None)  # import fails as if not installed
    with pytest.raises(RuntimeError, match="extra 'pdq'"):
        hash_image(_encode(_picture(5), "PNG"), pdq=True)
