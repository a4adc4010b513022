"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for
what only a browser can show. Every request that leaves the site (anything
but the local test server, file:// and data:) is blocked and recorded."""

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
         "--disable-dev-shm-usage"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def http_server(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Browser:
    """One Chromium for the session; pages record what they tried to fetch from outside."""

    def __init__(self):
        from playwright.sync_api import sync_playwright
        require_chromium()
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        self.contexts = []

    def new_page(self, allowed_prefix: str = "file://"):
        context = self.browser.new_context(locale="ja-JP", service_workers="block")
        self.contexts.append(context)
        page = context.new_page()
        page.blocked = []
        page.errors = []

        def route(r):
            url = r.request.url
            if url.startswith((allowed_prefix, "data:", "about:", "blob:")):
                r.continue_()
            else:
                page.blocked.append(url)
                r.abort()

        context.route("**/*", route)
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
