"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for
what only a browser can show. Every request that leaves the site (anything
but the local test server, file:// and data:) is blocked and recorded.

Two ways to watch a page: tests route every request through Playwright, which
stops what leaves the site before it is sent; the benchmarks only listen
(`new_page(..., intercept=False)`), because a routed request waits for a round
trip to this Python process and routing turns off Chromium's cache, neither of
which a reader's browser does. Either way Chromium resolves no host name but
the local server's (`--host-resolver-rules`), so nothing reaches the internet."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def http_server(folder: Path, keep_alive: bool = True):
    """The folder served on a free local port. keep_alive=False: a connection per file (HTTP/1.0),
    as the server was before; the search benchmark's --routed compares with it."""
    handler = functools.partial(_QuietHandler if keep_alive else _OneShotHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Keeps connections open (HTTP/1.1) as any static host does, and sends each response
    at once: with keep-alive, Nagle's algorithm held a response's body until the browser's
    delayed acknowledgement of its headers, about 40 ms, and HTTP/1.0 opened a connection
    per file."""
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass


class _OneShotHandler(_QuietHandler):
    protocol_version = "HTTP/1.0"


class Browser:
    """One Chromium for the session; pages record what they tried to fetch from outside."""

    def __init__(self):
        from playwright.sync_api import sync_playwright
        require_chromium()
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        self.contexts = []

    def new_page(self, allowed_prefix: str = "file://", intercept: bool = True):
        context = self.browser.new_context(locale="ja-JP", service_workers="block")
        self.contexts.append(context)
        page = context.new_page()
        page.blocked = []
        page.errors = []
        inside = (allowed_prefix, "data:", "about:", "blob:")

        def route(r):
            url = r.request.url
            if url.startswith(inside):
                r.continue_()
            else:
                page.blocked.append(url)
                r.abort()

        if intercept:
            context.route("**/*", route)
        else:
            page.on("request", lambda r: None if r.url.startswith(inside) else page.blocked.append(r.url))
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    def close_since(self, count: int) -> None:
        """Close the pages opened after the first `count`: one Chromium serves the whole
        session, and a page left open keeps its renderer process and scripts alive."""
        while len(self.contexts) > count:
            self.contexts.pop().close()

    def close(self):
        self.browser.close()
        self._pw.stop()
