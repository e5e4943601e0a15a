"""The one font for Chinese text, in drawings (Pillow) and PDFs (ReportLab,
which embeds it): a TrueType face that has the glyphs."""

import os
from functools import cache
from importlib import resources
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# ReportLab embeds TrueType outlines only, so an OpenType/CFF face such as
# Noto Sans CJK cannot serve the PDFs and is not a candidate.
SYSTEM_FONTS = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
# Characters a face must draw to count as a Chinese font.
SAMPLE = "示例中心窗口标准整改"
HINT = (
    "Reinstall Gemba Hall with its dependencies (the package "
    "paperang-p2-fonts-cjk carries WenQuanYi Micro Hei), install Debian's "
    "fonts-wqy-zenhei, or set GEMBAHALL_CJK_FONT to a TrueType font with "
    "Chinese glyphs."
)


def packaged_font() -> Path | None:
    """WenQuanYi Micro Hei from PyPI: there without root or a system package."""
    try:
        return Path(
            str(resources.files("paperang_p2_fonts_cjk") / "fonts/wqy-microhei.ttc")
        )
    except ModuleNotFoundError:
        return None


def candidates() -> list[Path]:
    chosen = os.environ.get("GEMBAHALL_CJK_FONT")
    found = [Path(chosen)] if chosen else []
    packaged = packaged_font()
    if packaged is not None:
        found.append(packaged)
    return found + [Path(p) for p in SYSTEM_FONTS]


def has_chinese_glyphs(path: Path) -> bool:
    try:
        face = TTFont("probe", str(path), subfontIndex=0).face
    except (OSError, TTFError):
        return False
    return all(ord(char) in face.charToGlyph for char in SAMPLE)


@cache
def cjk_font() -> Path:
    """The first candidate that exists and draws Chinese; an error naming the
    remedies when none does, rather than boxes where the characters belong."""
    for path in candidates():
        if path.is_file() and has_chinese_glyphs(path):
            return path
    raise ImproperlyConfigured(f"No font with Chinese glyphs was found. {HINT}")
