"""Where each generated page lands, and relative links between them.

Pages carry their own HTML, which the site engine does not rewrite, so the
links must already be relative and right for the URL style in use:
directory URLs (`cases/x/`) when hosted, file URLs (`cases/x.html`) for the
offline copy opened from disk, where a case is an anchor in a file of many
(`cases/g-3.html#x`, site/grouped_pages.py).
"""

from __future__ import annotations

import html
import posixpath
import re

# How a browser reads a URL (WHATWG): C0 controls and spaces stripped at both ends,
# tabs and line breaks dropped anywhere, then a scheme is letters up to the first `:`.
_URL_STRIP = "".join(map(chr, range(0x21)))
_URL_DROPPED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WEB = re.compile(r"^https?://[^\s<>\"'\\`]+$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9()\-]{2,30}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%*+/=^_{|}~'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+$")


def safe_url(url, relative: bool = True, scheme: str | None = None) -> str | None:
    """The one gate for every URL the site emits in href, src or a feed link, whatever
    reached the renderer: the URL itself if it is an absolute http(s) URL or (when
    ``relative``) a relative path inside the site, else None, and the caller shows text.

    Refused: any other scheme (`javascript:`, `data:`, `vbscript:`, `file:`), also
    written in mixed case, after spaces or control characters, split by a tab or line
    break (`java\tscript:`) or hidden in character references (`&#106;avascript:`,
    which a browser decodes in an attribute the Markdown renderer writes); host-relative
    `//host` and `\\host`, and site-absolute `/path`, which leave the site.
    ``scheme`` admits one more scheme for links the templates build themselves
    (`tel:`, `mailto:`), with the value checked by the caller.
    """
    if not isinstance(url, str) or not url or _CONTROL.search(url) or url != url.strip():
        return None
    for form in {url, html.unescape(url)}:
        read = _URL_DROPPED.sub("", form.strip(_URL_STRIP))
        found = _SCHEME.match(read)
        if found:
            name = found.group(1).lower()
            if name == scheme and form == url:
                continue
            if name not in ("http", "https") or not _WEB.match(read):
                return None
        elif not relative or read[:1] in ("/", "\\"):  # //host, /\host, \\host, /path
            return None
    return url


def tel_url(phone) -> str | None:
    """`tel:` link of a phone number (digits, `+`, `-`, brackets only), or None."""
    digits = str(phone or "").replace("-", "")
    return safe_url("tel:" + digits, relative=False, scheme="tel") if _PHONE.match(digits) else None


def mailto_url(email) -> str | None:
    """`mailto:` link of a plain address (no `?subject=`, no second address), or None."""
    address = str(email or "")
    return safe_url("mailto:" + address, relative=False, scheme="mailto") if _EMAIL.match(address) else None


class Urls:
    def __init__(self, directory_urls: bool = True, source_relative: bool = False):
        """`source_relative`: links relative to the page's source file (`cases/x.md` links
        from `cases/`), not to where it lands (`cases/x/`), for an engine that rebases
        every relative link in raw HTML as if written in the source (Zensical does).
        With file URLs the two folders are the same and so are the links."""
        self.directory_urls = directory_urls
        self.source_relative = source_relative
        self._pages: dict[str, str] = {}
        self._grouped: dict[str, tuple[str, str]] = {}

    def group(self, members: dict[str, tuple[str, str]]) -> None:
        """Pages that live inside another page (the offline copy holds many cases in one
        file: `cases/x.md` → `cases/g-3.md`, at the anchor `x`). Every link, data file and
        search record asks `page`, so this is the only place that knows."""
        self._grouped.update(members)
        for src in members:
            self._pages.pop(src, None)

    def page(self, src: str) -> str:
        """Site-root-relative URL of a docs page: `areas/bosai.md` → `areas/bosai/`,
        or a grouped page's place in its group: `cases/g-3.html#x`."""
        url = self._pages.get(src)
        if url is None:
            grouped = self._grouped.get(src)
            url = self._page(src) if grouped is None else f"{self.page(grouped[0])}#{grouped[1]}"
            self._pages[src] = url
        return url

    def _page(self, src: str) -> str:
        stem = src[:-3] if src.endswith(".md") else src
        if stem == "index" or stem.endswith("/index"):
            folder = stem[: -len("index")]
            return folder if self.directory_urls else folder + "index.html"
        return stem + "/" if self.directory_urls else stem + ".html"

    def _folder(self, src: str) -> str:
        if self.source_relative:
            return posixpath.dirname(src) + ("/" if "/" in src else "")
        url = self.page(src).partition("#")[0]
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
