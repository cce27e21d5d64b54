"""A PDF is made from the page alone: an address smuggled into a page is never fetched."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from selfassess.reports.render import pdf_bytes


def test_pdfs_fetch_nothing_from_the_network_or_the_disk(tmp_path: Path) -> None:
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: blue }")
    try:
        address = f"http://127.0.0.1:{server.server_port}"
        page = (
            f'<html><head><link rel="stylesheet" href="{address}/style.css">'
            f'<link rel="stylesheet" href="file://{secret}"></head>'
            f'<body><p>Trust <img src="{address}/pixel.png"></p>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></body></html>'
        )
        data = pdf_bytes(page)
    finally:
        server.shutdown()
    assert data.startswith(b"%PDF") and asked == []
