"""Safe rendering of a contributor's Markdown body to HTML.

The checker refuses raw HTML and unsafe links, but rendering must be safe on
its own (a record may reach it unchecked): raw HTML is turned off so it shows
as text, links keep only http(s), in-page and case-folder targets, images
only case-folder files, and no extension that lets text set attributes is
enabled. Headings are shifted one level down to sit under the page's own
section heading.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEME = re.compile(r"^(?:https?:)?//|^https?:", re.IGNORECASE)
ANY_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass
class RenderedBody:
    html: str
    headings: list[tuple[int, str, str]]  # (level, id, text) after the shift


class _Sanitize(Treeprocessor):
    def __init__(self, md):
        super().__init__(md)
        self.start(lambda name: name, "body-")

    def start(self, asset_url, id_prefix: str) -> None:
        """Set up for one document."""
        self.asset_url = asset_url  # relative file path in the case folder → URL from the page
        self.id_prefix = id_prefix
        self.headings: list[tuple[int, str, str]] = []

    def _local(self, target: str) -> str | None:
        if not target or target.startswith("#"):
            return target or None
        if ANY_SCHEME.match(target) or target.startswith(("/", "\\")) or ".." in target.split("/"):
            return None
        return self.asset_url(target)

    def run(self, root):
        for parent in root.iter():
            for index, el in enumerate(list(parent)):
                if el.tag == "a":
                    href = el.get("href", "")
                    if SAFE_SCHEME.match(href) and href.lower().startswith(("http:", "https:")):
                        el.set("rel", "noopener noreferrer")
                    else:
                        local = self._local(href)
                        if local is None:
                            el.tag = "span"
                            el.attrib.clear()
                        else:
                            el.set("href", local)
                elif el.tag == "img":
                    local = self._local(el.get("src", ""))
                    alt = el.get("alt", "")
                    if local is None or local.startswith("#"):
                        replacement = etree.Element("span")
                        replacement.text = alt
                        replacement.tail = el.tail
                        parent.remove(el)
                        parent.insert(index, replacement)
                    else:
                        el.attrib.clear()
                        el.set("src", local)
                        el.set("alt", alt)
                        el.set("loading", "lazy")
                elif re.fullmatch(r"h[1-6]", el.tag):
                    level = min(int(el.tag[1]) + 1, 6)
                    el.tag = f"h{level}"
                    text = "".join(el.itertext())
                    anchor = f"{self.id_prefix}{slugify_unicode(text, '-') or 'section'}"
                    used = {h[1] for h in self.headings}
                    unique, n = anchor, 1
                    while unique in used:
                        n += 1
                        unique = f"{anchor}-{n}"
                    el.set("id", unique)
                    self.headings.append((level, unique, text))


class _SafeExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        self.sanitize = _Sanitize(md)
        md.treeprocessors.register(self.sanitize, "dx_sanitize", 15)


class BodyRenderer:
    """One configured Markdown converter, reset between documents (building one costs more
    than converting a body)."""

    def __init__(self):
        self.extension = _SafeExtension()
        self.md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", self.extension],
                                    output_format="html")

    def render(self, text: str, asset_url, id_prefix: str = "body-") -> RenderedBody:
        """HTML of a case body; `asset_url(name)` maps a case-folder file to its URL."""
        self.md.reset()
        self.extension.sanitize.start(asset_url, id_prefix)
        html = self.md.convert(text)
        return RenderedBody(html, self.extension.sanitize.headings)

