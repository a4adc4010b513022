"""What the preview (`serve`, `make serve`) needs of the MkDocs adapter besides the build:
when a generated file or the page frame changed, what a dirty build must remove, and
the banner of the last check's errors. Part of mkdocs_adapter, kept apart by size."""

from __future__ import annotations

import logging
import os
from html import escape
from pathlib import Path


def source_signature(path: Path) -> tuple:
    try:
        info = path.stat()
    except OSError:
        return (str(path),)
    return (str(path), info.st_size, info.st_mtime_ns, info.st_ino)


def frame_key(config) -> list:
    """What a page shows besides its own content: mkdocs.yml (navigation, theme settings),
    the theme's own templates, and the hand-written pages (their titles are in the
    navigation). A few files, read on every preview build."""
    parts = []
    if config.config_file_path:
        try:
            parts.append(Path(config.config_file_path).read_bytes())
        except OSError:
            parts.append(None)
    for folder, suffix in ((config.docs_dir, ".md"), (config.theme.custom_dir, ".html")):
        if not folder:
            continue
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                if name.endswith(suffix):
                    try:
                        info = os.stat(os.path.join(root, name))
                    except OSError:
                        continue
                    parts.append((root, name, info.st_mtime_ns, info.st_size))
    return parts


class DirtyNotice(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave navigation stale: with this
    plugin every page whose content changed is rendered, docs/*.md pages always are,
    and every page when mkdocs.yml (the navigation), the theme or docs/ changed."""

    def filter(self, record) -> bool:
        return "'dirty' build" not in record.getMessage()


DIRTY_NOTICE = DirtyNotice()


def remove_stale(site_dir: str, paths: set[str]) -> None:
    """Outputs of the previous preview build that this one no longer makes (a deleted
    case's page): a dirty build leaves them, a clean one would not have them."""
    root = os.path.realpath(site_dir)
    for path in paths:
        real = os.path.realpath(path)
        if not real.startswith(root + os.sep):
            continue
        try:
            os.remove(real)
        except OSError:
            continue
        folder = os.path.dirname(real)
        while folder != root:
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)


def problems_banner(problems) -> str:
    """The errors of the last check, shown on every page while previewing."""
    items = "".join(
        f"<li><code>{escape(d.file)}:{d.line}:{d.column}</code> {escape(d.message)}"
        + (f"<br>ヒント: {escape(d.hint)}" if d.hint else "") + "</li>" for d in problems)
    return ('<div class="admonition failure" role="alert"><p class="admonition-title">'
            f"事例ファイルにエラーがあります（{len(problems)} 件）。前回の正常な内容を表示しています</p>"
            f"<ul>{items}</ul></div>")
