"""HTML to PDF through weasyprint, the one library that prints letters and reports.

weasyprint reports CSS it ignores (matplotlib's SVG styles, for one) as English
warnings; with no handler configured Python would print them on the officer's
terminal, so only its errors are let through.
"""

from __future__ import annotations

import logging


def render(html: str) -> bytes:
    from weasyprint import HTML

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return HTML(string=html).write_pdf()
