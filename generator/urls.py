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
        self._pages: dict[str, str] = {}

    def page(self, src: str) -> str:
        """Site-root-relative URL of a docs page: `areas/bosai.md` → `areas/bosai/`."""
        url = self._pages.get(src)
        if url is None:
            url = self._pages[src] = self._page(src)
        return url

    def _page(self, src: str) -> str:
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
        base = self._folder(from_src).rstrip("/")
        base_parts = base.split("/") if base else []
        url_parts = url.split("/")
        common = 0
        while (common < len(base_parts) and common < len(url_parts) - 1
               and base_parts[common] == url_parts[common]):
            common += 1
        relative = "../" * (len(base_parts) - common) + "/".join(url_parts[common:])
        return relative or "./"

    def root(self, from_src: str) -> str:
        """Relative path from a page to the site root, ending in `/` (or `./`)."""
        base = self._folder(from_src)
        depth = base.count("/")
        return "../" * depth if depth else "./"
