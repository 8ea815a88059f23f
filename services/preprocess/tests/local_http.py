"""A real HTTP server on 127.0.0.1 with ETag, Last-Modified, ranges, flaky and slow paths."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    """Serves `files` at `/<name>`; `/flaky/<name>` answers 503 `fail_first` times; `/slow/` sleeps."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.modified: dict[str, float] = {}
        self.fail_first = 0
        self.failing_status = 503
        self.slow_seconds = 1.0
        self.hits: Counter[str] = Counter()
        self.range_headers: list[str | None] = []
        self.send_validators = True
        self.truncate_body = False
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def put(self, name: str, body: bytes, modified: float = 1_700_000_000.0) -> str:
        """Publish a file and return its URL."""
        self.files[name] = body
        self.modified[name] = modified
        return f"{self.base}/{name}"

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:
                server.hits[self.path] += 1
                server.range_headers.append(self.headers.get("Range"))
                parts = self.path.strip("/").split("/")
                if parts[0] == "flaky" and server.hits[self.path] <= server.fail_first:
                    return self._status(server.failing_status)
                if parts[0] == "status":
                    return self._status(int(parts[1]))
                if parts[0] == "slow":
                    time.sleep(server.slow_seconds)
                name = parts[-1]
                if name not in server.files:
                    return self._status(404)
                self._send(name, server.files[name])

            def _status(self, code: int) -> None:
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _send(self, name: str, body: bytes) -> None:
                wanted = self.headers.get("Range")
                if wanted == "bytes=0-0" and body:
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes 0-0/{len(body)}")
                    payload = body[:1]
                else:
                    self.send_response(200)
                    payload = body
                if server.send_validators:
                    self.send_header("ETag", '"' + hashlib.sha1(body).hexdigest() + '"')
                    self.send_header("Last-Modified", formatdate(server.modified[name], usegmt=True))
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2] if server.truncate_body else payload)

        return Handler
