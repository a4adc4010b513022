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
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import casefiles, yamltree
from .check.body import local_targets
from .check.values import (DATE, EMAIL, LOOSE_DATE, MOBILE, PHONE, URL, _iso, _real_date, date_parts,
                           date_start, era_to_western)
from .load import MAX_BYTES
from .municipalities import fold_ke, registry
from .walk import scalars

CODE = re.compile(r"^[0-9]{6}$")
DASHES = str.maketrans({"ー": "-", "−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "―": "-"})


@dataclass
class Change:
    line: int
    message: str


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


# -- the fixes -----------------------------------------------------------------------------

def fix_text(text: str, case_id: str | None = None,
             attached: set[str] | frozenset = frozenset()) -> tuple[str, list[Change], str | None]:
    """(fixed text, changes, note) for the text of one case file with LF line ends.

    ``case_id`` and ``attached`` (the names in the case's folder) let the older bare
    file paths (`flow.png`) be rewritten relative to the Markdown file (`<id>/flow.png`),
    only where that names a file that is there.
    """
    lines = text.split("\n")
    changes: list[Change] = []
    close = _front_matter_end(lines)
    if close is None:
        return text, [], "フロントマター（「---」で囲んだ部分）が見つからないため、直していません"
    note = None
    front = _parse(lines, close)
    if front is None:
        note = "フロントマターを YAML として読めないため、行末の空白だけを直しました（check の指摘を見てください）"
    else:
        _fix_values(lines, front, changes)
        front = _parse(lines, close)  # positions in lines are unchanged; values are the fixed ones
        if front is not None and case_id:
            _fix_file_values(lines, front, case_id, attached, changes)
            front = _parse(lines, close)
        if front is not None:
            _sort_timeline(lines, front, close, changes)
    if case_id:
        _fix_body_paths(lines, close, case_id, attached, changes)
    _strip_trailing_spaces(lines, close, changes)
    changes.sort(key=lambda c: c.line)
    return "\n".join(lines), changes, note


def _front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing `---` line, as the loader finds it."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return None


def _parse(lines: list[str], close: int) -> yamltree.Map | None:
    try:
        root = yamltree.parse("\n".join(lines[1:close]), lambda *problem: None, first_line=2)
    except yamltree.YamlProblem:
        return None
    return root if isinstance(root, yamltree.Map) else None


def _span(lines: list[str], node: yamltree.Scalar) -> tuple[int, int, int] | None:
    """(line index, start, end) of a scalar written on one line, quotes included; None otherwise."""
    index, start = node.line - 1, node.column - 1
    if index >= len(lines):
        return None
    line = lines[index]
    if node.style in ('"', "'"):
        end = yamltree.quote_end(line, start) if line[start:start + 1] == node.style else None
        return (index, start, end + 1) if end is not None else None
    if node.plain and node.value and line[start:start + len(node.value)] == node.value:
        return index, start, start + len(node.value)
    return None  # block scalars and values over several lines are left alone


def _inner(lines: list[str], node: yamltree.Scalar, span) -> tuple[int, int] | None:
    """(start, end) of the text inside the quotes, when it is exactly the value (no escapes)."""
    index, start, end = span
    if node.plain:
        return start, end
    if lines[index][start + 1:end - 1] == node.value:
        return start + 1, end - 1
    return None


def _quoted(value: str) -> str:
    return f'"{value}"'


def _fix_code(node):
    value = node.value
    folded = unicodedata.normalize("NFKC", value).strip()
    if not CODE.match(folded):
        return None
    if folded != value.strip():
        return _quoted(folded), f"団体コード「{value}」の全角数字を半角にしました（\"{folded}\"）"
    if node.plain:
        return _quoted(folded), f"団体コード {value} を引用符で囲みました（引用符がないと数値として読まれます）"
    return None


def _fix_date(node):
    value = node.value.strip()
    if DATE.match(value):
        year, month, day = date_parts(value)
        canonical = _iso(year, month, day)
        if canonical == value or not _valid_date(year, month, day):
            return None
        return _quoted(canonical), f"日付「{value}」を \"{canonical}\" にしました（月と日は 2 桁）"
    western = era_to_western(value)
    if western:
        if not _valid_date(*date_parts(western)):
            return None
        return _quoted(western), f"和暦の日付「{value}」を西暦の \"{western}\" にしました"
    loose = LOOSE_DATE.match(unicodedata.normalize("NFKC", value))
    if not loose:
        return None
    year, month, day = (int(g) if g else None for g in loose.groups())
    if not _valid_date(year, month, day):
        return None
    canonical = _iso(year, month, day)
    return _quoted(canonical), f"日付「{value}」を \"{canonical}\" の形にしました"


def _valid_date(year: int, month: int | None, day: int | None) -> bool:
    return year >= 1000 and (month is None or 1 <= month <= 12) and _real_date(year, month, day)


def _fold_inner(node, folded: str, label: str):
    value = node.value
    if folded == value:
        return None
    return folded, f"{label}「{value}」の全角文字を半角にしました（{folded}）"


def _fix_phone(node):
    folded = unicodedata.normalize("NFKC", node.value).translate(DASHES).strip()
    if not PHONE.match(folded) or MOBILE.match(folded):
        return None
    return _fold_inner(node, folded, "電話番号")


def _fix_email(node):
    folded = unicodedata.normalize("NFKC", node.value).strip()
    return _fold_inner(node, folded, "メールアドレス") if EMAIL.match(folded) and folded.isascii() else None


def _fix_url(node):
    folded = unicodedata.normalize("NFKC", node.value).strip()
    return _fold_inner(node, folded, "URL") if URL.match(folded) and folded.isascii() else None


WHOLE = {"municipalityCode": _fix_code, "date": _fix_date}      # the scalar is rewritten, quoted
INNER = {"phone": _fix_phone, "email": _fix_email, "url": _fix_url}  # only the text, quoting kept


def _fix_values(lines: list[str], front: yamltree.Map, changes: list[Change]) -> None:
    found, pairs = scalars(front)
    edits = []  # (line index, start, end, replacement)
    for item in found:
        fixer = WHOLE.get(item.kind) or INNER.get(item.kind)
        fixed = fixer(item.node) if fixer else None
        span = _span(lines, item.node) if fixed else None
        if span is None:
            continue
        replacement, message = fixed
        if item.kind in INNER:
            inner = _inner(lines, item.node, span)
            if inner is None:
                continue
            span = (span[0], *inner)
        edits.append((*span, replacement))
        changes.append(Change(item.node.line, message))
    for pair in pairs:
        edit = _fix_name(lines, pair)
        if edit:
            edits.append(edit[0])
            changes.append(edit[1])
    for index, start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[index] = lines[index][:start] + replacement + lines[index][end:]


def _fix_name(lines: list[str], pair):
    """The official spelling for a name that differs only by ケ/ヶ or width, by the pair's code."""
    if pair.code is None or pair.name is None:
        return None
    code = unicodedata.normalize("NFKC", pair.code.value).strip()
    reg = registry()
    official = reg.by_code.get(code)
    name = pair.name.value.strip()
    if official is None or name in reg.names_accepted(official):
        return None
    spelled = [n for n in sorted(reg.names_accepted(official)) if fold_ke(n) == fold_ke(name)]
    span = _span(lines, pair.name)
    inner = _inner(lines, pair.name, span) if span else None
    if len(spelled) != 1 or inner is None:
        return None
    return ((span[0], *inner, spelled[0]),
            Change(pair.name.line, f"団体名「{name}」を正式な表記「{spelled[0]}」にしました（団体コード {code}）"))


# -- timeline order ------------------------------------------------------------------------

def _sort_key(value: str) -> tuple[int, int, int]:
    year, month, day = date_parts(value)
    return year, month or 0, day or 0


def _in_order(values: list[str]) -> bool:
    """The order `check` accepts: each date, at the precision both have, not before the latest."""
    latest = None  # (parts, value) of the latest date so far
    for value in values:
        parts = date_parts(value)
        if latest is not None:
            common = min(_precision(parts), _precision(latest[0]))
            if parts[:common] < latest[0][:common]:
                return False
        if latest is None or date_start(value) > date_start(latest[1]):
            latest = (parts, value)
    return True


def _precision(parts: tuple) -> int:
    return sum(1 for p in parts if p is not None)


def _item_start(lines: list[str], item) -> tuple[int, int] | None:
    """(line index, dash column) of a block-sequence item's `- `."""
    index, column = item.line - 1, item.column - 1
    prefix = lines[index][:column]
    if prefix.strip() == "-":
        return index, prefix.index("-")
    if prefix.strip() == "" and index > 0 and lines[index - 1].strip() == "-":
        return index - 1, lines[index - 1].index("-")
    return None


def _sort_timeline(lines: list[str], front: yamltree.Map, close: int, changes: list[Change]) -> None:
    timeline = front.get("timeline")
    if not isinstance(timeline, yamltree.Seq) or len(timeline.items) < 2:
        return
    values, starts = [], []
    for item in timeline.items:
        date = item.get("date") if isinstance(item, yamltree.Map) else None
        if not isinstance(date, yamltree.Scalar) or not DATE.match(date.value.strip()):
            return  # a date that is no date: `check` says so, and there is no order to restore
        start = _item_start(lines, item)
        if start is None:
            return  # flow style or an unusual layout: not touched
        values.append(date.value.strip())
        starts.append(start)
    if _in_order(values) or len({c for _, c in starts}) != 1:
        return
    dash = starts[0][1]
    rows = [s for s, _ in starts]
    if rows != sorted(set(rows)):
        return
    end = rows[-1] + 1  # the last entry runs on while its lines are indented past the dash
    while end < close and (not lines[end].strip() or _indent(lines[end]) > dash):
        end += 1
    while end > rows[-1] + 1 and not lines[end - 1].strip():
        end -= 1
    bounds = rows + [end]
    blocks, gaps = [], []  # each entry's lines; the blank lines after it, which stay in place
    for i in range(len(rows)):
        block = lines[bounds[i]:bounds[i + 1]]
        blank = len(block) - len(list(_rstrip_blank(block)))
        blocks.append(block[:len(block) - blank])
        gaps.append(block[len(block) - blank:])
    order = sorted(range(len(blocks)), key=lambda i: _sort_key(values[i]))
    lines[rows[0]:end] = [line for place, i in enumerate(order) for line in blocks[i] + gaps[place]]
    key = front.key_node("timeline")
    changes.append(Change(key.line, "timeline（経過）を日付の古い順に並べ替えました"))


def _rstrip_blank(block: list[str]) -> list[str]:
    end = len(block)
    while end > 1 and not block[end - 1].strip():
        end -= 1
    return block[:end]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# -- file paths, relative to the Markdown file ----------------------------------------------

def _bare(target: str, case_id: str, attached) -> str | None:
    """The canonical path for a bare file name that names an attached file, else None."""
    reference = casefiles.resolve(target, case_id)
    if reference.name is None or not reference.bare or reference.name not in attached:
        return None
    return casefiles.canonical(reference.name, case_id)


def _fix_file_values(lines: list[str], front: yamltree.Map, case_id: str, attached, changes: list[Change]) -> None:
    found, _ = scalars(front)
    for item in found:
        if item.kind != "relativeFile":
            continue
        value = item.node.value.strip()
        fixed = _bare(value, case_id, attached)
        span = _span(lines, item.node) if fixed else None
        inner = _inner(lines, item.node, span) if span else None
        if inner is None or lines[span[0]][inner[0]:inner[1]] != item.node.value:
            continue
        index, (start, end) = span[0], inner
        lines[index] = lines[index][:start] + item.node.value.replace(value, fixed, 1) + lines[index][end:]
        changes.append(Change(item.node.line, f"ファイルのパス「{value}」を Markdown ファイルからの相対パス"
                                              f"「{fixed}」にしました"))


def _fix_body_paths(lines: list[str], close: int, case_id: str, attached, changes: list[Change]) -> None:
    """Links and images of the body, found as `check` finds them; only the path is touched."""
    body_start = close + 1
    edits = []
    for line, column, target in local_targets("\n".join(lines[body_start:])):
        fixed = _bare(target, case_id, attached)
        index = body_start + line
        if fixed and lines[index].startswith(target, column):
            edits.append((index, column, target))
    for index, column, target in sorted(edits, reverse=True):
        lines[index] = lines[index][:column] + f"{case_id}/" + lines[index][column:]
    for index, _, target in sorted(edits):
        changes.append(Change(index + 1, f"本文のパス「{target}」を Markdown ファイルからの相対パス"
                                         f"「{case_id}/{target}」にしました（GitHub のプレビューでも表示されます）"))


# -- trailing spaces -----------------------------------------------------------------------

def _strip_trailing_spaces(lines: list[str], close: int, changes: list[Change]) -> None:
    """Front matter: every line. Body: all but a Markdown hard line break (two or more
    spaces before a next line of the same paragraph), and a first line of only spaces,
    which Python-Markdown does not take as blank."""
    stripped = []
    for index, line in enumerate(lines):
        bare = line.rstrip(" \t")
        if bare == line:
            continue
        if index > close:
            if index == close + 1 and not bare:
                continue
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if bare and line.endswith("  ") and following.strip():
                continue
        lines[index] = bare
        stripped.append(index + 1)
    if stripped:
        shown = "、".join(map(str, stripped[:5])) + (" ほか" if len(stripped) > 5 else "")
        changes.append(Change(stripped[0], f"行末の空白を消しました（{len(stripped)} 行: {shown} 行目）"))


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
