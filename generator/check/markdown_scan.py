"""What Markdown will take as code and as a link in a body, found without running Markdown.

The body rules judge a body as the site will render it: `<` in code is text,
a link inside a code span is no link, a link destination may hold balanced
parentheses or go on after a line break, a reference definition may stand in
a list item. Running Python-Markdown to learn that would trust it with a body
that is not yet known to render in bounded time (renderable.py) and would tell
nothing about where, in the file, a thing was written. So the same structures
are read here, as Python-Markdown reads them, with offsets kept so that every
finding maps back to a line and column; where the two readings could differ,
the text is left for the rules to check rather than skipped: a false alarm
costs a contributor a question, a miss could let script onto the site.

`check` (body.py, renderable.py) and `fix` (which rewrites exactly the paths
`check` reports) read bodies only through this module, so they cannot disagree.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

# Python-Markdown's fenced block: the fence at column 0, an optional language or
# {attributes}, closed by a line holding exactly the same fence.
FENCE_OPEN = re.compile(r"(`{3,}|~{3,})[ \t]*(?:\{.*\}|(?:\.?[\w#.+-]*[ \t]*)?"
                        r"(?:hl_lines=([\"']).*?\2[ \t]*)?)$")
LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|[0-9]+[.)])(?:[ \t]|$)")
QUOTE_MARKS = re.compile(r"(?: {0,3}>)*")
BACKTICKS = re.compile(r"`+")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
LINK_OPEN = re.compile(r"\]\(")
# A reference definition, also in a list item or a quote; its URL may stand on the
# next line (which may itself start a definition, so the URL is only looked ahead at).
REFERENCE = re.compile(r"^(?:[ \t]*(?:>|(?:[*+-]|[0-9]+[.)])(?=[ \t])))*[ \t]*\[[^\[\]]*\]:"
                       r"(?=[ \t]*(?:\n[ \t>]*)?(\S+))", re.MULTILINE)
DESTINATION_SPACE = re.compile(r"(?:[ \t]|\n(?!\n))*")  # any space, but no blank line
ANGLED = re.compile(r"<([^<>]*)>")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these from URLs
CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))  # and strip these at the start
CODE_MARKS = re.compile(r"\s*`+\s*")
BRACKETS = re.compile(r"\n\n|[\[\]]")
PARENS = re.compile(r"\n\n|[()]")
# The start of an unbalanced destination: what a browser skips (spaces, control
# characters, code-span backticks, whose text goes into the URL), then up to a space;
# a line break does not end it, as a browser drops line breaks (`java⏎script:`).
FIRST_WORD = re.compile(r"(?:[\x00-\x09\x0b-\x20`]|\n(?!\n))*(?:`[^`\n]*`|[^ \n]|\n(?!\n)){0,200}")


@dataclass(frozen=True)
class Scan:
    """One body as Markdown reads it; every text has the body's offsets."""

    lines: list[str]
    code: set[int]   # indexes of the lines in code blocks
    blocks: str      # the text of Markdown's blocks: code lines emptied, quote marks made spaces
    text: str        # and as inline text: code spans blanked too


class Destination(NamedTuple):
    offset: int              # where the target starts in Scan.blocks (and Scan.text)
    target: str
    image: bool
    empty_alt: int | None    # offset of the `!` of an inline image with nothing in its [ ]


def read(body: str) -> Scan:
    lines = body.split("\n")
    code = code_lines(body, lines)
    blocks = block_text(lines, code)
    text = blank(blocks, code_spans(blocks)) if "`" in blocks else blocks
    return Scan(lines, code, blocks, text)


