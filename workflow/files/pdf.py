"""HTML to PDF through weasyprint, the one library that prints letters and reports.

weasyprint reports CSS it ignores (matplotlib's SVG styles, for one) as English
warnings; with no handler configured Python would print them on the officer's
terminal, so only its errors are let through. A document is printed from itself
alone: its images and styles are inline (`data:` URLs), and any other address in it
(a web page, a file of this machine) is never fetched.
"""

from __future__ import annotations

import logging
from pathlib import Path

from workflow.files.atomic import write_whole


def render(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()


def write(path: Path, html: str) -> None:
    """The PDF of `html` at `path`, whole or not at all."""
    data = render(html)
    write_whole(path, lambda tmp: Path(tmp).write_bytes(data))
