"""Blind image-distortion material: how re-posters really alter a photo (pure Pillow + numpy).

Written without reading any of Vigie's code. `variants(img, seed)` returns every kind at
several strengths; the same (img, seed) always gives byte-identical images.
See AUTHOR.md for the list of kinds/strengths and the dev/sealed split.
"""

from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from .negatives import NegativePair, negatives
from .overlays import banner, screenshot, watermark
from .sources import source_names, sources

__all__ = ["KINDS", "NegativePair", "Variant", "negatives", "sources", "split", "variants"]

KINDS = ("mirror", "rot90", "rot180", "rot270", "rotate", "crop_center", "crop_corner", "border",
         "watermark", "banner", "recolor", "jpeg", "resize", "screenshot", "combo")
SITES = ("bxl-annonces.example", "NUIT*ROSE", "www.relax-brussels.example", "VIP-ANNONCES",
         "exemple-escorts.test", "rencontres.example")
PHONES = ("0470 12 34 56", "+32 485 00 11 22", "0499/98.76.54", "+32 (0)4 77 55 66 77",
          "APPELLE-MOI 0468 11 22 33", "WhatsApp +32 460 12 12 12")
Img = Image.Image


@dataclass(frozen=True)
class Variant:
    kind: str
    strength: str
    image: Img


def split(name: str) -> Literal["dev", "sealed"]:
    """Half the sources dev, half sealed: ranked by sha256("vigie-blind-images/" + name).

    A negative pair named after a source ("gen_curtain/12-34", "ski_grass+ski_gravel") follows
    its first source; any other name falls back to the parity of its own hash."""
    def key(n: str) -> str:
        return hashlib.sha256(f"vigie-blind-images/{n}".encode()).hexdigest()
    names = source_names()
    if name in names:
        ranked = sorted(names, key=key)
        return "dev" if ranked.index(name) < len(ranked) // 2 else "sealed"
    head = name.replace("+", "/").split("/", 1)[0]
    if head != name and head in names:
        return split(head)
    return "dev" if int(key(name), 16) % 2 == 0 else "sealed"


