"""A letter or report is printed from itself alone: the PDF renderer fetches no address the document
names (a web server, a file of the machine), and still draws what is inline."""
from __future__ import annotations

import base64
import http.server
import threading
from io import BytesIO

from pypdf import PdfReader

from workflow.files.pdf import render

PIXEL = base64.b64encode(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                       "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"))


def test_the_renderer_fetches_nothing_outside_the_document(tmp_path):
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secreto.css"
    secret.write_text("body { color: red }")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        pdf = render(f'<html><head><link rel="stylesheet" href="{url}/estilo.css">'
                     f'<link rel="stylesheet" href="file://{secret}"></head><body><p>Carta simple</p>'
                     f'<img src="{url}/rastreo.png"><img src="data:image/png;base64,{PIXEL.decode()}"></body></html>')
    finally:
        server.shutdown()
    assert asked == []
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert "Carta simple" in page.extract_text()
    assert len(page.images) == 1  # the inline image, drawn; the remote one, not fetched
