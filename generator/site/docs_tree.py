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
    html_file: Path | None = None  # where the HTML is when the tree is spooled (then `html` is empty)
    # Whether the HTML has its own <h1>, noted when it is spooled: the engine must know
    # before the HTML is read back (Material adds a title to a page without one).
    titled: bool = False

    def read_html(self) -> str:
        """The page's HTML, from memory or from the spool file it was written to."""
        return self.html if self.html_file is None else self.html_file.read_text(encoding="utf-8")

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
        """Front matter plus one raw HTML block, which any Markdown engine keeps as is.

        The title and description are escaped as on the adapter's path: the engines
        that may build this tree (Material's templates, Zensical) print them raw."""
        return self.front_matter(escape_html=True) + "\n" + self.read_html().strip() + "\n"


@dataclass
class DocsTree:
    pages: dict[str, Page] = field(default_factory=dict)   # docs path (x/y.md) → page
    files: dict[str, bytes | Path] = field(default_factory=dict)  # site path → content or source
    # A folder for the pages' HTML and the files' bytes as they are made: a build of
    # 10,000 cases then never holds the whole site in memory (the engine reads them back
    # one at a time). None keeps everything in memory (tests, the preview's memo).
    spool: Path | None = None
    spooled: int = 0  # pages and files written to the spool so far (they are numbered)
    # Files still being made in the background (background.Later): the engine takes them
    # last, once the pages are written (finish_later).
    later: list = field(default_factory=list)

    def add_page(self, src: str, page: Page) -> None:
        assert src not in self.pages, src
        if self.spool is not None and page.html_file is None:
            page.titled = "<h1" in page.html
            page.html_file = self._spool_path(".html")
            page.html_file.write_text(page.html, encoding="utf-8")
            page.html = ""
        self.pages[src] = page

    def add_file(self, path: str, content: bytes | Path) -> None:
        if self.spool is not None and not isinstance(content, Path):
            target = self._spool_path("")
            target.write_bytes(content)
            content = target
        self.files[path] = content

    def add_later(self, job) -> None:
        self.later.append(job)

    def finish_later(self) -> dict[str, Path]:
        """Wait for the files made in the background and add them to the tree; the new
        ones (site path → file in the spool). Raises background.BackgroundFailed."""
        done = {}
        try:
            for job in self.later:
                done.update(job.result())
        finally:
            self.cancel_later()
        self.files.update(done)
        return done

    def cancel_later(self) -> None:
        for job in self.later:
            job.cancel()
        self.later = []

    def _spool_path(self, suffix: str) -> Path:
        number, self.spooled = self.spooled, self.spooled + 1
        folder = self.spool / str(number // 1000)  # no folder of tens of thousands of files
        if number % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{number}{suffix}"

    def write(self, folder: Path) -> None:
        """Write the tree as a plain docs folder."""
        self.finish_later()
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
