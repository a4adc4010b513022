"""Where each generated page lands, and relative links between them.

Pages carry their own HTML, which the site engine does not rewrite, so the
links must already be relative and right for the URL style in use:
directory URLs (`cases/x/`) when hosted, file URLs (`cases/x.html`) for the
offline copy opened from disk.
"""

from __future__ import annotations

import posixpath


class Urls:
    def __init__(self, directory_urls: bool = True):
        self.directory_urls = directory_urls

    def page(self, src: str) -> str:
        """Site-root-relative URL of a docs page: `areas/bosai.md` → `areas/bosai/`."""
        stem = src[:-3] if src.endswith(".md") else src
        if stem == "index" or stem.endswith("/index"):
            folder = stem[: -len("index")]
            return folder if self.directory_urls else folder + "index.html"
        return stem + "/" if self.directory_urls else stem + ".html"

    def _folder(self, src: str) -> str:
        url = self.page(src)
        return url if url.endswith("/") else posixpath.dirname(url) + ("/" if "/" in url else "")

    def rel(self, from_src: str, target: str) -> str:
        """Relative link from a docs page to a page (`*.md`) or a site file (asset)."""
        url = self.page(target) if target.endswith(".md") else target
        base = self._folder(from_src)
        if url in ("", "/"):
            relative = posixpath.relpath(".", base or ".")
            return "./" if relative == "." else relative + "/"
        relative = posixpath.relpath(url, base or ".")
        if url.endswith("/"):
            relative += "/"
        return relative

    def root(self, from_src: str) -> str:
        """Relative path from a page to the site root, ending in `/` (or `./`)."""
        base = self._folder(from_src)
        depth = base.count("/")
        return "../" * depth if depth else "./"
