"""PDFs written as HTML templates (templates/pdf/) and printed by WeasyPrint, tagged for assistive
technology (PDF/UA-1): headings, paragraphs, tables with header cells, images with their alt text,
the language and the title, in reading order.

The font is DejaVu Sans, shipped in lib/fonts under its free licence (LICENSE-DejaVu.txt). PDF's
built-in Helvetica knows only Western European letters: it prints a black box for the Ł of
Łukasz or the Ș of Ștefan, so a certificate could misspell the name it certifies. DejaVu Sans has
them all, and is embedded (subset) in each PDF. Letters it lacks (Chinese, Japanese, Korean) come
from the system's sans-serif, when one has them. WeasyPrint needs Pango (Debian's libpango-1.0-0,
libpangoft2-1.0-0 and libharfbuzz-subset0), which scripts/lib.sh installs when it is missing.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

FONTS = Path(__file__).resolve().parent / "fonts"


def own_files_only():
    """A WeasyPrint URL fetcher that fetches only the hub's fonts and inline `data:` images, so that
    printing never reaches the network or another file, whatever a template came to hold."""
    return _own_files_only_class()()


@cache
def _own_files_only_class():
    from weasyprint.urls import URLFetcher  # imported when first printing: it loads Pango

    class OwnFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url.startswith(FONTS.as_uri() + "/")):
                raise ValueError(f"Not one of the hub's own files: {url}")
            return super().fetch(url, headers)

    return OwnFilesOnly


def render_pdf(template: str, context: dict, *, title: str) -> bytes:
    """Print `template` (extending pdf/base.html) with `context`; `title` names the document, for its
    window title and for a screen reader."""
    from weasyprint import HTML

    html = render_to_string(template, {"partnership_name": settings.PARTNERSHIP_NAME} | context | {
        "title": title, "fonts": FONTS.as_uri(),
    })
    return HTML(string=html, url_fetcher=own_files_only()).write_pdf(pdf_variant="pdf/ua-1")
