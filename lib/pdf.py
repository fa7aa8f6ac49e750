"""PDF building blocks: the fonts, paragraph styles, text fitted to a width, and ruled tables.

The font is DejaVu Sans, shipped in lib/fonts under its free licence (LICENSE-DejaVu.txt). PDF's
built-in Helvetica knows only Western European letters: it prints a black box for the Ł of
Łukasz or the Ș of Ștefan, so a certificate could misspell the name it certifies. DejaVu Sans has
them all, and is embedded (subset) in each PDF.
"""

from functools import cache
from pathlib import Path

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def register() -> None:
    """Register the fonts with ReportLab, once per process."""
    from reportlab.lib.fonts import addMapping

    pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS / "DejaVuSans-Bold.ttf"))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)  # <b> in a Paragraph finds the bold face


def fit(text: str, *, font: str, size: float, width: float, max_lines: int = 2,
        smallest: float = 10) -> tuple[list[str], float]:
    """Wrap `text` to `width` points in at most `max_lines` lines, shrinking the size (down to
    `smallest`) until it fits; never cut. Returns the lines and the size used."""
    register()
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines or size <= smallest:
            return lines, size
        size -= 1


def styles():
    """ReportLab's sample paragraph styles, in DejaVu Sans (bold where the sample is bold)."""
    from reportlab.lib.styles import getSampleStyleSheet

    register()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        if hasattr(style, "fontName"):
            style.fontName = BOLD if "Bold" in style.fontName else REGULAR
    return sheet


def grid(rows: list[list], widths: list[float], *, row_heights=None):
    """A table with a bold, shaded header row and ruled cells; text cells wrap (as Paragraphs)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    normal = styles()["Normal"]
    body = [[Paragraph(escape(str(cell)), normal) if isinstance(cell, str) and cell else cell for cell in row]
            for row in rows[1:]]
    table = Table([rows[0], *body], colWidths=widths, repeatRows=1, rowHeights=row_heights)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR),
        ("FONT", (0, 0), (-1, 0), BOLD),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
    ]))
    return table
