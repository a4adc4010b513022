"""Stage 1, load: case files on disk → front-matter trees and bodies.

Reading rules that protect contributors live here: size limit, encoding
(UTF-8, BOM and CRLF accepted; Shift_JIS/UTF-16 named), front-matter
delimiters, and the YAML reader of `yamltree`. Nothing here knows the record
format; `check` does.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import characters, yamltree
from .diagnostics import Reporter

MAX_BYTES = 1024 * 1024


@dataclass
class SourceFile:
    """One case file as read: its front-matter tree and its Markdown body."""

    path: Path
    display: str          # the path as shown in diagnostics
    front: yamltree.Map | None
    body: str
    body_line: int        # file line on which the body starts

    @property
    def case_id(self) -> str:
        return self.path.stem


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, report: Reporter) -> str | None:
    """UTF-8 text of a file, or None after reporting which encoding it is."""
    how_to = "エディタの「名前を付けて保存」で文字コードに「UTF-8」を選んで保存し直してください"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(data) >= 4 and data[:200].count(b"\0") * 4 >= min(len(data), 200)):
        report.error("encoding", "ファイルの文字コードが UTF-16 です。UTF-8 で保存してください", hint=how_to)
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        for name, label in (("cp932", "Shift_JIS（CP932）"), ("euc_jp", "EUC-JP")):
            try:
                data.decode(name)
            except UnicodeDecodeError:
                continue
            report.error("encoding", f"ファイルの文字コードが {label} です。UTF-8 で保存してください",
                         line=line, hint=how_to)
            return None
        report.error("encoding", "ファイルが UTF-8 として読めません（文字化けしたバイト列があります）",
                     line=line, hint=how_to)
        return None
    if "\0" in text:
        report.error("encoding", "ファイルに NUL 文字が含まれています。テキストファイルとして保存し直してください",
                     line=text.count("\n", 0, text.index("\0")) + 1)
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, report: Reporter):
    """(front text, first front line, body, body line) or None."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        report.error("front-matter-missing",
                     "ファイルの 1 行目は「---」で始めてください（フロントマターがありません）",
                     hint="1 行目に「---」、項目を書いた後にもう一度「---」を書きます")
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return front, 2, body, index + 2
    report.error("front-matter-unclosed", "フロントマターが閉じられていません（2 つ目の「---」がありません）",
                 hint="項目を書き終えた次の行に「---」だけの行を入れてください")
    return None


def read_case(path: Path, display: str, report: Reporter) -> SourceFile | None:
    """Read one case file; None (with diagnostics) when it cannot be read at all."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            report.error("path-link", "事例ファイルがシンボリックリンクです。リンクは読みません",
                         hint="リンクを消し、事例ファイルそのものを置いてください")
            return None
        if stat.S_ISDIR(info.st_mode):
            report.error("file-unreadable", f"ファイルを読めません: {os.strerror(errno.EISDIR)}")
            return None
        if not stat.S_ISREG(info.st_mode):
            report.error("path-special", "事例ファイルが通常のファイルではありません（名前付きパイプ・デバイスなど）",
                         hint="このファイルを消し、テキストファイルとして作り直してください")
            return None
        size = info.st_size
        if size > MAX_BYTES:
            report.error("file-too-large",
                         f"ファイルが大きすぎます（{size:,} バイト）。1 ファイルは 1 MiB（1,048,576 バイト）までです",
                         hint="画像や資料は事例のフォルダに別ファイルとして置いてください")
            return None
        data = _read_regular(path)
    except OSError as exc:
        report.error("file-unreadable", f"ファイルを読めません: {exc.strerror or exc}")
        return None
    text = decode(data, report)
    if text is None:
        return None
    parts = split_front_matter(text, report)
    if parts is None:
        return None
    front_text, first_line, body, body_line = parts
    scanner = characters.Scanner(report)
    scanner.text(front_text, first_line)
    scanner.text(body, body_line)
    if scanner.count:
        front_text = characters.blanked(front_text)

    def on_problem(rule, message, line, column, hint):
        report.error(rule, message, line, column, hint)

    try:
        root = yamltree.parse(front_text, on_problem, first_line=first_line)
    except yamltree.YamlProblem as problem:
        report.error(problem.rule, problem.message, problem.line, problem.column, problem.hint)
        return None
    if root is None:
        report.error("front-matter-empty", "フロントマターが空です", line=first_line,
                     hint="「---」と「---」の間に title や summary などの項目を書いてください")
        return None
    if not isinstance(root, yamltree.Map):
        report.error("front-matter-not-mapping", "フロントマターは「キー: 値」の形で書いてください",
                     root.line, root.column)
        return None
    scanner.values(root)
    return SourceFile(path, display, root, body, body_line)


def _read_regular(path: Path) -> bytes:
    """A file's bytes, never through a symlink nor from a FIFO swapped in after the check."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "通常のファイルではありません")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


@dataclass
class FolderProblem:
    """A folder of the cases root that cannot be taken as is: a symlink, or unreadable."""

    path: Path
    rule: str
    message: str
    hint: str


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)


def discover(root: Path, problems: list[FolderProblem] | None = None) -> list[Path]:
    """Every case file under a cases root: ``<root>/<prefecture>/<id>.md``.

    No link is followed: a prefecture folder that is a symlink (it could bring in
    anything on the machine) and a folder that cannot be read are put in
    ``problems``, never skipped silently. A `.md` entry that is a link or no
    regular file is listed, so that reading it reports what it is.
    """
    problems = [] if problems is None else problems
    try:
        folders = _entries(root)
    except OSError as exc:
        problems.append(FolderProblem(root, "folder-unreadable", f"事例のフォルダを読めません: {exc.strerror or exc}",
                                      "フォルダの読み取り権限を確かめてください"))
        return []
    found = []
    for entry in folders:
        if entry.is_symlink():
            problems.append(FolderProblem(Path(entry.path), "path-link",
                                          "事例のフォルダの中にシンボリックリンクは置けません（リンク先を読まないため）",
                                          "リンクを消し、フォルダやファイルそのものを置いてください"))
            continue
        if not entry.is_dir(follow_symlinks=False):
            continue
        try:
            found.extend(Path(e.path) for e in _entries(Path(entry.path))
                         if e.name.endswith(".md") and not e.is_dir(follow_symlinks=False))
        except OSError as exc:
            problems.append(unreadable_folder(Path(entry.path), exc))
    return found


def unreadable_folder(path: Path, exc: OSError) -> FolderProblem:
    """A prefecture folder that cannot be read: its cases are left out, which must be said."""
    return FolderProblem(path, "folder-unreadable", f"フォルダを読めません: {exc.strerror or exc}",
                         "フォルダの読み取り権限を確かめてください（中の事例を検査できません）")
