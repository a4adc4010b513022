"""Stage 1, load: case files on disk → front-matter trees and bodies.

Reading rules that protect contributors live here: size limit, encoding
(UTF-8, BOM and CRLF accepted; Shift_JIS/UTF-16 named), front-matter
delimiters, and the YAML reader of `yamltree`. Nothing here knows the record
format; `check` does.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from . import yamltree
from .diagnostics import Reporter

MAX_BYTES = 1024 * 1024
CASE_GLOB = "*/*.md"


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
        size = path.stat().st_size
        if size > MAX_BYTES:
            report.error("file-too-large",
                         f"ファイルが大きすぎます（{size:,} バイト）。1 ファイルは 1 MiB（1,048,576 バイト）までです",
                         hint="画像や資料は事例のフォルダに別ファイルとして置いてください")
            return None
        data = path.read_bytes()
    except OSError as exc:
        report.error("file-unreadable", f"ファイルを読めません: {exc.strerror}")
        return None
    text = decode(data, report)
    if text is None:
        return None
    parts = split_front_matter(text, report)
    if parts is None:
        return None
    front_text, first_line, body, body_line = parts

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
    return SourceFile(path, display, root, body, body_line)


def discover(root: Path) -> list[Path]:
    """Every case file under a cases root: ``<root>/<prefecture>/<id>.md``."""
    return sorted(p for p in root.glob(CASE_GLOB) if p.is_file())
