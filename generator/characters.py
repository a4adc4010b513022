"""Invisible and illegal characters in a case file.

Control characters, noncharacters and lone surrogates have no place in a
record: they are invisible in an editor, make the Atom feed ill-formed XML,
and break the tools that read the open data. The bidirectional overrides
(U+202A–U+202E, U+2066–U+2069) reorder what a reader sees, so a title or a
link can be made to look like something else. Each one is an error naming
the code point, so the contributor can find and delete it.

The raw text is scanned (line and column exact); a YAML escape such as
`"\\u0001"` puts one into a value without it being in the text, so the parsed
values are scanned too. Loading does both, as it refuses a NUL byte.
"""

from __future__ import annotations

import re

from .yamltree import Map, Scalar, Seq

# C0 but tab and line feed (CR is gone after loading), DEL, C1, the bidi embeddings,
# overrides and isolates, lone surrogates, and every noncharacter (U+FDD0–U+FDEF and
# the last two code points of each plane).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
                       + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                 for plane in range(17)) + "]")
MAX_REPORTED = 20  # per file: a pasted binary would otherwise give thousands of lines


def kind(char: str) -> str:
    """What the character is, in the words of the message."""
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "文字の向きを変える制御文字"
    if 0xD800 <= code <= 0xDFFF:
        return "不正な文字（サロゲート）"
    if code < 0xA0:
        return "制御文字"
    return "文字として使えない非文字"


def describe(char: str) -> str:
    """`制御文字 U+0001`: the kind and the code point."""
    return f"{kind(char)} U+{ord(char):04X}"


HINT = "見えない文字です。エディタで該当の位置の文字を消して書き直してください（コピーした文章に紛れ込むことがあります）"
BIDI_HINT = "表示の順序を入れ替えて、文字やリンクを別のものに見せかけることができる文字です。削除してください"


def _hint(char: str) -> str:
    return BIDI_HINT if kind(char) == "文字の向きを変える制御文字" else HINT


class Scanner:
    """Reports forbidden characters of one file, at most MAX_REPORTED of them."""

    def __init__(self, report):
        self.report = report
        self.count = 0

    def _error(self, char: str, line: int, column: int, escaped: bool = False) -> None:
        self.count += 1
        if self.count > MAX_REPORTED:
            return
        how = "（「\\」で始まるエスケープで書かれています）" if escaped else ""
        self.report.error("control-character", f"{'値に' if escaped else ''}{describe(char)} が含まれています{how}。削除してください",
                          line, column, _hint(char))

    def text(self, text: str, first_line: int) -> None:
        """Every forbidden character of a span of the file that starts on ``first_line``."""
        line, start, line_start = first_line, 0, 0
        for match in FORBIDDEN.finditer(text):
            if self.count >= MAX_REPORTED:  # one more is enough to know; the scan stays linear
                self.count += 1
                return
            newlines = text.count("\n", start, match.start())
            if newlines:
                line += newlines
                line_start = text.rfind("\n", start, match.start()) + 1
            start = match.start()
            self._error(match.group(), line, start - line_start + 1)

    def values(self, node) -> None:
        """Characters that YAML escapes put into the values (keys included)."""
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, Scalar):
                found = FORBIDDEN.search(item.value)
                if found:
                    self._error(found.group(), item.line, item.column, escaped=True)
            elif isinstance(item, Seq):
                stack.extend(reversed(item.items))
            elif isinstance(item, Map):
                for key, value in reversed(item.entries):
                    stack.extend((value, key))


def blanked(front: str) -> str:
    """The front matter with each forbidden character, once reported, made a space (same
    offsets): PyYAML refuses most of them, and the rest of the record is still checked."""
    return FORBIDDEN.sub(" ", front)
