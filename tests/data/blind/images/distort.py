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
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

from .negatives import NegativePair, negatives
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


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


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


# --- overlays ------------------------------------------------------------------------------

def watermark(img: Img, text: str, where: str, opacity: float) -> Img:
    """Semi-transparent site name: corner (br/tl), diagonal tiled, or centred round logo."""
    w, h = img.size
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    alpha = round(255 * opacity)
    if where in ("br", "tl"):
        f = font(max(w, h) // 28)
        box = d.textbbox((0, 0), text, font=f)
        tw, th = box[2] - box[0], box[3] - box[1]
        m = min(w, h) // 40
        xy = (w - tw - m, h - th - 2 * m) if where == "br" else (m, m)
        d.text((xy[0] + 2, xy[1] + 2), text, font=f, fill=(0, 0, 0, alpha // 2))
        d.text(xy, text, font=f, fill=(255, 255, 255, alpha))
    elif where == "diagonal":
        f = font(max(w, h) // 16)
        big = Image.new("RGBA", (2 * w, 2 * h), (0, 0, 0, 0))
        bd = ImageDraw.Draw(big)
        step = max(w, h) // 4
        for row, y in enumerate(range(0, 2 * h, step)):
            bd.text(((row % 2) * step // 2, y), (text + "   ") * 4, font=f,
                    fill=(255, 255, 255, alpha))
        big = big.rotate(30, Image.Resampling.BICUBIC)
        layer = big.crop((w // 2, h // 2, w // 2 + w, h // 2 + h))
    else:  # centred logo: ring + initials + name
        r = min(w, h) // 5
        cx, cy = w // 2, h // 2
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(255, 255, 255, alpha), width=r // 8)
        f = font(r // 2)
        d.text((cx, cy), text[:2].upper(), font=f, fill=(255, 255, 255, alpha), anchor="mm")
        d.text((cx, cy + r + r // 4), text, font=font(r // 4), fill=(255, 255, 255, alpha),
               anchor="mm")
    out = img.convert("RGBA")
    out.alpha_composite(layer)
    return out.convert("RGB")


def banner(img: Img, frac: float, where: str, text: str, overlay: bool,
           color: tuple[int, int, int]) -> Img:
    """Opaque strip of `frac` x height at top/bottom with phone text: over the photo or added."""
    w, h = img.size
    bh = max(8, round(h * frac))
    if overlay:
        out = img.copy()
        y = 0 if where == "top" else h - bh
    else:
        out = Image.new("RGB", (w, h + bh), color)
        out.paste(img, (0, bh if where == "top" else 0))
        y = 0 if where == "top" else h
    d = ImageDraw.Draw(out)
    d.rectangle((0, y, w, y + bh), fill=color)
    lum = 0.3 * color[0] + 0.6 * color[1] + 0.1 * color[2]
    size = int(bh * 0.55)
    while size > 8 and d.textlength(text, font=font(size)) > 0.92 * w:
        size -= 2
    d.text((w // 2, y + bh // 2), text, font=font(size),
           fill=(0, 0, 0) if lum > 128 else (255, 255, 255), anchor="mm")
    return out


def screenshot(img: Img, style: str) -> Img:
    """The photo pasted in a phone screen (status + nav bars) or a desktop browser window."""
    w, h = img.size
    if style.startswith("phone"):
        dark = style == "phone_dark"
        cw = 1080
        ph = round(h * cw / w)
        cw_h = max(2340, ph + 600)
        bg, fg = ((18, 18, 18), (230, 230, 230)) if dark else ((250, 250, 250), (30, 30, 30))
        canvas = Image.new("RGB", (cw, cw_h), bg)
        d = ImageDraw.Draw(canvas)
        d.text((40, 30), "21:47", font=font(40), fill=fg)
        d.text((cw - 220, 30), "4G  87%", font=font(40), fill=fg)
        d.rectangle((0, 110, cw, 250), fill=(40, 40, 40) if dark else (235, 235, 240))
        d.text((40, 150), "< Annonce - Bruxelles", font=font(48), fill=fg)
        top = 250 + (cw_h - 250 - 200 - ph) // 3
        canvas.paste(img.resize((cw, ph), Image.Resampling.LANCZOS), (0, top))
        d.text((40, top + ph + 30), "Disponible ce soir - voir le profil", font=font(44), fill=fg)
        d.rectangle((0, cw_h - 140, cw, cw_h), fill=(0, 0, 0) if dark else (240, 240, 240))
        d.rounded_rectangle((cw // 2 - 140, cw_h - 80, cw // 2 + 140, cw_h - 66), 7, fill=fg)
        return canvas
    cw, ch = max(1366, w + 300), max(768, h + 260)
    canvas = Image.new("RGB", (cw, ch), (245, 245, 245))
    d = ImageDraw.Draw(canvas)
    d.rectangle((0, 0, cw, 80), fill=(222, 225, 230))
    d.rounded_rectangle((120, 22, cw - 200, 60), 18, fill=(255, 255, 255))
    d.text((140, 30), "https://bxl-annonces.example/annonce/48213", font=font(22),
           fill=(60, 60, 60))
    for i, c in enumerate(((237, 106, 94), (245, 191, 79), (98, 197, 84))):
        d.ellipse((20 + 30 * i, 32, 36 + 30 * i, 48), fill=c)
    d.rectangle((cw - 260, 120, cw - 20, ch - 40), fill=(230, 230, 235))
    canvas.paste(img, (60, 120))
    return canvas


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
