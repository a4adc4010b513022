"""`fix`: the mistakes `check` reports that have exactly one right answer, fixed in the text.

Contributors copy codes from Excel, type dates in 和暦 and digits in full
width; `check` names each mistake with its fix as the hint, and this applies
the fixes that cannot change what the contributor meant:

- an unquoted municipality code gets its quotes (`code: 012084` → `code: "012084"`);
- full-width digits and letters in codes, dates, phones, e-mail addresses and
  URLs are folded (NFKC; a phone's `ー` becomes `-`), when the result is a valid value;
- a name that differs from the official one only by ケ/ヶ or width gets the
  official spelling, when the code identifies the municipality;
- era dates (`令和5年12月`, `R5.12`) and other unambiguous date forms
  (`2023年12月`, `2023/6/1`) become `"2023-12"`-style Western dates;
- timeline entries are put in date order, each entry's lines moved whole;
- trailing spaces are stripped (in the body, not a Markdown hard line break);
- a file path written the older way, as the bare name (`flow.png`), becomes the
  path relative to the Markdown file (`<id>/flow.png`) that GitHub's preview
  reads, when the case's folder holds that file.

Edits are made on the text, never by re-dumping YAML: comments, quoting,
key order and everything else the contributor wrote stay as they were. The
default is to show a unified diff; files are written only when asked.

This module is the command (read, diff, write); text.py applies the fixes in
order, each kind in a module of its own (values, timeline, paths). Like the
other contributor tools it is no stage of the build: nothing in the pipeline
imports it.
"""

from __future__ import annotations

import codecs
import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import casefiles
from ..load import MAX_BYTES
from .spans import Change
from .text import fix_text

__all__ = ["Change", "FixResult", "display_path", "fix_file", "fix_text", "run", "unified_diff"]


@dataclass
class FixResult:
    """One file: its text before and after (LF line ends), what changed, or why nothing could be."""

    path: Path
    display: str
    before: str = ""
    after: str = ""
    changes: list[Change] = field(default_factory=list)
    problem: str | None = None  # the file could not be read or fixed at all
    note: str | None = None     # the file was fixed only in part
    bom: bool = False
    newline: str = "\n"

    @property
    def changed(self) -> bool:
        return self.before != self.after


# -- reading and writing -------------------------------------------------------------------

def read(path: Path, display: str) -> FixResult:
    result = FixResult(path, display)
    if path.is_symlink():
        result.problem = "シンボリックリンクは直しません（check の指摘を見てください）"
        return result
    try:
        if path.stat().st_size > MAX_BYTES:
            result.problem = "ファイルが 1 MiB より大きいため直せません（check の指摘を見てください）"
            return result
        data = path.read_bytes()
    except OSError as exc:
        result.problem = f"ファイルを読めません: {exc.strerror}"
        return result
    if data.startswith(codecs.BOM_UTF8):
        result.bom, data = True, data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        result.problem = ("ファイルが UTF-8 ではないため直せません。エディタで文字コードに「UTF-8」を選んで"
                          "保存し直してから、もう一度実行してください")
        return result
    if text.count("\r\n") * 2 > text.count("\n"):
        result.newline = "\r\n"
    result.before = text.replace("\r\n", "\n").replace("\r", "\n")
    return result


def write(result: FixResult) -> None:
    """Replace the file whole (BOM and line ends as they were), never half-written."""
    data = result.after.replace("\n", result.newline).encode("utf-8")
    if result.bom:
        data = codecs.BOM_UTF8 + data
    folder = result.path.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{result.path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temporary, result.path.stat().st_mode & 0o7777)
        os.replace(temporary, result.path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def fix_file(path: Path, display: str) -> FixResult:
    result = read(path, display)
    if result.problem is None:
        attached = casefiles.scan(path.with_suffix("")).present
        result.after, result.changes, result.note = fix_text(result.before, path.stem, attached)
    return result


def unified_diff(result: FixResult) -> str:
    lines = difflib.unified_diff(result.before.splitlines(keepends=True), result.after.splitlines(keepends=True),
                                 fromfile=f"a/{result.display.lstrip('/')}",
                                 tofile=f"b/{result.display.lstrip('/')}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


# -- the command ---------------------------------------------------------------------------

def display_path(path: Path, base: str | None = None) -> str:
    base = base or os.getcwd()
    absolute = os.path.abspath(path)
    return absolute[len(base) + 1:] if absolute.startswith(base + os.sep) else absolute


def run(paths: list[Path], write_files: bool, out, err) -> int:
    """Fix each file; print the diff (stdout) and what was done (stderr). Exit code:
    0 nothing left to fix, 1 fixes pending (without --write) or a file could not be read."""
    results = [fix_file(path, display_path(path)) for path in paths]
    pending = [r for r in results if r.changed]
    problems = [r for r in results if r.problem]
    for result in results:
        if result.changed:
            out.write(unified_diff(result))
        for change in result.changes:
            print(f"{result.display}:{change.line}: {change.message}", file=err)
        if result.problem or result.note:
            print(f"{result.display}: {result.problem or result.note}", file=err)
    written = []
    if write_files:
        for result in pending:
            try:
                write(result)
            except OSError as exc:
                problems.append(result)
                print(f"{result.display}: ファイルを書けません: {exc.strerror}", file=err)
            else:
                written.append(result)
    if written:
        print(f"{len(written)} 件のファイルを書き換えました。make check（python -m generator check）で"
              "残りの指摘を確かめてください。", file=err)
    elif not pending:
        print(f"{len(results)} 件のファイルを確かめました。自動で直せるところはありません。", file=err)
    elif not write_files:
        print(f"{len(pending)} 件のファイルに自動で直せるところがあります（上の差分）。"
              "--write を付けて実行すると書き換えます。", file=err)
    return 1 if problems or (pending and not write_files) else 0
