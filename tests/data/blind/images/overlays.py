"""Overlays re-posters add: site watermarks, phone-number banners, phone/desktop screenshots."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

Img = Image.Image


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


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
