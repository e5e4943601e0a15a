"""Chinese in drawings and PDFs: one font lookup, and a system check that
stops the app where none is found, instead of empty boxes."""

import io
from pathlib import Path

import pytest
import reportlab
from django.core import checks
from reportlab.platypus import SimpleDocTemplate

from gembahall.core import fonts, pdf
from gembahall.standards import drawings

ABSENT = "\U0010fffd"  # a private-use code point no font draws


@pytest.fixture
def fresh_lookup():
    def clear():
        for cached in (fonts.cjk_font, drawings.font, pdf.font_name, pdf.styles):
            cached.cache_clear()

    clear()
    yield
    clear()


@pytest.fixture
def no_system_fonts(monkeypatch, fresh_lookup):
    """A machine where the test set-up never installed Debian's CJK fonts."""
    for name in ("exists", "is_file"):
        real = getattr(Path, name)
        monkeypatch.setattr(
            Path,
            name,
            lambda self, real=real: (
                not str(self).startswith("/usr/share/fonts") and real(self)
            ),
        )


def failed_checks() -> list[str]:
    """What the server, migrate and every command check before they start."""
    return [m.id for m in checks.run_checks() if m.is_serious()]


def draws(font, char: str) -> bool:
    """A glyph of its own, not the box drawn for a character the font lacks."""
    return bytes(font.getmask(char)) != bytes(font.getmask(ABSENT))


def test_drawings_and_pdfs_draw_chinese_without_system_fonts(no_system_fonts):
    assert all(draws(drawings.font(38), char) for char in "示例工作人员一侧")
    caption, png = drawings.render("desk")
    assert caption and png.startswith(b"\x89PNG")
    out = io.BytesIO()
    SimpleDocTemplate(out).build([pdf.para("示例行政服务中心 检查通报")])
    # The font travels inside the file, so any reader shows the characters.
    assert b"/FontFile2" in out.getvalue()
    assert pdf.font_name() == "GembaCJK"


def test_the_system_check_fails_when_no_chinese_font_is_found(
    db, monkeypatch, fresh_lookup
):
    monkeypatch.setattr(fonts, "candidates", lambda: [])
    assert "gembahall.E002" in failed_checks()


def test_a_font_without_chinese_glyphs_is_no_candidate(db, monkeypatch, fresh_lookup):
    latin = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    assert latin.is_file()
    monkeypatch.setenv("GEMBAHALL_CJK_FONT", str(latin))
    assert fonts.cjk_font() != latin
    monkeypatch.setattr(fonts, "candidates", lambda: [latin])
    fonts.cjk_font.cache_clear()
    assert "gembahall.E002" in failed_checks()
