"""`links`: every URL of the case records, with the file and line it is written on.

Sources and resources move or vanish over the years; a weekly workflow
(.github/workflows/links.yml) fetches each URL listed here and keeps one issue
up to date with the broken ones. Listing is separate from fetching so that it
can be tested with no network, and so that the workflow needs only curl. The
URLs are found through the schema (every value of its `url` type: sources,
resources[].url, contacts[].url), not by key names kept here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from . import load
from .diagnostics import Reporter
from .walk import scalars


@dataclass(frozen=True)
class Link:
    url: str
    file: str
    line: int
    column: int
    key: str


def list_links(files: list[Path], display) -> tuple[list[Link], list]:
    """(links in file order, diagnostics of files that could not be read)."""
    links: list[Link] = []
    problems = []
    for path in files:
        report = Reporter(display(path))
        source = load.read_case(path, report.file, report)
        problems.extend(d for d in report.items if d.is_error)
        if source is None:
            continue
        found, _ = scalars(source.front)
        links.extend(Link(item.node.value.strip(), report.file, item.node.line, item.node.column, item.path)
                     for item in found if item.kind == "url" and item.node.value.strip())
    return links, problems


def format_json(links: list[Link]) -> str:
    return json.dumps([asdict(link) for link in links], ensure_ascii=False, indent=2)


def format_markdown(links: list[Link]) -> str:
    """One bullet per URL, in first-seen order, with every place it is written."""
    places: dict[str, list[Link]] = {}
    for link in links:
        places.setdefault(link.url, []).append(link)
    lines = []
    for url, where in places.items():
        shown = "、".join(f"`{w.file}:{w.line}`（{w.key}）" for w in where)
        lines.append(f"- <{url}> — {shown}")
    return "\n".join(lines)


FORMATTERS = {"markdown": format_markdown, "json": format_json}