def blurred(img: Img, size: tuple[int, int], radius: int) -> Img:
    """`img` stretched to `size` and strongly blurred (computed at 1/4 scale: same look, faster)."""
    small = img.resize((max(1, size[0] // 4), max(1, size[1] // 4)), Image.Resampling.BILINEAR)
    small = small.filter(ImageFilter.GaussianBlur(max(1, radius // 4)))
    return small.resize(size, Image.Resampling.BILINEAR)


# --- geometric -----------------------------------------------------------------------------

def rotate(img: Img, angle: float, fill: str) -> Img:
    """Small rotation; fill = black | white | blur (corners), or crop (largest inner rectangle)."""
    if fill == "crop":
        w, h = img.size
        a = math.radians(abs(angle))
        # largest axis-aligned rectangle of the image's aspect inside the rotated image
        scale = 1.0 / (math.cos(a) + max(w / h, h / w) * math.sin(a))
        rot = img.rotate(angle, Image.Resampling.BICUBIC)
        cw, ch = int(w * scale), int(h * scale)
        return rot.crop(((w - cw) // 2, (h - ch) // 2, (w + cw) // 2, (h + ch) // 2))
    if fill == "blur":
        rot = img.convert("RGBA").rotate(angle, Image.Resampling.BICUBIC, expand=True)
        back = blurred(img, rot.size, max(rot.size) // 30)
        back.paste(rot, (0, 0), rot)
        return back
    color = (0, 0, 0) if fill == "black" else (255, 255, 255)
    return img.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=color)


def crop_center(img: Img, area: float) -> Img:
    """Remove `area` (fraction) of the AREA, centred, keeping the aspect ratio."""
    w, h = img.size
    k = math.sqrt(1.0 - area)
    cw, ch = round(w * k), round(h * k)
    return img.crop(((w - cw) // 2, (h - ch) // 2, (w - cw) // 2 + cw, (h - ch) // 2 + ch))


def crop_corner(img: Img, area: float, corner: str) -> Img:
    """Keep the `corner` region (tl/tr/bl/br) holding 1 - area of the area, same aspect."""
    w, h = img.size
    k = math.sqrt(1.0 - area)
    cw, ch = round(w * k), round(h * k)
    x = 0 if corner[1] == "l" else w - cw
    y = 0 if corner[0] == "t" else h - ch
    return img.crop((x, y, x + cw, y + ch))


def border(img: Img, frac: float, style: str, color: tuple[int, int, int] = (0, 0, 0)) -> Img:
    """Frame of `frac` x the shorter side on every edge: solid colour or blurred photo."""
    w, h = img.size
    b = max(1, round(min(w, h) * frac))
    if style == "blur":
        back = blurred(img, (w + 2 * b, h + 2 * b), b)
        back.paste(img, (b, b))
        return back
    return ImageOps.expand(img, border=b, fill=color)


def pad_to(img: Img, ratio: float, style: str) -> Img:
    """Letterbox / pillarbox to width/height = ratio, with black bars or a blurred background."""
    w, h = img.size
    tw, th = (max(w, round(h * ratio)), max(h, round(w / ratio)))
    if tw / th > ratio + 1e-6:
        th = round(tw / ratio)
    if style == "blur":
        back = blurred(ImageOps.fit(img, (tw, th)), (tw, th), max(tw, th) // 25)
    else:
        back = Image.new("RGB", (tw, th), (0, 0, 0) if style == "black" else (255, 255, 255))
    back.paste(img, ((tw - w) // 2, (th - h) // 2))
    return back


# --- colour and compression ----------------------------------------------------------------

def recolor(img: Img, how: str) -> Img:
    arr = np.asarray(img, np.float32)
    if how == "grayscale":
        return ImageOps.grayscale(img).convert("RGB")
    if how == "sepia":
        m = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
        return Image.fromarray(np.clip(arr @ m.T.astype(np.float32), 0, 255).astype(np.uint8))
    if how.startswith("hue"):
        hsv = np.asarray(img.convert("HSV")).copy()
        hsv[..., 0] = (hsv[..., 0].astype(np.int32) + round(int(how[3:]) * 256 / 360)) % 256
        return Image.fromarray(hsv, "HSV").convert("RGB")
    if how.startswith("saturation"):
        return ImageEnhance.Color(img).enhance(float(how[10:]))
    if how == "warm":
        arr = arr * np.array([1.12, 1.02, 0.82], np.float32) + np.array([12, 4, 0], np.float32)
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if how.startswith("contrast"):
        return ImageEnhance.Contrast(img).enhance(float(how[8:]))
    if how.startswith("brightness"):
        return ImageEnhance.Brightness(img).enhance(float(how[10:]))
    if how.startswith("gamma"):
        g = float(how[5:])
        return Image.fromarray((255 * (arr / 255) ** g).astype(np.uint8))
    if how == "autocontrast":
        return ImageOps.autocontrast(img, cutoff=2)
    raise ValueError(how)


def jpeg(img: Img, quality: int) -> Img:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    with Image.open(buf) as im:
        return im.convert("RGB")


def resize(img: Img, factor: float, back: bool, aspect: float = 1.0) -> Img:
    w, h = img.size
    small = img.resize((max(8, round(w * factor * aspect)), max(8, round(h * factor))),
                       Image.Resampling.BILINEAR)
    return small.resize((w, h), Image.Resampling.BICUBIC) if back else small


def variants(img: Img, seed: int) -> list[Variant]:
    """Every kind at several strengths, deterministic for (img, seed)."""
    rng = np.random.default_rng(seed)
    img = img.convert("RGB")
    site = str(rng.choice(SITES))
    phone = str(rng.choice(PHONES))
    r, g, b = (int(c) for c in rng.integers(0, 256, 3))
    color = (r, g, b)
    out: list[Variant] = []

    def add(kind: str, strength: str, image: Img) -> None:
        out.append(Variant(kind, strength, image))

    add("mirror", "horizontal", ImageOps.mirror(img))
    add("mirror", "vertical", ImageOps.flip(img))
    add("rot90", "exact", img.transpose(Image.Transpose.ROTATE_90))
    add("rot180", "exact", img.transpose(Image.Transpose.ROTATE_180))
    add("rot270", "exact", img.transpose(Image.Transpose.ROTATE_270))
    add("rot90", "jpeg60", jpeg(img.transpose(Image.Transpose.ROTATE_90), 60))
    for m in (2, 5, 10):
        for sign, fill in ((1, "black"), (-1, "white"), (1, "blur"), (-1, "crop")):
            a = sign * m
            add("rotate", f"{a:+d}deg_{fill}", rotate(img, a, fill))
    for pct in (5, 10, 15, 20):
        add("crop_center", f"area{pct}", crop_center(img, pct / 100))
    corners = [str(c) for c in rng.permutation(["tl", "tr", "bl", "br"])]
    for pct, corner in zip((10, 15, 20, 15), corners, strict=True):
        add("crop_corner", f"area{pct}_{corner}",
            crop_corner(img, pct / 100, corner))
    for pct in (3, 5, 10):
        add("border", f"black{pct}", border(img, pct / 100, "solid"))
    add("border", "white5", border(img, 0.05, "solid", (255, 255, 255)))
    add("border", "colour5", border(img, 0.05, "solid", color))
    add("border", "colour10", border(img, 0.10, "solid", color))
    add("border", "blur5", border(img, 0.05, "blur"))
    add("border", "blur10", border(img, 0.10, "blur"))
    add("border", "square_black", pad_to(img, 1.0, "black"))
    add("border", "square_blur", pad_to(img, 1.0, "blur"))
    add("border", "16x9_black", pad_to(img, 16 / 9, "black"))
    add("border", "16x9_white", pad_to(img, 16 / 9, "white"))
    for where, op in (("br", 0.5), ("tl", 0.8), ("diagonal", 0.25), ("diagonal", 0.45),
                      ("logo", 0.35)):
        add("watermark", f"{where}_{round(op * 100)}",
            watermark(img, site, where, op))
    for pct, where, over in ((8, "bottom", True), (12, "top", True), (15, "bottom", True),
                             (10, "bottom", False), (12, "top", False)):
        add("banner", f"{where}{pct}_{'over' if over else 'added'}",
            banner(img, pct / 100, where, phone, over, color))
    for how in ("grayscale", "sepia", "hue30", "hue-60", "saturation0.5", "saturation1.6", "warm",
                "contrast1.4", "brightness0.75", "brightness1.25", "gamma0.7", "gamma1.5",
                "autocontrast"):
        add("recolor", how, recolor(img, how))
    for q in (30, 50, 70):
        add("jpeg", f"q{q}", jpeg(img, q))
    add("jpeg", "q70_then_q40", jpeg(jpeg(img, 70), 40))
    add("resize", "50pct_back", resize(img, 0.5, True))
    add("resize", "30pct_back", resize(img, 0.3, True))
    add("resize", "small_50pct", resize(img, 0.5, False))
    add("resize", "thumb_320", resize(img, 320 / max(img.size), False))
    add("resize", "stretch_w110", resize(img, 1.0, False, 1.1))
    for style in ("phone", "phone_dark", "desktop"):
        add("screenshot", style, screenshot(img, style))
    add("combo", "mirror+crop10+jpeg60",
        jpeg(crop_center(ImageOps.mirror(img), 0.10), 60))
    add("combo", "rotate3crop+warm+jpeg50",
        jpeg(recolor(rotate(img, 3, "crop"), "warm"), 50))
    add("combo", "border5+watermark+jpeg70",
        jpeg(watermark(border(img, 0.05, "blur"), site, "br", 0.6), 70))
    add("combo", "banner10+resize50+jpeg40",
        jpeg(resize(banner(img, 0.10, "bottom", phone, True, color), 0.5, False), 40))
    add("combo", "mirror+saturation1.3+corner15",
        crop_corner(recolor(ImageOps.mirror(img), "saturation1.3"), 0.15, corners[0]))
    add("combo", "screenshot_phone+jpeg60", jpeg(screenshot(img, "phone"), 60))
    add("combo", "square_blur+diagonal+resize",
        resize(watermark(pad_to(img, 1.0, "blur"), site, "diagonal", 0.3), 0.6, False))
    return out
