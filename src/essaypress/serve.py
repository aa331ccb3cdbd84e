"""Turn HTTP requests on localhost into the current preview page, its images and its version.

A stdlib ``ThreadingHTTPServer`` in a daemon thread, bound to 127.0.0.1. It
serves from memory only, never from disk: ``/`` (the page), ``/__version``
(JSON: the page's version and the build status) and the page's images under
``/r/<hash>.<ext>``; every other path is 404, so there is no listing and no
path traversal. Requests whose ``Host`` is not this machine are refused (403),
which keeps a web page in the user's browser from reading the preview through
DNS rebinding. ``publish`` swaps the page atomically from any thread.
"""

from __future__ import annotations

import errno
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from urllib.parse import urlsplit

from .errors import UsageError
from .preview import VERSION_PATH, Asset, Page

HOST = "127.0.0.1"
_LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
_KEEP_ASSETS = 2  # pages whose images stay served (a browser may still load the previous one)


class PreviewServer:
    """The preview on ``http://127.0.0.1:<port>/``; ``port=0`` picks a free port.

    Use as a context manager, or call ``start`` and ``close``.
    """

    def __init__(self, port: int = 0) -> None:
        self._lock = threading.Lock()
        waiting = (
            b"<!DOCTYPE html><title>essaypress</title><p>Reading the anthology\xe2\x80\xa6</p>"
        )
        self._page = Page(waiting, "start", secrets.token_urlsafe(16), MappingProxyType({}))
        self._assets: list[dict[str, Asset]] = []
        self._status = ("starting", "building")
        try:
            self._httpd = _Server((HOST, port), _handler(self))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {port} is already in use",
                    hint="choose another with --port, or --port 0 for any free port",
                ) from None
            raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> PreviewServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def publish(self, page: Page) -> None:
        """Serve ``page`` from now on; open pages see its new version and reload."""
        with self._lock:
            self._page = page
            self._assets = [dict(page.assets), *self._assets][:_KEEP_ASSETS]

    def set_status(self, text: str, state: str = "idle") -> None:
        """The line the page shows in its status bar (``state``: idle, building or error)."""
        with self._lock:
            self._status = (text, state)

    @property
    def version(self) -> str:
        with self._lock:
            return self._page.version

    def _current(self) -> tuple[Page, tuple[str, str]]:
        with self._lock:
            return self._page, self._status

    def _asset(self, path: str) -> Asset | None:
        with self._lock:
            return next((a[path] for a in self._assets if path in a), None)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a browser that closed its connection early: nothing to report
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def _handler(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "essaypress-preview"
        sys_version = ""

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            if host not in _LOCAL_NAMES:
                self._send(403, "text/plain; charset=utf-8", b"forbidden\n", body=body)
                return
            path = urlsplit(self.path).path
            page, (status, state) = server._current()
            if path in ("/", "/index.html"):
                csp = (
                    "default-src 'none'; img-src 'self'; connect-src 'self'; "
                    f"script-src 'nonce-{page.nonce}'; style-src 'nonce-{page.nonce}'; "
                    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
                )
                self._send(200, "text/html; charset=utf-8", page.html, body=body, csp=csp)
            elif path == VERSION_PATH:
                data = {"version": page.version, "status": status, "state": state}
                self._send(200, "application/json", json.dumps(data).encode(), body=body)
            elif (asset := server._asset(path)) is not None:
                self._send(200, asset.media_type, asset.data, body=body, cache=True)
            else:
                self._send(404, "text/plain; charset=utf-8", b"not found\n", body=body)

        def _send(
            self,
            code: int,
            media_type: str,
            data: bytes,
            *,
            body: bool,
            csp: str = "default-src 'none'; sandbox",
            cache: bool = False,
        ) -> None:
            self.send_response(code)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Security-Policy", csp)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "max-age=86400, immutable" if cache else "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def do_POST(self) -> None:
            self._send(405, "text/plain; charset=utf-8", b"method not allowed\n", body=True)

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal shows rebuilds, not requests

    return Handler
