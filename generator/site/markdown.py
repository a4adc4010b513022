"""Safe rendering of a contributor's Markdown body to HTML.

The checker refuses raw HTML and unsafe links, but rendering must be safe on
its own (a record may reach it unchecked): raw HTML is turned off so it shows
as text, links keep only http(s), in-page and case-folder targets (each
through `urls.safe_url`, the site's one URL gate), images only case-folder
files, and no extension that lets text set attributes is enabled. A body
over the limits of check/renderable.py is refused before Markdown runs, so
an unchecked record cannot stall the build either. Headings are shifted one
level down to sit under the page's own section heading.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..check import renderable
from ..urls import safe_url

ANY_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass
class RenderedBody:
    html: str
    headings: list[tuple[int, str, str]]  # (level, id, text) after the shift


class _Sanitize(Treeprocessor):
    def __init__(self, md):
        super().__init__(md)
        self.start(lambda name: name, "body-")

    def start(self, asset_url, id_prefix: str, anchor_prefix: str = "") -> None:
        """Set up for one document."""
        self.asset_url = asset_url  # relative file path in the case folder → URL from the page
        self.id_prefix = anchor_prefix + id_prefix
        self.anchor_prefix = anchor_prefix  # before every id and in-page link (a page of many cases)
        self.headings: list[tuple[int, str, str]] = []
        self.used: set[str] = set()          # heading ids given so far
        self.suffixes: dict[str, int] = {}   # anchor → the last number tried for it

    def _local(self, target: str) -> str | None:
        if not target or target.startswith("#"):
            return "#" + self.anchor_prefix + target[1:] if target[1:] else target or None
        if ANY_SCHEME.match(target) or target.startswith(("/", "\\")) or ".." in target.split("/"):
            return None
        return self.asset_url(target)

    def run(self, root):
        for parent in root.iter():
            for index, el in enumerate(list(parent)):
                if el.tag == "a":
                    href = el.get("href", "")
                    web = safe_url(href, relative=False)
                    target = web or safe_url(self._local(href))
                    if target is None:
                        el.tag = "span"
                        el.attrib.clear()
                    else:
                        el.set("href", target)
                        if web:
                            el.set("rel", "noopener noreferrer")
                elif el.tag == "img":
                    local = safe_url(self._local(el.get("src", "")))
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
                    unique, n = anchor, self.suffixes.get(anchor, 1)
                    while unique in self.used:  # linear in the headings, however many repeat
                        n += 1
                        unique = f"{anchor}-{n}"
                    self.suffixes[anchor] = n
                    self.used.add(unique)
                    el.set("id", unique)
                    self.headings.append((level, unique, text))


def _quick_table_test(table):
    """The tables extension tests every block by splitting all its lines; a block of
    many headings (`# a` per line) is tested once per heading, so that cost grows with
    the square of its length. A table's first line holds a `|`: without one the answer
    is no, found without the split."""
    full_test = table.test

    def test(parent, block):
        end = block.find("\n")
        return "|" in (block if end == -1 else block[:end]) and full_test(parent, block)

    table.test = test


class _SafeExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _quick_table_test(md.parser.blockprocessors["table"])
        self.sanitize = _Sanitize(md)
        md.treeprocessors.register(self.sanitize, "dx_sanitize", 15)


class BodyRenderer:
    """One configured Markdown converter, reset between documents (building one costs more
    than converting a body)."""

    def __init__(self):
        self.extension = _SafeExtension()
        self.md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", self.extension],
                                    output_format="html")

    def render(self, text: str, asset_url, id_prefix: str = "body-", anchor_prefix: str = "") -> RenderedBody:
        """HTML of a case body; `asset_url(name)` maps a case-folder file to its URL;
        `anchor_prefix` goes before every id and in-page link (a grouped page holds many bodies).

        A body over the limits `check` enforces (check/renderable.py) is refused
        before Markdown sees it, and anything Markdown raises becomes RenderFailed:
        a record that reached here unchecked costs an error message, not a stalled
        build or a traceback.
        """
        over = renderable.problems(text)
        if over:
            raise RenderFailed(f"{over[0].message}（本文の {over[0].line + 1} 行目）")
        self.md.reset()
        self.extension.sanitize.start(asset_url, id_prefix, anchor_prefix)
        try:
            html = self.md.convert(text)
        except RecursionError:
            raise RenderFailed("本文の入れ子が深すぎます") from None
        except Exception as exc:  # noqa: BLE001 - whatever the library raises, the build names the case
            raise RenderFailed(f"Markdown の変換に失敗しました（{type(exc).__name__}）") from None
        return RenderedBody(html, self.extension.sanitize.headings)


class RenderFailed(Exception):
    """A body the renderer will not or cannot turn into HTML; the message is Japanese."""

