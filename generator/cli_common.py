"""What every command-line module shares: the parser with bilingual usage
errors, the usage-error exception, and how command-line paths map to a cases
root and the files to read (the rule `check`, `fix` and `links` all follow).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .vocabulary import FILE_NAME as VOCABULARY

DEFAULT_ROOT = Path("cases")


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Japanese and English, exit 2."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: 使い方の誤り / usage error: {message}", file=sys.stderr)
        print(f"詳しくは / see: {self.prog} --help", file=sys.stderr)
        sys.exit(2)


def root_of(path: Path) -> tuple[Path, list[Path] | None]:
    """(cases root, files to check or None for all) for one command-line path."""
    if os.path.isdir(path):  # os.path: a folder that cannot be read is no traceback
        if os.path.isfile(path / VOCABULARY) or not os.path.isfile(path.parent / VOCABULARY):
            return path, None
        if not os.access(path, os.R_OK | os.X_OK):
            return path.parent, None  # the whole root is checked, which names the unreadable folder
        return path.parent, sorted(p for p in path.glob("*.md") if p.is_file() or p.is_symlink())
    for parent in list(path.parents)[:3]:
        if os.path.isfile(parent / VOCABULARY):
            return parent, [path]
    return path.parent.parent, [path]


def group_paths(paths: list[Path]) -> dict[Path, list[Path] | None]:
    groups: dict[Path, list[Path] | None] = {}
    for path in paths:
        try:
            os.lstat(path)
        except FileNotFoundError:
            raise UsageError(f"パスがありません / no such path: {path}") from None
        except OSError as exc:
            raise UsageError(f"パスを読めません / cannot read the path: {path}: {exc.strerror}") from None
        root, files = root_of(path)
        if files is None or groups.get(root, []) is None:
            groups[root] = None
        else:
            groups.setdefault(root, []).extend(files)
    return groups