def blank(text: str, spans) -> str:
    """The text with the given (start, end) spans replaced by spaces: offsets stay put."""
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(" " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _fenced_lines(lines: list[str]) -> set[int]:
    """Lines of fenced code blocks; an unclosed fence is no code block in Python-Markdown."""
    closers: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        bare = line.rstrip(" \t")
        if bare[:3] in ("```", "~~~") and bare.count(bare[0]) == len(bare):
            closers.setdefault(bare, []).append(number)
    code: set[int] = set()
    number = 0
    while number < len(lines):
        opener = FENCE_OPEN.match(lines[number]) if lines[number][:3] in ("```", "~~~") else None
        if opener:
            later = closers.get(opener.group(1), [])
            index = bisect_right(later, number)
            if index < len(later):
                code.update(range(number, later[index] + 1))
                number = later[index] + 1
                continue
        number += 1
    return code


def is_blank(number: int, line: str) -> bool:
    """Python-Markdown's blank line: empty after spaces and tabs, except a first line,
    which it keeps (and U+3000 is text)."""
    return not line if number == 0 else not line.strip(" \t")


def _indent(line: str) -> int:
    width = len(line) - len(line.lstrip(" \t"))
    return len(line[:width].expandtabs(4))


def code_lines(body: str, lines: list[str]) -> set[int]:
    """Fenced blocks, and indented blocks: 4 spaces after a blank line, unless a list goes on.

    An indented block after a list item continues the item, so it is text; the
    list ends at the first unindented line after a blank line.
    """
    code = _fenced_lines(lines) if "```" in body or "~~~" in body else set()
    after_blank, in_list, in_code = True, False, False
    for number, line in enumerate(lines):
        if number in code:
            after_blank = in_code = False
            continue
        if is_blank(number, line):
            after_blank = True
            continue
        indented = _indent(line) >= 4
        if indented and (in_code or (after_blank and not in_list)):
            code.add(number)
            in_code = True
        else:
            in_code = False
            if LIST_ITEM.match(line):
                in_list = True
            elif after_blank and not indented:
                in_list = False
        after_blank = False
    return code


def escaped(text: str, at: int) -> bool:
    """An odd number of backslashes before ``at``."""
    before = at
    while before and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


def _exact_spans(line: str) -> list[tuple[int, int]] | None:
    """The code spans of one line, if each backtick run in it opens a span that a later
    run of the same length closes (or lies inside one); None if any run is left over."""
    spans, at = [], line.find("`")
    while at != -1:
        if escaped(line, at):  # text; the next backtick of the run may open a span
            at = line.find("`", at + 1)
            continue
        length = BACKTICKS.match(line, at).end() - at
        close = next((run.end() for run in BACKTICKS.finditer(line, at + length)
                      if run.end() - run.start() == length), None)
        if close is None:
            return None
        spans.append((at, close))
        at = line.find("`", close)
    return spans


def code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans to skip: only in paragraphs whose every line pairs all its backticks.

    Python-Markdown pairs backticks within a block, and where a block ends is
    not always visible here (a heading, a list item or `===` ends one without a
    blank line). A run left over on a line may pair with one on another line,
    or close a span differently (its fallback: the longest shorter run), so such
    a paragraph keeps its code spans checked. Where every run pairs within its
    line, any division into blocks gives the same spans.
    """
    spans, paragraph, clean, offset = [], [], True, 0
    for line in text.split("\n"):
        if not line:
            spans += paragraph if clean else []
            paragraph, clean = [], True
        elif clean and "`" in line:
            found = _exact_spans(line)
            clean = found is not None
            paragraph += [(offset + start, offset + end) for start, end in found or []]
        offset += len(line) + 1
    return spans + (paragraph if clean else [])


def block_text(lines: list[str], code: set[int]) -> str:
    """What Markdown reads as text: code lines emptied, quote marks (`> `) made spaces,
    blank lines emptied; line numbers and columns stay put."""
    text = []
    for number, line in enumerate(lines):
        if number in code:
            line = ""
        elif ">" in line[:4]:
            quoted = QUOTE_MARKS.match(line).end()
            line = " " * quoted + line[quoted:]
        text.append("" if is_blank(number, line) else line)
    return "\n".join(text)


class Positions:
    """Maps an offset in the body text to a file line and a 1-based column."""

    def __init__(self, text: str, first_line: int):
        self.text, self.first_line, self.starts = text, first_line, None

    def __call__(self, offset: int) -> tuple[int, int]:
        if self.starts is None:
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = bisect_right(self.starts, offset) - 1
        return self.first_line + index, offset - self.starts[index] + 1


def as_browser_reads(target: str) -> str:
    """The target as a browser gets it: code-span backticks gone (Markdown puts their
    text in the URL), references decoded, tabs and line breaks dropped, leading
    control characters stripped (`java&#10;script:` is `javascript:`)."""
    if "&" not in target and "`" not in target and target.isprintable():
        return target
    target = CODE_MARKS.sub("", target)
    return URL_IGNORED.sub("", html.unescape(target)).lstrip(CONTROL_OR_SPACE)


def matching(text: str, pattern: re.Pattern) -> dict[int, int]:
    """Offset of each opening bracket → offset of the one closing it, nested as Markdown
    nests them: not escaped, not across a blank line. One pass, so long texts stay fast."""
    pairs, stack = {}, []
    for match in pattern.finditer(text):
        char = match.group()
        if char == "\n\n":
            stack.clear()
        elif escaped(text, match.start()):
            continue
        elif char in "[(":
            stack.append(match.start())
        elif stack:
            pairs[stack.pop()] = match.start()
    return pairs


def _destination(text: str, start: int, parens: dict[int, int]) -> tuple[int, str]:
    """(offset, target) of the link destination after the `(` at ``start - 1``.

    As Python-Markdown reads it: spaces and a line break may come first; then
    `<…>`, or everything up to the `)` that balances the parentheses, less a
    trailing "title". Unbalanced, the first word is taken, so it is still checked.
    """
    begin = DESTINATION_SPACE.match(text, start).end()
    angled = ANGLED.match(text, begin)
    if angled:
        return begin + 1, angled.group(1).strip()
    close = parens.get(start - 1)
    if close is None:
        return begin, FIRST_WORD.match(text, begin).group()
    target = text[begin:close].rstrip()
    if target[-1:] in ("'", '"') and target.find(target[-1]) < len(target) - 1:
        target = target[:target.find(target[-1])]  # less the "title"
    return begin, target.strip()


def _inline(scan: Scan) -> list[Destination]:
    """Each `[…](…)` and `![…](…)`.

    The brackets are paired in the inline text, the destination read from the
    block text: a code span in a destination is taken into the URL
    (`[a](`javascript:x`)` links to javascript:x).
    """
    text, blocks = scan.text, scan.blocks
    brackets = {close: opening for opening, close in matching(text, BRACKETS).items()}
    parens = matching(blocks, PARENS)
    found = []
    for match in LINK_OPEN.finditer(text):
        opening = brackets.get(match.start(), -1)
        image = opening > 0 and text[opening - 1] == "!"
        empty_alt = opening - 1 if image and not text[opening + 1:match.start()].strip() else None
        found.append(Destination(*_destination(blocks, match.end(), parens), image, empty_alt))
    return found


def destinations(scan: Scan) -> list[Destination]:
    """Every link and image destination: inline, reference definitions (read before code
    spans, so from the block text), autolinks."""
    text, blocks = scan.text, scan.blocks
    if "](" not in text and "]:" not in blocks and "<" not in text:
        return []
    found = _inline(scan) if "](" in text else []
    for match in REFERENCE.finditer(blocks):
        value = match.group(1)
        found.append(Destination(match.start(1) + len(value) - len(value.lstrip("<")),
                                 value.lstrip("<").rstrip(">"), False, None))
    angled = {d.offset - 1 for d in found if d.offset and blocks[d.offset - 1] == "<"}
    found += [Destination(m.start(), m.group(1), False, None) for m in AUTOLINK.finditer(text)
              if m.start() not in angled]  # `(<…>)` is a destination, not an autolink too
    return found


def is_local(target: str) -> bool:
    """A target that is a path: no URL, and no anchor on the same page."""
    return bool(target) and not target.startswith("#") and not SCHEME.match(as_browser_reads(target))


def local_targets(body: str) -> list[tuple[int, int, str]]:
    """(body line index, column index, target) of each link or image destination that is
    no URL, read exactly as the checker reads them: `fix` rewrites these, and no other."""
    scan = read(body)
    where = Positions(scan.text, 0)
    found = []
    for destination in destinations(scan):
        if is_local(destination.target):
            line, column = where(destination.offset)
            found.append((line, column - 1, destination.target))
    return found
