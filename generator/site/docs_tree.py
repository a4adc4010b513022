"""The generated docs tree: pages (Markdown text) and files (bytes or a path).

The core hands this to the site engine's adapter, or writes it to a folder
(`build --docs-out`) so any engine that reads a docs folder can take it.
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Page:
    title: str
    html: str
    description: str = ""
    in_nav: bool = False
    meta: dict = field(default_factory=dict)

    def front_matter(self, escape_html: bool = False) -> str:
        """YAML front matter (JSON values are valid YAML): title, description, engine hints.

        `escape_html` for engines whose templates print the title and description
        without escaping (Material does, in <title>, <meta> and the header): the
        text then arrives as entities and shows as written.
        """
        text = html.escape if escape_html else (lambda value: value)
        front = {"title": text(self.title)}
        if self.description:
            front["description"] = text(self.description)
        front.update(self.meta)
        lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
        return "\n".join(lines) + "\n---\n"

    def markdown(self) -> str:
        """Front matter plus one raw HTML block, which any Markdown engine keeps as is."""
        return self.front_matter() + "\n" + self.html.strip() + "\n"


@dataclass
class DocsTree:
    pages: dict[str, Page] = field(default_factory=dict)   # docs path (x/y.md) → page
    files: dict[str, bytes | Path] = field(default_factory=dict)  # site path → content or source

    def add_page(self, src: str, page: Page) -> None:
        assert src not in self.pages, src
        self.pages[src] = page

    def add_file(self, path: str, content: bytes | Path) -> None:
        self.files[path] = content

    def write(self, folder: Path) -> None:
        """Write the tree as a plain docs folder."""
        for src, page in self.pages.items():
            target = folder / src
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown(), encoding="utf-8")
        for path, content in self.files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_bytes(content)
