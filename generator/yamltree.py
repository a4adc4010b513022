"""A YAML reader that keeps what the contributor wrote, with positions.

PyYAML's loaders resolve plain scalars by YAML 1.1 rules (`012084` becomes the
octal 5141, `no` becomes False, `2023-12-01` a date) and keep the last of two
equal keys. Municipal records must not be changed silently, so this reader
builds its own tree straight from the parser's events: every scalar stays the
text that was written, with its quoting style and line/column, and anchors,
aliases, tags and duplicate keys become diagnostics instead of values. Aliases
are never expanded, so an alias bomb costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml is bundled in PyYAML's wheels; it is ~10x faster.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python fallback
    _Loader = yaml.SafeLoader


ALIAS = "*"  # the style of the empty scalar that stands for a refused alias
MAX_DEPTH = 20  # a record needs 4; 50,000 nested `[` took libyaml 45 s


@dataclass(slots=True)
class Scalar:
    value: str
    style: str | None  # None = plain (unquoted); "'", '"', "|", ">"; ALIAS
    line: int
    column: int

    @property
    def plain(self) -> bool:
        return self.style is None

    @property
    def alias(self) -> bool:
        """A stand-in for an alias: already reported, so nothing more is said about it."""
        return self.style == ALIAS


@dataclass(slots=True)
class Seq:
    items: list
    line: int
    column: int


@dataclass(slots=True)
class Map:
    entries: list  # [(Scalar key, node value)], in file order, first of duplicates only
    line: int
    column: int
    _index: dict = field(default_factory=dict, repr=False)

    def get(self, key: str):
        pair = self._index.get(key)
        return pair[1] if pair else None

    def key_node(self, key: str):
        pair = self._index.get(key)
        return pair[0] if pair else None

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.entries]


Node = Scalar | Seq | Map


def kind_name(node) -> str:
    return {Scalar: "値", Seq: "リスト", Map: "項目の組（マッピング）"}.get(type(node), "空")


# YAML 1.1 implicit types a plain scalar would have become under a normal loader.
_IMPLICIT = [
    ("真偽値", re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
                       r"|on|On|ON|off|Off|OFF)$")),
    ("空値", re.compile(r"^(?:~|null|Null|NULL)$")),
    ("数値", re.compile(r"^[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+"
                      r"|[1-9][0-9_]*(?::[0-5]?[0-9])+)$")),
    ("数値", re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$"
                      r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")),
    ("日付", re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9].*)?$")),
]


def implicit_type(scalar: Scalar) -> str | None:
    """The YAML 1.1 type another tool would read this plain scalar as, if not text."""
    if not scalar.plain:
        return None
    for name, pattern in _IMPLICIT:
        if pattern.match(scalar.value):
            return name
    return None


class YamlProblem(Exception):
    """A syntax error, with a Japanese message and 0-based position in the text."""

    def __init__(self, rule: str, message: str, line: int, column: int, hint: str | None = None):
        super().__init__(message)
        self.rule, self.message, self.line, self.column, self.hint = rule, message, line, column, hint


# libyaml's problem texts → what a contributor can act on.
_SYNTAX_MESSAGES = [
    ("mapping values are not allowed",
     "ここに「: 」は書けません。値の中に「: 」があるときは、値全体を引用符（\"）で囲んでください"),
    ("could not find expected ':'",
     "「キー: 値」の形になっていません。「:」の後に半角スペースが必要です"),
    ("did not find expected key",
     "字下げ（インデント）がそろっていないか、「- 」の位置がずれています"),
    ("did not find expected '-' indicator",
     "リストの字下げがそろっていません。「- 」の位置をそろえてください"),
    ("found unexpected end of stream",
     "引用符が閉じられていません"),
    ("found unknown escape character",
     "二重引用符の中の「\\」の使い方が正しくありません。単一引用符（'）で囲むか「\\\\」と書いてください"),
    ("cannot start any token",
     "この文字で値を始めることはできません。値全体を引用符（\"）で囲んでください"),
    ("did not find expected node content",
     "値がありません。値を書くか、値全体を引用符で囲んでください"),
    ("did not find expected <document start>",
     "字下げ（インデント）が正しくありません"),
    ("expected <block end>",
     "字下げ（インデント）がそろっていません"),
    ("block sequence entries are not allowed",
     "ここに「- 」は書けません。字下げを確認してください"),
]


def _open_double_quote(line: str) -> int | None:
    """Column (0-based) where this line opens a double-quoted scalar it does not close.

    A `"` counts only where a value can begin (line start, after `: ` or `- `,
    inside `[…]`/`{…}` after `[`, `{` or `,`); inside a plain value, a
    single-quoted value or a comment it is just a character.
    """
    at, value_may_start, flow = 0, True, 0
    while at < len(line):
        char = line[at]
        spaced = line[at + 1:at + 2] in ("", " ", "\t")
        if char == "#" and (at == 0 or line[at - 1] in " \t"):
            return None  # a comment
        if value_may_start and char in "'\"":
            close = quote_end(line, at)
            if close is None:
                return at if char == '"' else None
            at, value_may_start = close + 1, False
            continue
        if char in " \t":
            pass
        elif char in "[{" and (value_may_start or flow):
            flow, value_may_start = flow + 1, True
        elif char in "]}" and flow:
            flow, value_may_start = flow - 1, False
        elif char == "," and flow:
            value_may_start = True
        elif char == ":" and (spaced or flow):
            value_may_start = True
        else:
            value_may_start = value_may_start and char in "-?" and spaced  # `- ` starts an item
        at += 1
    return None


def quote_end(line: str, start: int) -> int | None:
    """Index of the quote closing the one at ``start`` on this line (`\\"` and `''` are escapes)."""
    quote, at = line[start], start + 1
    while at < len(line):
        if quote == '"' and line[at] == "\\":
            at += 2
            continue
        if line[at] == quote:
            if quote == "'" and line[at + 1:at + 2] == "'":
                at += 2
                continue
            return at
        at += 1
    return None


_BLOCK_SCALAR = re.compile(r"(?:^|:\s|-\s)\s*[|>][0-9+-]*\s*(?:#.*)?$")  # `key: |`: text follows


def _unclosed_quote(text: str, upto: int) -> tuple[int, int] | None:
    """0-based (line, column) of the first line up to `upto` opening a double quote it does not close.

    Lines of a block scalar (`|`, `>`) are free text and are not looked at.
    """
    block = None  # indentation of the line that opened a block scalar
    for number, line in enumerate(text.split("\n")[:upto + 1]):
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line.strip() or indent > block):
            continue
        block = indent if _BLOCK_SCALAR.search(line) else None
        if '"' in line:
            column = _open_double_quote(line)
            if column is not None:
                return number, column
    return None


def _syntax_problem(exc: yaml.YAMLError, text: str, first_line: int) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    quote = _unclosed_quote(text, mark.line if mark else 0)
    if quote is not None:
        return YamlProblem("yaml-syntax", "引用符（\"）が閉じられていません", quote[0] + first_line, quote[1] + 1,
                           hint=f"値の最後にも \" を書いてください（YAML の解析結果: {problem}）")
    for needle, message in _SYNTAX_MESSAGES:
        if needle in problem:
            break
    else:
        message = "YAML の書き方に誤りがあります"
    return YamlProblem("yaml-syntax", message, line, column,
                       hint=f"YAML の解析結果: {problem}")


_TAB_INDENT = re.compile(r"^( *(?:- *)?)\t", re.MULTILINE)


def find_tab_indent(text: str) -> tuple[int, int] | None:
    """0-based (line, column) of the first tab used for indentation, if any."""
    match = _TAB_INDENT.search(text)
    if not match:
        return None
    return text.count("\n", 0, match.start()), len(match.group(1))


def parse(text: str, on_problem, first_line: int = 1) -> Node | None:
    """Parse YAML text into a node tree.

    ``on_problem(rule, message, line, column, hint)`` receives each anchor,
    alias, tag and duplicate key; syntax errors raise YamlProblem. Positions
    are 1-based file positions, ``text`` starting at line ``first_line``.
    """
    tab = find_tab_indent(text)
    if tab:
        raise YamlProblem("yaml-tab", "字下げにタブ文字が使われています。YAML の字下げは半角スペースで書いてください",
                          tab[0] + first_line, tab[1] + 1, hint="タブを半角スペース 2 つに置き換えてください")
    top = first_line
    ScalarEvent, SequenceStartEvent, MappingStartEvent = (
        yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    stack: list = []      # open containers
    pending: list = []    # per open container: the key waiting for its value (maps)
    root = None

    def props(event, line: int, column: int) -> None:
        if event.anchor:
            on_problem("yaml-anchor", f"アンカー「&{event.anchor}」は使えません",
                       line, column, "同じ内容を繰り返すときも、そのまま書いてください")
        if event.tag is not None:
            shown = event.tag.replace("tag:yaml.org,2002:", "!!")
            on_problem("yaml-tag", f"タグ「{shown}」は使えません",
                       line, column, "タグを消して、値だけを書いてください")

    def attach(node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if type(parent) is Seq:
            parent.items.append(node)
            return
        key = pending[-1]
        if key is None:
            if type(node) is not Scalar:
                on_problem("yaml-syntax", "キーには単純な文字だけを書けます", node.line, node.column, None)
                node = Scalar("", None, node.line, node.column)
            pending[-1] = node
            return
        pending[-1] = None
        if key.alias:
            return  # already reported; the entry is left out
        first = parent._index.get(key.value)
        if first is not None:
            on_problem("yaml-duplicate-key", f"項目「{key.value}」が 2 回書かれています",
                       key.line, key.column, f"{first[0].line} 行目の「{key.value}」と 1 つにまとめてください")
        else:
            pair = (key, node)
            parent._index[key.value] = pair
            parent.entries.append(pair)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is ScalarEvent:
                mark = event.start_mark
                line, column = mark.line + top, mark.column + 1
                if event.anchor or event.tag is not None:
                    props(event, line, column)
                attach(Scalar(event.value, event.style or None, line, column))
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                line, column = mark.line + top, mark.column + 1
                if event.anchor or event.tag is not None:
                    props(event, line, column)
                node = Map([], line, column) if kind is MappingStartEvent else Seq([], line, column)
                attach(node)
                if len(stack) == MAX_DEPTH:  # the parser's cost grows with the square of the depth
                    raise YamlProblem("yaml-nesting", f"YAML の入れ子が深すぎます。{MAX_DEPTH} 段までです",
                                      line, column, hint="「[」「{」や字下げの入れ子を浅くしてください")
                stack.append(node)
                pending.append(None)
            elif kind in ends:
                stack.pop()
                pending.pop()
            elif kind is yaml.AliasEvent:
                mark = event.start_mark
                line, column = mark.line + top, mark.column + 1
                on_problem("yaml-anchor", f"エイリアス「*{event.anchor}」は使えません",
                           line, column, "参照せずに、値をそのまま書いてください")
                attach(Scalar("", ALIAS, line, column))
            elif kind is yaml.DocumentStartEvent and root is not None:
                mark = event.start_mark
                raise YamlProblem("yaml-syntax", "「---」で区切られた 2 つ目の文書は書けません",
                                  mark.line + top, mark.column + 1)
    except yaml.YAMLError as exc:
        raise _syntax_problem(exc, text, first_line) from None
    return root


def parse_data_file(path, report) -> tuple[bool, Node | None]:
    """A repository data file (areas.yml, synonyms.yml), read as carefully as a case.

    Contributors edit these by pull request too, so encoding and YAML mistakes
    become diagnostics on `report` (a diagnostics.Reporter) rather than
    exceptions. Returns (read, root): read is False when the file could not be
    read or parsed at all; root is None for an empty document.
    """
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        report.error("encoding", f"{path.name} を UTF-8 として読めません", hint="UTF-8 で保存し直してください")
        return False, None

    def on_problem(rule, message, line, column, hint):
        report.error(rule, message, line, column, hint)

    try:
        return True, parse(text, on_problem)
    except YamlProblem as problem:
        report.error(problem.rule, problem.message, problem.line, problem.column, problem.hint)
        return False, None
