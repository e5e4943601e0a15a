"""PDF building blocks: the CJK font embedded, paragraph styles, photos and
QR codes."""

import io
from functools import cache
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph

from .fonts import cjk_font


@cache
def font_name() -> str:
    """Register and name the font used for Chinese text. It is embedded, so a
    reader without Chinese fonts still shows the characters."""
    pdfmetrics.registerFont(TTFont("GembaCJK", str(cjk_font()), subfontIndex=0))
    return "GembaCJK"


@cache
def styles() -> dict[str, ParagraphStyle]:
    font = font_name()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small",
            base,
            fontSize=8.5,
            leading=12,
            textColor=colors.HexColor("#475569"),
        ),
        "title": ParagraphStyle("title", base, fontSize=20, leading=28, spaceAfter=6),
        "h1": ParagraphStyle(
            "h1", base, fontSize=15, leading=22, spaceBefore=10, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", base, fontSize=12.5, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=12),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: escaped, line breaks kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles()[style])


def photo(photo_record, max_width: float, max_height: float) -> Image | None:
    """A stored photo scaled to fit the box, or None when its file is gone."""
    try:
        with photo_record.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None
    ratio = min(max_width / photo_record.width, max_height / photo_record.height)
    return Image(
        io.BytesIO(data),
        width=photo_record.width * ratio,
        height=photo_record.height * ratio,
    )


def qr(url: str, size: float = 28 * mm) -> Image:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    out.seek(0)
    return Image(out, width=size, height=size)
